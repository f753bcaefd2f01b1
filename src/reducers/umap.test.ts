// UMAP on the golden blobs (test/golden/tsne_sklearn.py: 240 points, 4 Gaussian blobs in 8-d
// with spreads 0.5 to 2): clusters kept apart (leave-one-out 5-NN accuracy of the map), local
// structure kept (trustworthiness within 0.02 of scikit-learn's t-SNE on the same points: umap-learn
// is not installed here, and the two methods score alike on such data), determinism, transform of
// the training points landing near their codes, the saved form, the cosine metric, and misuse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { embeddingGolden, golden32, looAccuracy } from '../../test/helpers/embedding-golden.js';
import { ConfigError, DataError, NotFittedError, ShapeError } from '../errors.js';
import { createJsBackend } from '../linalg/js-backend.js';
import { trustworthiness } from '../metrics/trustworthiness.js';
import { matrix, type Matrix32 } from '../util/matrix.js';
import { loadReducer } from './loader.js';
import { UMAP } from './umap.js';

const g = embeddingGolden().blobs;
const x = golden32(g.x);

/** Runs `f` with Math.random made to throw: the reducer must draw only from its seeded Rng. */
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

let fitted: { umap: UMAP; z: Matrix32 } | undefined;
async function fit(): Promise<{ umap: UMAP; z: Matrix32 }> {
  if (fitted === undefined) {
    const umap = new UMAP({ seed: 3 });
    fitted = { umap, z: await withoutMathRandom(() => umap.fitTransform(x)) };
  }
  return fitted;
}

test('UMAP keeps the blobs apart and their neighbourhoods (5-NN accuracy, trustworthiness)', async () => {
  const { z } = await fit();
  assert.equal(z.rows, 240);
  assert.equal(z.cols, 2);
  // scikit-learn's t-SNE reaches 0.996 (one point sits inside another blob); 0.99 allows two.
  assert.ok((await looAccuracy(z, g.labels)) >= 0.99);
  const t = (await trustworthiness(x, z, 5)).value;
  assert.ok(
    t >= g.tsne_barnes_hut.trustworthiness - 0.02,
    `trustworthiness ${t} vs t-SNE ${g.tsne_barnes_hut.trustworthiness}`,
  );
});

test('the same seed gives the same embedding, bit for bit; another seed another one', async () => {
  const { z } = await fit();
  const again = await withoutMathRandom(() => new UMAP({ seed: 3 }).fitTransform(x));
  assert.deepEqual(again.data, z.data);
  const other = await new UMAP({ seed: 4 }).fitTransform(x);
  assert.notDeepEqual(other.data, z.data);
});

test('transform places training points near their own codes, and is deterministic', async () => {
  const { umap, z } = await fit();
  const q = matrix(40, x.cols, x.data.slice(0, 40 * x.cols));
  const t1 = await withoutMathRandom(() => umap.transform(q));
  assert.deepEqual((await umap.transform(q)).data, t1.data);
  // Near: within a tenth of the map's extent of its own code, and its nearest training code
  // from the same blob.
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of z.data) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  for (let i = 0; i < 40; i++) {
    const d = Math.hypot(t1.data[2 * i] - z.data[2 * i], t1.data[2 * i + 1] - z.data[2 * i + 1]);
    assert.ok(d < 0.1 * (hi - lo), `row ${i}: ${d} from its code (extent ${hi - lo})`);
    let best = -1;
    let bestD = Infinity;
    for (let j = 0; j < z.rows; j++) {
      const dj = Math.hypot(t1.data[2 * i] - z.data[2 * j], t1.data[2 * i + 1] - z.data[2 * j + 1]);
      if (dj < bestD) [best, bestD] = [j, dj];
    }
    assert.equal(g.labels[best], g.labels[i], `row ${i}`);
  }
  assert.equal((await umap.transform(matrix(0, x.cols, new Float32Array(0)))).rows, 0);
});

test('the saved form restores through loadReducer: same embedding, same transform', async () => {
  const { umap } = await fit();
  const json = JSON.parse(JSON.stringify(umap.toJSON())) as unknown;
  const back = loadReducer(json);
  assert.ok(back instanceof UMAP);
  assert.deepEqual(back.embedding.data, umap.embedding.data);
  assert.deepEqual(back.curve, umap.curve);
  const q = matrix(5, x.cols, x.data.slice(0, 5 * x.cols));
  assert.deepEqual((await back.transform(q)).data, (await umap.transform(q)).data);
  // The loaded model runs on the backend given to the loader (not saved with it).
  const backend = createJsBackend();
  assert.equal((loadReducer(json, { backend }) as UMAP).backend, backend);
  const unfitted = loadReducer(new UMAP({ nNeighbors: 5 }).toJSON());
  assert.ok(unfitted instanceof UMAP);
  assert.equal(unfitted.options.nNeighbors, 5);
});

test("metric 'cosine' separates two directions that Euclidean distance mixes", async () => {
  // Rays at angles 0.7 and 0.8 rad, scales growing by 1.15 per pair: a point's Euclidean
  // neighbours are the other ray's points at its scale (0.1·s apart, against 0.15·s along its
  // own ray), its cosine neighbours its own ray's. Measured: Euclidean accuracy 0, cosine 1.
  const n = 120;
  const data = new Float32Array(n * 2);
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    labels.push(i % 2);
    const s = 1.15 ** Math.floor(i / 2);
    const angle = (i % 2 === 0 ? 0.7 : 0.8) + 0.002 * Math.sin(7 * i);
    data[2 * i] = s * Math.cos(angle);
    data[2 * i + 1] = s * Math.sin(angle);
  }
  const rays = matrix(n, 2, data);
  const cos = await new UMAP({ metric: 'cosine', nNeighbors: 10, seed: 1 }).fitTransform(rays);
  assert.equal(await looAccuracy(cos, labels), 1);
  const euc = await new UMAP({ nNeighbors: 10, seed: 1 }).fitTransform(rays);
  assert.ok((await looAccuracy(euc, labels)) < 0.5);
});

test('misuse: options, sizes, data and order of calls are refused with a named error', async () => {
  assert.throws(() => new UMAP({ nNeighbors: 1 }), {
    name: 'ConfigError',
    message: 'nNeighbors must be an integer >= 2, got 1',
  });
  assert.throws(() => new UMAP({ minDist: 2 }), ConfigError);
  assert.throws(
    () => new UMAP({ minDist: 2 }),
    /minDist must be a finite number >= 0 and <= 1, got 2/,
  );
  assert.throws(() => new UMAP({ spread: 0 }), /spread must be a finite number > 0, got 0/);
  assert.throws(() => new UMAP({ nEpochs: 0 }), /nEpochs must be an integer >= 1, got 0/);
  assert.throws(
    () => new UMAP({ metric: 'manhattan' as 'cosine' }),
    /metric must be one of euclidean, cosine, got "manhattan"/,
  );
  assert.throws(() => new UMAP({ init: 'pca' as 'random' }), ConfigError);
  const small = matrix(
    5,
    2,
    Float32Array.from({ length: 10 }, (_, i) => i),
  );
  await assert.rejects(new UMAP().fit(small), {
    name: 'ConfigError',
    message: 'nNeighbors must be < the number of samples (5), got 15',
  });
  const nan = matrix(20, 2, new Float32Array(40).fill(1));
  nan.data[7] = NaN;
  await assert.rejects(new UMAP({ nNeighbors: 5 }).fit(nan), DataError);
  const zeros = matrix(
    20,
    2,
    Float32Array.from({ length: 40 }, (_, i) => (i < 2 ? 0 : i)),
  );
  await assert.rejects(new UMAP({ nNeighbors: 5, metric: 'cosine' }).fit(zeros), {
    name: 'DataError',
    message: /UMAP fit x row 0 is all zeros: the cosine distance is undefined there/,
  });
  await assert.rejects(new UMAP().transform(small), {
    name: 'NotFittedError',
    message: 'UMAP is not fitted: call fit(x) (or fitTransform) before this',
  });
  assert.throws(() => new UMAP().embedding, NotFittedError);
  const { umap } = await fit();
  await assert.rejects(umap.transform(small), ShapeError);
  await assert.rejects(umap.transform(small), /UMAP transform x must have 8 columns, got 5 x 2/);
});
