// The JS fallback of Isomap's out-of-sample map against its definition in float64 (few queries:
// the float64 loop; many: float32 rows on the JS product), and misuse.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClose } from '../../test/helpers/close.js';
import { randomKernel, reference } from '../../test/helpers/geodesic-kernel.js';
import { matrix } from '../util/matrix.js';
import type { GeodesicKernel, Neighbors } from './backend.js';
import { geodesicKernelProjection, jsGeodesicKernel } from './geodesic-kernel.js';
import { jsBackend } from './js-backend.js';
import { jsProduct } from './product.js';

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
    const got = await jsGeodesicKernel(p.kernel, p.nb, jsProduct);
    assert.deepEqual([got.rows, got.cols], [q, dOut]);
    assertClose(got.data, reference(p), { atol, rtol, what: `q = ${q}, k = ${k}` });
  }
  const p = randomKernel(1, 10, 2, 0, 3);
  const none = await geodesicKernelProjection(jsBackend, p.kernel, p.nb);
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
    assert.throws(() => geodesicKernelProjection(jsBackend, kn, b), {
      name: 'ShapeError',
      message,
    });
});
