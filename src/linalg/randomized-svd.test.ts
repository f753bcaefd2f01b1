// Randomized SVD against the exact Jacobi SVD on a seeded low-rank-plus-noise matrix (tall and
// wide, the latter taking scikit-learn's transposed path), sign convention, and misuse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose } from '../../test/helpers/close.js';
import { matrix, toFloat64, type Matrix32 } from '../util/matrix.js';
import { Rng } from '../util/rng.js';
import type { ComputeBackend } from './backend.js';
import { jsCentredGram } from './centred-gram.js';
import { jsGemm } from './gemm.js';
import { jsBackend } from './js-backend.js';
import { jsProduct } from './product.js';
import { randomizedRoute, randomizedSvd } from './randomized-svd.js';
import { jsSubspaceIteration } from './subspace-iteration.js';
import { svd, svdFlip } from './svd.js';

function lowRank(n: number, d: number, seed: number): Matrix32 {
  const rng = new Rng(seed);
  const r = 5;
  const a = Float64Array.from({ length: n * r }, () => rng.normal());
  const b = Float64Array.from({ length: r * d }, () => rng.normal());
  const x = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      let s = 0.01 * rng.normal();
      for (let t = 0; t < r; t++) s += a[i * r + t] * b[t * d + j] * (r - t) * 2;
      x[i * d + j] = s;
    }
  }
  return matrix(n, d, x);
}

test('randomizedSvd matches the exact SVD on the leading components (tall and wide)', async () => {
  for (const [n, d] of [
    [80, 30],
    [25, 60],
  ]) {
    const x = lowRank(n, d, n);
    const exact = svd(toFloat64(x));
    svdFlip(exact.u, exact.vt);
    const k = 3;
    const res = await randomizedSvd(x, k, { seed: 1 });
    assertClose(res.s, exact.s.slice(0, k), { rtol: 1e-5, what: `s ${n}x${d}` });
    assertClose(res.vt.data, exact.vt.data.slice(0, k * d), { atol: 1e-4, what: `vt ${n}x${d}` });
    assertClose(
      res.u.data,
      Array.from(
        { length: n * k },
        (_, i) => exact.u.data[Math.floor(i / k) * exact.u.cols + (i % k)],
      ),
      { atol: 1e-4, what: `u ${n}x${d}` },
    );
  }
});

test("randomizedSvd route 'gram' (AᵀA once, Rayleigh-Ritz) matches the exact SVD", async () => {
  const [n, d] = [90, 20];
  const x = lowRank(n, d, 7);
  const exact = svd(toFloat64(x));
  svdFlip(exact.u, exact.vt);
  const k = 3;
  const res = await randomizedSvd(x, k, { seed: 1, route: 'gram' });
  // AᵀA squares the conditioning: σ relative to float32 rounding of C, so 1e-5 as the direct route.
  assertClose(res.s, exact.s.slice(0, k), { rtol: 1e-5, what: 's' });
  assertClose(res.vt.data, exact.vt.data.slice(0, k * d), { atol: 1e-4, what: 'vt' });
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      assertClose(res.u.data[i * k + j], exact.u.data[i * exact.u.cols + j], {
        atol: 1e-4,
        what: `u[${i}, ${j}]`,
      });
    }
  }
  await assert.rejects(randomizedSvd(lowRank(10, 20, 1), 2, { route: 'gram' }), {
    name: 'ConfigError',
    message: /route 'gram' needs rows >= columns, got 10 x 20/,
  });
});

test('randomizedSvd with mean equals it on the centred copy (both routes)', async () => {
  const x = lowRank(90, 20, 9);
  const mean = Float64Array.from({ length: 20 }, (_, j) => j - 3.5);
  const shifted = matrix(
    90,
    20,
    x.data.map((v, i) => v + mean[i % 20]),
  );
  for (const route of ['direct', 'gram'] as const) {
    const want = await randomizedSvd(x, 3, { seed: 2, route });
    const got = await randomizedSvd(shifted, 3, { seed: 2, route, mean });
    // Float32 rounding of the shifted data (|x + mean| up to ~30): 1e-5 relative.
    assertClose(got.s, want.s, { rtol: 1e-5, what: `s ${route}` });
    assertClose(got.vt.data, want.vt.data, { atol: 1e-4, what: `vt ${route}` });
    assertClose(got.u.data, want.u.data, { atol: 1e-4, what: `u ${route}` });
  }
  await assert.rejects(randomizedSvd(x, 2, { mean: [1, 2] }), {
    name: 'ShapeError',
    message: /randomizedSvd mean must have 20 values, got 2/,
  });
});

test('randomizedSvd gram route: U = (A − 1·mᵀ)·Vᵀ/S both for a small centre (product of A, then the shift) and a large one (centred product)', async () => {
  const x = lowRank(90, 20, 9);
  for (const [what, scale] of [
    ['small centre', 0.05],
    ['large centre', 1000],
  ] as const) {
    const m = Float64Array.from({ length: 20 }, (_, j) => scale * (j + 1));
    const a = matrix(
      90,
      20,
      x.data.map((v, i) => v + m[i % 20]),
    );
    const r = await randomizedSvd(a, 3, { seed: 3, route: 'gram', mean: m });
    // Reference in float64 from the same float32 rows and the returned V and S.
    const want = new Float64Array(90 * 3);
    for (let i = 0; i < 90; i++)
      for (let j = 0; j < 3; j++) {
        let acc = 0;
        for (let t = 0; t < 20; t++) acc += (a.data[i * 20 + t] - m[t]) * r.vt.data[j * 20 + t];
        want[i * 3 + j] = acc / r.s[j];
      }
    // |U| entries up to ~0.3; float32 products of rows of norm up to ~40 (large: ~3e4, centred first).
    assertClose(r.u.data, want, { atol: 2e-5, what });
  }
});

test('randomizedSvd rejects k out of range and rank below k', async () => {
  const x = lowRank(10, 4, 2);
  await assert.rejects(randomizedSvd(x, 5), {
    name: 'ConfigError',
    message: /randomizedSvd k must be an integer in 1\.\.4, got 5/,
  });
  await assert.rejects(randomizedSvd(x, 1, { nIter: -1 }), {
    name: 'ConfigError',
    message: /nIter must be an integer >= 0, got -1/,
  });
  await assert.rejects(randomizedSvd(x, 1, { route: 'qr' as 'auto' }), {
    name: 'ConfigError',
    message: /route must be one of auto, direct, gram, got "qr"/,
  });
  const rank1 = matrix(6, 3, Float32Array.of(1, 2, 3, 2, 4, 6, 1, 2, 3, 3, 6, 9, 0, 0, 0, 1, 2, 3));
  await assert.rejects(randomizedSvd(rank1, 2, { nOversamples: 0 }), {
    name: 'ConfigError',
    message: /numerical rank 1 < k = 2/,
  });
});

test('randomizedSvd gram route: a precomputed centred Gram gives the same answer; randomizedRoute picks it for tall data with enough work', async () => {
  const x = lowRank(120, 16, 4);
  const mean = Float64Array.from({ length: 16 }, (_, j) => 0.5 * j);
  const pre = await jsCentredGram(x, jsGemm);
  // With the caller's own centre (not the column mean) the Gram is shifted by n·δδᵀ.
  for (const m of [undefined, mean, pre.mean]) {
    const want = await randomizedSvd(x, 3, { seed: 5, route: 'gram', mean: m });
    const got = await randomizedSvd(x, 3, { seed: 5, route: 'gram', mean: m, gram: pre });
    assertClose(got.s, want.s, { rtol: 1e-6, what: 's' });
    assertClose(got.vt.data, want.vt.data, { atol: 1e-6, what: 'vt' });
  }
  await assert.rejects(
    randomizedSvd(x, 3, { route: 'gram', gram: { mean: new Float64Array(3), gram: pre.gram } }),
    {
      name: 'ShapeError',
      message: /expected a 16-value mean and a 16 x 16 Gram, got 3 and 16 x 16/,
    },
  );
  // MNIST-like 5000 x 784, k = 10 (l = 20, 7 iterations): the Gram route; wide or small: direct.
  assert.equal(randomizedRoute(5000, 784, 10), 'gram');
  assert.equal(randomizedRoute(60000, 784, 50), 'gram');
  assert.equal(randomizedRoute(700, 784, 10), 'direct');
  assert.equal(randomizedRoute(200, 50, 3), 'direct');
  assert.equal(randomizedRoute(5000, 784, 10, { route: 'direct' }), 'direct');
});

test('randomizedSvd gram route: Rayleigh-Ritz takes a basis that is not orthonormal; rank below k is named', async () => {
  const x = lowRank(90, 20, 11);
  const want = await randomizedSvd(x, 3, { seed: 3, route: 'gram' });
  // A backend returning G·Q (G mixes and scales the rows: condition about 10) with its S and H.
  const l = 13;
  const rng = new Rng(12);
  const g = Float64Array.from(
    { length: l * l },
    (_, i) => (i % (l + 1) === 0 ? 4 : 0) + rng.normal(),
  );
  const mixing: ComputeBackend = {
    ...jsBackend,
    subspaceIteration: async (c, q0, steps) => {
      const r = await jsSubspaceIteration(c, q0, steps, jsProduct);
      const d = c.rows;
      const gq = new Float64Array(l * d);
      for (let i = 0; i < l; i++)
        for (let t = 0; t < l; t++)
          for (let j = 0; j < d; j++) gq[i * d + j] += g[i * l + t] * r.q.data[t * d + j];
      const q = matrix(l, d, Float32Array.from(gq));
      const mix = (m: Float64Array): Float64Array => {
        const out = new Float64Array(l * l);
        for (let i = 0; i < l; i++)
          for (let j = 0; j < l; j++)
            for (let a = 0; a < l; a++)
              for (let b = 0; b < l; b++)
                out[i * l + j] += g[i * l + a] * m[a * l + b] * g[j * l + b];
        return out;
      };
      return { q, s: matrix(l, l, mix(r.s.data)), h: matrix(l, l, mix(r.h.data)) };
    },
  };
  const got = await randomizedSvd(x, 3, { seed: 3, route: 'gram', backend: mixing });
  // G·Q rounded to float32 (condition 10): 1e-6 relative on σ, 1e-5 on V.
  assertClose(got.s, want.s, { rtol: 1e-6, what: 's' });
  assertClose(got.vt.data, want.vt.data, { atol: 1e-5, what: 'vt' });
  const rank1 = matrix(6, 3, Float32Array.of(1, 2, 3, 2, 4, 6, 1, 2, 3, 3, 6, 9, 0, 0, 0, 1, 2, 4));
  await assert.rejects(randomizedSvd(rank1, 3, { route: 'gram', nOversamples: 0 }), {
    name: 'ConfigError',
    message: /numerical rank 2 < k = 3/,
  });
});
