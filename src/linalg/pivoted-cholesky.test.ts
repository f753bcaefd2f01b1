import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClose } from '../../test/helpers/close.js';
import { NumericalError, ShapeError } from '../errors.js';
import { matrix, type Matrix } from '../util/matrix.js';
import { Rng } from '../util/rng.js';
import { pivotedCholesky } from './pivoted-cholesky.js';

/** X·Xᵀ for a seeded n x k Gaussian X: positive semidefinite of rank k (k < n). */
function lowRank(n: number, k: number, seed: number): Matrix {
  const rng = new Rng(seed);
  const x = Float64Array.from({ length: n * k }, () => rng.normal());
  const g = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += x[i * k + t] * x[j * k + t];
      g[i * n + j] = s;
    }
  return matrix(n, n, g);
}

/** Pᵀ·A·P − L·Lᵀ, entrywise. */
function misfit(a: Matrix, f: Awaited<ReturnType<typeof pivotedCholesky>>): Float64Array {
  const n = a.rows;
  const r = f.rank;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < r; t++) s += f.l[i * r + t] * f.l[j * r + t];
      out[i * n + j] = a.data[f.perm[i] * n + f.perm[j]] - s;
    }
  return out;
}

test('pivotedCholesky finds the rank of a semidefinite matrix and reproduces it, across panels', async () => {
  const a = lowRank(30, 7, 1);
  for (const block of [4, 48]) {
    const f = await pivotedCholesky(a, 1e-9, { block });
    assert.equal(f.rank, 7, `block ${block}`);
    // Exact in theory; rounding of entries of size ~10 leaves about 1e-13.
    assertClose(misfit(a, f), new Float64Array(900), {
      atol: 1e-10,
      what: `misfit, block ${block}`,
    });
    assert.ok(f.residual < 1e-10, `residual ${f.residual}`);
    assert.deepEqual(
      [...f.perm].sort((x, y) => x - y),
      Array.from({ length: 30 }, (_, i) => i),
    );
  }
  // The first pivot is the largest diagonal entry.
  let best = 0;
  for (let i = 1; i < 30; i++) if (a.data[i * 31] > a.data[best * 31]) best = i;
  assert.equal((await pivotedCholesky(a, 1e-9, { block: 4 })).perm[0], best);
});

test('pivotedCholesky of a positive definite matrix is complete, and the residual bounds what is left', async () => {
  const a = lowRank(12, 20, 2); // full rank
  const f = await pivotedCholesky(a, 0, { block: 5 });
  assert.equal(f.rank, 12);
  assert.equal(f.residual, 0);
  assertClose(misfit(a, f), new Float64Array(144), { atol: 1e-10, what: 'misfit' });
  // Stopped early by a high threshold: the residual is the Frobenius norm of the rest.
  const g = await pivotedCholesky(a, 1e9, { block: 5 });
  assert.equal(g.rank, 0);
  let fro = 0;
  for (const v of a.data) fro += v * v;
  assertClose(g.residual, Math.sqrt(fro), { rtol: 1e-12, what: 'residual at rank 0' });
  // The documented example.
  const e = await pivotedCholesky(matrix(2, 2, Float64Array.of(1, 2, 2, 4)), 1e-12);
  assert.equal(e.rank, 1);
  assert.deepEqual([...e.perm], [1, 0]);
  assert.deepEqual([...e.l], [2, 1]);
  assert.equal(e.residual, 0);
});

test('pivotedCholesky rejects a non-square matrix, non-finite entries and a bad threshold', async () => {
  await assert.rejects(pivotedCholesky(matrix(2, 3, new Float64Array(6)), 0), (e: unknown) => {
    assert.ok(e instanceof ShapeError);
    assert.match(e.message, /square matrix, got 2 x 3/);
    return true;
  });
  await assert.rejects(
    pivotedCholesky(matrix(2, 2, Float64Array.of(1, 0, NaN, 1)), 0),
    (e: unknown) => e instanceof NumericalError && /entry \(1, 0\) is NaN/.test(e.message),
  );
  await assert.rejects(
    pivotedCholesky(matrix(1, 1, Float64Array.of(1)), -1),
    (e: unknown) =>
      e instanceof NumericalError && /threshold must be finite and >= 0, got -1/.test(e.message),
  );
});
