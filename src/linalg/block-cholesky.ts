/**
 * Envelope Cholesky by dense column panels whose updates run as gemm calls (left-looking block
 * Cholesky, Golub & Van Loan, Matrix Computations 4th ed., §4.2.9, restricted to the RCM
 * envelope of sparse-cholesky.ts). Panel K holds columns K·nb..K·nb+nb−1 of L for the rows its
 * envelope reaches; it is updated by one float64 gemm per earlier panel that reaches its rows
 * (contiguous row slices, no copies), its diagonal block is factored in JS and the rows below
 * are solved against it by one more gemm with the inverted diagonal block. The result has the
 * same envelope layout as `envelopeCholesky`, so `envelopeSolve` uses it unchanged. It pays
 * only on a backend with a fast float64 gemm (`fastGemm`); otherwise the scalar envelope loop is
 * faster, so callers choose (bench/README.md has the measured times).
 */
import { NumericalError, ShapeError } from '../errors.js';
import { matrix } from '../util/matrix.js';
import type { ComputeBackend } from './backend.js';
import { gemm } from './gemm.js';
import { jsBackend } from './js-backend.js';
import { envelopeLayout, type EnvelopeCholesky } from './sparse-cholesky.js';
import type { Csr } from './sparse.js';

/** Panel width: on MNIST n = 5000, 256 took 161 gemm calls (25 GFLOP) against 593 calls for 128 and was faster. */
export const PANEL = 256;

/** Options of `blockEnvelopeCholesky`. */
export interface BlockCholeskyOptions {
  /** Panel width; default `PANEL`. */
  panel?: number;
  /** Backend of the panel updates' gemm; default `jsBackend`. */
  backend?: ComputeBackend;
}

/**
 * Factors A + shift·I (A symmetric, both triangles stored) in RCM order, panel by panel.
 * @throws ShapeError when A is not square; ConfigError when the envelope exceeds
 * MAX_ENVELOPE; NumericalError when A + shift·I is not positive definite.
 */
export async function blockEnvelopeCholesky(
  a: Csr,
  shift = 0,
  opts: BlockCholeskyOptions = {},
): Promise<EnvelopeCholesky> {
  const nb = opts.panel ?? PANEL;
  const backend = opts.backend ?? jsBackend;
  if (a.rows !== a.cols)
    throw new ShapeError(`blockEnvelopeCholesky needs a square matrix, got ${a.rows} x ${a.cols}`);
  const n = a.rows;
  const { perm, inv, first, offset, total } = envelopeLayout(a);
  const nBlocks = Math.ceil(n / nb);
  // end[K]: one past the last row whose envelope reaches panel K's columns.
  const end = new Int32Array(nBlocks);
  for (let i = 0; i < n; i++) {
    const kb = Math.floor(first[i] / nb);
    const lastK = Math.floor(i / nb);
    for (let k = kb; k <= lastK; k++) if (end[k] < i + 1) end[k] = i + 1;
  }
  const panels: Float64Array[] = [];
  for (let kb = 0; kb < nBlocks; kb++) {
    const c0 = kb * nb;
    const c1 = Math.min(n, c0 + nb);
    const w = c1 - c0;
    const rows = end[kb] - c0;
    const p = new Float64Array(rows * w);
    for (let i = c0; i < end[kb]; i++) {
      const old = perm[i];
      for (let q = a.indptr[old]; q < a.indptr[old + 1]; q++) {
        const j = inv[a.indices[q]];
        if (j >= c0 && j < c1 && j <= i) p[(i - c0) * w + j - c0] += a.values[q];
      }
      if (i < c1) p[(i - c0) * w + i - c0] += shift;
    }
    // Left-looking update by every earlier panel that reaches these rows: p −= S·Dᵀ, inside the
    // gemm (C input) when it covers the whole panel width, else subtracted here.
    let cur: Float64Array<ArrayBufferLike> = p;
    for (let jb = 0; jb < kb; jb++) {
      if (end[jb] <= c0) continue;
      const pj = panels[jb];
      const j0 = jb * nb;
      const wj = Math.min(n, j0 + nb) - j0;
      const rEnd = Math.min(end[jb], end[kb]);
      const dEnd = Math.min(end[jb], c1);
      const s = matrix(rEnd - c0, wj, pj.subarray((c0 - j0) * wj, (rEnd - j0) * wj));
      const d = matrix(dEnd - c0, wj, pj.subarray((c0 - j0) * wj, (dEnd - j0) * wj));
      const wd = dEnd - c0;
      if (wd === w) {
        const c = matrix(rEnd - c0, w, cur.subarray(0, (rEnd - c0) * w));
        const u = (await gemm(backend, s, d, { transB: true, alpha: -1, c })).data;
        if (rEnd === end[kb]) cur = u;
        else cur.set(u);
      } else {
        const u = (await gemm(backend, s, d, { transB: true })).data;
        for (let r = 0; r < rEnd - c0; r++) {
          for (let c = 0; c < wd; c++) cur[r * w + c] -= u[r * wd + c];
        }
      }
    }
    if (cur !== p) p.set(cur);
    factorDiagonal(p, w, c0, shift);
    if (rows > w) {
      const linv = invertLower(p, w);
      const below = matrix(rows - w, w, p.subarray(w * w));
      p.set((await gemm(backend, below, matrix(w, w, linv), { transB: true })).data, w * w);
    }
    panels.push(p);
  }
  const values = new Float64Array(total);
  for (let i = 0; i < n; i++) {
    const base = offset[i] - first[i];
    for (let kb = Math.floor(first[i] / nb); kb * nb <= i; kb++) {
      const c0 = kb * nb;
      const w = Math.min(n, c0 + nb) - c0;
      const j0 = Math.max(first[i], c0);
      const j1 = Math.min(i + 1, c0 + w);
      const src = (i - c0) * w - c0;
      values.set(panels[kb].subarray(src + j0, src + j1), base + j0);
    }
  }
  return { n, perm, first, offset, values, shift };
}

/** In-place Cholesky of the w x w diagonal block (top of the panel, lower triangle). */
function factorDiagonal(p: Float64Array, w: number, c0: number, shift: number): void {
  for (let i = 0; i < w; i++) {
    for (let j = 0; j <= i; j++) {
      let s = p[i * w + j];
      for (let k = 0; k < j; k++) s -= p[i * w + k] * p[j * w + k];
      if (i === j) {
        if (!(s > 0)) {
          throw new NumericalError(
            `sparse Cholesky: matrix + ${shift}·I is not positive definite (pivot ${c0 + i} is ${s})`,
          );
        }
        p[i * w + i] = Math.sqrt(s);
      } else p[i * w + j] = s / p[j * w + j];
    }
    for (let j = i + 1; j < w; j++) p[i * w + j] = 0;
  }
}

/** The inverse of the lower-triangular w x w block at the top of p, row by row (L·X = I). */
function invertLower(p: Float64Array, w: number): Float64Array {
  const out = new Float64Array(w * w);
  for (let i = 0; i < w; i++) {
    const oi = i * w;
    out[oi + i] = 1;
    for (let k = 0; k < i; k++) {
      const f = p[oi + k];
      if (f === 0) continue;
      const ok = k * w;
      for (let c = 0; c <= k; c++) out[oi + c] -= f * out[ok + c];
    }
    const inv = 1 / p[oi + i];
    for (let c = 0; c <= i; c++) out[oi + c] *= inv;
  }
  return out;
}
