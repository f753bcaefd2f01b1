/**
 * All eigenvalues of a dense symmetric matrix with its eigenvectors used only through a few
 * vectors: Vᵀ·x and V·y for thin x, y, never V itself. Same Householder + implicit QL as
 * eigen-sym.ts (EISPACK tred2/tql2 via JAMA 1.0.3), but the reflectors are kept as vectors and
 * the QL rotations are applied to the thin block (and logged for V·y) instead of to an n x n
 * matrix: O(4n³/3 + n²·c) instead of about 9n³ flops. Results equal `symmetricEigen`'s to
 * rounding (same operations in the same order). LDA's svd solver falls back to this when its
 * spectrum has no clear gap at tol² (gap-pinv.ts): the full spectrum of the d x d whitened
 * within-class Gram for its rank decision, and the eigenvectors only against the class centres
 * (its time on MNIST's within-class Gram: bench/README.md).
 */
import { NumericalError, ShapeError } from '../errors.js';
import { matrix, type Matrix } from '../util/matrix.js';
import { tql2, tred2 } from './eigen-sym.js';

/** Eigenvalues (ascending) and the two thin products with the eigenvector matrix V (rows = vectors). */
export interface ThinEigen {
  values: Float64Array;
  /** n x c: entry (t, j) = v_t · x_j, for the c rows x_j given to `symmetricEigenThin`. */
  projected: Matrix;
  /** Rows Σ_t coef[t, j] · v_t for coef (n x c', row t for eigenvalue t); returns c' x n. */
  expand(coef: Matrix): Matrix;
}

/**
 * Eigenvalues of the symmetric `a` (lower triangle read) and Vᵀ·xᵀ for the rows of x (c x n).
 * @example
 * const r = symmetricEigenThin(matrix(2, 2, Float64Array.of(2, 1, 1, 2)), matrix(1, 2, Float64Array.of(1, 1)));
 * // r.values = [1, 3]; r.projected.data ≈ [0, ±1.414]
 * @throws ShapeError when a is not square or x has another row length; NumericalError on NaN/Inf or no QL convergence.
 */
export function symmetricEigenThin(a: Matrix, x: Matrix): ThinEigen {
  if (a.rows !== a.cols)
    throw new ShapeError(`symmetricEigenThin needs a square matrix, got ${a.rows} x ${a.cols}`);
  const n = a.rows;
  if (x.cols !== n)
    throw new ShapeError(`symmetricEigenThin x must have ${n} columns, got ${x.rows} x ${x.cols}`);
  const c = x.rows;
  const w = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = a.data[i * n + j];
      if (!Number.isFinite(v))
        throw new NumericalError(
          `symmetricEigenThin: entry (${i}, ${j}) is ${v}; expected finite values`,
        );
      w[i * n + j] = v;
      w[j * n + i] = v;
    }
  }
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const hs = new Float64Array(n);
  // block: n x c, starts as Qᵀ·xᵀ (H_{n-1} applied first), then takes the rotations.
  const block = new Float64Array(n * c);
  for (let j = 0; j < c; j++) for (let i = 0; i < n; i++) block[i * c + j] = x.data[j * n + i];
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const rotI: number[] = [];
  const rotC: number[] = [];
  const rotS: number[] = [];
  if (n > 0) {
    tred2(w, d, e, n, false, hs);
    for (let m = n - 1; m >= 1; m--) reflect(w, m, hs[m], block, n, c);
    tql2(block, d, e, n, c, (i, cs, sn) => (rotI.push(i), rotC.push(cs), rotS.push(sn)), order);
  }
  return { values: d, projected: matrix(n, c, block), expand };

  function expand(coef: Matrix): Matrix {
    if (coef.rows !== n)
      throw new ShapeError(`expand coef must have ${n} rows, got ${coef.rows} x ${coef.cols}`);
    const m = coef.cols;
    const y = new Float64Array(n * m);
    for (let t = 0; t < n; t++) y.set(coef.data.subarray(t * m, t * m + m), order[t] * m);
    for (let r = rotI.length - 1; r >= 0; r--) {
      const ri = rotI[r] * m;
      const rj = ri + m;
      const cs = rotC[r];
      const sn = rotS[r];
      for (let k = 0; k < m; k++) {
        const a0 = y[ri + k];
        const a1 = y[rj + k];
        y[ri + k] = cs * a0 + sn * a1;
        y[rj + k] = -sn * a0 + cs * a1;
      }
    }
    for (let q = 1; q < n; q++) reflect(w, q, hs[q], y, n, m);
    const out = new Float64Array(m * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) out[j * n + i] = y[i * m + j];
    return matrix(m, n, out);
  }
}

/** Applies H_m = I − u·uᵀ/h (u = row m of w, columns 0..m-1) to the rows of y (n x c). */
function reflect(
  w: Float64Array,
  m: number,
  h: number,
  y: Float64Array,
  n: number,
  c: number,
): void {
  if (h === 0) return;
  const u = m * n;
  for (let j = 0; j < c; j++) {
    let g = 0;
    for (let k = 0; k < m; k++) g += w[u + k] * y[k * c + j];
    g /= h;
    for (let k = 0; k < m; k++) y[k * c + j] -= g * w[u + k];
  }
}
