/**
 * The truncated pseudo-inverse G⁺_τ = Σ_{λᵢ > τ} vᵢvᵢᵀ/λᵢ of a symmetric positive semidefinite
 * G applied to a few vectors, without an eigendecomposition, for the common case where G's
 * spectrum has a clear gap at τ: exact zeros from dependent features far below it, the rest well
 * above. This is LDA's first step (scikit-learn's `_solve_svd` keeps the singular values of the
 * scaled within-class data above tol, i.e. the eigenvalues of their Gram above tol²), which
 * otherwise needs all eigenvalues of a d x d matrix: a Householder tridiagonalisation, 4d³/3
 * multiply-adds in JS where a pivoted Cholesky costs d³/6.
 *
 * How: pivoted Cholesky stopped at pivots <= 1e-3·τ gives G = P·(F·Fᵀ + S)·Pᵀ, F = [I; K]·L₁₁
 * (r columns), ‖S‖_F = ε. By Weyl's inequality every eigenvalue of G lies within ε of one of
 * F·Fᵀ, whose non-zero eigenvalues are those of FᵀF = L₁₁ᵀ·(I + KᵀK)·L₁₁. So when ε < τ and
 * λ_min(FᵀF) − ε > τ, exactly r eigenvalues of G exceed τ, and G⁺_τ equals (F·Fᵀ)⁺ =
 * P·[I; K]·A⁻¹·(L₁₁L₁₁ᵀ)⁻¹·A⁻¹·[I, Kᵀ]·Pᵀ (A = I + KᵀK, inverted by Woodbury through the
 * (n − r) x (n − r) matrix I + KKᵀ) up to a relative error of order ε/λ_min, required below
 * 1e-8. λ_min(FᵀF) is estimated by inverse iteration from a seeded random start (an estimate
 * from above; the required margin is 4τ). When any condition fails the caller falls back to the
 * eigendecomposition (`undefined` is returned).
 */
import { ShapeError } from '../errors.js';
import { matrix, type Matrix } from '../util/matrix.js';
import { Rng } from '../util/rng.js';
import type { ComputeBackend } from './backend.js';
import { jsBackend } from './js-backend.js';
import { pivotedCholesky } from './pivoted-cholesky.js';
import { cholesky, choleskySolve } from './solve.js';

/** G⁺_τ·bᵀ as rows, and the number of eigenvalues of G above τ. */
export interface GapPinv {
  rank: number;
  /** c x n: row j = G⁺_τ · (row j of b). */
  y: Matrix;
}

/** Inverse-iteration steps for λ_min: at least MIN, at most MAX, until the estimate settles to 1e-3. */
const MIN_STEPS = 8;
const MAX_STEPS = 60;

/**
 * G⁺_τ applied to the rows of b (c x n) when G (n x n, symmetric PSD) has a clear spectral gap
 * at τ > 0; undefined when it does not (then decide from the eigenvalues). The factorisation's
 * gemm runs on `backend` (default `jsBackend`).
 * @throws ShapeError on mismatched shapes
 */
export async function gapPinv(
  g: Matrix,
  b: Matrix,
  tau: number,
  backend: ComputeBackend = jsBackend,
): Promise<GapPinv | undefined> {
  const n = g.rows;
  if (g.cols !== n) throw new ShapeError(`gapPinv needs a square G, got ${g.rows} x ${g.cols}`);
  if (b.cols !== n) throw new ShapeError(`gapPinv b must have ${n} columns, got ${b.cols}`);
  if (!(tau > 0)) return undefined;
  const f = await pivotedCholesky(g, 1e-3 * tau, { backend });
  const r = f.rank;
  const eps = f.residual;
  if (r === 0 || !(eps < tau)) return undefined;
  const m = n - r;
  const l = f.l;
  // K = L₂₁·L₁₁⁻¹ (m x r): each row k solves L₁₁ᵀ·kᵀ = l₂₁ᵀ.
  const kk = new Float64Array(m * r);
  for (let q = 0; q < m; q++) {
    const row = kk.subarray(q * r, q * r + r);
    row.set(l.subarray((r + q) * r, (r + q) * r + r));
    backT(l, r, row);
  }
  const woodbury = m > 0 ? cholesky(plusGram(kk, m, r)) : undefined;
  // x ← A⁻¹·x = x − Kᵀ·(I + KKᵀ)⁻¹·K·x.
  const aInv = (x: Float64Array): void => {
    if (woodbury === undefined) return;
    const kx = new Float64Array(m);
    for (let q = 0; q < m; q++) {
      let s = 0;
      for (let t = 0, o = q * r; t < r; t++) s += kk[o + t] * x[t];
      kx[q] = s;
    }
    const c = choleskySolve(woodbury, kx);
    for (let q = 0; q < m; q++) {
      const cq = c[q];
      for (let t = 0, o = q * r; t < r; t++) x[t] -= kk[o + t] * cq;
    }
  };
  // Inverse iteration on (FᵀF)⁻¹ = L₁₁⁻¹·A⁻¹·L₁₁⁻ᵀ.
  const rng = new Rng(0x9a9);
  let z = Float64Array.from({ length: r }, () => rng.normal());
  let rho = 0;
  for (let step = 0; step < MAX_STEPS; step++) {
    let nz = 0;
    for (let t = 0; t < r; t++) nz += z[t] * z[t];
    nz = Math.sqrt(nz);
    for (let t = 0; t < r; t++) z[t] /= nz;
    const v = Float64Array.from(z);
    backT(l, r, v);
    aInv(v);
    forward(l, r, v);
    let next = 0;
    for (let t = 0; t < r; t++) next += z[t] * v[t];
    const settled = Math.abs(next - rho) <= 1e-3 * next;
    rho = next;
    z = v;
    if (step + 1 >= MIN_STEPS && settled) break;
  }
  const lamMin = 1 / rho;
  if (!(lamMin - eps > 4 * tau) || !(eps <= 1e-8 * lamMin)) return undefined;
  const c = b.rows;
  const y = new Float64Array(c * n);
  const u = new Float64Array(r);
  for (let j = 0; j < c; j++) {
    const bj = b.data.subarray(j * n, j * n + n);
    // u = [I, Kᵀ]·Pᵀ·b
    for (let t = 0; t < r; t++) u[t] = bj[f.perm[t]];
    for (let q = 0; q < m; q++) {
      const bq = bj[f.perm[r + q]];
      if (bq !== 0) for (let t = 0, o = q * r; t < r; t++) u[t] += kk[o + t] * bq;
    }
    aInv(u);
    forward(l, r, u);
    backT(l, r, u);
    aInv(u);
    // y = P·[I; K]·u
    const out = y.subarray(j * n, j * n + n);
    for (let t = 0; t < r; t++) out[f.perm[t]] = u[t];
    for (let q = 0; q < m; q++) {
      let s = 0;
      for (let t = 0, o = q * r; t < r; t++) s += kk[o + t] * u[t];
      out[f.perm[r + q]] = s;
    }
  }
  return { rank: r, y: matrix(c, n, y) };
}

/** Solves L₁₁·x = v in place (L₁₁: the first r rows of the n x r factor, row-major). */
function forward(l: Float64Array, r: number, v: Float64Array): void {
  for (let i = 0; i < r; i++) {
    let s = v[i];
    for (let k = 0, o = i * r; k < i; k++) s -= l[o + k] * v[k];
    v[i] = s / l[i * r + i];
  }
}

/** Solves L₁₁ᵀ·x = v in place, column-oriented so that rows of L are read contiguously. */
function backT(l: Float64Array, r: number, v: Float64Array): void {
  for (let i = r - 1; i >= 0; i--) {
    const xi = (v[i] /= l[i * r + i]);
    if (xi !== 0) for (let k = 0, o = i * r; k < i; k++) v[k] -= l[o + k] * xi;
  }
}

/** I + K·Kᵀ (m x m) for K m x r. */
function plusGram(k: Float64Array, m: number, r: number): Matrix {
  const out = new Float64Array(m * m);
  for (let p = 0; p < m; p++) {
    for (let q = 0; q <= p; q++) {
      let s = p === q ? 1 : 0;
      for (let t = 0; t < r; t++) s += k[p * r + t] * k[q * r + t];
      out[p * m + q] = s;
      out[q * m + p] = s;
    }
  }
  return matrix(m, m, out);
}
