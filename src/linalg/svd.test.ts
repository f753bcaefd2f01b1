// Thin SVD and svd_flip: reconstruction and orthonormality identities, singular values from
// numpy (np.linalg.svd([[1,2],[3,4],[5,6]]) -> 9.525518091565107, 0.5143005806586441).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose } from '../../test/helpers/close.js';
import { matrix, type Matrix } from '../util/matrix.js';
import { Rng } from '../util/rng.js';
import { svd, svdFlip } from './svd.js';

function checkSvd(a: Matrix): void {
  const { u, s, vt } = svd(a);
  const r = Math.min(a.rows, a.cols);
  assert.equal(u.rows, a.rows);
  assert.equal(u.cols, r);
  assert.equal(vt.rows, r);
  for (let i = 1; i < r; i++) assert.ok(s[i] <= s[i - 1]);
  const rec = new Float64Array(a.rows * a.cols);
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < a.cols; j++) {
      for (let p = 0; p < r; p++)
        rec[i * a.cols + j] += u.data[i * r + p] * s[p] * vt.data[p * a.cols + j];
    }
  }
  assertClose(rec, a.data, { atol: 1e-13, what: 'U·S·Vt' });
  for (let p = 0; p < r; p++) {
    for (let q = 0; q < r; q++) {
      let du = 0;
      let dv = 0;
      for (let i = 0; i < a.rows; i++) du += u.data[i * r + p] * u.data[i * r + q];
      for (let j = 0; j < a.cols; j++) dv += vt.data[p * a.cols + j] * vt.data[q * a.cols + j];
      assertClose([du, dv], [p === q ? 1 : 0, p === q ? 1 : 0], {
        atol: 1e-13,
        what: `UᵀU, VᵀV (${p},${q})`,
      });
    }
  }
}

test('svd matches numpy on a 3x2 matrix', () => {
  const { s } = svd(matrix(3, 2, Float64Array.of(1, 2, 3, 4, 5, 6)));
  assertClose(s, [9.525518091565107, 0.5143005806586441], { rtol: 1e-14 });
});

test('svd reconstructs tall, wide and rank-deficient matrices with orthonormal factors', () => {
  const rng = new Rng(5);
  const tall = matrix(
    9,
    4,
    Float64Array.from({ length: 36 }, () => rng.normal()),
  );
  const wide = matrix(
    3,
    8,
    Float64Array.from({ length: 24 }, () => rng.normal()),
  );
  const def = matrix(
    6,
    6,
    Float64Array.from({ length: 36 }, () => rng.normal()),
  );
  for (let j = 0; j < 6; j++) def.data[5 * 6 + j] = 2 * def.data[4 * 6 + j] - def.data[j];
  for (const a of [tall, wide, def]) checkSvd(a);
  assertClose(svd(def).s[5], 0, { atol: 1e-13, what: 'null singular value' });
  checkSvd(matrix(3, 3, new Float64Array(9)));
});

test('svdFlip makes the largest-magnitude entry of each U column positive, flipping Vt rows', () => {
  const u = matrix(3, 2, Float64Array.of(0.1, 0.6, -0.9, 0.2, 0.3, -0.6));
  const vt = matrix(2, 2, Float64Array.of(1, 2, 3, 4));
  svdFlip(u, vt);
  assert.deepEqual(Array.from(u.data), [-0.1, 0.6, 0.9, 0.2, -0.3, -0.6]);
  assert.deepEqual(Array.from(vt.data), [-1, -2, 3, 4]);
});

test('svd rejects non-finite input', () => {
  assert.throws(() => svd(matrix(2, 2, Float64Array.of(NaN, 1, 1, 1))), {
    name: 'NumericalError',
    message: /svd: entry \(0, 0\) is NaN/,
  });
});
