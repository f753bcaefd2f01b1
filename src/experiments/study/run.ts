/**
 * `runStudy`: the MNIST latent-dimension study end to end (the blog post
 * "Auto-Encoder (AE) 기반 차원 축소" and Wang, Yao & Zhao, Neurocomputing 184 (2016) 232-242). Plans the runs (sweep,
 * deep AE, convolutional denoising AE, PCA), reuses the finished ones found in `<out>/runs/`, trains the rest (on worker
 * threads when asked), picks the saturation point, draws the figures and writes
 * `<out>/index.html`, `results.json`, `results.md` and one PNG per figure. Interrupting loses at
 * most the runs in progress; calling it again with the same settings finishes the rest.
 */
import { existsSync, rmSync } from 'node:fs';
import { arch, cpus, platform, release } from 'node:os';
import { AedrError } from '../../errors.js';
import type { TrainProgress } from '../../train/trainer.js';
import {
  planRuns,
  resolveStudyConfig,
  runCost,
  STUDY_REFERENCE,
  type RunSpec,
  type StudyConfig,
  type StudyOptions,
} from './config.js';
import { executeRuns } from './pool.js';
import {
  readFinishedRun,
  runDir,
  type PcaResult,
  type RunResult,
  type TrainResult,
} from './runs.js';
import { flatteningPoint, kneedle, type SaturationResult } from '../../metrics/saturation.js';
import type { ConvRow, StudyEvent, StudyOutcome, SweepRow } from './outcome.js';

/** Hooks of `runStudy`. */
export interface StudyHooks {
  signal?: AbortSignal;
  onEvent?: (e: StudyEvent) => void;
}

/**
 * Runs the study with `options` (see StudyOptions; `{ quick: true }` for a small version).
 * @throws ConfigError on bad options; StudyCancelledError when `signal` aborts; training errors
 * @example
 * const s = await runStudy({ quick: true, out: 'report-quick' });
 * const files = await writeStudyReport('report-quick', s); // [..., 'report-quick/index.html']
 * // s.saturation.recommended is a latent size
 */
export async function runStudy(
  options: StudyOptions = {},
  hooks: StudyHooks = {},
): Promise<StudyOutcome> {
  const t0 = performance.now();
  const config = resolveStudyConfig(options);
  const runs = planRuns(config);
  const found = new Map<string, RunResult>();
  for (const run of runs) {
    const prev = config.fresh ? undefined : readFinishedRun(config.out, run);
    if (prev) found.set(run.id, prev);
    // A run without result.json is incomplete (killed mid-way): start it afresh.
    else if (existsSync(runDir(config.out, run.id)))
      rmSync(runDir(config.out, run.id), { recursive: true, force: true });
  }
  const todo = runs.filter((r) => !found.has(r.id)).sort((a, b) => runCost(b) - runCost(a));
  const emit = hooks.onEvent ?? (() => undefined);
  emit({
    type: 'plan',
    total: runs.length,
    reused: found.size,
    workers: Math.min(config.workers, Math.max(1, todo.length)),
    threads: config.threads,
  });
  const eta = etaTracker(todo);
  let started = found.size;
  let done = found.size;
  const fresh = await executeRuns(todo, {
    out: config.out,
    trainSize: config.trainSize,
    testSize: config.testSize,
    workers: config.workers,
    threads: config.threads,
    spin: config.spin,
    ...(hooks.signal ? { signal: hooks.signal } : {}),
    onEvent: (e) => {
      if (e.type === 'start') {
        started += 1;
        emit({
          type: 'run-start',
          run: e.run,
          position: started,
          total: runs.length,
          eta: eta.left(),
        });
      } else if (e.type === 'progress') {
        eta.progress(e.run, e.progress);
        emit({ type: 'progress', run: e.run, progress: e.progress, eta: eta.left() });
      } else if (e.type === 'epoch') {
        const epochs = e.run.kind === 'pca' ? 1 : e.run.epochs;
        emit({ type: 'epoch', run: e.run, record: e.record, epochs, eta: eta.left() });
      } else {
        eta.finish(e.run);
        done += 1;
        emit({
          type: 'run-done',
          run: e.run,
          result: e.result,
          done,
          total: runs.length,
          eta: eta.left(),
        });
      }
    },
  });
  todo.forEach((r, i) => found.set(r.id, fresh[i]));
  const trainingSeconds = (performance.now() - t0) / 1000;
  const reusedIds = new Set(runs.filter((r) => !todo.includes(r)).map((r) => r.id));
  return summarise(config, runs, found, reusedIds, trainingSeconds);
}

/** Estimates the seconds left from the cost done so far (finished runs plus the part of running ones). */
function etaTracker(todo: RunSpec[]): {
  progress: (run: RunSpec, p: TrainProgress) => void;
  finish: (run: RunSpec) => void;
  left: () => number | undefined;
} {
  const t0 = performance.now();
  const total = todo.reduce((s, r) => s + runCost(r), 0);
  let finished = 0;
  const partial = new Map<string, number>();
  const doneCost = (): number => finished + [...partial.values()].reduce((a, b) => a + b, 0);
  return {
    progress(run, p) {
      const frac = (p.epoch - 1 + p.batch / p.batches) / p.epochs;
      partial.set(run.id, runCost(run) * frac);
    },
    finish(run) {
      partial.delete(run.id);
      finished += runCost(run);
    },
    left() {
      const d = doneCost();
      const elapsed = (performance.now() - t0) / 1000;
      if (d <= 0 || elapsed < 1) return undefined;
      return Math.max(0, ((total - d) * elapsed) / d);
    },
  };
}

function summarise(
  config: StudyConfig,
  runs: RunSpec[],
  found: Map<string, RunResult>,
  reusedIds: Set<string>,
  trainingSeconds: number,
): StudyOutcome {
  const pca = runs.map((r) => found.get(r.id)).find((r): r is PcaResult => r?.kind === 'pca');
  const train = runs
    .map((r) => found.get(r.id))
    .filter((r): r is TrainResult => r !== undefined && r.kind !== 'pca');
  const deep = train.find((r) => r.kind === 'deep');
  if (!pca || !deep) throw new AedrError('study: a run result is missing after training');
  const results = train.filter((r) => r.kind === 'shallow');
  const rows: SweepRow[] = results.map((r) => {
    const ref =
      r.activation === 'relu' ? STUDY_REFERENCE.find((s) => s.latent === r.latent) : undefined;
    const p = pca.dims.indexOf(r.latent);
    return {
      latent: r.latent,
      activation: r.activation,
      trainLoss: r.trainLoss,
      trainMse: r.trainMse,
      testMse: r.testMse,
      trainMsePerImage: r.trainMse * 784,
      testMsePerImage: r.testMse * 784,
      ...(ref
        ? {
            studyTrainLoss: ref.trainLoss,
            studyTestLoss: ref.testLoss,
            vsStudy: (r.testMse - ref.testLoss) / ref.testLoss,
          }
        : {}),
      ...(p >= 0 ? { pcaTestMse: pca.testMse[p] } : {}),
      seconds: r.trainSeconds,
      reused: reusedIds.has(r.id),
    };
  });
  rows.sort((a, b) => a.latent - b.latent || a.activation.localeCompare(b.activation));
  const conv: ConvRow[] = train
    .filter((r) => r.kind === 'conv')
    .map((r) => {
      const p = pca.dims.indexOf(r.latent);
      return {
        id: r.id,
        label: r.label,
        filters: r.filters ?? '',
        codeShape: r.codeShape ?? [],
        layerShapes: r.layerShapes ?? [],
        latent: r.latent,
        params: r.params ?? NaN,
        noise: r.noise ?? 'none',
        trainLoss: r.trainLoss,
        trainMse: r.trainMse,
        testMse: r.testMse,
        testMseNoisy: r.testMseNoisy ?? NaN,
        ...(p >= 0 ? { pcaTestMse: pca.testMse[p] } : {}),
        seconds: r.trainSeconds,
        reused: reusedIds.has(r.id),
      };
    });
  const perActivation: Record<string, SaturationResult> = {};
  const raw: Record<string, SaturationResult> = {};
  const knees: Record<string, SaturationResult> = {};
  for (const act of config.activations) {
    const own = rows.filter((r) => r.activation === act);
    const xs = own.map((r) => r.latent);
    const ys = own.map((r) => r.testMse);
    const fraction = config.saturationFraction;
    perActivation[act] = flatteningPoint(xs, ys, { fraction, envelope: true });
    raw[act] = flatteningPoint(xs, ys, { fraction });
    knees[act] = kneedle(xs, ys, { envelope: true });
  }
  const answers = Object.values(perActivation)
    .map((s) => s.x)
    .filter((x): x is number => x !== null);
  const study = flatteningPoint(
    STUDY_REFERENCE.map((s) => s.latent),
    STUDY_REFERENCE.map((s) => s.testLoss),
    { fraction: config.saturationFraction, envelope: true },
  );
  const cpuList = cpus();
  return {
    config,
    rows,
    deep,
    pca,
    results,
    conv,
    saturation: {
      rule: study.rule,
      perActivation,
      raw,
      kneedle: knees,
      study,
      recommended: answers.length > 0 ? Math.max(...answers) : null,
    },
    machine: {
      cpu: cpuList[0]?.model.trim() ?? 'unknown',
      cores: cpuList.length,
      node: process.version,
      os: `${platform()} ${release()} ${arch()}`,
      threads: config.threads,
      workers: config.workers,
    },
    reused: reusedIds.size,
    trainingSeconds,
    totalSeconds: trainingSeconds,
  };
}
