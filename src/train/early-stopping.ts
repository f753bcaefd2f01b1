/**
 * Early stopping after Keras' EarlyStopping (tf.keras.callbacks, TF 2.15): training stops once
 * `patience` epochs in a row have not lowered the monitored value below best - minDelta.
 *
 * Differences from Keras, on purpose: the model always ends with the weights of the best epoch
 * (Keras restores them only with restore_best_weights=True, and then only when it stops early,
 * not when the epoch limit comes first), and the best epoch is the one with the lowest monitored
 * value (any decrease, as scikit-learn's MLP keeps its best coefficients), while only decreases
 * larger than minDelta reset the patience counter.
 */
import { ConfigError } from '../errors.js';
import { checkInt, checkNumber } from '../util/check.js';
import type { Monitor } from './schedule.js';

/** Early-stopping settings (FitOptions.earlyStopping). */
export interface EarlyStoppingOptions {
  /** Default: 'val_loss' with validation data, else 'loss'. */
  monitor?: Monitor;
  /** Epochs without improvement before stopping (default 10). */
  patience?: number;
  /** Least decrease that counts as improvement (default 0, Keras). */
  minDelta?: number;
}

/** Settings with defaults filled in (recorded in model.json and checkpoints). */
export interface EarlyStopping {
  monitor: Monitor;
  patience: number;
  minDelta: number;
}

/** Counters between epochs. */
export interface EarlyStoppingState {
  /** Lowest monitored value so far, null before the first epoch. */
  best: number | null;
  /** The value the patience counter measures improvement against. */
  reference: number | null;
  /** History epoch number (model.history's `epoch`) of `best`. */
  bestEpoch: number;
  wait: number;
}

/** Checks the options and fills in defaults. @throws ConfigError */
export function resolveEarlyStopping(
  o: EarlyStoppingOptions,
  ctx: { defaultMonitor: Monitor; hasValidation: boolean },
): EarlyStopping {
  const monitor = o.monitor ?? ctx.defaultMonitor;
  if (monitor !== 'loss' && monitor !== 'val_loss')
    throw new ConfigError(
      `earlyStopping.monitor must be loss or val_loss, got ${JSON.stringify(monitor)}`,
    );
  if (monitor === 'val_loss' && !ctx.hasValidation)
    throw new ConfigError(
      "earlyStopping.monitor 'val_loss' needs validation data: give validationSplit or validationData, or monitor 'loss'",
    );
  return {
    monitor,
    patience: checkInt('earlyStopping.patience', o.patience ?? 10, 1),
    minDelta: checkNumber('earlyStopping.minDelta', o.minDelta ?? 0, 0),
  };
}

/** The state before the first epoch. */
export function initialEarlyStoppingState(): EarlyStoppingState {
  return { best: null, reference: null, bestEpoch: 0, wait: 0 };
}

/** One epoch's update: the new state, whether this epoch is the best so far, and whether to stop. */
export function earlyStoppingAfterEpoch(
  es: EarlyStopping,
  s: EarlyStoppingState,
  value: number,
  epoch: number,
): { state: EarlyStoppingState; improved: boolean; stop: boolean } {
  const improved = s.best === null || value < s.best;
  const next: EarlyStoppingState = {
    best: improved ? value : s.best,
    bestEpoch: improved ? epoch : s.bestEpoch,
    reference: s.reference,
    wait: s.wait,
  };
  if (s.reference === null || value < s.reference - es.minDelta) {
    next.reference = value;
    next.wait = 0;
  } else {
    next.wait += 1;
  }
  return { state: next, improved, stop: next.wait >= es.patience };
}
