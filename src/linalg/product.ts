/**
 * The matrix product behind pairwise distances, kNN, covariance and kernels: C = A · Bᵀ on
 * float32 row-major matrices. linalg/ sits below runtime/, so the fast path (onnxruntime's
 * multi-threaded MatMul, about 150x the scalar JS loop here on 256x784 by 4000x784) is plugged in from above with
 * `setProductBackend`; the JS fallback keeps every caller working without it.
 */
import { ShapeError } from '../errors.js';
import { matrix, type Matrix32 } from '../util/matrix.js';

/** Computes A · Bᵀ; both row-major float32 with equal column counts. */
export type ProductBackend = (a: Matrix32, b: Matrix32) => Promise<Matrix32>;

/** Blocked scalar A · Bᵀ in JS, accumulating in float64: the fallback when no backend is set. */
export const jsProduct: ProductBackend = (a, b) => Promise.resolve(productSync(a, b));

/** Synchronous A · Bᵀ (float64 accumulation) for small matrices. @throws ShapeError */
export function productSync(a: Matrix32, b: Matrix32): Matrix32 {
  checkProductShapes(a, b);
  const n = a.rows;
  const m = b.rows;
  const d = a.cols;
  const out = new Float32Array(n * m);
  const ad = a.data;
  const bd = b.data;
  const BLOCK = 64;
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const i1 = Math.min(n, i0 + BLOCK);
    for (let j0 = 0; j0 < m; j0 += BLOCK) {
      const j1 = Math.min(m, j0 + BLOCK);
      for (let i = i0; i < i1; i++) {
        const ai = i * d;
        for (let j = j0; j < j1; j++) {
          const bj = j * d;
          let s = 0;
          for (let k = 0; k < d; k++) s += ad[ai + k] * bd[bj + k];
          out[i * m + j] = s;
        }
      }
    }
  }
  return matrix(n, m, out);
}

/** @throws ShapeError when the column counts differ. */
export function checkProductShapes(a: Matrix32, b: Matrix32): void {
  if (a.cols !== b.cols) {
    throw new ShapeError(
      `product A·Bᵀ needs equal column counts, got A ${a.rows} x ${a.cols} and B ${b.rows} x ${b.cols}`,
    );
  }
}

let backend: ProductBackend = jsProduct;

/** Installs the A · Bᵀ implementation used by linalg, metrics and reducers (runtime/ installs onnxruntime's). */
export function setProductBackend(next: ProductBackend): void {
  backend = next;
}

/** A · Bᵀ with the installed backend. @throws ShapeError */
export function product(a: Matrix32, b: Matrix32): Promise<Matrix32> {
  checkProductShapes(a, b);
  return backend(a, b);
}
