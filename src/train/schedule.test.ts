import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../errors.js';
import { assertClose } from '../../test/helpers/close.js';
import {
  epochLr,
  initialScheduleState,
  resolveSchedule,
  scheduleAfterEpoch,
  type LrSchedule,
} from './schedule.js';

const ctx = { epochs: 10, defaultMonitor: 'loss' as const, hasValidation: false };

test('cosine follows CosineAnnealingLR closed form and stays at minLr after tMax (rtol 1e-15)', () => {
  const s = resolveSchedule({ kind: 'cosine', minLr: 0.001 }, ctx);
  const st = initialScheduleState(0.1);
  const got = Array.from({ length: 12 }, (_, i) => epochLr(s, 0.1, i + 1, st));
  // torch.optim.lr_scheduler.CosineAnnealingLR(T_max=10, eta_min=0.001): epoch e uses step e-1.
  const want = got.map((_, i) =>
    i >= 10 ? 0.001 : 0.001 + ((0.1 - 0.001) * (1 + Math.cos((Math.PI * i) / 10))) / 2,
  );
  assertClose(got, want, { rtol: 1e-15, what: 'cosine' });
  assert.equal(got[0], 0.1);
});

test('step multiplies by gamma every stepSize epochs (StepLR)', () => {
  const s = resolveSchedule({ kind: 'step', stepSize: 3, gamma: 0.5 }, ctx);
  const st = initialScheduleState(1);
  assert.deepEqual(
    Array.from({ length: 7 }, (_, i) => epochLr(s, 1, i + 1, st)),
    [1, 1, 1, 0.5, 0.5, 0.5, 0.25],
  );
});

test('plateau reduces after patience epochs without a minDelta improvement, with cooldown (Keras ReduceLROnPlateau rules)', () => {
  const s = resolveSchedule(
    { kind: 'plateau', factor: 0.5, patience: 2, minDelta: 0.01, cooldown: 1, minLr: 0.2 },
    ctx,
  ) as LrSchedule & { kind: 'plateau' };
  let st = initialScheduleState(1);
  const lrs: number[] = [];
  // Worked by hand with Keras' on_epoch_end: best 1.0; 0.995 and 0.999 are not below best-0.01
  // -> wait 2 -> lr 0.5, cooldown 1. The next epoch ends the cooldown (counter 1 -> 0, wait
  // reset) and, as in Keras, is counted in the same call (wait 1); one more -> 0.25; then
  // max(0.125, minLr) = 0.2; at the floor nothing changes.
  for (const v of [
    1.0, 0.995, 0.999, 0.998, 0.997, 0.996, 0.9955, 0.9954, 0.9953, 0.9952, 0.9951,
  ]) {
    st = scheduleAfterEpoch(s, st, v);
    lrs.push(st.lr);
  }
  assert.deepEqual(lrs, [1, 1, 0.5, 0.5, 0.25, 0.25, 0.2, 0.2, 0.2, 0.2, 0.2]);
  // A real improvement resets the counter.
  st = scheduleAfterEpoch(s, { lr: 1, best: 1, wait: 1, cooldown: 0 }, 0.5);
  assert.deepEqual(st, { lr: 1, best: 0.5, wait: 0, cooldown: 0 });
});

test('schedule misuse names the setting', () => {
  assert.throws(
    () => resolveSchedule({ kind: 'plateau', monitor: 'val_loss' }, ctx),
    (e: unknown) =>
      e instanceof ConfigError && /monitor 'val_loss' needs validation data/.test(e.message),
  );
  assert.throws(
    () => resolveSchedule({ kind: 'step', stepSize: 0 }, ctx),
    /lrSchedule.stepSize must be an integer >= 1, got 0/,
  );
  assert.throws(
    () => resolveSchedule({ kind: 'plateau', factor: 1.5 }, ctx),
    /lrSchedule.factor must be a finite number > 0 and <= 1, got 1.5/,
  );
  assert.throws(
    () => resolveSchedule({ kind: 'exp' } as unknown as { kind: 'constant' }, ctx),
    /lrSchedule.kind must be one of constant, plateau, cosine, step, got "exp"/,
  );
});
