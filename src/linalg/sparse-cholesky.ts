/**
 * Envelope (profile, "skyline") Cholesky of a sparse symmetric positive definite matrix after
 * a reverse Cuthill-McKee ordering (George & Liu 1981, ch. 4), and the shift-invert operator
 * built on it: x ↦ (A + δI)⁻¹x, whose largest eigenvalues 1/(λ + δ) belong to A's smallest λ.
 * This is how LLE finds the bottom of the spectrum of M = (I − W)ᵀ(I − W), as ARPACK's
 * shift-invert mode (sigma = 0) does for scikit-learn: Lanczos on M itself, or on σI − M
 * (spectrum folding), needs thousands of steps there because the wanted eigenvalues (1e-8 to
 * 1e-5 on a swiss roll) sit within 1e-8 of the spread, while shift-invert converges in about
 * 2·(k + 1) + 10 steps. The envelope stays narrow on manifold-like kNN graphs; measured: see
 * the LLE notes in src/reducers/lle.ts.
 */
import { ConfigError, NumericalError, ShapeError } from '../errors.js';
import { reverseCuthillMcKee, type Csr } from './sparse.js';

/** Refuse envelopes above this many float64 values (1.6 GB). */
export const MAX_ENVELOPE = 2e8;

/** An envelope Cholesky factor of P·(A + shift·I)·Pᵀ. */
export interface EnvelopeCholesky {
  readonly n: number;
  /** perm[new] = old. */
  readonly perm: Int32Array;
  /** first[i]: the first column stored in row i of L. */
  readonly first: Int32Array;
  /** Offset of row i's first stored value in `values`. */
  readonly offset: Float64Array;
  readonly values: Float64Array;
  readonly shift: number;
}

/**
 * Factors A + shift·I (A symmetric, both triangles stored) in RCM order.
 * @throws ShapeError when A is not square; ConfigError when the envelope exceeds MAX_ENVELOPE;
 * NumericalError when A + shift·I is not positive definite.
 */
export function envelopeCholesky(a: Csr, shift = 0): EnvelopeCholesky {
  if (a.rows !== a.cols)
    throw new ShapeError(`envelopeCholesky needs a square matrix, got ${a.rows} x ${a.cols}`);
  const n = a.rows;
  const perm = reverseCuthillMcKee(a);
  const inv = new Int32Array(n);
  for (let i = 0; i < n; i++) inv[perm[i]] = i;
  const first = new Int32Array(n);
  const offset = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    let f = i;
    const old = perm[i];
    for (let p = a.indptr[old]; p < a.indptr[old + 1]; p++) f = Math.min(f, inv[a.indices[p]]);
    first[i] = f;
    offset[i + 1] = offset[i] + (i - f + 1);
  }
  if (offset[n] > MAX_ENVELOPE) {
    throw new ConfigError(
      `sparse Cholesky envelope would hold ${offset[n]} values (> ${MAX_ENVELOPE}); the neighbour graph is too entangled for this n — lower n or nNeighbors`,
    );
  }
  const values = new Float64Array(offset[n]);
  for (let i = 0; i < n; i++) {
    const old = perm[i];
    const base = offset[i] - first[i];
    for (let p = a.indptr[old]; p < a.indptr[old + 1]; p++) {
      const j = inv[a.indices[p]];
      if (j <= i) values[base + j] += a.values[p];
    }
    values[base + i] += shift;
  }
  for (let i = 0; i < n; i++) {
    const fi = first[i];
    const bi = offset[i] - fi;
    for (let j = fi; j < i; j++) {
      const fj = first[j];
      const bj = offset[j] - fj;
      let s = values[bi + j];
      for (let k = Math.max(fi, fj); k < j; k++) s -= values[bi + k] * values[bj + k];
      values[bi + j] = s / values[bj + j];
    }
    let s = values[bi + i];
    for (let k = fi; k < i; k++) s -= values[bi + k] * values[bi + k];
    if (!(s > 0)) {
      throw new NumericalError(
        `sparse Cholesky: matrix + ${shift}·I is not positive definite (pivot ${i} is ${s})`,
      );
    }
    values[bi + i] = Math.sqrt(s);
  }
  return { n, perm, first, offset, values, shift };
}

/** x = (A + shift·I)⁻¹·b through the factor; b and x may be the same array. */
export function envelopeSolve(f: EnvelopeCholesky, b: ArrayLike<number>, x: Float64Array): void {
  const { n, perm, first, offset, values } = f;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = b[perm[i]];
  for (let i = 0; i < n; i++) {
    const bi = offset[i] - first[i];
    let s = y[i];
    for (let k = first[i]; k < i; k++) s -= values[bi + k] * y[k];
    y[i] = s / values[bi + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    const bi = offset[i] - first[i];
    const xi = y[i] / values[bi + i];
    y[i] = xi;
    for (let k = first[i]; k < i; k++) y[k] -= values[bi + k] * xi;
  }
  for (let i = 0; i < n; i++) x[perm[i]] = y[i];
}
