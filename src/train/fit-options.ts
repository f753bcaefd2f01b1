/**
 * The options of `fit` (trainer.ts), its callbacks, and how they resolve into the settings of a
 * run: from the options of a new run, or from the checkpoint of a resumed one (whose settings are
 * fixed: a changed batch size, optimiser or schedule could not give the uninterrupted result).
 */
import { ConfigError } from '../errors.js';
import { parseLoss, type LossName } from '../nn/loss.js';
import { isVariational } from '../nn/autoencoder-spec.js';
import { formatNoise, parseNoise } from '../nn/noise.js';
import { checkSparsity } from '../nn/sparsity.js';
import { adam } from '../optim/adam.js';
import type { Optimizer } from '../optim/optimizer.js';
import { checkInt, checkNumber } from '../util/check.js';
import type { Matrix32 } from '../util/matrix.js';
import type { CheckpointState, Fingerprint, RunSettings } from './checkpoint.js';
import { resolveEarlyStopping, type EarlyStoppingOptions } from './early-stopping.js';
import type { AutoencoderModel, EpochRecord } from './model.js';
import { resolveSchedule, type LrScheduleOptions, type Monitor } from './schedule.js';

/** Progress within an epoch, reported after every chunk of batches. */
export interface TrainProgress {
  /** Epoch of this run (1-based; a resumed run continues the count). */
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  /** Running mean loss of the epoch so far. */
  loss: number;
}

/** What a callback receives besides the record or progress. */
export interface CallbackContext {
  /** The model, holding the weights reached (after onEpochEnd: that epoch's). */
  model: AutoencoderModel;
  /** Ends training: after this epoch from onEpochEnd, after these batches from onBatchEnd (the epoch is then evaluated and recorded, as Keras' stop_training). */
  stop(): void;
}

/** Callbacks of `fit`; a returned promise is awaited before training goes on. */
export interface FitCallbacks {
  /** After every epoch, once its record is in model.history. */
  onEpochEnd?: (record: EpochRecord, ctx: CallbackContext) => void | Promise<void>;
  /** After every chunk of batches (one onnxruntime call, `stepsPerCall` batches). */
  onBatchEnd?: (progress: TrainProgress, ctx: CallbackContext) => void | Promise<void>;
}

/** Options of `fit`. */
export interface FitOptions {
  /** Epoch limit (default 10); with `resumeFrom`, the limit of the whole run (default: the saved one; may be raised). */
  epochs?: number;
  /** Samples per step (default 32, as Keras). */
  batchSize?: number;
  /** Default Adam with Keras' defaults. */
  optimizer?: Optimizer;
  /** 'mse' (default) or 'bce'. */
  loss?: LossName;
  /** Seeds the shuffling and the validation split (default: the model's seed). */
  seed?: number;
  /** Intra-op threads (default all cores; with `resumeFrom`, the saved count). */
  threads?: number;
  /** Idle onnxruntime threads spin-wait for work (default true; false on a shared machine, see runtime/session.ts). */
  spin?: boolean;
  /** Test data in data units; its MSE is reported every epoch. */
  testData?: Matrix32;
  /** Holds out this fraction of the training rows (seeded, validation.ts) as validation data. */
  validationSplit?: number;
  /** Validation data in data units (instead of validationSplit). */
  validationData?: Matrix32;
  /** Stop when the monitored loss stops improving; the model ends with the best epoch's weights. `true`: the defaults. */
  earlyStopping?: EarlyStoppingOptions | boolean;
  /** Learning-rate schedule (default constant). */
  lrSchedule?: LrScheduleOptions;
  /** A model folder saved after every epoch, with the checkpoint that `resumeFrom` reads. */
  checkpointDir?: string;
  /** More files (name -> content) saved into checkpointDir with every checkpoint (e.g. the CLI's command). */
  checkpointFiles?: Record<string, string | Uint8Array>;
  /** Continue the run checkpointed in this model folder, with its saved settings; leave out batchSize, optimizer, loss, seed, validationSplit, earlyStopping and lrSchedule. Give the same training (and validation) data. */
  resumeFrom?: string;
  callbacks?: FitCallbacks;
  /** Stops training between chunks; fit then rejects with TrainingCancelledError. */
  signal?: AbortSignal;
  onProgress?: (p: TrainProgress) => void;
  /** Called as callbacks.onEpochEnd (kept for existing callers). */
  onEpochEnd?: (record: EpochRecord, model: AutoencoderModel) => void | Promise<void>;
  /** Batches per onnxruntime call (default: about 8192 samples' worth). */
  stepsPerCall?: number;
  /** Label recorded in the model's training config (e.g. 'mnist'). */
  dataName?: string;
  /**
   * Denoising: each batch's input is corrupted as nn/noise.ts parses this ('gaussian:0.2',
   * 'masking:0.3', 'salt-pepper:0.1', chained with commas), clipped to the scaled training data's
   * range, drawn per step from the seed (run-steps.ts stepRng); the target stays clean.
   */
  noise?: string;
  /** A VAE's KL weight β (default 1); for a variational model only (nn/autoencoder-spec.ts). */
  beta?: number;
  /** L1 penalty λ on the code, summed over units and averaged over the batch (Keras' activity_regularizer l1). */
  activityL1?: number;
  /** Ng's KL sparsity: the target mean activation ρ of each code unit, in (0, 1); needs a sigmoid code. */
  sparsity?: number;
  /** The KL sparsity weight β (default 1). */
  sparsityWeight?: number;
}

const RESUME_FIXED = [
  'batchSize',
  'optimizer',
  'loss',
  'seed',
  'validationSplit',
  'earlyStopping',
  'lrSchedule',
  'noise',
  'beta',
  'activityL1',
  'sparsity',
  'sparsityWeight',
] as const;

/** The run's settings from `opts`, or from the checkpoint when resuming. @throws ConfigError */
export function runSettings(
  opts: FitOptions,
  saved: CheckpointState | undefined,
  model: AutoencoderModel,
): RunSettings {
  if (saved) {
    for (const k of RESUME_FIXED) {
      if (opts[k] !== undefined)
        throw new ConfigError(
          `resumeFrom continues with the checkpoint's settings; leave out ${k} (it was ${JSON.stringify(k === 'optimizer' ? saved.settings.optimizer : saved.settings[k === 'validationSplit' ? 'validation' : k])})`,
        );
    }
    const epochs = checkInt('epochs', opts.epochs ?? saved.settings.epochs, 1);
    return { ...saved.settings, epochs, threads: opts.threads ?? saved.settings.threads };
  }
  const epochs = checkInt('epochs', opts.epochs ?? 10, 1);
  const batchSize = checkInt('batchSize', opts.batchSize ?? 32, 1);
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
  const noise = opts.noise !== undefined ? parseNoise(opts.noise, 'noise') : [];
  const variational = isVariational(model.spec);
  if (opts.beta !== undefined && !variational)
    throw new ConfigError(
      `beta weights a variational autoencoder's KL term, but this model is not variational; create it with variational: true, or leave out beta`,
    );
  const beta = variational ? checkNumber('beta', opts.beta ?? 1, 0) : undefined;
  const sparse = checkSparsity(opts);
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
    ...(noise.length > 0 ? { noise: formatNoise(noise) } : {}),
    ...(beta !== undefined ? { beta } : {}),
    ...sparse,
  };
}

/** Whether two fingerprints name the same data. */
export function sameFingerprint(a: Fingerprint | undefined, b: Fingerprint | undefined): boolean {
  return a?.rows === b?.rows && a?.cols === b?.cols && a?.sha256 === b?.sha256;
}
