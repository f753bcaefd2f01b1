/**
 * The matrix product behind pairwise distances, kNN, covariance and kernels: C = A · Bᵀ on
 * float32 row-major matrices, or (A − 1cᵀ) · Bᵀ with a center subtracted from every row of A
 * inside the product (so the caller makes no centred copy of A). `product` checks the shapes and
 * runs the backend's kernel (backend.ts); `jsProduct` is the JS backend's: a blocked scalar loop
 * accumulating in float64.
 */
import { ShapeError } from '../errors.js';
import { matrix, type Matrix32 } from '../util/matrix.js';
import type { ComputeBackend } from './backend.js';

/** Blocked scalar A · Bᵀ in JS, accumulating in float64 (the JS backend's product). */
export const jsProduct: ComputeBackend['product'] = (a, b, center) =>
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

/** A · Bᵀ, or (A − 1cᵀ) · Bᵀ with `center`, on `backend`. @throws ShapeError */
export function product(
  backend: ComputeBackend,
  a: Matrix32,
  b: Matrix32,
  center?: Float32Array,
): Promise<Matrix32> {
  checkProductShapes(a, b, center);
  return backend.product(a, b, center);
}
