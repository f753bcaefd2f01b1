// afterEpoch over a hand-made sequence of epoch records: early stopping (patience 2, Keras'
// EarlyStopping rule) takes precedence over a callback's stop and the epoch limit, the plateau
// schedule (factor 0.5, patience 1, ReduceLROnPlateau's rule) reads val_loss, and recordEpochsRun
// writes the epochs run, the best epoch and the stop reason. Exact values: no arithmetic beyond
// the factor 0.5.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { afterEpoch, recordEpochsRun, type EpochEndState } from './epoch-end.js';
import { initialEarlyStoppingState } from './early-stopping.js';
import { AutoencoderModel, type EpochRecord } from './model.js';
import { initialScheduleState, type LrSchedule } from './schedule.js';
import { stackSpec } from '../nn/autoencoder-spec.js';
import { adam } from '../optim/adam.js';

const rec = (epoch: number, trainLoss: number, valLoss: number): EpochRecord => ({
  epoch,
  trainLoss,
  trainMse: trainLoss,
  valLoss,
  seconds: 0,
  evalSeconds: 0,
});

const plateau: LrSchedule = {
  kind: 'plateau',
  monitor: 'val_loss',
  factor: 0.5,
  patience: 1,
  minDelta: 0,
  cooldown: 0,
  minLr: 0,
};

test('afterEpoch: early stopping on loss, the plateau schedule on val_loss, stop reasons in order', () => {
  const settings = {
    lrSchedule: plateau,
    earlyStopping: { monitor: 'loss' as const, patience: 2, minDelta: 0 },
  };
  let state: EpochEndState = {
    sched: initialScheduleState(0.1),
    early: initialEarlyStoppingState(),
  };
  const how = { stopRequested: false, lastEpoch: false };
  const seen: { improved: boolean; ended: string | undefined; lr: number }[] = [];
  for (const r of [rec(1, 1, 1), rec(2, 0.5, 1), rec(3, 0.6, 1), rec(4, 0.7, 2)]) {
    const out = afterEpoch(settings, state, r, how);
    state = out.state;
    seen.push({ improved: out.improved, ended: out.ended, lr: state.sched.lr });
  }
  assert.deepEqual(seen, [
    { improved: true, ended: undefined, lr: 0.1 },
    { improved: true, ended: undefined, lr: 0.05 },
    { improved: false, ended: undefined, lr: 0.025 },
    { improved: false, ended: 'early-stopped', lr: 0.0125 },
  ]);
  assert.equal(state.early?.bestEpoch, 2);
  // Early stopping wins over a callback's stop; a callback's stop over the epoch limit.
  const fresh = (): EpochEndState => ({ sched: initialScheduleState(0.1), early: undefined });
  const none = { lrSchedule: { kind: 'constant' } as LrSchedule };
  assert.equal(
    afterEpoch(none, fresh(), rec(1, 1, 1), { stopRequested: true, lastEpoch: true }).ended,
    'callback',
  );
  assert.equal(
    afterEpoch(none, fresh(), rec(1, 1, 1), { stopRequested: false, lastEpoch: true }).ended,
    'completed',
  );
});

test('recordEpochsRun: epochs run since the start, best epoch and reason only once ended', () => {
  const model = AutoencoderModel.create(stackSpec(3, [1]), { seed: 0 });
  model.training = {
    epochs: 10,
    batchSize: 2,
    loss: 'mse',
    optimizer: adam().config,
    seed: 0,
    trainSize: 4,
  };
  model.history = [rec(1, 1, 1), rec(2, 1, 1), rec(3, 1, 1)];
  const early = { ...initialEarlyStoppingState(), bestEpoch: 2 };
  recordEpochsRun(model, 1, undefined, early);
  assert.equal(model.training?.epochsRun, 2);
  assert.equal(model.training?.stopReason, undefined);
  assert.equal(model.training?.bestEpoch, undefined);
  recordEpochsRun(model, 1, 'early-stopped', early);
  assert.equal(model.training?.stopReason, 'early-stopped');
  assert.equal(model.training?.bestEpoch, 2);
});
