/**
 * Dense symmetric eigendecomposition: Householder reduction to tridiagonal form, then the
 * implicit QL algorithm (EISPACK tred2/tql2, as translated in JAMA 1.0.3, public domain;
 * Wilkinson & Reinsch, Handbook for Automatic Computation II, 1971). The work matrix is held
 * transposed so every O(n³) inner loop runs over contiguous memory, and each eigenvector ends
 * up as a row; ml-matrix's `EigenvalueDecomposition` runs the same algorithm on arrays of
 * arrays with strided column access (its speed against this one: bench/README.md).
 * Accuracy: residual ‖A·v − λ·v‖ ≈ 1e-13·‖A‖.
 */
import { NumericalError, ShapeError } from '../errors.js';
import { matrix, type Matrix } from '../util/matrix.js';

/** Eigenvalues in ascending order; `vectors` row i is the unit eigenvector of `values[i]`. */
export interface SymmetricEigen {
  values: Float64Array;
  vectors: Matrix;
}

/**
 * All eigenpairs of the symmetric matrix `a` (only its lower triangle is read), ascending.
 * @example
 * const { values } = symmetricEigen(matrix(2, 2, Float64Array.of(2, 1, 1, 2)));
 * // values = [1, 3]
 * @throws ShapeError when `a` is not square; NumericalError on NaN/Inf or when QL does not converge.
 */
export function symmetricEigen(a: Matrix): SymmetricEigen {
  if (a.rows !== a.cols) {
    throw new ShapeError(`symmetricEigen needs a square matrix, got ${a.rows} x ${a.cols}`);
  }
  const n = a.rows;
  // w = Vᵀ of JAMA: w[j*n + k] stands for V[k][j]. Start from the lower triangle of a, mirrored.
  const w = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = a.data[i * n + j];
      if (!Number.isFinite(v)) {
        throw new NumericalError(
          `symmetricEigen: entry (${i}, ${j}) is ${v}; expected finite values`,
        );
      }
      w[i * n + j] = v;
      w[j * n + i] = v;
    }
  }
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  if (n > 0) {
    tred2(w, d, e, n);
    tql2(w, d, e, n);
  }
  return { values: d, vectors: matrix(n, n, w) };
}

/**
 * Eigenpairs of the symmetric tridiagonal matrix with diagonal `diag` and off-diagonal `off`
 * (off[i] couples i and i+1), ascending; vectors as rows. Inputs are not modified.
 * @throws ShapeError when off.length !== diag.length - 1; NumericalError when QL does not converge.
 */
export function tridiagonalEigen(diag: ArrayLike<number>, off: ArrayLike<number>): SymmetricEigen {
  const n = diag.length;
  if (n > 0 && off.length !== n - 1) {
    throw new ShapeError(
      `tridiagonalEigen off-diagonal must have ${n - 1} values, got ${off.length}`,
    );
  }
  const d = Float64Array.from(diag);
  // tql2 reads the sub-diagonal shifted by one: e[i] couples i-1 and i.
  const e = new Float64Array(n);
  for (let i = 1; i < n; i++) e[i] = off[i - 1];
  const w = new Float64Array(n * n);
  for (let i = 0; i < n; i++) w[i * n + i] = 1;
  if (n > 0) tql2(w, d, e, n);
  return { values: d, vectors: matrix(n, n, w) };
}

/**
 * Householder tridiagonalisation (JAMA tred2) on the transposed work matrix w. With
 * `accumulate` false the transformations are not formed: d gets T's diagonal, `hs` (when
 * given) each reflector's h, and row m of w keeps reflector m's vector u_m in columns 0..m-1
 * (Q = H_{n-1}···H_1, H_m = I − u_m·u_mᵀ/h_m; h_m = 0: H_m = I).
 * @internal exported for eigen-sym-thin.ts
 */
export function tred2(
  w: Float64Array,
  d: Float64Array,
  e: Float64Array,
  n: number,
  accumulate = true,
  hs?: Float64Array,
): void {
  for (let j = 0; j < n; j++) d[j] = w[j * n + n - 1];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = w[j * n + i - 1];
        w[j * n + i] = 0;
        w[i * n + j] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j];
        w[i * n + j] = f;
        const row = j * n;
        // Two running sums: one is bound by the add latency.
        let g0 = e[j] + w[row + j] * f;
        let g1 = 0;
        let k = j + 1;
        for (; k + 1 <= i - 1; k += 2) {
          const v0 = w[row + k];
          const v1 = w[row + k + 1];
          g0 += v0 * d[k];
          g1 += v1 * d[k + 1];
          e[k] += v0 * f;
          e[k + 1] += v1 * f;
        }
        for (; k <= i - 1; k++) {
          const v = w[row + k];
          g0 += v * d[k];
          e[k] += v * f;
        }
        e[j] = g0 + g1;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        f = d[j];
        g = e[j];
        const row = j * n;
        for (let k = j; k <= i - 1; k++) w[row + k] -= f * e[k] + g * d[k];
        d[j] = w[row + i - 1];
        w[row + i] = 0;
      }
    }
    d[i] = h;
  }
  if (!accumulate) {
    // The accumulation below reads V[i][i] (T's diagonal) before touching it, and u_m, h_m.
    hs?.set(d);
    for (let j = 0; j < n; j++) d[j] = w[j * n + j];
    e[0] = 0;
    return;
  }
  // Accumulate the transformations.
  for (let i = 0; i < n - 1; i++) {
    w[i * n + n - 1] = w[i * n + i];
    w[i * n + i] = 1;
    const h = d[i + 1];
    const next = (i + 1) * n;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = w[next + k] / h;
      for (let j = 0; j <= i; j++) {
        const row = j * n;
        let g0 = 0;
        let g1 = 0;
        let g2 = 0;
        let g3 = 0;
        let k = 0;
        for (; k + 3 <= i; k += 4) {
          g0 += w[next + k] * w[row + k];
          g1 += w[next + k + 1] * w[row + k + 1];
          g2 += w[next + k + 2] * w[row + k + 2];
          g3 += w[next + k + 3] * w[row + k + 3];
        }
        for (; k <= i; k++) g0 += w[next + k] * w[row + k];
        const g = g0 + g1 + (g2 + g3);
        for (let k2 = 0; k2 <= i; k2++) w[row + k2] -= g * d[k2];
      }
    }
    for (let k = 0; k <= i; k++) w[next + k] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = w[j * n + n - 1];
    w[j * n + n - 1] = 0;
  }
  w[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

/** sqrt(a² + b²) without destructive overflow or underflow. */
function hypot(a: number, b: number): number {
  const x = Math.abs(a);
  const y = Math.abs(b);
  if (x > y) {
    const r = y / x;
    return x * Math.sqrt(1 + r * r);
  }
  if (y === 0) return 0;
  const r = x / y;
  return y * Math.sqrt(1 + r * r);
}

/**
 * Implicit QL on the tridiagonal (d, e), rotating the rows of w (n rows of `width` values);
 * then sorts ascending, rows of w and `order` (when given) with the values. `log`, when given,
 * receives every rotation (i, c, s) in order.
 * @internal exported for eigen-sym-thin.ts
 */
export function tql2(
  w: Float64Array,
  d: Float64Array,
  e: Float64Array,
  n: number,
  width = n,
  log?: (i: number, c: number, s: number) => void,
  order?: Int32Array,
): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  const maxIter = 60;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n - 1 && Math.abs(e[m]) > eps * tst1) m++;
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > maxIter) {
          throw new NumericalError(
            `symmetric eigensolver (QL) did not converge for eigenvalue ${l} of ${n} after ${maxIter} iterations; the matrix may hold NaN or Inf`,
          );
        }
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          log?.(i, c, s);
          const ri = i * width;
          const rj = ri + width;
          for (let k = 0; k < width; k++) {
            const hk = w[rj + k];
            const wk = w[ri + k];
            w[rj + k] = s * wk + c * hk;
            w[ri + k] = c * wk - s * hk;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
  sortAscending(w, d, n, width, order);
}

function sortAscending(
  w: Float64Array,
  d: Float64Array,
  n: number,
  width: number,
  order?: Int32Array,
): void {
  const tmp = new Float64Array(width);
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    let p = d[i];
    for (let j = i + 1; j < n; j++) {
      if (d[j] < p) {
        k = j;
        p = d[j];
      }
    }
    if (k !== i) {
      d[k] = d[i];
      d[i] = p;
      tmp.set(w.subarray(i * width, i * width + width));
      w.copyWithin(i * width, k * width, k * width + width);
      w.set(tmp, k * width);
      if (order !== undefined) {
        const o = order[i];
        order[i] = order[k];
        order[k] = o;
      }
    }
  }
}
