/**
 * What happens after every epoch of `fit` and `fitStream` alike: the plateau schedule and early
 * stopping see the monitored value (Keras' ReduceLROnPlateau and EarlyStopping), the run learns
 * whether it ended and why, and `model.training` records the epochs run, the best epoch and the
 * stop reason. Pure bookkeeping over the states of schedule.ts and early-stopping.ts; the trainers
 * keep their own weights, folders and callbacks.
 */
import {
  earlyStoppingAfterEpoch,
  type EarlyStopping,
  type EarlyStoppingState,
} from './early-stopping.js';
import type { AutoencoderModel, EpochRecord, StopReason } from './model.js';
import {
  scheduleAfterEpoch,
  type LrSchedule,
  type Monitor,
  type ScheduleState,
} from './schedule.js';

/** The schedule's and early stopping's counters, carried from epoch to epoch (and in checkpoints). */
export interface EpochEndState {
  sched: ScheduleState;
  early: EarlyStoppingState | undefined;
}

/** What an epoch's end decided. */
export interface EpochEndOutcome {
  state: EpochEndState;
  /** Early stopping saw a new best value: the trainer keeps this epoch's weights. */
  improved: boolean;
  /** Why training ends after this epoch, or undefined when it goes on. */
  ended: StopReason | undefined;
}

/**
 * Feeds `record` to the plateau schedule and early stopping and says whether the run ends:
 * early stopping first, then a stop a callback asked for, then the epoch limit (`lastEpoch`).
 * The monitor 'val_loss' reads `record.valLoss`, which the settings' checks guarantee is set.
 */
export function afterEpoch(
  settings: { lrSchedule: LrSchedule; earlyStopping?: EarlyStopping },
  state: EpochEndState,
  record: EpochRecord,
  how: { stopRequested: boolean; lastEpoch: boolean },
): EpochEndOutcome {
  const value = (m: Monitor): number => (m === 'val_loss' ? record.valLoss! : record.trainLoss);
  const s = settings.lrSchedule;
  const sched =
    s.kind === 'plateau' ? scheduleAfterEpoch(s, state.sched, value(s.monitor)) : state.sched;
  const es = settings.earlyStopping;
  let early = state.early;
  let improved = false;
  let esStop = false;
  if (es && early) {
    const r = earlyStoppingAfterEpoch(es, early, value(es.monitor), record.epoch);
    early = r.state;
    improved = r.improved;
    esStop = r.stop;
  }
  const ended: StopReason | undefined = esStop
    ? 'early-stopped'
    : how.stopRequested
      ? 'callback'
      : how.lastEpoch
        ? 'completed'
        : undefined;
  return { state: { sched, early }, improved, ended };
}

/**
 * Records in `model.training` the epochs this call ran (history beyond `startEpoch`) and, when
 * the run ended, why and (with early stopping) its best epoch.
 */
export function recordEpochsRun(
  model: AutoencoderModel,
  startEpoch: number,
  ended: StopReason | undefined,
  early: EarlyStoppingState | undefined,
): void {
  model.training = {
    ...model.training!,
    epochsRun: model.history.length - startEpoch,
    ...(ended !== undefined && early ? { bestEpoch: early.bestEpoch } : {}),
    ...(ended !== undefined ? { stopReason: ended } : {}),
  };
}
