import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, NotFittedError } from '../errors.js';
import { matrix, type Matrix32 } from '../util/matrix.js';
import { Rng } from '../util/rng.js';
import { Autoencoder } from './autoencoder.js';

/** A noisy 1-d curve in R^8, values around 10..20 (not in [0, 1], so scaling matters). */
function curve(n: number): Matrix32 {
  const r = new Rng(8);
  const x = new Float32Array(n * 8);
  for (let i = 0; i < n; i++) {
    const t = r.uniform(0, 1);
    for (let j = 0; j < 8; j++) x[i * 8 + j] = 15 + 5 * Math.sin(2 * t + j) + r.normal(0, 0.05);
  }
  return matrix(n, 8, x);
}

test('fit/transform/inverseTransform: transform on the training data equals fitTransform; reconstructions beat the mean (explained variance > 0.9)', async () => {
  const x = curve(400);
  const ae = new Autoencoder({
    nComponents: 2,
    hiddenLayers: [16],
    activation: 'tanh',
    outputActivation: 'linear',
    epochs: 30,
    batchSize: 16,
    learningRate: 0.01,
    threads: 1,
  });
  const z = await ae.fitTransform(x);
  assert.equal(z.cols, 2);
  assert.deepEqual(
    Array.from((await ae.transform(x)).data),
    Array.from(z.data),
    'transform equals fitTransform (same graph, same weights)',
  );
  const rec = await ae.inverseTransform(z);
  let sse = 0;
  let sst = 0;
  const mean = new Float64Array(8);
  for (let i = 0; i < x.rows; i++)
    for (let j = 0; j < 8; j++) mean[j] += x.data[i * 8 + j] / x.rows;
  for (let i = 0; i < x.data.length; i++) {
    sse += (rec.data[i] - x.data[i]) ** 2;
    sst += (x.data[i] - mean[i % 8]) ** 2;
  }
  assert.ok(1 - sse / sst > 0.9, `explained variance ${1 - sse / sst}`);
  assert.equal(ae.history.length, 30);
  await ae.dispose();
});

test('toJSON / fromJSON round trip gives identical codes', async () => {
  const x = curve(100);
  const ae = new Autoencoder({ nComponents: 3, epochs: 2, threads: 1 });
  await ae.fit(x);
  const back = Autoencoder.fromJSON(
    JSON.parse(JSON.stringify(ae.toJSON())) as ReturnType<Autoencoder['toJSON']>,
  );
  assert.deepEqual(
    Array.from((await back.transform(x)).data),
    Array.from((await ae.transform(x)).data),
  );
  await ae.dispose();
  await back.dispose();
});

test('misuse: transform before fit, bad options', async () => {
  await assert.rejects(
    new Autoencoder().transform(curve(3)),
    (e: unknown) =>
      e instanceof NotFittedError &&
      /Autoencoder is not fitted; call fit\(x\) first/.test(e.message),
  );
  assert.throws(
    () => new Autoencoder({ nComponents: 0 }),
    (e: unknown) =>
      e instanceof ConfigError && /nComponents must be an integer >= 1, got 0/.test(e.message),
  );
  assert.throws(
    () => new Autoencoder({ optimizer: 'rmsprop' as 'adam' }),
    /optimizer must be one of adam, sgd, got "rmsprop"/,
  );
  assert.throws(
    () => new Autoencoder({ outputBias: 'ones' as 'zero' }),
    /outputBias must be one of zero, mean, got "ones"/,
  );
});

test("outputBias 'mean': the trained model records it, and one epoch at a tiny learning rate still decodes near the mean", async () => {
  const x = curve(100);
  const ae = new Autoencoder({
    nComponents: 2,
    outputActivation: 'linear',
    outputBias: 'mean',
    epochs: 1,
    learningRate: 1e-9,
    threads: 1,
  });
  await ae.fit(x);
  assert.equal(ae.trained.training?.outputBias, 'mean');
  // relu code of a shallow AE is >= 0; decode(0) = bias = the scaled mean, unscaled: the column means.
  const at0 = await ae.inverseTransform(matrix(1, 2, new Float32Array(2)));
  for (let j = 0; j < 8; j++) {
    let m = 0;
    for (let i = 0; i < 100; i++) m += x.data[i * 8 + j] / 100;
    assert.ok(Math.abs(at0.data[j] - m) < 1e-3, `column ${j}: ${at0.data[j]} vs mean ${m}`);
  }
  await ae.dispose();
});
