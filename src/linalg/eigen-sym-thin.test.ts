// symmetricEigenThin against the full symmetricEigen (same algorithm, so equal to rounding) on a
// seeded random symmetric matrix with a repeated zero block, and misuse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose } from '../../test/helpers/close.js';
import { matrix } from '../util/matrix.js';
import { Rng } from '../util/rng.js';
import { symmetricEigen } from './eigen-sym.js';
import { symmetricEigenThin } from './eigen-sym-thin.js';

function randomSymmetric(n: number, rng: Rng): Float64Array {
  const a = new Float64Array(n * n);
  // Rank-deficient Gram (rank n − 3) so repeated zero eigenvalues are covered.
  const r = n - 3;
  const b = Float64Array.from({ length: n * r }, () => rng.normal());
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < r; t++) s += b[i * r + t] * b[j * r + t];
      a[i * n + j] = s;
    }
  return a;
}

test('symmetricEigenThin: values, Vᵀx and V·coef equal symmetricEigen to 1e-10', () => {
  const rng = new Rng(3);
  const n = 40;
  const a = matrix(n, n, randomSymmetric(n, rng));
  const full = symmetricEigen(a);
  const x = matrix(
    3,
    n,
    Float64Array.from({ length: 3 * n }, () => rng.normal()),
  );
  const thin = symmetricEigenThin(a, x);
  assertClose(thin.values, full.values, { atol: 1e-10, what: 'values' });
  const proj = new Float64Array(n * 3);
  for (let t = 0; t < n; t++)
    for (let j = 0; j < 3; j++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += full.vectors.data[t * n + i] * x.data[j * n + i];
      proj[t * 3 + j] = s;
    }
  // Only over eigenvalues away from the zero cluster: inside it the basis is arbitrary.
  for (let t = 3; t < n; t++)
    assertClose(thin.projected.data.subarray(t * 3, t * 3 + 3), proj.subarray(t * 3, t * 3 + 3), {
      atol: 1e-9,
      what: `projected row ${t}`,
    });
  const coef = matrix(n, 2, new Float64Array(n * 2));
  for (let t = 3; t < n; t++) {
    coef.data[t * 2] = rng.normal();
    coef.data[t * 2 + 1] = rng.normal();
  }
  const ex = thin.expand(coef);
  const want = new Float64Array(2 * n);
  for (let t = 0; t < n; t++)
    for (let j = 0; j < 2; j++)
      for (let i = 0; i < n; i++)
        want[j * n + i] += coef.data[t * 2 + j] * full.vectors.data[t * n + i];
  assertClose(ex.data, want, { atol: 1e-9, what: 'expand' });
});

test('symmetricEigenThin rejects non-square a, a mismatched x, non-finite entries', () => {
  const a = matrix(2, 2, Float64Array.of(2, 1, 1, 2));
  assert.throws(() => symmetricEigenThin(matrix(1, 2, Float64Array.of(1, 2)), a), {
    name: 'ShapeError',
    message: /needs a square matrix, got 1 x 2/,
  });
  assert.throws(() => symmetricEigenThin(a, matrix(1, 3, new Float64Array(3))), {
    name: 'ShapeError',
    message: /x must have 2 columns, got 1 x 3/,
  });
  assert.throws(
    () => symmetricEigenThin(matrix(1, 1, Float64Array.of(NaN)), matrix(1, 1, Float64Array.of(1))),
    {
      name: 'NumericalError',
      message: /entry \(0, 0\) is NaN/,
    },
  );
  const r = symmetricEigenThin(a, matrix(1, 2, Float64Array.of(1, 1)));
  assert.throws(() => r.expand(matrix(3, 1, new Float64Array(3))), {
    name: 'ShapeError',
    message: /expand coef must have 2 rows, got 3 x 1/,
  });
});
