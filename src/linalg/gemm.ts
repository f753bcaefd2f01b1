/**
 * General matrix product op(A)·op(B) (op = identity or transpose, as BLAS gemm) in float32 or
 * float64. `gemm` checks the shapes and runs the backend's kernel (backend.ts); `gemmSync` is the
 * JS backend's loop (float64 accumulation). What a fast backend buys: Aᵀ·B and A·B on row-major
 * data without the transposed copies A·Bᵀ needs (PCA's Krylov passes), and float64 products for
 * LLE's blocked Cholesky and LDA's exact scatter (bench/README.md has the measured speeds).
 */
import { ShapeError } from '../errors.js';
import { matrix, type Matrix } from '../util/matrix.js';
import type { ComputeBackend, FloatArray } from './backend.js';

/** Which operands enter transposed, and the optional α and C of α·op(A)·op(B) + C. */
export interface GemmOptions<T extends FloatArray = FloatArray> {
  transA?: boolean;
  transB?: boolean;
  /** Scale of the product; default 1. */
  alpha?: number;
  /** Added to the scaled product (shape of the result); default none. */
  c?: Matrix<T>;
}

/** The (rows, inner, cols) of op(A)·op(B). @throws ShapeError on mismatched inner sizes or element types */
export function gemmShape(
  a: Matrix<FloatArray>,
  b: Matrix<FloatArray>,
  transA: boolean,
  transB: boolean,
): [number, number, number] {
  const [m, ka] = transA ? [a.cols, a.rows] : [a.rows, a.cols];
  const [kb, n] = transB ? [b.cols, b.rows] : [b.rows, b.cols];
  if (ka !== kb) {
    throw new ShapeError(
      `gemm: op(A) is ${m} x ${ka} and op(B) is ${kb} x ${n}; the inner sizes must agree`,
    );
  }
  if (a.data instanceof Float32Array !== b.data instanceof Float32Array)
    throw new ShapeError('gemm: A and B must have the same element type (float32 or float64)');
  return [m, ka, n];
}

/** α·op(A)·op(B) (+ C) in plain JS with float64 accumulation (the fallback backend). @throws ShapeError */
export function gemmSync<T extends FloatArray>(
  a: Matrix<T>,
  b: Matrix<T>,
  transA = false,
  transB = false,
  alpha = 1,
  c?: Matrix<T>,
): Matrix<T> {
  const [m, k, n] = gemmShape(a, b, transA, transB);
  checkAddend(c, m, n);
  const out = new (a.data.constructor as new (len: number) => T)(m * n);
  const ad = a.data;
  const bd = b.data;
  // Strides so that A[i][t] = ad[i·ai + t·at] and B[t][j] = bd[t·bt + j·bj].
  const [ai, at] = transA ? [1, a.cols] : [a.cols, 1];
  const [bt, bj] = transB ? [1, b.cols] : [b.cols, 1];
  const row = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    row.fill(0);
    for (let t = 0; t < k; t++) {
      const v = ad[i * ai + t * at];
      if (v === 0) continue;
      for (let j = 0, o = t * bt; j < n; j++) row[j] += v * bd[o + j * bj];
    }
    for (let j = 0; j < n; j++)
      out[i * n + j] = alpha * row[j] + (c === undefined ? 0 : c.data[i * n + j]);
  }
  return matrix(m, n, out);
}

function checkAddend(c: Matrix<FloatArray> | undefined, m: number, n: number): void {
  if (c !== undefined && (c.rows !== m || c.cols !== n))
    throw new ShapeError(`gemm: C must be ${m} x ${n} like the product, got ${c.rows} x ${c.cols}`);
}

/** The JS loop as the JS backend's gemm. */
export const jsGemm: ComputeBackend['gemm'] = (a, b, transA, transB, alpha, c) =>
  Promise.resolve(gemmSync(a, b, transA, transB, alpha, c));

/**
 * α·op(A)·op(B) (+ C) on `backend`.
 * @example
 * await gemm(backend, a, b, { transA: true }); // Aᵀ·B
 * await gemm(backend, a, b, { transB: true, alpha: -1, c }); // C − A·Bᵀ
 * @throws ShapeError on mismatched shapes or element types.
 */
export function gemm<T extends FloatArray>(
  backend: ComputeBackend,
  a: Matrix<T>,
  b: Matrix<T>,
  opts: GemmOptions<T> = {},
): Promise<Matrix<T>> {
  const transA = opts.transA === true;
  const transB = opts.transB === true;
  const [m, , n] = gemmShape(a, b, transA, transB);
  checkAddend(opts.c, m, n);
  return backend.gemm(a, b, transA, transB, opts.alpha ?? 1, opts.c);
}
