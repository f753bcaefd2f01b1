/**
 * Training from a row stream: each epoch visits every row of a random-access source once, in the
 * seeded block-and-window order of `data/stream/epoch.ts` (the next window is read while the steps
 * run), with memory set by `memoryBytes` rather than the data size. Each batch is scaled by the
 * model's own scaling (fit it in one pass with `fitScalingStream`) and trained by the trainer's
 * step graph and `runSteps`, one step per call; a last batch of another size gets its own graph.
 * Differs from `fit`: no validation, test data, early stopping, schedules, noise or checkpoints,
 * and the order within an epoch is windowed rather than a full permutation.
 */
import { ConfigError, ShapeError } from '../errors.js';
import { epochBatches } from '../data/stream/epoch.js';
import type { RandomAccessSource } from '../data/stream/source.js';
import { applyScaling } from '../data/scaling.js';
import type { LossName } from '../nn/loss.js';
import { optimizerFromConfig } from '../optim/create.js';
import type { OptimizerConfig } from '../optim/optimizer.js';
import { RtTensor, Session } from '../runtime/session.js';
import { matrix } from '../util/matrix.js';
import type { AutoencoderModel } from './model.js';
import { runSteps, type State } from './run-steps.js';
import { buildTrainGraph, type TrainGraph } from './step-graph.js';

/** Options of `fitStream` (scikit-learn / Keras names). */
export interface FitStreamOptions {
  /** Passes over the data (default 1). */
  epochs?: number;
  /** Rows per step (default 256). */
  batchSize?: number;
  /** Default Adam, learning rate 1e-3, Keras' betas and epsilon. */
  optimizer?: OptimizerConfig;
  /** Default 'mse'. */
  loss?: LossName;
  /** Seeds the epoch order and dropout draws (default 0). */
  seed?: number;
  /** Rows per contiguous read (default 4,096). */
  blockRows?: number;
  /** Bytes for the two window buffers of `epochBatches` (default 1 GiB). */
  memoryBytes?: number;
  /** onnxruntime threads. */
  threads?: number;
  spin?: boolean;
  /** Called after every step: epoch (1-based), rows done in it, running mean loss. */
  onProgress?: (p: { epoch: number; position: number; rows: number; loss: number }) => void;
}

/** What one streamed epoch did. */
export interface StreamEpochRecord {
  epoch: number;
  /** Mean training loss over the epoch's batches, weighted by rows. */
  trainLoss: number;
  steps: number;
  seconds: number;
}

/**
 * Trains `model` on `source` (rows of `model.inputDim` values, in data units) and sets its
 * weights. @throws ShapeError on a source of another width, ConfigError on a batch larger than
 * the data or a bad option, DataError from the source, RuntimeFailure from onnxruntime
 * @example
 * const src = await NpySource.open('big.npy');
 * const model = AutoencoderModel.create(stackSpec(784, [32]), { scaling: await fitScalingStream('minmax', src) });
 * await fitStream(model, src, { epochs: 2, memoryBytes: 2 ** 30 }); // [{ epoch: 1, trainLoss: ..., ... }, ...]
 */
export async function fitStream(
  model: AutoencoderModel,
  source: RandomAccessSource,
  opts: FitStreamOptions = {},
): Promise<StreamEpochRecord[]> {
  const { epochs = 1, batchSize = 256, loss = 'mse', seed = 0 } = opts;
  const blockRows = opts.blockRows ?? 4096;
  const memoryBytes = opts.memoryBytes ?? 2 ** 30;
  if (source.cols !== model.inputDim) {
    throw new ShapeError(
      `fitStream: ${source.name} has ${source.cols} values per row, the model takes ${model.inputDim}`,
    );
  }
  for (const [k, v] of [
    ['epochs', epochs],
    ['batchSize', batchSize],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) {
      throw new ConfigError(`fitStream: ${k} must be a positive integer, got ${v}`);
    }
  }
  if (batchSize > source.rows) {
    throw new ConfigError(
      `fitStream: batchSize ${batchSize} exceeds the ${source.rows} rows of ${source.name}`,
    );
  }
  const optimizer = optimizerFromConfig(
    opts.optimizer ?? {
      name: 'adam',
      learningRate: 1e-3,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-7,
    },
  );
  const graphs = new Map<number, { g: TrainGraph; s: Session }>();
  const graphFor = async (size: number): Promise<{ g: TrainGraph; s: Session }> => {
    let e = graphs.get(size);
    if (e === undefined) {
      const g = buildTrainGraph(model.spec, optimizer, loss, size);
      const s = await Session.create(g.bytes, {
        ...(opts.threads !== undefined ? { threads: opts.threads } : {}),
        ...(opts.spin === false ? { spin: false } : {}),
      });
      e = { g, s };
      graphs.set(size, e);
    }
    return e;
  };
  const first = await graphFor(batchSize);
  let state: State = {
    params: model.params.map((p) => p.slice()),
    slots: first.g.slotNames.map((names, i) =>
      names.map(() => new Float32Array(model.params[i].length)),
    ),
  };
  const identity = Uint32Array.from({ length: batchSize }, (_, i) => i);
  const records: StreamEpochRecord[] = [];
  let step = 0;
  try {
    for (let e = 0; e < epochs; e++) {
      const t0 = performance.now();
      let lossSum = 0;
      let rows = 0;
      let steps = 0;
      for await (const b of epochBatches(source, {
        seed,
        epoch: e,
        batchSize,
        blockRows,
        memoryBytes,
      })) {
        const x = applyScaling(model.scaling, matrix(b.rows, source.cols, b.data));
        const { g, s } = await graphFor(b.rows);
        const { next, losses } = await runSteps(
          g,
          s,
          new RtTensor(x.data, [b.rows, source.cols]),
          identity,
          0,
          1,
          b.rows,
          step,
          state,
          optimizer,
          undefined,
          { seed },
        );
        if (!Number.isFinite(losses[0])) {
          throw new ConfigError(
            `fitStream: the loss became ${losses[0]} at epoch ${e + 1}, step ${steps + 1}; try a lower learning rate`,
          );
        }
        state = next;
        step++;
        steps++;
        lossSum += losses[0] * b.rows;
        rows += b.rows;
        opts.onProgress?.({
          epoch: e + 1,
          position: b.position,
          rows: source.rows,
          loss: lossSum / rows,
        });
      }
      records.push({
        epoch: e + 1,
        trainLoss: lossSum / rows,
        steps,
        seconds: (performance.now() - t0) / 1000,
      });
    }
    model.setParams(state.params);
    return records;
  } finally {
    for (const { s } of graphs.values()) await s.dispose();
  }
}
