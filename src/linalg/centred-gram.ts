/**
 * The column means μ and the centred Gram (scatter) matrix C = (X − 1μᵀ)ᵀ(X − 1μᵀ) of a float32
 * data matrix, the input of PCA's Gram route (randomized-svd.ts). Pluggable like product.ts:
 * runtime/ installs one onnxruntime call (ReduceMean, Sub, Gemm with transA) that never brings
 * the data back into JS; the fallback here sums float32 gemm products of centred row blocks in
 * float64. Why one call: on MNIST 5000 x 784 every JS pass over the data costs about 12 ms
 * (3 ns per element), as much as a quarter of scikit-learn's whole PCA fit, while onnxruntime
 * forms μ and C in about 35 ms (60,000 rows: about 0.46 s; runtime/centred-gram-backend.ts).
 * Precision is float32's (the mean and each product accumulate in float32), as scikit-learn's
 * PCA on float32 input; centring before the product keeps an offset from cancelling.
 */
import { ShapeError } from '../errors.js';
import { matrix, type Matrix32 } from '../util/matrix.js';
import { gemm } from './gemm.js';

/** μ (d values) and C (d x d, float32: its accuracy, and what the products take). */
export interface CentredGram {
  mean: Float64Array;
  gram: Matrix32;
}

/** Computes the centred Gram of x. */
export type CentredGramBackend = (x: Matrix32) => Promise<CentredGram>;

/** Rows per block of the fallback: bounds the centred float32 copy to about 64 MB. */
const BLOCK_ELEMENTS = 2 ** 24;

/** The fallback: float64 means, then float32 gemm on centred row blocks summed in float64. */
export async function jsCentredGram(x: Matrix32): Promise<CentredGram> {
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
    const p = (await gemm(blk, blk, { transA: true })).data;
    for (let i = 0; i < c.length; i++) c[i] += p[i];
  }
  return { mean, gram: matrix(d, d, new Float32Array(c)) };
}

let backend: CentredGramBackend = jsCentredGram;

/** Installs the centred-Gram backend (runtime/ installs onnxruntime's). */
export function setCentredGramBackend(b: CentredGramBackend): void {
  backend = b;
}

/**
 * μ and (X − 1μᵀ)ᵀ(X − 1μᵀ) of the rows of x (at least one row).
 * @throws ShapeError on an empty x
 */
export async function centredGram(x: Matrix32): Promise<CentredGram> {
  if (x.rows < 1 || x.cols < 1)
    throw new ShapeError(`centredGram: x must be non-empty, got ${x.rows} x ${x.cols}`);
  return backend(x);
}
