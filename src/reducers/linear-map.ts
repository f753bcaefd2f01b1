/**
 * The affine maps of the linear reducers: z = (x − c)·Rᵀ (PCA, LDA transform) and
 * x = z·R + c (PCA inverse). Small problems are summed in float64 in JS; above `JS_LIMIT`
 * multiply-adds (`PROJECT_LIMIT` for projections) the product runs on the backend's A·Bᵀ
 * (float32, linalg/product.ts).
 */
import type { ComputeBackend } from '../linalg/backend.js';
import { product } from '../linalg/product.js';
import { checkFinite } from '../util/check.js';
import { matrix, type Matrix, type Matrix32 } from '../util/matrix.js';

/** Above this many multiply-adds, use the backend's product. */
export const JS_LIMIT = 5e7;

/** `projectRows` goes to the backend above this many multiply-adds (bench/README.md). */
export const PROJECT_LIMIT = 1e6;

/**
 * (x − center)·Rᵀ, R given as m rows of length d; center may be absent (no shift); float32 on
 * the backend above PROJECT_LIMIT. With `checkName`, x's finiteness is checked on the result
 * (a NaN or Inf in x always reaches its row of z), so only a bad x costs a pass over it.
 * @throws DataError naming the first NaN or Inf of x (with `checkName`)
 */
export async function projectRows(
  backend: ComputeBackend,
  x: Matrix32,
  center: Float64Array | undefined,
  r: Matrix,
  checkName?: string,
): Promise<Matrix32> {
  const z = await projectUnchecked(backend, x, center, r);
  if (checkName !== undefined) {
    const zd = z.data;
    for (let i = 0; i < zd.length; i++) {
      if (!Number.isFinite(zd[i])) {
        checkFinite(checkName, x);
        break;
      }
    }
  }
  return z;
}

async function projectUnchecked(
  backend: ComputeBackend,
  x: Matrix32,
  center: Float64Array | undefined,
  r: Matrix,
): Promise<Matrix32> {
  const n = x.rows;
  const d = x.cols;
  const m = r.rows;
  if (n * d * m > PROJECT_LIMIT) {
    const c = center === undefined ? undefined : Float32Array.from(center);
    return product(backend, x, matrix(m, d, Float32Array.from(r.data)), c);
  }
  const out = new Float32Array(n * m);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) row[j] = x.data[i * d + j] - (center === undefined ? 0 : center[j]);
    for (let t = 0; t < m; t++) {
      let s = 0;
      const o = t * d;
      for (let j = 0; j < d; j++) s += row[j] * r.data[o + j];
      out[i * m + t] = s;
    }
  }
  return matrix(n, m, out);
}

/** z·R + center with R (m x d) rows: the inverse of `projectRows` for orthonormal R. */
export async function unprojectRows(
  backend: ComputeBackend,
  z: Matrix32,
  r: Matrix,
  center: Float64Array,
): Promise<Matrix32> {
  const n = z.rows;
  const m = r.rows;
  const d = r.cols;
  let out: Float32Array;
  if (n * d * m > JS_LIMIT) {
    const rt = new Float32Array(d * m);
    for (let t = 0; t < m; t++) for (let j = 0; j < d; j++) rt[j * m + t] = r.data[t * d + j];
    out = (await product(backend, z, matrix(d, m, rt))).data;
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) out[i * d + j] += center[j];
  } else {
    out = new Float32Array(n * d);
    const acc = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      acc.set(center);
      for (let t = 0; t < m; t++) {
        const v = z.data[i * m + t];
        const o = t * d;
        for (let j = 0; j < d; j++) acc[j] += v * r.data[o + j];
      }
      out.set(acc, i * d);
    }
  }
  return matrix(n, d, out);
}
