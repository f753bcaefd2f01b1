// ParametricUMAP on 3 seeded Gaussian clusters in 10-D (test/helpers/clusters.ts: centres
// N(0, 3²) per coordinate, unit noise, so the clusters are far apart relative to their spread and
// any map that keeps UMAP's neighbourhoods separates them): a 5-NN classifier fitted on the
// training codes labels the codes of unseen rows (transform), the same seed gives the same
// weights with Math.random made to throw, the saved form and the loader restore the same
// mapping, the decoder of autoencoderLoss reconstructs better than the mean row, and misuse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clustered } from '../../test/helpers/clusters.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, DataError, ModelFormatError, NotFittedError, ShapeError } from '../errors.js';
import { loadModel } from '../train/persist.js';
import { Autoencoder } from './autoencoder.js';
import { knnAccuracy } from '../metrics/knn-accuracy.js';
import { matrix, type Matrix32 } from '../util/matrix.js';
import { loadReducer } from './loader.js';
import { ParametricUMAP, type ParametricUMAPOptions } from './pumap.js';

const all = clustered(400, 10, 3, 7);
const rows = (m: Matrix32, a: number, b: number): Matrix32 =>
  matrix(b - a, m.cols, m.data.slice(a * m.cols, b * m.cols));
const train = rows(all.x, 0, 300);
const test_ = rows(all.x, 300, 400);
const yTrain = all.labels.slice(0, 300);
const yTest = all.labels.slice(300);

const small: ParametricUMAPOptions = {
  hiddenLayers: [32],
  nEpochs: 8,
  batchSize: 128,
  learningRate: 0.01,
  threads: 1,
  seed: 2,
};

async function withoutMathRandom<T>(f: () => Promise<T>): Promise<T> {
  const saved = Math.random;
  Math.random = () => {
    throw new Error('Math.random used');
  };
  try {
    return await f();
  } finally {
    Math.random = saved;
  }
}

let fitted: ParametricUMAP | undefined;
async function fit(): Promise<ParametricUMAP> {
  if (fitted === undefined) {
    const p = new ParametricUMAP(small);
    await withoutMathRandom(() => p.fit(train));
    fitted = p;
  }
  return fitted;
}

test('ParametricUMAP separates 3 clusters: 5-NN accuracy of the codes of unseen rows >= 0.97 (the clusters are apart by ~4 noise widths; a map that keeps them apart scores ~1)', async () => {
  const p = await fit();
  const z = await p.transform(train);
  const zt = await p.transform(test_);
  assert.equal(zt.cols, 2);
  const acc = await knnAccuracy(z, yTrain, zt, yTest, 5);
  assert.ok(acc.value >= 0.97, `accuracy ${acc.value}`);
  assert.ok(
    p.epochLosses[p.epochLosses.length - 1] < p.epochLosses[0],
    `losses ${p.epochLosses.join(', ')}`,
  );
});

test('ParametricUMAP is deterministic for a seed (same codes to the bit) and draws nothing from Math.random', async () => {
  const p = await fit();
  const q = new ParametricUMAP(small);
  await withoutMathRandom(() => q.fit(train));
  assert.deepEqual(await q.transform(test_), await p.transform(test_));
  await q.dispose();
});

test('ParametricUMAP saved form: loadReducer restores the same mapping (codes equal to float32)', async () => {
  const p = await fit();
  const json = JSON.parse(JSON.stringify(p.toJSON())) as unknown;
  const back = loadReducer(json);
  assert.ok(back instanceof ParametricUMAP);
  assert.deepEqual(await back.transform(test_), await p.transform(test_));
  await back.dispose?.();
});

test('ParametricUMAP with autoencoderLoss: inverseTransform reconstructs unseen rows better than their mean row', async () => {
  const p = new ParametricUMAP({
    ...small,
    hiddenLayers: undefined,
    encoderLayers: [{ units: 32, activation: 'tanh' }],
    autoencoderLoss: true,
    reconstructionLoss: 'mse',
  });
  await p.fit(train);
  assert.equal(p.hasDecoder, true);
  const zt2 = await p.transform(test_);
  const back = await p.inverseTransform(zt2);
  assert.equal(back.cols, 10);
  const mean = new Float64Array(10);
  for (let i = 0; i < test_.rows; i++)
    for (let j = 0; j < 10; j++) mean[j] += test_.data[i * 10 + j] / test_.rows;
  let err = 0;
  let base = 0;
  for (let i = 0; i < test_.data.length; i++) {
    err += (back.data[i] - test_.data[i]) ** 2;
    base += (mean[i % 10] - test_.data[i]) ** 2;
  }
  assert.ok(err < 0.5 * base, `reconstruction SSE ${err} vs mean-row SSE ${base}`);
  // The model folder: `aedr encode`/`decode` read it as any model (loadModel), and load() restores it.
  const dir = mkdtempSync(join(tmpdir(), 'aedr-pumap-'));
  try {
    p.save(join(dir, 'model'));
    const m = loadModel(join(dir, 'model'));
    assert.equal(m.training?.parametricUmap?.a, p.curve.a);
    assert.deepEqual(await m.encode(test_), await p.transform(test_));
    const q = ParametricUMAP.load(join(dir, 'model'));
    assert.deepEqual(
      [...q.network.spec.encoder, ...q.network.spec.decoder].map(
        (l) => `${l.units} ${l.activation}`,
      ),
      ['32 tanh', '2 linear', '32 tanh', '10 linear'],
    );
    assert.deepEqual(await q.transform(test_), await p.transform(test_));
    assert.deepEqual(await q.inverseTransform(zt2), await p.inverseTransform(zt2));
    await Promise.all([m.dispose(), q.dispose()]);
    const ae = new Autoencoder({ epochs: 1 });
    await ae.fit(train);
    ae.save(join(dir, 'ae'));
    await ae.dispose();
    assert.throws(
      () => ParametricUMAP.load(join(dir, 'ae')),
      (e: unknown) =>
        e instanceof ModelFormatError && /no training\.parametricUmap/.test(e.message),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await p.dispose();
});

test('ParametricUMAP misuse: options, unfitted, columns, no decoder, saved state', async () => {
  assert.throws(() => new ParametricUMAP({ nNeighbors: 1 }), ConfigError);
  assert.throws(() => new ParametricUMAP({ minDist: 2 }), ConfigError);
  assert.throws(() => new ParametricUMAP({ batchSize: 0 }), ConfigError);
  assert.throws(() => new ParametricUMAP({ hiddenLayers: [0] }), ConfigError);
  assert.throws(
    () => new ParametricUMAP({ encoderLayers: [{ units: 8, activation: 'swish' as 'relu' }] }),
    /encoderLayers\[0\]\.activation must be one of/,
  );
  assert.throws(() => new ParametricUMAP({ reconstructionLoss: 'l1' as 'mse' }), ConfigError);
  const u = new ParametricUMAP();
  await assert.rejects(u.transform(test_), NotFittedError);
  await assert.rejects(
    new ParametricUMAP({ nNeighbors: 400 }).fit(train),
    /nNeighbors must be < the number of samples \(300\), got 400/,
  );
  const p = await fit();
  await assert.rejects(p.transform(matrix(2, 3, new Float32Array(6))), ShapeError);
  assert.throws(
    () => p.save('/nonexistent/never'),
    /fit with autoencoderLoss: true, or save toJSON\(\) instead/,
  );
  await assert.rejects(
    p.inverseTransform(matrix(1, 2, new Float32Array(2))),
    /needs a decoder: fit with autoencoderLoss: true/,
  );
  const json = p.toJSON();
  const st = { ...(json.state as Record<string, unknown>), params: [] };
  assert.throws(
    () => loadReducer({ ...json, state: st }),
    (e: unknown) =>
      e instanceof DataError &&
      /state\.params/.test(String((e as DataError).message) + JSON.stringify(e)),
  );
});
