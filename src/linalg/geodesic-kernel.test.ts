// The JS fallback of Isomap's out-of-sample map against its definition in float64 (few queries:
// the float64 loop; many: float32 rows on the product backend), and misuse.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClose } from '../../test/helpers/close.js';
import { matrix } from '../util/matrix.js';
import { Rng } from '../util/rng.js';
import {
  geodesicKernelProjection,
  jsGeodesicKernel,
  type GeodesicKernel,
} from './geodesic-kernel.js';
import type { Neighbors } from './knn.js';

/** Random symmetric D (zero diagonal), α, the training kernel's column means, q x k neighbours. */
export function randomKernel(
  seed: number,
  n: number,
  dOut: number,
  q: number,
  k: number,
): { kernel: GeodesicKernel; nb: Neighbors } {
  const r = new Rng(seed);
  const d = new Float32Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < i; j++) d[i * n + j] = d[j * n + i] = r.uniform(1, 10);
  const colMeans = new Float64Array(n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) colMeans[j] += (-0.5 * d[i * n + j] ** 2) / n;
  const allMean = colMeans.reduce((a, b) => a + b, 0) / n;
  const alpha = Float64Array.from({ length: dOut * n }, () => r.normal() / n);
  const indices = Int32Array.from({ length: q * k }, () => Math.floor(r.uniform(0, n)));
  const distances = Float64Array.from({ length: q * k }, () => r.uniform(0, 2));
  return {
    kernel: { dist: matrix(n, n, d), alpha: matrix(dOut, n, alpha), colMeans, allMean },
    nb: { k, rows: q, indices, distances },
  };
}

/** The definition in float64: g, K = −½g², K − colMeans − rowMean + allMean, times αᵀ. */
export function reference({ kernel, nb }: ReturnType<typeof randomKernel>): Float64Array {
  const { dist, alpha, colMeans, allMean } = kernel;
  const n = dist.rows;
  const dOut = alpha.rows;
  const out = new Float64Array(nb.rows * dOut);
  for (let i = 0; i < nb.rows; i++) {
    const kr = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      let g = Infinity;
      for (let t = 0; t < nb.k; t++)
        g = Math.min(g, dist.data[nb.indices[i * nb.k + t] * n + j] + nb.distances[i * nb.k + t]);
      kr[j] = -0.5 * g * g;
    }
    const rowMean = kr.reduce((a, b) => a + b, 0) / n;
    for (let c = 0; c < dOut; c++) {
      let z = 0;
      for (let j = 0; j < n; j++)
        z += (kr[j] - colMeans[j] - rowMean + allMean) * alpha.data[c * n + j];
      out[i * dOut + c] = z;
    }
  }
  return out;
}

test('geodesic kernel projection (JS) equals its float64 definition, few queries and many', async () => {
  // Few: the float64 loop, off only by the float32 output's rounding (half an ulp, 6e-8
  // relative). Many (q·n·dOut = 2.002e7, past the fallback's 2e7 switch): float32 centred rows
  // and products, measured 7e-8 off on codes of |z| <= 1.2; 1e-6 allowed.
  for (const [q, n, dOut, k, rtol, atol] of [
    [7, 40, 3, 4, 6e-8, 1e-12],
    [3, 25, 2, 1, 6e-8, 1e-12],
    [1001, 1000, 20, 3, 0, 1e-6],
  ]) {
    const p = randomKernel(q + n, n, dOut, q, k);
    const got = await jsGeodesicKernel(p.kernel, p.nb);
    assert.deepEqual([got.rows, got.cols], [q, dOut]);
    assertClose(got.data, reference(p), { atol, rtol, what: `q = ${q}, k = ${k}` });
  }
  const p = randomKernel(1, 10, 2, 0, 3);
  const none = await geodesicKernelProjection(p.kernel, p.nb);
  assert.deepEqual([none.rows, none.cols, none.data.length], [0, 2, 0]);
});

test('geodesicKernelProjection rejects mismatched shapes and out-of-range neighbours', () => {
  const { kernel, nb } = randomKernel(2, 6, 2, 3, 2);
  const cases: [GeodesicKernel, Neighbors, RegExp][] = [
    [{ ...kernel, dist: matrix(6, 5, new Float32Array(30)) }, nb, /D must be square, got 6 x 5/],
    [
      { ...kernel, alpha: matrix(2, 5, new Float64Array(10)) },
      nb,
      /alpha must be dOut x 6, got 2 x 5/,
    ],
    [{ ...kernel, colMeans: new Float64Array(5) }, nb, /colMeans must have 6 values, got 5/],
    [
      kernel,
      { ...nb, distances: new Float64Array(5) },
      /neighbours must be 3 x 2 \(k >= 1\), got 6 indices and 5 distances/,
    ],
    [kernel, { ...nb, k: 0, rows: 3 }, /neighbours must be 3 x 0 \(k >= 1\)/],
    [
      kernel,
      { ...nb, indices: Int32Array.of(0, 1, 2, 6, 4, 5) },
      /neighbour index 6 at 3 is outside 0\.\.5/,
    ],
  ];
  for (const [kn, b, message] of cases)
    assert.throws(() => geodesicKernelProjection(kn, b), { name: 'ShapeError', message });
});
