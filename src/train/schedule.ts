/**
 * Learning-rate schedules, applied once per epoch (the rate is an input of the training graph,
 * so a change never rebuilds it):
 *
 * - constant: the optimiser's rate.
 * - plateau: Keras' ReduceLROnPlateau (tf.keras.callbacks, TF 2.15): after `patience` epochs
 *   in which the monitored value did not fall below best - minDelta, rate = max(rate * factor,
 *   minLr), then `cooldown` epochs without counting.
 * - cosine: PyTorch's CosineAnnealingLR closed form (torch 2.3) over `tMax` epochs (default:
 *   the run's epoch limit): rate(e) = minLr + (base - minLr) * (1 + cos(pi * (e-1) / tMax)) / 2
 *   for epochs e = 1, 2, ...; after tMax it stays at minLr (PyTorch's restarts upward instead).
 * - step: PyTorch's StepLR: rate(e) = base * gamma^floor((e-1) / stepSize).
 *
 * Every counter lives in a JSON-safe `ScheduleState`, so a checkpoint resumes it exactly.
 */
import { ConfigError } from '../errors.js';
import { checkInt, checkNumber } from '../util/check.js';

/** What the plateau schedule and early stopping watch: the training loss or the validation loss. */
export type Monitor = 'loss' | 'val_loss';
/** Schedule kinds. */
export const LR_SCHEDULES = ['constant', 'plateau', 'cosine', 'step'] as const;

/** A learning-rate schedule as the user gives it (defaults below). */
export type LrScheduleOptions =
  | { kind: 'constant' }
  | {
      kind: 'plateau';
      /** Default: 'val_loss' with validation data, else 'loss'. */
      monitor?: Monitor;
      /** Multiplier of the rate (default 0.1, Keras). */
      factor?: number;
      /** Epochs without improvement before a reduction (default 10, Keras). */
      patience?: number;
      /** Least decrease counted as improvement (default 1e-4, Keras). */
      minDelta?: number;
      /** Epochs after a reduction in which nothing is counted (default 0). */
      cooldown?: number;
      /** Floor of the rate (default 0). */
      minLr?: number;
    }
  | {
      kind: 'cosine';
      /** Default 0. */
      minLr?: number;
      /** Half period in epochs (default: the run's epoch limit). */
      tMax?: number;
    }
  | {
      kind: 'step';
      /** Epochs between reductions. */
      stepSize: number;
      /** Multiplier per reduction (default 0.1, PyTorch). */
      gamma?: number;
    };

/** A schedule with every default filled in (recorded in model.json and checkpoints). */
export type LrSchedule =
  | { kind: 'constant' }
  | {
      kind: 'plateau';
      monitor: Monitor;
      factor: number;
      patience: number;
      minDelta: number;
      cooldown: number;
      minLr: number;
    }
  | { kind: 'cosine'; minLr: number; tMax: number }
  | { kind: 'step'; stepSize: number; gamma: number };

/** The schedule's counters between epochs. */
export interface ScheduleState {
  /** The rate of the next epoch. */
  lr: number;
  /** Best monitored value so far (plateau), null before the first epoch. */
  best: number | null;
  wait: number;
  cooldown: number;
}

/** Checks the options and fills in defaults. @throws ConfigError */
export function resolveSchedule(
  o: LrScheduleOptions | undefined,
  ctx: { epochs: number; defaultMonitor: Monitor; hasValidation: boolean },
): LrSchedule {
  if (o === undefined || o.kind === 'constant') return { kind: 'constant' };
  switch (o.kind) {
    case 'plateau': {
      const monitor = o.monitor ?? ctx.defaultMonitor;
      if (monitor === 'val_loss' && !ctx.hasValidation)
        throw new ConfigError(
          "lrSchedule.monitor 'val_loss' needs validation data: give validationSplit or validationData, or monitor 'loss'",
        );
      if (monitor !== 'loss' && monitor !== 'val_loss')
        throw new ConfigError(
          `lrSchedule.monitor must be loss or val_loss, got ${JSON.stringify(monitor)}`,
        );
      return {
        kind: 'plateau',
        monitor,
        factor: checkNumber('lrSchedule.factor', o.factor ?? 0.1, 0, 1, { exclusiveMin: true }),
        patience: checkInt('lrSchedule.patience', o.patience ?? 10, 0),
        minDelta: checkNumber('lrSchedule.minDelta', o.minDelta ?? 1e-4, 0),
        cooldown: checkInt('lrSchedule.cooldown', o.cooldown ?? 0, 0),
        minLr: checkNumber('lrSchedule.minLr', o.minLr ?? 0, 0),
      };
    }
    case 'cosine':
      return {
        kind: 'cosine',
        minLr: checkNumber('lrSchedule.minLr', o.minLr ?? 0, 0),
        tMax: checkInt('lrSchedule.tMax', o.tMax ?? ctx.epochs, 1),
      };
    case 'step':
      return {
        kind: 'step',
        stepSize: checkInt('lrSchedule.stepSize', o.stepSize, 1),
        gamma: checkNumber('lrSchedule.gamma', o.gamma ?? 0.1, 0, 1, { exclusiveMin: true }),
      };
    default:
      throw new ConfigError(
        `lrSchedule.kind must be one of ${LR_SCHEDULES.join(', ')}, got ${JSON.stringify((o as { kind: unknown }).kind)}`,
      );
  }
}

/** The state before the first epoch. */
export function initialScheduleState(base: number): ScheduleState {
  return { lr: base, best: null, wait: 0, cooldown: 0 };
}

/** The rate of run epoch `e` (1-based). */
export function epochLr(s: LrSchedule, base: number, e: number, state: ScheduleState): number {
  switch (s.kind) {
    case 'constant':
      return base;
    case 'plateau':
      return state.lr;
    case 'cosine':
      return e > s.tMax
        ? s.minLr
        : s.minLr + ((base - s.minLr) * (1 + Math.cos((Math.PI * (e - 1)) / s.tMax))) / 2;
    case 'step':
      return base * s.gamma ** Math.floor((e - 1) / s.stepSize);
  }
}

/** Updates the plateau counters with the epoch's monitored value (Keras' on_epoch_end). */
export function scheduleAfterEpoch(
  s: LrSchedule,
  state: ScheduleState,
  value: number,
): ScheduleState {
  if (s.kind !== 'plateau') return state;
  let { lr, best, wait, cooldown } = state;
  if (cooldown > 0) {
    cooldown -= 1;
    wait = 0;
  }
  if (best === null || value < best - s.minDelta) {
    best = value;
    wait = 0;
  } else if (cooldown === 0) {
    wait += 1;
    if (wait >= s.patience && lr > s.minLr) {
      lr = Math.max(lr * s.factor, s.minLr);
      cooldown = s.cooldown;
      wait = 0;
    }
  }
  return { lr, best, wait, cooldown };
}
