/**
 * LLE's reconstruction weights (Roweis & Saul 2000, doi:10.1126/science.290.5500.2323, eqs. 1-2)
 * as scikit-learn 1.2's `manifold._locally_linear.barycenter_weights`: for each point x with
 * neighbours Y, the local Gram G = (Y − x)(Y − x)ᵀ, regularised G + reg·trace(G)·I (reg alone
 * when the trace is 0), solved for G·w = 1 by Cholesky and normalised to sum 1. Also the sparse
 * M = (I − W)ᵀ(I − W) whose bottom eigenvectors are the embedding.
 */
import { csrFromTriplets, type Csr } from '../linalg/sparse.js';
import { cholesky, choleskySolve } from '../linalg/solve.js';
import { matrix, type Matrix } from '../util/matrix.js';

type Rows = Matrix<Float32Array | Float64Array>;

/**
 * Barycentric weights of each row of x over its k neighbours among the rows of y
 * (indices: x.rows x k, row-major). Returns x.rows x k weights, each row summing to 1.
 * @throws NumericalError when a regularised local Gram matrix is not positive definite.
 */
export function barycenterWeights(
  x: Rows,
  y: Rows,
  indices: Int32Array,
  k: number,
  reg: number,
): Float64Array {
  const d = x.cols;
  const n = x.rows;
  const out = new Float64Array(n * k);
  const c = new Float64Array(k * d);
  const g = new Float64Array(k * k);
  const ones = new Float64Array(k).fill(1);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < k; t++) {
      const src = indices[i * k + t] * d;
      for (let j = 0; j < d; j++) c[t * d + j] = y.data[src + j] - x.data[i * d + j];
    }
    let trace = 0;
    for (let a = 0; a < k; a++) {
      for (let b = 0; b <= a; b++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += c[a * d + j] * c[b * d + j];
        g[a * k + b] = s;
        g[b * k + a] = s;
      }
      trace += g[a * k + a];
    }
    const r = trace > 0 ? reg * trace : reg;
    for (let a = 0; a < k; a++) g[a * k + a] += r;
    const w = choleskySolve(cholesky(matrix(k, k, g)), ones);
    let sum = 0;
    for (let t = 0; t < k; t++) sum += w[t];
    for (let t = 0; t < k; t++) out[i * k + t] = w[t] / sum;
  }
  return out;
}

/** M = (I − W)ᵀ(I − W) for W given by neighbour lists (self excluded) and weights; n x n CSR. */
export function lleMatrix(n: number, k: number, indices: Int32Array, weights: Float64Array): Csr {
  const m = (k + 1) * (k + 1);
  const r = new Int32Array(n * m);
  const c = new Int32Array(n * m);
  const v = new Float64Array(n * m);
  const idx = new Int32Array(k + 1);
  const val = new Float64Array(k + 1);
  let p = 0;
  // Row i of I − W is e_i − w_i; M sums the outer products of these rows.
  for (let i = 0; i < n; i++) {
    idx[0] = i;
    val[0] = 1;
    for (let t = 0; t < k; t++) {
      idx[t + 1] = indices[i * k + t];
      val[t + 1] = -weights[i * k + t];
    }
    for (let a = 0; a <= k; a++) {
      for (let b = 0; b <= k; b++) {
        r[p] = idx[a];
        c[p] = idx[b];
        v[p++] = val[a] * val[b];
      }
    }
  }
  return csrFromTriplets(n, n, r, c, v);
}
