/**
 * Dense linear solves for small systems (LLE's k x k local Gram matrices, LDA's generalised
 * eigenproblem): Cholesky for symmetric positive definite matrices (what scikit-learn's
 * `scipy.linalg.solve(..., assume_a='pos')` calls, LAPACK posv) and LU with partial pivoting
 * for the general case (LAPACK gesv). Golub & Van Loan, Matrix Computations 4th ed., §4.2, §3.4.
 */
import { NumericalError, ShapeError } from '../errors.js';
import { matrix, type Matrix } from '../util/matrix.js';

/**
 * Lower Cholesky factor L (A = L·Lᵀ) of the symmetric matrix `a` (lower triangle read).
 * @throws ShapeError when not square; NumericalError when `a` is not positive definite.
 */
export function cholesky(a: Matrix): Matrix {
  if (a.rows !== a.cols)
    throw new ShapeError(`cholesky needs a square matrix, got ${a.rows} x ${a.cols}`);
  const n = a.rows;
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a.data[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      if (i === j) {
        if (!(s > 0)) {
          throw new NumericalError(
            `cholesky: matrix is not positive definite (pivot ${i} is ${s}); add regularisation`,
          );
        }
        l[i * n + i] = Math.sqrt(s);
      } else l[i * n + j] = s / l[j * n + j];
    }
  }
  return matrix(n, n, l);
}

/** Solves L·Lᵀ·x = b given the factor from `cholesky`. @throws ShapeError on a length mismatch. */
export function choleskySolve(l: Matrix, b: ArrayLike<number>): Float64Array {
  const n = l.rows;
  if (b.length !== n)
    throw new ShapeError(`choleskySolve: b has ${b.length} values, expected ${n}`);
  const x = Float64Array.from(b);
  for (let i = 0; i < n; i++) {
    let s = x[i];
    for (let k = 0; k < i; k++) s -= l.data[i * n + k] * x[k];
    x[i] = s / l.data[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i];
    for (let k = i + 1; k < n; k++) s -= l.data[k * n + i] * x[k];
    x[i] = s / l.data[i * n + i];
  }
  return x;
}

/**
 * Solves a·x = b. `assumeA: 'pos'` (symmetric positive definite) uses Cholesky, 'gen' LU.
 * @example
 * solve(matrix(2, 2, Float64Array.of(4, 2, 2, 3)), [2, 1], { assumeA: 'pos' }); // [0.5, 0]
 * @throws ShapeError on shapes; NumericalError when singular (or not positive definite for 'pos').
 */
export function solve(
  a: Matrix,
  b: ArrayLike<number>,
  { assumeA = 'gen' }: { assumeA?: 'pos' | 'gen' } = {},
): Float64Array {
  if (a.rows !== a.cols)
    throw new ShapeError(`solve needs a square matrix, got ${a.rows} x ${a.cols}`);
  if (b.length !== a.rows)
    throw new ShapeError(`solve: b has ${b.length} values, expected ${a.rows}`);
  if (assumeA === 'pos') return choleskySolve(cholesky(a), b);
  return luSolve(a, b);
}

/** Gaussian elimination with partial pivoting on a copy of a. */
function luSolve(a: Matrix, b: ArrayLike<number>): Float64Array {
  const n = a.rows;
  const m = Float64Array.from(a.data);
  const x = Float64Array.from(b);
  let scale = 0;
  for (let i = 0; i < m.length; i++) scale = Math.max(scale, Math.abs(m[i]));
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r * n + c]) > Math.abs(m[p * n + c])) p = r;
    const pivot = m[p * n + c];
    if (!(Math.abs(pivot) > scale * n * 2 ** -52)) {
      throw new NumericalError(`solve: matrix is singular to working precision (column ${c})`);
    }
    if (p !== c) {
      for (let k = 0; k < n; k++) {
        const t = m[c * n + k];
        m[c * n + k] = m[p * n + k];
        m[p * n + k] = t;
      }
      const t = x[c];
      x[c] = x[p];
      x[p] = t;
    }
    for (let r = c + 1; r < n; r++) {
      const f = m[r * n + c] / pivot;
      if (f === 0) continue;
      for (let k = c + 1; k < n; k++) m[r * n + k] -= f * m[c * n + k];
      x[r] -= f * x[c];
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i];
    for (let k = i + 1; k < n; k++) s -= m[i * n + k] * x[k];
    x[i] = s / m[i * n + i];
  }
  return x;
}
