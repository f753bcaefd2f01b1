import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TrainingConfig } from '../../train/model.js';
import { stopText } from './info.js';

const t = (extra: Partial<TrainingConfig>): TrainingConfig =>
  ({
    epochs: 100,
    batchSize: 32,
    loss: 'mse',
    optimizer: { name: 'adam', learningRate: 0.001 },
    seed: 0,
    trainSize: 10,
    ...extra,
  }) as TrainingConfig;

test('stopText says the epochs run of those planned and why the run stopped', () => {
  assert.equal(stopText(t({ stopReason: 'completed' }), 100), '100 epochs run: completed');
  assert.equal(
    stopText(t({ stopReason: 'cancelled' }), 6),
    '6 epochs run of 100 planned: cancelled (Ctrl-C); the folder holds the last finished epoch',
  );
  assert.equal(
    stopText(
      t({
        stopReason: 'early-stopped',
        bestEpoch: 4,
        earlyStopping: { monitor: 'val_loss', patience: 10, minDelta: 0 },
      }),
      14,
    ),
    '14 epochs run of 100 planned: stopped early (val_loss did not improve for 10 epochs); the folder holds the best epoch, 4',
  );
  assert.match(
    stopText(t({ stopReason: 'diverged' }), 3),
    /^3 epochs run of 100 planned: the loss diverged/,
  );
  assert.equal(
    stopText(t({ stopReason: 'callback' }), 1),
    '1 epoch run of 100 planned: stopped by a callback',
  );
  // No stopReason (older model.json): the history length decides; never "100 epochs" for 6.
  assert.equal(
    stopText(t({}), 6),
    '6 epochs run of 100 planned: the run ended early (cancelled or interrupted)',
  );
  assert.equal(stopText(t({}), 100), '100 epochs run');
});
