/**
 * PCA's exact ('full') solver: the eigendecomposition of the d x d scatter matrix (d <= n) or
 * of the n x n Gram matrix of the centred rows (n < d, components V = Xcᵀ·U/S), then
 * scikit-learn 1.2's svd_flip decided on the scores U and its rule for a fractional
 * nComponents. See pca.ts for how this differs from scikit-learn's LAPACK SVD.
 */
import type { ComputeBackend } from '../linalg/backend.js';
import { symmetricEigen } from '../linalg/eigen-sym.js';
import { product } from '../linalg/product.js';
import { scatterMatrix, DENSE_LIMIT } from '../linalg/scatter.js';
import { completeOrthonormal } from '../linalg/svd.js';
import { matrix, type Matrix, type Matrix32 } from '../util/matrix.js';
import { JS_LIMIT, projectRows } from './linear-map.js';

/** What a fitted PCA holds. */
export interface PCAState {
  mean: Float64Array;
  components: Matrix;
  explainedVariance: Float64Array;
  explainedVarianceRatio: Float64Array;
  singularValues: Float64Array;
  noiseVariance: number;
  nSamples: number;
  svdSolver: 'full' | 'randomized';
}

/** Exact PCA from the eigendecomposition of the scatter (d <= n) or Gram (n < d) matrix. */
export async function fitFull(
  backend: ComputeBackend,
  x: Matrix32,
  mean: Float64Array,
  nc: number,
  totalVar: number,
): Promise<PCAState> {
  const n = x.rows;
  const d = x.cols;
  const r = Math.min(n, d);
  let lambdas: Float64Array; // descending, r values
  let comps: Float64Array; // r x d rows
  if (d <= n) {
    const means = { means: matrix(1, d, mean), counts: Float64Array.of(n) };
    const eig = symmetricEigen(await scatterMatrix(x, { means, backend }));
    lambdas = new Float64Array(r);
    comps = new Float64Array(r * d);
    for (let t = 0; t < r; t++) {
      const src = d - 1 - t;
      lambdas[t] = Math.max(0, eig.values[src]);
      comps.set(eig.vectors.data.subarray(src * d, src * d + d), t * d);
    }
  } else {
    const gram = await wideGram(backend, x, mean);
    const eig = symmetricEigen(gram);
    lambdas = new Float64Array(r);
    comps = new Float64Array(r * d);
    const xc = new Float64Array(d);
    for (let t = 0; t < r; t++) lambdas[t] = Math.max(0, eig.values[n - 1 - t]);
    const tiny = lambdas[0] * n * 2 ** -52;
    // V = Xcᵀ·U / S for the non-zero singular values.
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) xc[j] = x.data[i * d + j] - mean[j];
      for (let t = 0; t < r; t++) {
        if (!(lambdas[t] > tiny)) continue;
        const c = eig.vectors.data[(n - 1 - t) * n + i] / Math.sqrt(lambdas[t]);
        for (let j = 0; j < d; j++) comps[t * d + j] += c * xc[j];
      }
    }
    completeOrthonormal(comps, r, d, (t) => lambdas[t] > tiny);
  }
  let k = nc;
  const ratioAll = lambdas.map((l) => l / (n - 1) / totalVar);
  if (nc < 1) {
    let cum = 0;
    let below = 0;
    for (let t = 0; t < r; t++) {
      cum += ratioAll[t];
      if (cum <= nc) below++;
    }
    k = Math.min(below + 1, r);
  }
  const components = matrix(k, d, comps.slice(0, k * d));
  await flipByScores(backend, x, mean, components);
  const ev = lambdas.slice(0, k).map((l) => l / (n - 1));
  let rest = 0;
  for (let t = k; t < r; t++) rest += lambdas[t] / (n - 1);
  return {
    mean,
    components,
    explainedVariance: ev,
    explainedVarianceRatio: ratioAll.slice(0, k),
    singularValues: lambdas.slice(0, k).map(Math.sqrt),
    noiseVariance: k < r ? rest / (r - k) : 0,
    nSamples: n,
    svdSolver: 'full',
  };
}

/** Xc·Xcᵀ (n x n) for wide data: float64 in JS when small, else the backend's product. */
async function wideGram(backend: ComputeBackend, x: Matrix32, mean: Float64Array): Promise<Matrix> {
  const n = x.rows;
  const d = x.cols;
  const xc = new Float64Array(n * d);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < d; j++) xc[i * d + j] = x.data[i * d + j] - mean[j];
  if (n * n * d * 0.5 > DENSE_LIMIT) {
    const x32 = matrix(n, d, Float32Array.from(xc));
    return matrix(n, n, Float64Array.from((await product(backend, x32, x32)).data));
  }
  const g = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += xc[i * d + t] * xc[j * d + t];
      g[i * n + j] = s;
      g[j * n + i] = s;
    }
  }
  return matrix(n, n, g);
}

/** svd_flip on U = Xc·Vᵀ/S: each component signed so its largest-magnitude score is positive. */
async function flipByScores(
  backend: ComputeBackend,
  x: Matrix32,
  mean: Float64Array,
  comps: Matrix,
): Promise<void> {
  const k = comps.rows;
  const d = comps.cols;
  // float64 scores where cheap, so near-ties fall as in scikit-learn's float64 U.
  const scores: { data: ArrayLike<number> } =
    x.rows * d * k > JS_LIMIT
      ? await projectRows(backend, x, mean, comps)
      : scores64(x, mean, comps);
  for (let t = 0; t < k; t++) {
    let best = -1;
    let sign = 1;
    for (let i = 0; i < x.rows; i++) {
      const v = scores.data[i * k + t];
      if (Math.abs(v) > best) {
        best = Math.abs(v);
        sign = v < 0 ? -1 : 1;
      }
    }
    if (sign < 0) for (let j = 0; j < d; j++) comps.data[t * d + j] = -comps.data[t * d + j];
  }
}

function scores64(x: Matrix32, mean: Float64Array, comps: Matrix): { data: Float64Array } {
  const n = x.rows;
  const d = x.cols;
  const k = comps.rows;
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < k; t++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (x.data[i * d + j] - mean[j]) * comps.data[t * d + j];
      out[i * k + t] = s;
    }
  }
  return { data: out };
}
