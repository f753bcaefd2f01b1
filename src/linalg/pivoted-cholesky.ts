/**
 * Cholesky factorisation with complete (diagonal) pivoting of a symmetric positive semidefinite
 * matrix, stopped when every remaining pivot is at most a threshold: Pᵀ·A·P = L·Lᵀ + S with L
 * n x r lower trapezoidal and S the (n − r) x (n − r) Schur complement left over (Higham,
 * "Cholesky factorization", WIREs Comp. Stat. 2009, §3; LAPACK dpstf2). Because the largest
 * diagonal is taken first, every entry of S is at most the stopping threshold in size
 * (|s_ij| ≤ √(s_ii·s_jj) for a semidefinite S), which is what makes r a usable numerical rank
 * and ‖S‖_F a bound on what was dropped. Blocked like LAPACK dpstrf: panels of 48 columns chosen
 * by the updated diagonal and formed by dot products in JS, the trailing matrix updated by one
 * float64 gemm per panel on the given backend (gemm.ts). About n³/6 multiply-adds at full rank,
 * an eighth of a tridiagonal reduction's 4n³/3.
 */
import { NumericalError, ShapeError } from '../errors.js';
import { matrix, type Matrix } from '../util/matrix.js';
import type { ComputeBackend } from './backend.js';
import { gemm } from './gemm.js';
import { jsBackend } from './js-backend.js';

/** The factor and what the factorisation left over. */
export interface PivotedCholesky {
  /** Numerical rank: the number of pivots above the threshold. */
  rank: number;
  /** perm[i] = the row/column of A placed at position i. */
  perm: Int32Array;
  /** L, n x rank row-major, rows in pivoted order (row i belongs to A's row perm[i]). */
  l: Float64Array;
  /** Frobenius norm of the Schur complement S that was not factored (0 at full rank). */
  residual: number;
}

/** Columns per panel: the panel's dot products run in JS, the trailing update is one gemm. */
const BLOCK = 48;

/** Options of `pivotedCholesky`. */
export interface PivotedCholeskyOptions {
  /** Columns per panel; default 48. */
  block?: number;
  /** Backend of the trailing updates' gemm; default `jsBackend`. */
  backend?: ComputeBackend;
}

/**
 * Pivoted Cholesky of the symmetric `a` (lower triangle read), stopping once the largest
 * remaining pivot is <= `threshold` (>= 0).
 * @example
 * const f = await pivotedCholesky(matrix(2, 2, Float64Array.of(1, 2, 2, 4)), 1e-12);
 * // f.rank = 1, f.perm = [1, 0], f.l = [2, 1], f.residual = 0
 * @throws ShapeError when a is not square; NumericalError on a non-finite entry or a bad threshold
 */
export async function pivotedCholesky(
  a: Matrix,
  threshold: number,
  opts: PivotedCholeskyOptions = {},
): Promise<PivotedCholesky> {
  const block = opts.block ?? BLOCK;
  const backend = opts.backend ?? jsBackend;
  if (a.rows !== a.cols)
    throw new ShapeError(`pivotedCholesky needs a square matrix, got ${a.rows} x ${a.cols}`);
  if (!(threshold >= 0) || !Number.isFinite(threshold))
    throw new NumericalError(`pivotedCholesky threshold must be finite and >= 0, got ${threshold}`);
  const n = a.rows;
  // t: the trailing matrix (s x s, both triangles) of the permuted A, updated for every column
  // factored before the current panel.
  let t = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = a.data[i * n + j];
      if (!Number.isFinite(v))
        throw new NumericalError(
          `pivotedCholesky: entry (${i}, ${j}) is ${v}; expected finite values`,
        );
      t[i * n + j] = v;
      t[j * n + i] = v;
    }
  }
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  const big = new Float64Array(n * n); // L, n x n row-major, pivoted row order
  let rank = n;
  let residual = 0;
  for (let j0 = 0; j0 < n;) {
    const s = n - j0;
    const nb = Math.min(block, s);
    const lp = new Float64Array(s * nb); // the panel, s x nb
    const done = factorPanel(t, s, lp, nb, big, n, j0, perm, threshold);
    for (let i = 0; i < s; i++)
      for (let c = 0, e = Math.min(i + 1, done); c < e; c++)
        big[(j0 + i) * n + j0 + c] = lp[i * nb + c];
    if (done < nb) {
      rank = j0 + done;
      residual = schurNorm(t, s, lp, nb, done);
      break;
    }
    const s2 = s - nb;
    if (s2 > 0) {
      const c = new Float64Array(s2 * s2);
      for (let i = 0; i < s2; i++) c.set(t.subarray((nb + i) * s + nb, (nb + i + 1) * s), i * s2);
      const l2 = matrix(s2, nb, lp.subarray(nb * nb));
      t = (await gemm(backend, l2, l2, { transB: true, alpha: -1, c: matrix(s2, s2, c) })).data;
    }
    j0 += nb;
  }
  const l = new Float64Array(n * rank);
  for (let i = 0; i < n; i++)
    for (let k = 0, e = Math.min(i + 1, rank); k < e; k++) l[i * rank + k] = big[i * n + k];
  return { rank, perm, l, residual };
}

/**
 * Factors up to nb columns of the trailing matrix t (s x s) into the panel lp (s x nb), pivoting
 * on the updated diagonal; returns how many columns had a pivot above the threshold.
 */
function factorPanel(
  t: Float64Array,
  s: number,
  lp: Float64Array,
  nb: number,
  big: Float64Array,
  n: number,
  j0: number,
  perm: Int32Array,
  threshold: number,
): number {
  const dv = new Float64Array(s); // the diagonal, updated for the panel's columns so far
  for (let i = 0; i < s; i++) dv[i] = t[i * s + i];
  for (let j = 0; j < nb; j++) {
    let p = j;
    for (let i = j + 1; i < s; i++) if (dv[i] > dv[p]) p = i;
    if (!(dv[p] > threshold)) return j;
    if (p !== j) {
      swapRows(t, s, s, j, p);
      swapCols(t, s, s, j, p);
      swapRows(lp, nb, nb, j, p);
      swapRows(big, n, j0, j0 + j, j0 + p);
      const dj = dv[j];
      dv[j] = dv[p];
      dv[p] = dj;
      const pj = perm[j0 + j];
      perm[j0 + j] = perm[j0 + p];
      perm[j0 + p] = pj;
    }
    const piv = Math.sqrt(dv[j]);
    lp[j * nb + j] = piv;
    for (let i = j + 1; i < s; i++) {
      let v = t[i * s + j];
      for (let c = 0, oi = i * nb, oj = j * nb; c < j; c++) v -= lp[oi + c] * lp[oj + c];
      v /= piv;
      lp[i * nb + j] = v;
      dv[i] -= v * v;
    }
  }
  return nb;
}

/** ‖S‖_F of the Schur complement left after `done` panel columns: rows/columns done.. of t − lp·lpᵀ. */
function schurNorm(t: Float64Array, s: number, lp: Float64Array, nb: number, done: number): number {
  let sum = 0;
  for (let i = done; i < s; i++) {
    for (let k = done; k < s; k++) {
      let v = t[i * s + k];
      for (let c = 0; c < done; c++) v -= lp[i * nb + c] * lp[k * nb + c];
      sum += v * v;
    }
  }
  return Math.sqrt(sum);
}

/** Swaps the first `len` entries of rows i and j of a row-major matrix with `stride` columns. */
function swapRows(w: Float64Array, stride: number, len: number, i: number, j: number): void {
  for (let k = 0, oi = i * stride, oj = j * stride; k < len; k++) {
    const v = w[oi + k];
    w[oi + k] = w[oj + k];
    w[oj + k] = v;
  }
}

/** Swaps columns i and j of a row-major matrix with `rows` rows and `stride` columns. */
function swapCols(w: Float64Array, stride: number, rows: number, i: number, j: number): void {
  for (let r = 0, o = 0; r < rows; r++, o += stride) {
    const v = w[o + i];
    w[o + i] = w[o + j];
    w[o + j] = v;
  }
}
