// Symmetric eigensolver: identities A·v = λ·v and VᵀV = I on seeded random matrices, plus values
// known in closed form. Tolerances are a few hundred ulps of ‖A‖.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose } from '../../test/helpers/close.js';
import { NumericalError, ShapeError } from '../errors.js';
import { matrix, type Matrix } from '../util/matrix.js';
import { Rng } from '../util/rng.js';
import { symmetricEigen, tridiagonalEigen } from './eigen-sym.js';

function randomSymmetric(n: number, seed: number): Matrix {
  const rng = new Rng(seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = rng.normal();
      a[i * n + j] = v;
      a[j * n + i] = v;
    }
  }
  return matrix(n, n, a);
}

test('symmetricEigen satisfies A·v = λ·v with orthonormal rows, ascending', () => {
  const n = 40;
  const a = randomSymmetric(n, 3);
  const { values, vectors } = symmetricEigen(a);
  for (let i = 1; i < n; i++) assert.ok(values[i] >= values[i - 1]);
  for (let r = 0; r < n; r++) {
    const v = vectors.data.subarray(r * n, r * n + n);
    const av = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) av[i] += a.data[i * n + j] * v[j];
    assertClose(
      av,
      Array.from(v, (x) => x * values[r]),
      { atol: 1e-12, what: `A·v${r}` },
    );
    for (let s = 0; s <= r; s++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += v[i] * vectors.data[s * n + i];
      assertClose(dot, r === s ? 1 : 0, { atol: 1e-13, what: `v${r}·v${s}` });
    }
  }
});

test('symmetricEigen gives closed-form values: [[2,1],[1,2]] -> 1, 3; diagonal and zero matrices', () => {
  assertClose(symmetricEigen(matrix(2, 2, Float64Array.of(2, 1, 1, 2))).values, [1, 3], {
    rtol: 1e-15,
  });
  assertClose(
    symmetricEigen(matrix(3, 3, Float64Array.of(5, 0, 0, 0, -1, 0, 0, 0, 2))).values,
    [-1, 2, 5],
    { rtol: 0 },
  );
  const z = symmetricEigen(matrix(3, 3, new Float64Array(9)));
  assertClose(z.values, [0, 0, 0], { atol: 0 });
  assert.equal(symmetricEigen(matrix(0, 0, new Float64Array(0))).values.length, 0);
});

test('tridiagonalEigen: the path-graph Laplacian tridiag(-1, 2, -1) has 2 - 2cos(kπ/(n+1))', () => {
  const n = 12;
  const { values } = tridiagonalEigen(new Array(n).fill(2), new Array(n - 1).fill(-1));
  const expected = Array.from(
    { length: n },
    (_, k) => 2 - 2 * Math.cos(((k + 1) * Math.PI) / (n + 1)),
  );
  assertClose(values, expected, { atol: 1e-14 });
});

test('symmetricEigen and tridiagonalEigen reject bad input', () => {
  assert.throws(() => symmetricEigen(matrix(2, 3, new Float64Array(6))), {
    name: 'ShapeError',
    message: /square matrix, got 2 x 3/,
  });
  assert.throws(
    () => symmetricEigen(matrix(2, 2, Float64Array.of(NaN, 1, 1, 0))),
    (e) => e instanceof NumericalError && /entry \(0, 0\) is NaN/.test(e.message),
  );
  assert.throws(
    () => tridiagonalEigen([1, 2, 3], [1]),
    (e) => e instanceof ShapeError && /must have 2 values, got 1/.test(e.message),
  );
});
