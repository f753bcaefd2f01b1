// Lanczos with full reorthogonalisation: eigenpairs compared with the dense solver
// (symmetricEigen) on a seeded random matrix, a repeated eigenvalue, and misuse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose } from '../../test/helpers/close.js';
import { matrix } from '../util/matrix.js';
import { Rng } from '../util/rng.js';
import { symmetricEigen } from './eigen-sym.js';
import { lanczos, type SymmetricOperator } from './lanczos.js';

function denseOp(a: Float64Array, n: number): SymmetricOperator {
  return (x, y) => {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += a[i * n + j] * x[j];
      y[i] = s;
    }
  };
}

test('lanczos finds the largest and smallest eigenpairs of a random symmetric matrix', () => {
  const n = 120;
  const rng = new Rng(11);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = rng.normal();
  const dense = symmetricEigen(matrix(n, n, a));
  for (const which of ['largest', 'smallest'] as const) {
    const k = 4;
    const res = lanczos(denseOp(a, n), n, k, { which, tol: 1e-12 });
    const idx = Array.from({ length: k }, (_, r) => (which === 'largest' ? n - 1 - r : r));
    assertClose(
      res.values,
      idx.map((i) => dense.values[i]),
      { atol: 1e-9, what: `${which} values` },
    );
    for (let r = 0; r < k; r++) {
      const v = res.vectors.data.subarray(r * n, r * n + n);
      const ref = dense.vectors.data.subarray(idx[r] * n, idx[r] * n + n);
      let dot = 0;
      for (let i = 0; i < n; i++) dot += v[i] * ref[i];
      assertClose(Math.abs(dot), 1, { atol: 1e-8, what: `|v·v_ref| ${which} ${r}` });
    }
  }
});

test('lanczos restarts in the complement when the Krylov space is exhausted (repeated eigenvalue)', () => {
  // diag(5, 5, 5, 1, ..., 1): any start vector spans only one direction of the 5-eigenspace.
  const n = 30;
  const op: SymmetricOperator = (x, y) => x.forEach((v, i) => (y[i] = (i < 3 ? 5 : 1) * v));
  const res = lanczos(op, n, 3);
  assertClose(res.values, [5, 5, 5], { atol: 1e-12 });
  const diag: SymmetricOperator = (x, y) => x.forEach((v, i) => (y[i] = (i + 1) * v));
  assertClose(lanczos(diag, 50, 2).values, [50, 49], { atol: 1e-9 });
});

test('lanczos rejects bad arguments and reports non-convergence', () => {
  const op: SymmetricOperator = (x, y) => y.set(x);
  assert.throws(() => lanczos(op, 5, 6), {
    name: 'ConfigError',
    message: /lanczos k must be an integer in 1\.\.5, got 6/,
  });
  assert.throws(() => lanczos(op, 5, 1, { which: 'middle' as 'largest' }), {
    name: 'ConfigError',
    message: /which must be 'largest' or 'smallest', got middle/,
  });
  assert.throws(() => lanczos(op, 5, 1, { tol: 0 }), {
    name: 'ConfigError',
    message: /lanczos tol must be a finite number > 0/,
  });
  const diag: SymmetricOperator = (x, y) => x.forEach((v, i) => (y[i] = Math.sqrt(i + 1) * v));
  assert.throws(() => lanczos(diag, 400, 3, { maxBasis: 12, tol: 1e-14 }), {
    name: 'NumericalError',
    message: /not converged .* basis of 12 vectors/,
  });
});
