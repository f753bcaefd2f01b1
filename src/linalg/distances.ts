/**
 * Squared Euclidean distances through the matrix product: ‖a‖² + ‖b‖² − 2 a·b, the expansion
 * scikit-learn's `euclidean_distances` uses (sklearn/metrics/pairwise.py, 1.2), so the heavy part
 * is one A·Bᵀ on the backend's product (product.ts). The expansion loses precision
 * where distances are small next to the norms; callers that need exact values (kNN) bound that
 * error with `expansionErrorBound` and recompute the few distances that matter in float64.
 */
import { ShapeError } from '../errors.js';
import { matrix, sliceRows, toFloat32, type Matrix, type Matrix32 } from '../util/matrix.js';
import type { ComputeBackend } from './backend.js';
import { jsBackend } from './js-backend.js';
import { product } from './product.js';

/** A row-major matrix of either precision. */
export type AnyMatrix = Matrix<Float32Array | Float64Array>;

/** ‖x_i‖² of each row, accumulated in float64. */
export function squaredNorms(x: AnyMatrix): Float64Array {
  const out = new Float64Array(x.rows);
  const d = x.cols;
  const v = x.data;
  for (let i = 0; i < x.rows; i++) {
    let s = 0;
    for (let k = i * d, e = k + d; k < e; k++) s += v[k] * v[k];
    out[i] = s;
  }
  return out;
}

/** Exact squared distance between row i of a and row j of b, in float64. */
export function rowSqDistance(a: AnyMatrix, i: number, b: AnyMatrix, j: number): number {
  const d = a.cols;
  const av = a.data;
  const bv = b.data;
  let s = 0;
  for (let k = 0, p = i * d, q = j * d; k < d; k++) {
    const t = av[p + k] - bv[q + k];
    s += t * t;
  }
  return s;
}

/**
 * Upper bound, per unit of (‖a‖² + ‖b‖²), of the error of a squared distance computed by the
 * expansion from a float32 product of `cols`-long rows: the dot product's worst case (cols·u),
 * the float32 rounding of inputs and output, doubled for margin. u = 2⁻²⁴.
 */
export function expansionErrorBound(cols: number): number {
  return 2 * (cols + 8) * 2 ** -24;
}

/** Float32 view of a matrix: the same object when it already is float32. */
export function asMatrix32(m: AnyMatrix): Matrix32 {
  return m.data instanceof Float32Array ? (m as Matrix32) : toFloat32(m);
}

/**
 * Squared distances of the rows of `a` (a block) to all rows of `b`, as float64, clamped at 0.
 * `aNorms` and `bNorms` are the squared row norms (from `squaredNorms`).
 */
export async function sqDistanceBlock(
  a: Matrix32,
  aNorms: Float64Array,
  b: Matrix32,
  bNorms: Float64Array,
  backend: ComputeBackend,
): Promise<Float64Array> {
  const p = (await product(backend, a, b)).data;
  const m = b.rows;
  const out = new Float64Array(a.rows * m);
  for (let i = 0; i < a.rows; i++) {
    const ni = aNorms[i];
    const off = i * m;
    for (let j = 0; j < m; j++) {
      const v = ni + bNorms[j] - 2 * p[off + j];
      out[off + j] = v > 0 ? v : 0;
    }
  }
  return out;
}

/** Rows per block so one block of distances to `m` rows holds about 2²² values (32 MiB as float64). */
export function defaultBlockRows(m: number): number {
  return Math.max(1, Math.min(1024, Math.floor(4_194_304 / Math.max(1, m))));
}

/**
 * All squared distances ‖a_i − b_j‖², computed by row blocks of `a` through the product of
 * `backend` (default `jsBackend`).
 * @throws ShapeError when the column counts differ.
 */
export async function pairwiseSqDistances(
  a: Matrix32,
  b: Matrix32,
  backend: ComputeBackend = jsBackend,
): Promise<Matrix32> {
  if (a.cols !== b.cols) {
    throw new ShapeError(
      `pairwiseSqDistances needs equal column counts, got a ${a.rows} x ${a.cols} and b ${b.rows} x ${b.cols}`,
    );
  }
  const an = squaredNorms(a);
  const bn = squaredNorms(b);
  const out = new Float32Array(a.rows * b.rows);
  const block = defaultBlockRows(b.rows);
  for (let i0 = 0; i0 < a.rows; i0 += block) {
    const i1 = Math.min(a.rows, i0 + block);
    const d = await sqDistanceBlock(sliceRows(a, i0, i1), an.subarray(i0, i1), b, bn, backend);
    out.set(d, i0 * b.rows);
  }
  return matrix(a.rows, b.rows, out);
}
