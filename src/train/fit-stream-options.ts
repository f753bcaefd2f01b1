/**
 * The options of `fitStream` (fit-stream.ts), how they resolve into the settings of a streamed
 * run (from the options, or from the checkpoint of a resumed run, whose settings are fixed), the
 * stream's part of a checkpoint (the position within the epoch), and the fingerprint that ties a
 * checkpoint to its data without hashing the whole stream.
 */
import { createHash } from 'node:crypto';
import { ConfigError } from '../errors.js';
import type { RandomAccessSource, RowSource } from '../data/stream/source.js';
import { parseLoss, type LossName } from '../nn/loss.js';
import { adam } from '../optim/adam.js';
import type { Optimizer } from '../optim/optimizer.js';
import { checkInt, checkNumber } from '../util/check.js';
import type { CheckpointState, Fingerprint, RunSettings } from './checkpoint.js';
import { resolveEarlyStopping, type EarlyStoppingOptions } from './early-stopping.js';
import type { FitCallbacks, TrainProgress } from './fit-options.js';
import type { AutoencoderModel, EpochRecord } from './model.js';
import { resolveSchedule, type LrScheduleOptions, type Monitor } from './schedule.js';

/** Progress within a streamed epoch, after every call of the training graph. */
export interface StreamProgress extends TrainProgress {
  /** Rows of the epoch done. */
  position: number;
  /** Training rows per epoch. */
  rows: number;
}

/** Options of `fitStream`: those of `fit` where they apply, with sources in place of matrices. */
export interface FitStreamOptions {
  /** Epoch limit (default 1); with `resumeFrom`, the limit of the whole run (default: the saved one). */
  epochs?: number;
  /** Rows per step (default 256). */
  batchSize?: number;
  /** Default Adam with Keras' defaults. */
  optimizer?: Optimizer;
  /** 'mse' (default) or 'bce'. */
  loss?: LossName;
  /** Seeds the epoch order, the validation hold-out and dropout draws (default: the model's seed). */
  seed?: number;
  /** Rows per contiguous read, and the unit of the validation hold-out (default 4,096). */
  blockRows?: number;
  /** Bytes of the two window buffers of `epochBatches` (default 256 MiB). */
  memoryBytes?: number;
  /** Steps per onnxruntime call (default: about 8,192 rows' worth, as `fit`). */
  stepsPerCall?: number;
  /** Intra-op threads (default all cores; with `resumeFrom`, the saved count). */
  threads?: number;
  spin?: boolean;
  /** Test rows in data units, streamed after every epoch for `testMse`. */
  testData?: RowSource;
  /** Validation rows in data units, streamed after every epoch (instead of validationSplit). */
  validationData?: RowSource;
  /** Holds out this fraction of the blocks of `blockRows` rows (seeded; data/stream/row-ranges.ts). */
  validationSplit?: number;
  earlyStopping?: EarlyStoppingOptions | boolean;
  lrSchedule?: LrScheduleOptions;
  /** A model folder saved after every epoch and every `checkpointEvery` within one, with the checkpoint `resumeFrom` reads. */
  checkpointDir?: string;
  /** More files (name -> content) saved into checkpointDir with every checkpoint. */
  checkpointFiles?: Record<string, string | Uint8Array>;
  /** Mid-epoch checkpoints: after this many seconds (default 60) or rows (default: none) since the last one. */
  checkpointEvery?: { seconds?: number; rows?: number };
  /** Continue the streamed run checkpointed in this folder (mid-epoch too), with its settings; give the same source. */
  resumeFrom?: string;
  /** Rows of the training source (its first ones) measured for `trainMse` after every epoch (default 65,536). */
  trainMseRows?: number;
  callbacks?: FitCallbacks;
  /** Stops training between calls; a checkpoint at that position is written first. */
  signal?: AbortSignal;
  onProgress?: (p: StreamProgress) => void;
  onEpochEnd?: (record: EpochRecord, model: AutoencoderModel) => void | Promise<void>;
  /** Label recorded in the model's training config. */
  dataName?: string;
}

/** The settings of a streamed run: those of `fit` and the two that fix the epoch order. */
export interface StreamRunSettings extends RunSettings {
  blockRows: number;
  memoryBytes: number;
}

/** The stream's part of checkpoint.json: where in the epoch the run was. */
export interface StreamCheckpoint {
  /** Rows of epoch `epochsDone + 1` already trained (0 between epochs). */
  position: number;
  /** Running loss sum (weighted by rows) and rows of that partial epoch. */
  lossSum: number;
  seen: number;
  /** Training seconds of that partial epoch. */
  seconds: number;
}

/** checkpoint.json of a streamed run. */
export interface StreamCheckpointState extends CheckpointState {
  settings: StreamRunSettings;
  stream: StreamCheckpoint;
}

/** Whether a checkpoint was written by `fitStream`. */
export function isStreamCheckpoint(s: CheckpointState): s is StreamCheckpointState {
  return typeof (s as Partial<StreamCheckpointState>).stream === 'object';
}

const RESUME_FIXED = [
  'batchSize',
  'optimizer',
  'loss',
  'seed',
  'validationSplit',
  'earlyStopping',
  'lrSchedule',
  'blockRows',
  'memoryBytes',
  'stepsPerCall',
] as const;

/** The run's settings from `opts`, or from the checkpoint when resuming. @throws ConfigError */
export function streamRunSettings(
  opts: FitStreamOptions,
  saved: StreamCheckpointState | undefined,
  model: AutoencoderModel,
): StreamRunSettings {
  if (saved) {
    for (const k of RESUME_FIXED) {
      if (opts[k] !== undefined)
        throw new ConfigError(
          `resumeFrom continues with the checkpoint's settings; leave out ${k}`,
        );
    }
    const epochs = checkInt('epochs', opts.epochs ?? saved.settings.epochs, 1);
    return { ...saved.settings, epochs, threads: opts.threads ?? saved.settings.threads };
  }
  const epochs = checkInt('epochs', opts.epochs ?? 1, 1);
  const batchSize = checkInt('batchSize', opts.batchSize ?? 256, 1);
  if (opts.validationSplit !== undefined && opts.validationData !== undefined)
    throw new ConfigError('give validationSplit or validationData, not both');
  const validation =
    opts.validationSplit !== undefined
      ? {
          kind: 'split' as const,
          fraction: checkNumber('validationSplit', opts.validationSplit, 0, 0.999999, {
            exclusiveMin: true,
          }),
        }
      : opts.validationData !== undefined
        ? { kind: 'data' as const }
        : undefined;
  const hasValidation = validation !== undefined;
  const defaultMonitor: Monitor = hasValidation ? 'val_loss' : 'loss';
  const es = opts.earlyStopping;
  return {
    epochs,
    batchSize,
    loss: parseLoss(opts.loss ?? 'mse'),
    optimizer: (opts.optimizer ?? adam()).config,
    seed: opts.seed ?? model.seed,
    ...(opts.threads !== undefined ? { threads: opts.threads } : {}),
    stepsPerCall: checkInt(
      'stepsPerCall',
      opts.stepsPerCall ?? Math.max(1, Math.round(8192 / batchSize)),
      1,
    ),
    ...(validation ? { validation } : {}),
    ...(es !== undefined && es !== false
      ? {
          earlyStopping: resolveEarlyStopping(es === true ? {} : es, {
            defaultMonitor,
            hasValidation,
          }),
        }
      : {}),
    lrSchedule: resolveSchedule(opts.lrSchedule, { epochs, defaultMonitor, hasValidation }),
    blockRows: checkInt('blockRows', opts.blockRows ?? 4096, 1),
    memoryBytes: checkNumber('memoryBytes', opts.memoryBytes ?? 2 ** 28, 1),
  };
}

/** Runs of rows hashed by `streamFingerprint`, and rows per run. */
const PRINT_RUNS = 16;
const PRINT_ROWS = 64;

/**
 * Identifies a stream without reading all of it: its shape and the sha256 of 16 evenly spaced
 * runs of 64 rows (all rows when fewer). A file of the same shape changed elsewhere is not seen.
 * @throws DataError from the source
 */
export async function streamFingerprint(s: RandomAccessSource): Promise<Fingerprint> {
  const h = createHash('sha256');
  const buf = new Float32Array(PRINT_ROWS * s.cols);
  const runs = Math.min(PRINT_RUNS, Math.ceil(s.rows / PRINT_ROWS));
  for (let k = 0; k < runs; k++) {
    const start = runs === 1 ? 0 : Math.floor((k * Math.max(0, s.rows - PRINT_ROWS)) / (runs - 1));
    const n = Math.min(PRINT_ROWS, s.rows - start);
    const v = await s.readBlock(start, n, buf);
    h.update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
  }
  return { rows: s.rows, cols: s.cols, sha256: h.digest('hex') };
}
