/**
 * The training loop: seeded shuffling each epoch, batches run K at a time through the Loop
 * training graph (step-graph.ts), Keras-style running loss, evaluated train/test MSE after
 * every epoch, callbacks, cancellation by AbortSignal, and a stop with TrainingDivergedError
 * at the first non-finite loss, the model keeping the weights of the last good step.
 * Like Keras' fit, the last partial batch of an epoch is trained, not dropped.
 */
import { AedrError, ConfigError, TrainingDivergedError } from '../errors.js';
import { applyScaling } from '../data/scaling.js';
import { parseLoss, type LossName } from '../nn/loss.js';
import { adam } from '../optim/adam.js';
import type { Optimizer } from '../optim/optimizer.js';
import { RtTensor, Session } from '../runtime/session.js';
import { checkFinite, checkInt, checkMatrix } from '../util/check.js';
import type { Matrix32 } from '../util/matrix.js';
import { Rng } from '../util/rng.js';
import { evalModel } from './inference-graph.js';
import type { AutoencoderModel, EpochRecord } from './model.js';
import { buildTrainGraph, nextName, type TrainGraph } from './step-graph.js';

/** Progress within an epoch, reported after every chunk of batches. */
export interface TrainProgress {
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  /** Running mean loss of the epoch so far. */
  loss: number;
}

/** Options of `fit`. */
export interface FitOptions {
  /** Passes over the data (default 10). */
  epochs?: number;
  /** Samples per step (default 32, as Keras). */
  batchSize?: number;
  /** Default Adam with Keras' defaults. */
  optimizer?: Optimizer;
  /** 'mse' (default) or 'bce'. */
  loss?: LossName;
  /** Seeds the shuffling (default: the model's seed). */
  seed?: number;
  /** Intra-op threads (default all cores). */
  threads?: number;
  /** Idle onnxruntime threads spin-wait for work (default true; false on a shared machine, see runtime/session.ts). */
  spin?: boolean;
  /** Test data in data units; its MSE is reported every epoch. */
  testData?: Matrix32;
  /** Stops training between chunks; fit then rejects with TrainingCancelledError. */
  signal?: AbortSignal;
  onProgress?: (p: TrainProgress) => void;
  onEpochEnd?: (record: EpochRecord, model: AutoencoderModel) => void | Promise<void>;
  /** Batches per onnxruntime call (default: about 8192 samples' worth). */
  stepsPerCall?: number;
  /** Label recorded in the model's training config (e.g. 'mnist'). */
  dataName?: string;
}

/** Training was cancelled through the AbortSignal; the model holds the weights reached. */
export class TrainingCancelledError extends AedrError {
  constructor(readonly epoch: number) {
    super(`training was cancelled during epoch ${epoch}`);
  }
}

/** Parameters and optimiser slots between chunks. */
export interface State {
  params: Float32Array[];
  slots: Float32Array[][];
}

/** Trains `model` on `x` (rows in data units) and returns the history of this call. @throws ConfigError, ShapeError, DataError, TrainingDivergedError, TrainingCancelledError */
export async function fit(
  model: AutoencoderModel,
  x: Matrix32,
  opts: FitOptions = {},
): Promise<EpochRecord[]> {
  const epochs = checkInt('epochs', opts.epochs ?? 10, 1);
  const batchSize = checkInt('batchSize', opts.batchSize ?? 32, 1);
  const loss = parseLoss(opts.loss ?? 'mse');
  const optimizer = opts.optimizer ?? adam();
  checkMatrix('training data', x, { cols: model.inputDim, minRows: 1 });
  checkFinite('training data', x);
  if (opts.testData) {
    checkMatrix('test data', opts.testData, { cols: model.inputDim, minRows: 1 });
    checkFinite('test data', opts.testData);
  }
  if (batchSize > x.rows)
    throw new ConfigError(`batchSize ${batchSize} exceeds the ${x.rows} training rows`);
  const seed = opts.seed ?? model.seed;
  const threads = opts.threads;
  const data = applyScaling(model.scaling, x);
  const test = opts.testData ? applyScaling(model.scaling, opts.testData) : undefined;
  const fullSteps = Math.floor(x.rows / batchSize);
  const rest = x.rows - fullSteps * batchSize;
  const stepsPerCall = opts.stepsPerCall ?? Math.max(1, Math.round(8192 / batchSize));
  model.training = {
    epochs: (model.training?.epochs ?? 0) + epochs,
    batchSize,
    loss,
    optimizer: optimizer.config,
    seed,
    threads,
    trainSize: x.rows,
    testSize: opts.testData?.rows,
    data: opts.dataName,
    outputBias: model.training?.outputBias ?? model.outputBiasInit,
  };

  const main = buildTrainGraph(model.spec, optimizer, loss, batchSize);
  const sessions: Session[] = [];
  const open = async (bytes: Uint8Array): Promise<Session> => {
    const s = await Session.create(bytes, {
      threads,
      ...(opts.spin === false ? { spin: false } : {}),
    });
    sessions.push(s);
    return s;
  };
  try {
    const mainSession = await open(main.bytes);
    const tail = rest > 0 ? buildTrainGraph(model.spec, optimizer, loss, rest) : undefined;
    const tailSession = tail ? await open(tail.bytes) : undefined;
    const evalSession = await open(evalModel(model.spec));
    const dataTensor = new RtTensor(data.data, [data.rows, data.cols]);
    const rng = new Rng(seed);
    let state: State = {
      params: model.params.map((p) => p.slice()),
      slots: main.slotNames.map((names, i) =>
        names.map(() => new Float32Array(model.params[i].length)),
      ),
    };
    let step = 0;
    const records: EpochRecord[] = [];
    for (let e = 1; e <= epochs; e++) {
      const epoch = model.history.length + 1;
      const t0 = performance.now();
      const perm = rng.permutation(x.rows);
      let lossSum = 0;
      let seen = 0;
      const batches = fullSteps + (rest > 0 ? 1 : 0);
      const runChunk = async (
        g: TrainGraph,
        s: Session,
        first: number,
        count: number,
        size: number,
      ): Promise<void> => {
        if (opts.signal?.aborted) {
          model.setParams(state.params);
          throw new TrainingCancelledError(epoch);
        }
        const { next, losses } = await runSteps(
          g,
          s,
          dataTensor,
          perm,
          first * batchSize,
          count,
          size,
          step,
          state,
          optimizer,
        );
        const bad = losses.findIndex((v) => !Number.isFinite(v));
        if (bad >= 0 || losses.length < count) {
          const good = bad >= 0 ? bad : losses.length;
          // Replay the good steps from the chunk's input weights: same batches, same scalars.
          if (good > 0)
            state = (
              await runSteps(
                g,
                s,
                dataTensor,
                perm,
                first * batchSize,
                good,
                size,
                step,
                state,
                optimizer,
              )
            ).next;
          model.setParams(state.params);
          throw new TrainingDivergedError(
            `training diverged: the loss became ${losses[good]} at epoch ${epoch}, batch ${first + good + 1}; the model keeps the weights of the last good step (try a lower learning rate)`,
            epoch,
            first + good + 1,
          );
        }
        for (const v of losses) lossSum += v * size;
        seen += count * size;
        state = next;
        step += count;
        opts.onProgress?.({
          epoch: e,
          epochs,
          batch: first + count,
          batches,
          loss: lossSum / seen,
        });
      };
      for (let b = 0; b < fullSteps; b += stepsPerCall) {
        await runChunk(main, mainSession, b, Math.min(stepsPerCall, fullSteps - b), batchSize);
      }
      if (tail && tailSession) await runChunk(tail, tailSession, fullSteps, 1, rest);
      const seconds = (performance.now() - t0) / 1000;
      model.setParams(state.params);
      const t1 = performance.now();
      const trainMse = await evaluateMse(evalSession, main, state.params, data);
      const testMse = test ? await evaluateMse(evalSession, main, state.params, test) : undefined;
      const record: EpochRecord = {
        epoch,
        trainLoss: lossSum / seen,
        trainMse,
        ...(testMse !== undefined ? { testMse } : {}),
        seconds,
        evalSeconds: (performance.now() - t1) / 1000,
      };
      model.history.push(record);
      records.push(record);
      await opts.onEpochEnd?.(record, model);
    }
    return records;
  } finally {
    for (const s of sessions) await s.dispose();
  }
}

/** Runs `count` steps starting at row offset `offset` of `perm`; returns the new state and the losses. */
export async function runSteps(
  g: TrainGraph,
  s: Session,
  data: RtTensor,
  perm: Uint32Array,
  offset: number,
  count: number,
  size: number,
  stepBefore: number,
  state: State,
  optimizer: Optimizer,
): Promise<{ next: State; losses: Float32Array }> {
  const idx = new BigInt64Array(count * size);
  for (let i = 0; i < idx.length; i++) idx[i] = BigInt(perm[offset + i]);
  const feeds: Record<string, RtTensor> = { data, batches: new RtTensor(idx, [count, size]) };
  for (const name of g.scalars) {
    const v = new Float32Array(count);
    for (let i = 0; i < count; i++) v[i] = optimizer.scalarValues(stepBefore + i + 1)[name];
    feeds[name] = new RtTensor(v, [count]);
  }
  g.params.forEach((p, i) => {
    feeds[p.name] = new RtTensor(state.params[i], p.shape);
    g.slotNames[i].forEach((n, k) => (feeds[n] = new RtTensor(state.slots[i][k], p.shape)));
  });
  const res = await s.run(feeds);
  return {
    next: {
      params: g.params.map((p) => res[nextName(p.name)].data as Float32Array),
      slots: g.params.map((_, i) =>
        g.slotNames[i].map((n) => res[nextName(n)].data as Float32Array),
      ),
    },
    losses: res.losses.data as Float32Array,
  };
}

const EVAL_ROWS = 10000;

/** Mean squared reconstruction error per element over the rows of `data` (scaled). */
async function evaluateMse(
  s: Session,
  g: TrainGraph,
  params: Float32Array[],
  data: Matrix32,
): Promise<number> {
  const feeds: Record<string, RtTensor> = {};
  g.params.forEach((p, i) => (feeds[p.name] = new RtTensor(params[i], p.shape)));
  let sse = 0;
  for (let r0 = 0; r0 < data.rows; r0 += EVAL_ROWS) {
    const r1 = Math.min(data.rows, r0 + EVAL_ROWS);
    feeds.data = new RtTensor(data.data.subarray(r0 * data.cols, r1 * data.cols), [
      r1 - r0,
      data.cols,
    ]);
    sse += (await s.run(feeds)).sse.data[0] as number;
  }
  return sse / (data.rows * data.cols);
}
