// Dense solves: exact small systems worked by hand, A·x = b residuals on random SPD matrices.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose } from '../../test/helpers/close.js';
import { matrix } from '../util/matrix.js';
import { Rng } from '../util/rng.js';
import { cholesky, choleskySolve, solve } from './solve.js';

test('solve: [[4,2],[2,3]]·x = [2,1] gives x = [0.5, 0] by Cholesky and by LU', () => {
  const a = matrix(2, 2, Float64Array.of(4, 2, 2, 3));
  assertClose(solve(a, [2, 1], { assumeA: 'pos' }), [0.5, 0], { atol: 1e-15 });
  assertClose(solve(a, [2, 1]), [0.5, 0], { atol: 1e-15 });
  // LU needs a row swap here: [[0,1],[1,1]]·x = [2,3] -> x = [1, 2].
  assertClose(solve(matrix(2, 2, Float64Array.of(0, 1, 1, 1)), [2, 3]), [1, 2], { atol: 1e-15 });
});

test('cholesky factor reproduces A and choleskySolve has a small residual', () => {
  const rng = new Rng(7);
  const n = 12;
  const b = Float64Array.from({ length: n * n }, () => rng.normal());
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      for (let k = 0; k < n; k++) a[i * n + j] += b[i * n + k] * b[j * n + k];
    }
    a[i * n + i] += 1;
  }
  const l = cholesky(matrix(n, n, a));
  const llt = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++)
      for (let k = 0; k < n; k++) llt[i * n + j] += l.data[i * n + k] * l.data[j * n + k];
  assertClose(llt, a, { atol: 1e-12, what: 'L·Lᵀ' });
  const rhs = Float64Array.from({ length: n }, () => rng.normal());
  const x = choleskySolve(l, rhs);
  const ax = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) ax[i] += a[i * n + j] * x[j];
  assertClose(ax, rhs, { atol: 1e-11, what: 'A·x' });
});

test('solve and cholesky reject singular, indefinite and misshapen input', () => {
  const sing = matrix(2, 2, Float64Array.of(1, 2, 2, 4));
  assert.throws(() => solve(sing, [1, 1]), {
    name: 'NumericalError',
    message: /singular to working precision/,
  });
  assert.throws(() => solve(sing, [1, 1], { assumeA: 'pos' }), {
    name: 'NumericalError',
    message: /not positive definite \(pivot 1/,
  });
  assert.throws(() => cholesky(matrix(1, 2, Float64Array.of(1, 2))), {
    name: 'ShapeError',
    message: /square matrix, got 1 x 2/,
  });
  assert.throws(() => solve(matrix(2, 2, Float64Array.of(1, 0, 0, 1)), [1]), {
    name: 'ShapeError',
    message: /b has 1 values, expected 2/,
  });
  assert.throws(() => choleskySolve(cholesky(matrix(1, 1, Float64Array.of(4))), [1, 2]), {
    name: 'ShapeError',
    message: /b has 2 values, expected 1/,
  });
});
