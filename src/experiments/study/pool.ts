/**
 * Runs a list of study runs, either one after another on this thread or on worker threads.
 * onnxruntime-node executes `run()` synchronously on the calling JS thread, so two trainings
 * only overlap on two threads; on a 2-core machine two workers with one onnxruntime thread each
 * finished a mixed set of MNIST epochs in 0.57-0.62 of the time of one thread with two
 * (measured back-to-back, see the study report). Workers take the next run from a shared
 * atomic counter, so handing out work never waits on this thread (which may be busy drawing).
 */
import { Worker } from 'node:worker_threads';
import { AedrError } from '../../errors.js';
import type { EpochRecord } from '../../train/model.js';
import { type TrainProgress } from '../../train/trainer.js';
import { TrainingCancelledError } from '../../errors.js';
import type { RunSpec } from './config.js';
import { executeRun, loadStudyData, type RunResult, type StudyData } from './runs.js';

/** What the pool reports while it works; `slot` is the worker (0 on this thread). */
export type PoolEvent =
  | { type: 'start'; run: RunSpec; slot: number }
  | { type: 'progress'; run: RunSpec; slot: number; progress: TrainProgress }
  | { type: 'epoch'; run: RunSpec; slot: number; record: EpochRecord }
  | { type: 'done'; run: RunSpec; slot: number; result: RunResult };

/** Messages a worker posts (study-worker.ts). */
export type WorkerMessage =
  | { type: 'start'; index: number }
  | { type: 'progress'; index: number; progress: TrainProgress }
  | { type: 'epoch'; index: number; record: EpochRecord }
  | { type: 'done'; index: number; result: RunResult }
  | { type: 'failed'; index: number; name: string; message: string; stack?: string };

/** What a worker is started with. */
export interface WorkerInput {
  runs: RunSpec[];
  out: string;
  trainSize: number;
  testSize: number;
  threads: number;
  spin: boolean;
  /** Int32Array over a SharedArrayBuffer: the index of the next run to take. */
  next: Int32Array;
}

/** The study was interrupted; finished runs are kept in the output folder. */
export class StudyCancelledError extends TrainingCancelledError {
  constructor(done: number, total: number) {
    super(0);
    this.message = `study cancelled after ${done} of ${total} runs; finished runs are kept and a rerun continues from there`;
  }
}

/** Options of `executeRuns`. */
export interface PoolOptions {
  out: string;
  trainSize: number;
  testSize: number;
  /** Worker threads; 1 runs everything on this thread with `threads` onnxruntime threads. */
  workers: number;
  threads: number;
  /** false: onnxruntime's idle threads sleep (default true). */
  spin?: boolean;
  signal?: AbortSignal;
  onEvent?: (e: PoolEvent) => void;
  /** Data for the single-thread mode (loaded when absent). */
  data?: StudyData;
}

/** Runs every run; resolves with the results in the order of `runs`. @throws StudyCancelledError, and the first error a run raised */
export async function executeRuns(runs: RunSpec[], o: PoolOptions): Promise<RunResult[]> {
  if (runs.length === 0) return [];
  if (o.signal?.aborted) throw new StudyCancelledError(0, runs.length);
  return o.workers <= 1 ? inThisThread(runs, o) : onWorkers(runs, o);
}

async function inThisThread(runs: RunSpec[], o: PoolOptions): Promise<RunResult[]> {
  const data = o.data ?? loadStudyData(o.trainSize, o.testSize);
  const results: RunResult[] = [];
  for (const run of runs) {
    o.onEvent?.({ type: 'start', run, slot: 0 });
    let result: RunResult;
    try {
      result = await executeRun(run, data, o.out, o.threads, {
        ...(o.signal ? { signal: o.signal } : {}),
        ...(o.spin === false ? { spin: false } : {}),
        onProgress: (progress) => o.onEvent?.({ type: 'progress', run, slot: 0, progress }),
        onEpoch: (record) => o.onEvent?.({ type: 'epoch', run, slot: 0, record }),
      });
    } catch (err) {
      if (err instanceof TrainingCancelledError)
        throw new StudyCancelledError(results.length, runs.length);
      throw err;
    }
    results.push(result);
    o.onEvent?.({ type: 'done', run, slot: 0, result });
    if (o.signal?.aborted) throw new StudyCancelledError(results.length, runs.length);
  }
  return results;
}

/** The worker entry beside this module; from TypeScript sources it is loaded through tsx. */
function startWorker(input: WorkerInput): Worker {
  const self = import.meta.url;
  const ext = self.endsWith('.ts') ? '.ts' : '.js';
  const entry = new URL(`./worker${ext}`, self).href;
  if (ext === '.js') return new Worker(new URL(entry), { workerData: input });
  // Node 20 workers do not inherit the parent's --import hooks; register tsx inside the worker.
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(code, { eval: true, workerData: input });
}

function onWorkers(runs: RunSpec[], o: PoolOptions): Promise<RunResult[]> {
  const n = Math.min(o.workers, runs.length);
  const threads = Math.max(1, Math.floor(o.threads / o.workers));
  const next = new Int32Array(new SharedArrayBuffer(4));
  const results: (RunResult | undefined)[] = new Array<RunResult | undefined>(runs.length);
  let finished = 0;
  return new Promise<RunResult[]>((resolve, reject) => {
    const workers: Worker[] = [];
    let settled = false;
    const stop = (err: unknown): void => {
      if (settled) return;
      settled = true;
      o.signal?.removeEventListener('abort', onAbort);
      for (const w of workers) void w.terminate();
      reject(err instanceof Error ? err : new AedrError(String(err)));
    };
    const onAbort = (): void => stop(new StudyCancelledError(finished, runs.length));
    o.signal?.addEventListener('abort', onAbort);
    let exited = 0;
    for (let slot = 0; slot < n; slot++) {
      const w = startWorker({
        runs,
        out: o.out,
        trainSize: o.trainSize,
        testSize: o.testSize,
        threads,
        spin: o.spin !== false,
        next,
      });
      workers.push(w);
      w.on('message', (m: WorkerMessage) => {
        if (settled) return;
        const run = runs[m.index];
        if (m.type === 'start') o.onEvent?.({ type: 'start', run, slot });
        else if (m.type === 'progress')
          o.onEvent?.({ type: 'progress', run, slot, progress: m.progress });
        else if (m.type === 'epoch') o.onEvent?.({ type: 'epoch', run, slot, record: m.record });
        else if (m.type === 'done') {
          results[m.index] = m.result;
          finished += 1;
          o.onEvent?.({ type: 'done', run, slot, result: m.result });
        } else {
          const err = new AedrError(`${run.label}: ${m.name}: ${m.message}`);
          if (m.stack !== undefined) err.stack = m.stack;
          stop(err);
        }
      });
      w.on('error', (err) => stop(err));
      w.on('exit', (code) => {
        exited += 1;
        if (settled) return;
        if (code !== 0) stop(new AedrError(`a study worker exited with code ${code}`));
        else if (exited === n) {
          const missing = results.findIndex((r) => r === undefined);
          if (missing >= 0) stop(new AedrError(`run ${runs[missing].label} did not finish`));
          else {
            settled = true;
            o.signal?.removeEventListener('abort', onAbort);
            resolve(results as RunResult[]);
          }
        }
      });
    }
  });
}
