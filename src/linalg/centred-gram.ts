/**
 * The column means μ and the centred Gram (scatter) matrix C = (X − 1μᵀ)ᵀ(X − 1μᵀ) of a float32
 * data matrix, the input of PCA's Gram route (randomized-svd.ts). `centredGram` checks x and runs
 * the backend's kernel (backend.ts; onnxruntime's is one call that never brings the data back into
 * JS, accel/centred-gram.ts); `jsCentredGram` sums float32 gemm products of centred row blocks in
 * float64. Precision is float32's (the mean and each product accumulate in float32), as
 * scikit-learn's PCA on float32 input; centring before the product keeps an offset from cancelling.
 */
import { ShapeError } from '../errors.js';
import { matrix, type Matrix32 } from '../util/matrix.js';
import type { CentredGram, ComputeBackend } from './backend.js';

/** Rows per block of the fallback: bounds the centred float32 copy to about 64 MB. */
const BLOCK_ELEMENTS = 2 ** 24;

/** The JS kernel: float64 means, then float32 `gemm` on centred row blocks summed in float64. */
export async function jsCentredGram(
  x: Matrix32,
  gemm: ComputeBackend['gemm'],
): Promise<CentredGram> {
  const { rows: n, cols: d, data } = x;
  const mean = new Float64Array(d);
  for (let i = 0, o = 0; i < n; i++, o += d) for (let j = 0; j < d; j++) mean[j] += data[o + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  const c = new Float64Array(d * d);
  const block = Math.max(1, Math.min(n, Math.floor(BLOCK_ELEMENTS / d)));
  const buf = new Float32Array(block * d);
  for (let r0 = 0; r0 < n; r0 += block) {
    const rows = Math.min(block, n - r0);
    for (let i = 0, o = r0 * d; i < rows * d; i++, o++) buf[i] = data[o] - mean[i % d];
    const blk = matrix(rows, d, buf.subarray(0, rows * d));
    const p = (await gemm(blk, blk, true, false)).data;
    for (let i = 0; i < c.length; i++) c[i] += p[i];
  }
  return { mean, gram: matrix(d, d, new Float32Array(c)) };
}

/**
 * μ and (X − 1μᵀ)ᵀ(X − 1μᵀ) of the rows of x (at least one row), on `backend`.
 * @throws ShapeError on an empty x
 */
export async function centredGram(backend: ComputeBackend, x: Matrix32): Promise<CentredGram> {
  if (x.rows < 1 || x.cols < 1)
    throw new ShapeError(`centredGram: x must be non-empty, got ${x.rows} x ${x.cols}`);
  return backend.centredGram(x);
}
