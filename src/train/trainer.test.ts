import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stackSpec } from '../nn/autoencoder-spec.js';
import { sgd } from '../optim/sgd.js';
import { ConfigError, TrainingDivergedError } from '../errors.js';
import { matrix, type Matrix32 } from '../util/matrix.js';
import { Rng } from '../util/rng.js';
import { AutoencoderModel } from './model.js';
import { fit } from './trainer.js';
import { TrainingCancelledError } from '../errors.js';

/** Points on a 2-d linear subspace of R^12, in [0, 1]: an AE with a 2-d code can fit them. */
function planeData(n: number, seed: number): Matrix32 {
  const r = new Rng(seed);
  const basis = Array.from({ length: 24 }, () => r.uniform(-0.5, 0.5));
  const x = new Float32Array(n * 12);
  for (let i = 0; i < n; i++) {
    const a = r.uniform(-1, 1);
    const b = r.uniform(-1, 1);
    for (let j = 0; j < 12; j++) x[i * 12 + j] = 0.5 + 0.4 * (a * basis[j] + b * basis[12 + j]);
  }
  return matrix(n, 12, x);
}

const spec = stackSpec(12, [6, 2], { activation: 'tanh', outputActivation: 'linear' });

test('training lowers the loss and records one history entry per epoch (300 rows, batch 32 with a partial batch)', async () => {
  const x = planeData(300, 1);
  const m = AutoencoderModel.create(spec, { seed: 3, threads: 1 });
  const seen: number[] = [];
  const h = await fit(m, x, {
    epochs: 8,
    batchSize: 32,
    testData: planeData(50, 2),
    optimizer: undefined,
    onEpochEnd: (r) => void seen.push(r.epoch),
  });
  assert.deepEqual(seen, [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.equal(m.history.length, 8);
  for (const r of h) {
    for (const k of ['trainLoss', 'trainMse', 'testMse', 'seconds', 'evalSeconds'] as const) {
      assert.ok(Number.isFinite(r[k]), `${k} is finite`);
    }
  }
  // Learning signal: final train MSE under half of the first epoch's.
  assert.ok(h[7].trainMse < 0.5 * h[0].trainMse, `trainMse ${h[0].trainMse} -> ${h[7].trainMse}`);
  // Evaluated MSE equals the MSE of reconstruct() computed here (float32 sums; rtol 1e-4).
  const rec = await m.reconstruct(x);
  let sse = 0;
  for (let i = 0; i < x.data.length; i++) sse += (rec.data[i] - x.data[i]) ** 2;
  assert.ok(Math.abs(sse / x.data.length - h[7].trainMse) <= 1e-4 * h[7].trainMse);
  await m.dispose();
});

test('the same seed gives bit-identical weights; Math.random is never used', async () => {
  const x = planeData(100, 4);
  const saved = Math.random;
  Math.random = () => {
    throw new Error('Math.random used');
  };
  try {
    const runs = [];
    // The second run lets idle threads sleep (spin: false): scheduling only, same numbers.
    for (const spin of [true, false]) {
      const m = AutoencoderModel.create(spec, { seed: 9, threads: 1 });
      await fit(m, x, { epochs: 2, batchSize: 16, spin });
      runs.push(m.params.map((p) => Array.from(p)));
    }
    assert.deepEqual(runs[0], runs[1]);
  } finally {
    Math.random = saved;
  }
});

test('a non-finite loss stops training with TrainingDivergedError and keeps finite weights', async () => {
  const x = planeData(200, 5);
  const m = AutoencoderModel.create(
    stackSpec(12, [4], { activation: 'relu', outputActivation: 'linear' }),
    { seed: 1, threads: 1 },
  );
  await assert.rejects(
    fit(m, x, { epochs: 3, batchSize: 10, optimizer: sgd({ learningRate: 1e6 }) }),
    (e: unknown) =>
      e instanceof TrainingDivergedError &&
      /training diverged: the loss became (NaN|Infinity) at epoch 1, batch \d+/.test(e.message),
  );
  assert.ok(
    m.params.every((p) => p.every(Number.isFinite)),
    'weights stay finite',
  );
});

test('an aborted signal cancels training with TrainingCancelledError', async () => {
  const ac = new AbortController();
  const m = AutoencoderModel.create(spec, { seed: 1, threads: 1 });
  await assert.rejects(
    fit(m, planeData(400, 6), {
      epochs: 5,
      batchSize: 8,
      stepsPerCall: 5,
      signal: ac.signal,
      onProgress: (p) => p.batch >= 10 && ac.abort(),
    }),
    (e: unknown) =>
      e instanceof TrainingCancelledError && /cancelled during epoch 1/.test(e.message),
  );
});

test('fit rejects bad options and data with messages naming them', async () => {
  const m = AutoencoderModel.create(spec, { seed: 1, threads: 1 });
  const x = planeData(20, 1);
  await assert.rejects(fit(m, x, { epochs: 0 }), /epochs must be an integer >= 1, got 0/);
  await assert.rejects(
    fit(m, x, { batchSize: 64 }),
    (e: unknown) =>
      e instanceof ConfigError && /batchSize 64 exceeds the 20 training rows/.test(e.message),
  );
  await assert.rejects(
    fit(m, matrix(2, 3, new Float32Array(6))),
    /training data must have 12 columns, got 2 x 3/,
  );
  const bad = planeData(20, 1);
  bad.data[5 * 12 + 3] = NaN;
  await assert.rejects(fit(m, bad), /training data must be finite, found NaN at row 5, column 3/);
  await assert.rejects(
    fit(m, x, { loss: 'l1' as 'mse' }),
    /loss must be one of mse, bce, got "l1"/,
  );
});
