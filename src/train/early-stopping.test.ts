import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../errors.js';
import {
  earlyStoppingAfterEpoch,
  initialEarlyStoppingState,
  resolveEarlyStopping,
} from './early-stopping.js';

const ctx = { defaultMonitor: 'loss' as const, hasValidation: false };

test('stops after patience epochs without a minDelta decrease; the best epoch is the lowest value', () => {
  const es = resolveEarlyStopping({ patience: 3, minDelta: 0.05 }, ctx);
  let s = initialEarlyStoppingState();
  const stops: boolean[] = [];
  // 0.97 and 0.96 are below the best (1.0) but not by minDelta: they become the best epoch
  // without resetting the patience counter (Keras would count them as no improvement at all).
  for (const [i, v] of [1.0, 0.97, 0.96, 0.99].entries()) {
    const r = earlyStoppingAfterEpoch(es, s, v, i + 1);
    s = r.state;
    stops.push(r.stop);
  }
  assert.deepEqual(stops, [false, false, false, true]);
  assert.equal(s.bestEpoch, 3);
  assert.equal(s.best, 0.96);
});

test('a decrease larger than minDelta resets the counter', () => {
  const es = resolveEarlyStopping({ patience: 2 }, ctx);
  let s = initialEarlyStoppingState();
  for (const [i, v] of [1, 1, 0.5, 0.6].entries())
    s = earlyStoppingAfterEpoch(es, s, v, i + 1).state;
  assert.equal(s.wait, 1);
  assert.equal(s.bestEpoch, 3);
});

test('early-stopping misuse names the setting', () => {
  assert.throws(
    () => resolveEarlyStopping({ monitor: 'val_loss' }, ctx),
    (e: unknown) =>
      e instanceof ConfigError && /monitor 'val_loss' needs validation data/.test(e.message),
  );
  assert.throws(
    () => resolveEarlyStopping({ patience: 0 }, ctx),
    /earlyStopping.patience must be an integer >= 1, got 0/,
  );
  assert.throws(
    () => resolveEarlyStopping({ monitor: 'acc' as 'loss' }, ctx),
    /earlyStopping.monitor must be loss or val_loss, got "acc"/,
  );
});
