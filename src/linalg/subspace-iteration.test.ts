// Subspace iteration (the JS kernel) against a float64 power iteration, Rayleigh-Ritz on a basis
// that is not orthonormal, Gram-Schmidt, and misuse. The onnxruntime kernel is checked against
// this one in accel/subspace-iteration.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose } from '../../test/helpers/close.js';
import { pencil, sinAngle, spectral } from '../../test/helpers/spectral.js';
import { matrix, type Matrix, type Matrix32 } from '../util/matrix.js';
import { Rng } from '../util/rng.js';
import type { ComputeBackend, SubspaceIteration } from './backend.js';
import { jsBackend } from './js-backend.js';
import { jsProduct } from './product.js';
import {
  jsSubspaceIteration,
  orthonormalRows,
  ritzPairs,
  subspaceIteration,
} from './subspace-iteration.js';

function f32(m: Matrix): Matrix32 {
  return matrix(m.rows, m.cols, Float32Array.from(m.data));
}

test('jsSubspaceIteration spans the rows of q0·Cˢ (float64 power iteration) and returns S = Q·Qᵀ, H = Q·C·Qᵀ', async () => {
  const d = 30;
  const l = 5;
  const steps = 3;
  const { c } = spectral(
    Array.from({ length: d }, (_, i) => 1 / (1 + i)),
    1,
  );
  const rng = new Rng(2);
  const q0 = matrix(
    l,
    d,
    Float32Array.from({ length: l * d }, () => rng.normal()),
  );
  const got = await jsSubspaceIteration(f32(c), q0, steps, jsProduct);
  let ref: Float64Array = Float64Array.from(q0.data);
  for (let it = 0; it < steps; it++) {
    const y = new Float64Array(l * d);
    for (let i = 0; i < l; i++)
      for (let j = 0; j < d; j++)
        for (let t = 0; t < d; t++) y[i * d + j] += ref[i * d + t] * c.data[t * d + j];
    ref = orthonormalRows(matrix(l, d, y));
  }
  // float32 products of O(1) values, three steps: measured 1.3e-7, bound 1e-5.
  assert.ok(sinAngle(got.q.data, l, ref, l) < 1e-5, 'span of q');
  const want = pencil(got.q.data, c.data, l, d);
  // S in float64 from the same float32 Q; H through float32 products (C ~ 1): 1e-6.
  assertClose(got.s.data, want.s, { atol: 1e-12, what: 's' });
  assertClose(got.h.data, want.h, { atol: 1e-6, what: 'h' });
  // Gram-Schmidt in float64, Q rounded to float32: S = I to float32 precision.
  const eye = Array.from({ length: l * l }, (_, i) => (i % (l + 1) === 0 ? 1 : 0));
  assertClose(got.s.data, eye, { atol: 1e-6, what: 'S = I' });
});

test('ritzPairs gives the same Ritz pairs from a mixed, non-orthonormal basis G·Q (pencil H, S)', () => {
  const d = 12;
  const l = 4;
  const { c } = spectral(
    Array.from({ length: d }, (_, i) => 2 ** -i),
    3,
  );
  const rng = new Rng(4);
  const q = orthonormalRows(
    matrix(
      l,
      d,
      Float64Array.from({ length: l * d }, () => rng.normal()),
    ),
  );
  const g = Float64Array.from(
    { length: l * l },
    (_, i) => (i % (l + 1) === 0 ? 3 : 0) + rng.normal(),
  );
  const gq = new Float64Array(l * d);
  for (let i = 0; i < l; i++)
    for (let t = 0; t < l; t++)
      for (let j = 0; j < d; j++) gq[i * d + j] += g[i * l + t] * q[t * d + j];
  const pencil = (b: Float64Array): SubspaceIteration => {
    const s = new Float64Array(l * l);
    const h = new Float64Array(l * l);
    for (let i = 0; i < l; i++)
      for (let j = 0; j < l; j++)
        for (let a = 0; a < d; a++) {
          s[i * l + j] += b[i * d + a] * b[j * d + a];
          for (let e = 0; e < d; e++)
            h[i * l + j] += b[i * d + a] * c.data[a * d + e] * b[j * d + e];
        }
    return { q: matrix(l, d, Float32Array.from(b)), s: matrix(l, l, s), h: matrix(l, l, h) };
  };
  const vectors = (b: Float64Array, coef: Matrix): Float64Array => {
    const v = new Float64Array(coef.rows * d);
    for (let j = 0; j < coef.rows; j++)
      for (let t = 0; t < l; t++)
        for (let e = 0; e < d; e++) v[j * d + e] += coef.data[j * l + t] * b[t * d + e];
    return v;
  };
  const want = ritzPairs(pencil(q), 3);
  const got = ritzPairs(pencil(gq), 3);
  // Float64 throughout; G has condition about 10: agreement to 1e-10.
  assertClose(got.values, want.values, { rtol: 1e-10, what: 'Ritz values' });
  assert.equal(got.rank, l);
  const vw = vectors(q, want.coef);
  const vg = vectors(gq, got.coef);
  for (let j = 0; j < 3; j++) {
    let dot = 0;
    let nn = 0;
    for (let e = 0; e < d; e++) {
      dot += vw[j * d + e] * vg[j * d + e];
      nn += vg[j * d + e] ** 2;
    }
    assertClose(nn, 1, { rtol: 1e-10, what: `|v${j}|` });
    assertClose(Math.abs(dot), 1, { rtol: 1e-10, what: `v${j} against the orthonormal basis's` });
  }
  // A basis of 4 rows spanning 3 directions: the dependent direction is dropped, not inverted.
  const dep = gq.slice();
  for (let e = 0; e < d; e++) dep[3 * d + e] = dep[e] - 2 * dep[d + e];
  const r3 = ritzPairs(pencil(dep), 4);
  assert.equal(r3.values.length, 3);
  assert.equal(r3.rank, 3);
});

test('ritzPairs counts the rank of C on the subspace (float32 noise level)', () => {
  const d = 10;
  const l = 4;
  const { c } = spectral([5, 1, ...Array<number>(d - 2).fill(0)], 5);
  const rng = new Rng(6);
  const q = orthonormalRows(
    matrix(
      l,
      d,
      Float64Array.from({ length: l * d }, () => rng.normal()),
    ),
  );
  const h = new Float64Array(l * l);
  for (let i = 0; i < l; i++)
    for (let j = 0; j < l; j++)
      for (let a = 0; a < d; a++)
        for (let b = 0; b < d; b++) h[i * l + j] += q[i * d + a] * c.data[a * d + b] * q[j * d + b];
  const s = Float64Array.from({ length: l * l }, (_, i) => (i % (l + 1) === 0 ? 1 : 0));
  const r = ritzPairs(
    { q: matrix(l, d, Float32Array.from(q)), s: matrix(l, l, s), h: matrix(l, l, h) },
    3,
  );
  assert.equal(r.rank, 2);
});

test('orthonormalRows: orthonormal rows spanning the input; a dependent row is replaced', () => {
  const a = matrix(3, 4, Float64Array.of(1, 1, 0, 0, 2, 2, 0, 0, 0, 1, 1, 0));
  const w = orthonormalRows(a);
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++) {
      let dot = 0;
      for (let t = 0; t < 4; t++) dot += w[i * 4 + t] * w[j * 4 + t];
      assertClose(dot, i === j ? 1 : 0, { atol: 1e-15, what: `row ${i}·row ${j}` });
    }
  assertClose(Array.from(w.subarray(0, 4)), [Math.SQRT1_2, Math.SQRT1_2, 0, 0], { rtol: 1e-15 });
});

test('subspaceIteration runs on the backend it is given and rejects misuse', async () => {
  const c = matrix(3, 3, Float32Array.of(2, 0, 0, 0, 1, 0, 0, 0, 0.5));
  const q0 = matrix(2, 3, Float32Array.of(1, 1, 1, 1, -1, 0));
  let calls = 0;
  const counting: ComputeBackend = {
    ...jsBackend,
    subspaceIteration: (cc, qq, steps) => {
      calls++;
      return jsSubspaceIteration(cc, qq, steps, jsProduct);
    },
  };
  const r = await subspaceIteration(counting, c, q0, 40);
  assert.equal(calls, 1);
  // Diagonal C: 40 steps converge to e₁, e₂ (ratio 1/2 per step); Ritz values 2 and 1.
  assertClose(ritzPairs(r, 2).values, [2, 1], { rtol: 1e-6 });
  await assert.rejects(subspaceIteration(jsBackend, matrix(2, 3, new Float32Array(6)), q0, 1), {
    name: 'ShapeError',
    message: /c must be square, got 2 x 3/,
  });
  await assert.rejects(subspaceIteration(jsBackend, c, matrix(2, 4, new Float32Array(8)), 1), {
    name: 'ShapeError',
    message: /q0 must have 3 columns \(c is 3 x 3\), got 2 x 4/,
  });
  await assert.rejects(subspaceIteration(jsBackend, c, matrix(4, 3, new Float32Array(12)), 1), {
    name: 'ConfigError',
    message: /q0 must have 1\.\.3 rows \(the block size\), got 4/,
  });
  await assert.rejects(subspaceIteration(jsBackend, c, q0, 0), {
    name: 'ConfigError',
    message: /subspaceIteration steps must be an integer >= 1, got 0/,
  });
});
