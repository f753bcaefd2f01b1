import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClose } from '../../test/helpers/close.js';
import { ShapeError } from '../errors.js';
import { matrix, type Matrix } from '../util/matrix.js';
import { Rng } from '../util/rng.js';
import { gapPinv } from './gap-pinv.js';

/** A seeded random orthonormal basis (rows), by Gram-Schmidt on Gaussian rows. */
function basis(n: number, rng: Rng): Float64Array {
  const v = Float64Array.from({ length: n * n }, () => rng.normal());
  for (let i = 0; i < n; i++) {
    for (let pass = 0; pass < 2; pass++)
      for (let j = 0; j < i; j++) {
        let d = 0;
        for (let t = 0; t < n; t++) d += v[i * n + t] * v[j * n + t];
        for (let t = 0; t < n; t++) v[i * n + t] -= d * v[j * n + t];
      }
    let nn = 0;
    for (let t = 0; t < n; t++) nn += v[i * n + t] ** 2;
    for (let t = 0; t < n; t++) v[i * n + t] /= Math.sqrt(nn);
  }
  return v;
}

/** G = Σ λᵢ vᵢvᵢᵀ and the reference Σ_{λᵢ > τ} vᵢ(vᵢ·b)/λᵢ for the rows of b. */
function problem(lambda: number[], c: number, tau: number, seed: number) {
  const n = lambda.length;
  const rng = new Rng(seed);
  const v = basis(n, rng);
  const g = new Float64Array(n * n);
  for (let t = 0; t < n; t++)
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) g[i * n + j] += lambda[t] * v[t * n + i] * v[t * n + j];
  const b = Float64Array.from({ length: c * n }, () => rng.normal());
  const want = new Float64Array(c * n);
  for (let r = 0; r < c; r++)
    for (let t = 0; t < n; t++) {
      if (!(lambda[t] > tau)) continue;
      let d = 0;
      for (let i = 0; i < n; i++) d += v[t * n + i] * b[r * n + i];
      for (let i = 0; i < n; i++) want[r * n + i] += (v[t * n + i] * d) / lambda[t];
    }
  return { g: matrix(n, n, g), b: matrix(c, n, b), want };
}

const spread = (n: number, lo: number, hi: number): number[] =>
  Array.from({ length: n }, (_, i) => lo * (hi / lo) ** (i / Math.max(1, n - 1)));

test('gapPinv equals the eigenvalue-truncated pseudo-inverse when zeros sit far below tau', async () => {
  // 5 exact zeros (rounding leaves ~1e-15 in G) and 20 eigenvalues from 1e-3 to 10; tau 1e-8 as LDA's tol².
  const lambda = [...spread(20, 1e-3, 10), 0, 0, 0, 0, 0];
  const { g, b, want } = problem(lambda, 3, 1e-8, 3);
  const r = await gapPinv(g, b, 1e-8);
  assert.ok(r !== undefined);
  assert.equal(r.rank, 20);
  // Entries up to ~1e3 (1/λ_min); ε/λ_min ≈ 1e-12 relative.
  assertClose(r.y.data, want, { rtol: 1e-7, atol: 1e-8, what: 'G⁺b' });
});

test('gapPinv of a positive definite matrix is its inverse', async () => {
  const { g, b, want } = problem(spread(15, 0.5, 4), 2, 1e-8, 4);
  const r = await gapPinv(g, b, 1e-8);
  assert.ok(r !== undefined);
  assert.equal(r.rank, 15);
  assertClose(r.y.data, want, { rtol: 1e-9, atol: 1e-12, what: 'G⁻¹b' });
});

test('gapPinv declines when an eigenvalue lies near tau (the caller then uses all eigenvalues)', async () => {
  for (const near of [3e-8, 1e-8, 5e-9]) {
    const lambda = [...spread(10, 1e-2, 10), near, 0, 0];
    const { g, b } = problem(lambda, 1, 1e-8, 5);
    assert.equal(await gapPinv(g, b, 1e-8), undefined, `eigenvalue ${near}`);
  }
});

test('gapPinv rejects mismatched shapes', async () => {
  const g: Matrix = matrix(3, 3, Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1));
  await assert.rejects(gapPinv(matrix(2, 3, new Float64Array(6)), g, 1), (e: unknown) => {
    assert.ok(e instanceof ShapeError);
    assert.match(e.message, /square G, got 2 x 3/);
    return true;
  });
  await assert.rejects(
    gapPinv(g, matrix(1, 2, new Float64Array(2)), 1),
    (e: unknown) => e instanceof ShapeError && /b must have 3 columns, got 2/.test(e.message),
  );
});
