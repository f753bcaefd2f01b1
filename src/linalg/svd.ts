/**
 * Thin singular value decomposition A = U·diag(s)·Vᵀ by one-sided Jacobi rotations (Hestenes
 * 1958; Demmel & Veselić, SIAM J. Matrix Anal. Appl. 13(4), 1992, doi:10.1137/0613074), which
 * gives small singular values to high relative accuracy, as LAPACK's gesdd does for well-scaled
 * input. Cost per sweep about 3·r²·m for an m x n matrix with r = min(m, n), 6 to 10 sweeps, so
 * it serves the small SVDs of the reducers (randomized SVD's l x d matrix, LDA's class-centre
 * matrix); large problems go through `scatterMatrix` + `symmetricEigen` instead.
 * Singular vectors of zero singular values are completed to an orthonormal set.
 */
import { NumericalError } from '../errors.js';
import { matrix, type Matrix } from '../util/matrix.js';

/** A thin SVD: u is m x r, s descending (r values), vt is r x n, r = min(m, n). */
export interface Svd {
  u: Matrix;
  s: Float64Array;
  vt: Matrix;
}

/**
 * Thin SVD of `a`, singular values descending.
 * @example
 * svd(matrix(2, 2, Float64Array.of(3, 0, 0, -2))).s; // [3, 2]
 * @throws NumericalError on NaN/Inf in `a` or when Jacobi sweeps do not converge.
 */
export function svd(a: Matrix): Svd {
  const m = a.rows;
  const n = a.cols;
  for (let i = 0; i < a.data.length; i++) {
    if (!Number.isFinite(a.data[i])) {
      throw new NumericalError(
        `svd: entry (${Math.floor(i / n)}, ${i % n}) is ${a.data[i]}; expected finite values`,
      );
    }
  }
  if (m >= n) {
    // Columns of a, stored as rows of length m, are rotated until mutually orthogonal.
    const cols = new Float64Array(n * m);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) cols[j * m + i] = a.data[i * n + j];
    const { s, w, v } = jacobi(cols, n, m);
    return { u: transposeRows(w, n, m), s, vt: matrix(n, n, v) };
  }
  // Wide: decompose aᵀ, whose columns are the rows of a.
  const rows = Float64Array.from(a.data);
  const { s, w, v } = jacobi(rows, m, n);
  return { u: transposeRows(v, m, m), s, vt: matrix(m, n, w) };
}

/** r x len row storage -> len x r matrix. */
function transposeRows(w: Float64Array, r: number, len: number): Matrix {
  const out = new Float64Array(len * r);
  for (let j = 0; j < r; j++) for (let i = 0; i < len; i++) out[i * r + j] = w[j * len + i];
  return matrix(len, r, out);
}

/**
 * One-sided Jacobi on r vectors of length len (rows of w). Returns their norms s (descending),
 * the normalised vectors w (rows, sorted with s), and the accumulated rotation v (row k of v
 * holds the coefficients of output vector k over the input vectors).
 */
function jacobi(
  w: Float64Array,
  r: number,
  len: number,
): { s: Float64Array; w: Float64Array; v: Float64Array } {
  const v = new Float64Array(r * r);
  for (let i = 0; i < r; i++) v[i * r + i] = 1;
  const eps = 2 ** -52;
  const maxSweeps = 60;
  let fro2 = 0;
  for (let i = 0; i < w.length; i++) fro2 += w[i] * w[i];
  // A vector this small is numerically zero: rotating it against others never converges.
  const negligible = fro2 * eps * eps;
  let sweep = 0;
  for (let rotated = true; rotated; sweep++) {
    if (sweep === maxSweeps) {
      throw new NumericalError(`svd: one-sided Jacobi did not converge in ${maxSweeps} sweeps`);
    }
    rotated = false;
    for (let p = 0; p < r - 1; p++) {
      for (let q = p + 1; q < r; q++) {
        const op = p * len;
        const oq = q * len;
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let k = 0; k < len; k++) {
          const x = w[op + k];
          const y = w[oq + k];
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        if (alpha <= negligible || beta <= negligible) continue;
        if (gamma === 0 || Math.abs(gamma) <= eps * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let k = 0; k < len; k++) {
          const x = w[op + k];
          const y = w[oq + k];
          w[op + k] = c * x - s * y;
          w[oq + k] = s * x + c * y;
        }
        const vp = p * r;
        const vq = q * r;
        for (let k = 0; k < r; k++) {
          const x = v[vp + k];
          const y = v[vq + k];
          v[vp + k] = c * x - s * y;
          v[vq + k] = s * x + c * y;
        }
      }
    }
  }
  const norms = new Float64Array(r);
  for (let i = 0; i < r; i++) {
    let ss = 0;
    for (let k = 0; k < len; k++) ss += w[i * len + k] ** 2;
    norms[i] = Math.sqrt(ss);
  }
  const order = Array.from({ length: r }, (_, i) => i).sort((x, y) => norms[y] - norms[x] || x - y);
  const s = new Float64Array(r);
  const wOut = new Float64Array(r * len);
  const vOut = new Float64Array(r * r);
  const tiny = (norms[order[0]] ?? 0) * len * eps;
  for (let t = 0; t < r; t++) {
    const i = order[t];
    s[t] = norms[i];
    vOut.set(v.subarray(i * r, i * r + r), t * r);
    if (norms[i] > tiny)
      for (let k = 0; k < len; k++) wOut[t * len + k] = w[i * len + k] / norms[i];
  }
  completeOrthonormal(wOut, r, len, (t) => s[t] > tiny);
  return { s, w: wOut, v: vOut };
}

/**
 * Replaces the rows t of w (r rows of length len) for which keep(t) is false by unit vectors
 * orthogonal to all other rows (Gram-Schmidt twice on coordinate vectors).
 */
export function completeOrthonormal(
  w: Float64Array,
  r: number,
  len: number,
  keep: (t: number) => boolean,
): void {
  let e = 0;
  for (let t = 0; t < r; t++) {
    if (keep(t)) continue;
    for (; e < len; e++) {
      const row = w.subarray(t * len, (t + 1) * len);
      row.fill(0);
      row[e] = 1;
      for (let pass = 0; pass < 2; pass++) {
        for (let u = 0; u < r; u++) {
          if (u === t || (!keep(u) && u > t)) continue;
          let dot = 0;
          for (let k = 0; k < len; k++) dot += w[u * len + k] * row[k];
          for (let k = 0; k < len; k++) row[k] -= dot * w[u * len + k];
        }
      }
      let nn = 0;
      for (let k = 0; k < len; k++) nn += row[k] * row[k];
      if (nn > 0.25) {
        const inv = 1 / Math.sqrt(nn);
        for (let k = 0; k < len; k++) row[k] *= inv;
        e++;
        break;
      }
    }
  }
}

/**
 * scikit-learn's `svd_flip(u, v, u_based_decision=True)` (1.2), in place: each column of u is
 * signed so that its entry of largest magnitude (the first such) is positive, and the matching
 * row of vt flips with it. Gives deterministic signs that match scikit-learn's PCA.
 */
export function svdFlip(u: Matrix, vt: Matrix): void {
  const k = u.cols;
  for (let j = 0; j < k; j++) {
    let best = 0;
    let arg = 0;
    for (let i = 0; i < u.rows; i++) {
      const v = Math.abs(u.data[i * k + j]);
      if (v > best) {
        best = v;
        arg = i;
      }
    }
    if (u.data[arg * k + j] < 0) {
      for (let i = 0; i < u.rows; i++) u.data[i * k + j] = -u.data[i * k + j];
      const o = j * vt.cols;
      for (let c = 0; c < vt.cols; c++) vt.data[o + c] = -vt.data[o + c];
    }
  }
}
