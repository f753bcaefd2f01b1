/**
 * The matrix product behind pairwise distances, kNN, covariance and kernels: C = A · Bᵀ on
 * float32 row-major matrices. linalg/ sits below runtime/, so the fast path (onnxruntime's
 * multi-threaded MatMul, about 150x the scalar JS loop here on 256x784 by 4000x784) is plugged in from above with
 * `setProductBackend`; the JS fallback keeps every caller working without it.
 */
import { ShapeError } from '../errors.js';
import { matrix, type Matrix32 } from '../util/matrix.js';

/**
 * Computes A · Bᵀ, or (A − 1cᵀ) · Bᵀ when `center` is given (subtracted from every row of A
 * inside the product, so the caller makes no centred copy of A); row-major float32 with equal
 * column counts.
 */
export type ProductBackend = (a: Matrix32, b: Matrix32, center?: Float32Array) => Promise<Matrix32>;

/** Blocked scalar A · Bᵀ in JS, accumulating in float64: the fallback when no backend is set. */
export const jsProduct: ProductBackend = (a, b, center) =>
  Promise.resolve(productSync(a, b, center));

/** Synchronous (A − 1cᵀ) · Bᵀ (float64 accumulation) for small matrices. @throws ShapeError */
export function productSync(a: Matrix32, b: Matrix32, center?: Float32Array): Matrix32 {
  checkProductShapes(a, b, center);
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
          if (center === undefined) for (let k = 0; k < d; k++) s += ad[ai + k] * bd[bj + k];
          else for (let k = 0; k < d; k++) s += (ad[ai + k] - center[k]) * bd[bj + k];
          out[i * m + j] = s;
        }
      }
    }
  }
  return matrix(n, m, out);
}

/** @throws ShapeError when the column counts differ or the center's length is not A's column count. */
export function checkProductShapes(a: Matrix32, b: Matrix32, center?: Float32Array): void {
  if (a.cols !== b.cols) {
    throw new ShapeError(
      `product A·Bᵀ needs equal column counts, got A ${a.rows} x ${a.cols} and B ${b.rows} x ${b.cols}`,
    );
  }
  if (center !== undefined && center.length !== a.cols) {
    throw new ShapeError(
      `product (A − 1cᵀ)·Bᵀ needs a center of ${a.cols} values, got ${center.length}`,
    );
  }
}

let backend: ProductBackend = jsProduct;

/** Installs the A · Bᵀ implementation used by linalg, metrics and reducers (runtime/ installs onnxruntime's). */
export function setProductBackend(next: ProductBackend): void {
  backend = next;
}

/** A · Bᵀ, or (A − 1cᵀ) · Bᵀ with `center`, on the installed backend. @throws ShapeError */
export function product(a: Matrix32, b: Matrix32, center?: Float32Array): Promise<Matrix32> {
  checkProductShapes(a, b, center);
  return backend(a, b, center);
}
