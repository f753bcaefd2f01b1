// t-SNE on the golden blobs against scikit-learn 1.2's TSNE on the same points
// (test/golden/tsne_sklearn.py; perplexity 30, PCA start): leave-one-out 5-NN accuracy and
// trustworthiness within 0.01 of scikit-learn's for both gradients; the exact gradient against
// central differences of the KL divergence; Barnes-Hut at θ = 0 against the exact gradient;
// determinism; the saved form; and misuse (transform included: t-SNE has none).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose } from '../../test/helpers/close.js';
import { embeddingGolden, golden32, looAccuracy } from '../../test/helpers/embedding-golden.js';
import { ConfigError, NotFittedError } from '../errors.js';
import { createJsBackend } from '../linalg/js-backend.js';
import { csrFromTriplets } from '../linalg/sparse.js';
import { trustworthiness } from '../metrics/trustworthiness.js';
import { matrix } from '../util/matrix.js';
import { Rng } from '../util/rng.js';
import { loadReducer } from './loader.js';
import { BarnesHutWorkspace, klGradientBarnesHut, klGradientExact } from './tsne-gradient.js';
import { TSNE } from './tsne.js';

const g = embeddingGolden().blobs;
const x = golden32(g.x);

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

for (const method of ['exact', 'barnes_hut'] as const) {
  test(`TSNE (${method}) matches scikit-learn's accuracy and trustworthiness within 0.01, deterministically`, async () => {
    const ref = method === 'exact' ? g.tsne_exact : g.tsne_barnes_hut;
    const tsne = new TSNE({ method, seed: 0 });
    const z = await withoutMathRandom(() => tsne.fitTransform(x));
    assert.ok((await looAccuracy(z, g.labels)) >= ref.knn_accuracy - 0.01);
    const t = (await trustworthiness(x, z, 5)).value;
    assert.ok(Math.abs(t - ref.trustworthiness) <= 0.01, `${t} vs ${ref.trustworthiness}`);
    assert.ok(tsne.klDivergence > 0 && Number.isFinite(tsne.klDivergence));
    assert.equal(tsne.nIter, 999);
    const again = await new TSNE({ method, seed: 0 }).fitTransform(x);
    assert.deepEqual(again.data, z.data);
  });
}

test('the random start is seeded: the same seed the same map, another seed another one', async () => {
  const sub = matrix(60, x.cols, x.data.slice(0, 60 * x.cols));
  const run = (seed: number) =>
    new TSNE({ init: 'random', perplexity: 10, nIter: 300, seed }).fitTransform(sub);
  const a = await withoutMathRandom(() => run(1));
  assert.deepEqual((await run(1)).data, a.data);
  assert.notDeepEqual((await run(2)).data, a.data);
});

/** A random symmetric P over n points (zero diagonal, sum 1) and a random layout. */
function problem(n: number, dim: number, seed: number) {
  const rng = new Rng(seed);
  const p = new Float64Array(n * n);
  let s = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < i; j++) {
      const v = rng.random() < 0.3 ? rng.random() : 0;
      p[i * n + j] = p[j * n + i] = v;
      s += 2 * v;
    }
  for (let t = 0; t < n * n; t++) p[t] /= s;
  const y = new Float64Array(n * dim).map(() => rng.normal());
  return { p, y };
}

test('the exact gradient equals central differences of KL(P‖Q) (rtol 1e-6; dof 1 and 2)', () => {
  for (const dim of [2, 3]) {
    const n = 12;
    const dof = Math.max(dim - 1, 1);
    const { p, y } = problem(n, dim, dim);
    const grad = new Float64Array(n * dim);
    const w = new Float64Array(n * n);
    klGradientExact(p, y, n, dim, dof, true, grad, w);
    const scratch = new Float64Array(n * dim);
    const kl = (yy: Float64Array): number => klGradientExact(p, yy, n, dim, dof, true, scratch, w);
    const h = 1e-5;
    const fd = new Float64Array(n * dim);
    for (let t = 0; t < n * dim; t++) {
      const yp = y.slice();
      yp[t] += h;
      const ym = y.slice();
      ym[t] -= h;
      fd[t] = (kl(yp) - kl(ym)) / (2 * h);
    }
    // Central differences in float64 at h = 1e-5: truncation ~h² and rounding ~1e-16/h.
    assertClose(grad, fd, { rtol: 1e-6, atol: 1e-9, what: `gradient, dim ${dim}` });
  }
});

test('Barnes-Hut at θ = 0 gives the exact gradient and KL for the same P (1e-10; 2-d and 3-d)', () => {
  for (const dim of [2, 3]) {
    const n = 40;
    const dof = dim - 1;
    const { p, y } = problem(n, dim, 7);
    const r: number[] = [];
    const c: number[] = [];
    const v: number[] = [];
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++)
        if (p[i * n + j] > 0) {
          r.push(i);
          c.push(j);
          v.push(p[i * n + j]);
        }
    const sparse = csrFromTriplets(n, n, r, c, v);
    const exact = new Float64Array(n * dim);
    const klExact = klGradientExact(p, y, n, dim, dof, true, exact, new Float64Array(n * n));
    const bh = new Float64Array(n * dim);
    const ws = new BarnesHutWorkspace(n, dim);
    const klBh = klGradientBarnesHut(sparse, y, n, dim, dof, 0, true, bh, ws);
    assertClose(bh, exact, { rtol: 1e-10, atol: 1e-14, what: `gradient, dim ${dim}` });
    assertClose(klBh, klExact, { rtol: 1e-10, what: `KL, dim ${dim}` });
    // Without the KL, 2-d takes an unrolled loop: the same gradient, bit for bit.
    const fast = new Float64Array(n * dim);
    klGradientBarnesHut(sparse, y, n, dim, dof, 0.5, false, fast, ws);
    klGradientBarnesHut(sparse, y, n, dim, dof, 0.5, true, bh, ws);
    assert.deepEqual(fast, bh);
  }
});

test('the saved form keeps the embedding; there is nothing to transform with', async () => {
  const sub = matrix(50, x.cols, x.data.slice(0, 50 * x.cols));
  const tsne = new TSNE({ perplexity: 10, nIter: 250, seed: 2 });
  await tsne.fit(sub);
  const back = loadReducer(JSON.parse(JSON.stringify(tsne.toJSON())) as unknown);
  assert.ok(back instanceof TSNE);
  const backend = createJsBackend();
  assert.equal((loadReducer(tsne.toJSON(), { backend }) as TSNE).backend, backend);
  assert.deepEqual(back.embedding.data, tsne.embedding.data);
  assert.equal(back.klDivergence, tsne.klDivergence);
  await assert.rejects(back.transform(sub), {
    name: 'ConfigError',
    message: /^TSNE has no transform: t-SNE is non-parametric/,
  });
});

test('misuse: options, sizes and order of calls are refused with a named error', async () => {
  assert.throws(() => new TSNE({ perplexity: 0 }), {
    name: 'ConfigError',
    message: 'perplexity must be a finite number > 0, got 0',
  });
  assert.throws(() => new TSNE({ nIter: 100 }), /nIter must be an integer >= 250, got 100/);
  assert.throws(() => new TSNE({ learningRate: -1 }), /learningRate must be a finite number > 0/);
  assert.throws(() => new TSNE({ angle: 2 }), /angle must be a finite number >= 0 and <= 1, got 2/);
  assert.throws(
    () => new TSNE({ method: 'barnes_hut', nComponents: 4 }),
    /nComponents must be <= 3 with method 'barnes_hut'/,
  );
  assert.throws(() => new TSNE({ method: 'fft' as 'exact' }), ConfigError);
  const small = matrix(
    20,
    3,
    Float32Array.from({ length: 60 }, (_, i) => Math.sin(i)),
  );
  await assert.rejects(new TSNE().fit(small), {
    name: 'ConfigError',
    message: 'perplexity must be < the number of samples (20), got 30',
  });
  await assert.rejects(new TSNE({ perplexity: 5, nComponents: 4 }).fit(small), {
    name: 'ConfigError',
    message: /^init 'pca' needs nComponents <= min\(samples, features\) = 3, got 4/,
  });
  assert.throws(() => new TSNE().embedding, NotFittedError);
  await assert.rejects(new TSNE().transform(small), /TSNE has no transform/);
});
