/**
 * PCA's exact solver from streamed sums: the eigendecomposition of the float64 d x d scatter
 * matrix that `data/stream/stream-stats.ts` accumulates in one pass (Chan, Golub & LeVeque 1979
 * merge), so the subspace, variances and noise variance are those of the in-memory 'full'
 * solver (pca-full.ts) to rounding. The sign of each component cannot follow scikit-learn's
 * score-based svd_flip without a second pass over the data; it follows svd_flip's V-based rule
 * (scikit-learn's `IncrementalPCA`): the largest-magnitude entry of each component is positive.
 */
import { ConfigError, DataError } from '../errors.js';
import { symmetricEigen } from '../linalg/eigen-sym.js';
import { matrix, type Matrix } from '../util/matrix.js';
import type { PCAState } from './pca-full.js';

/** What the solver needs from a pass: rows, column means and Σ (xᵢ − μ)(xᵢ − μ)ᵀ. */
export interface PCASums {
  n: number;
  mean: Float64Array;
  total: Matrix;
}

/**
 * The fitted PCA of the rows summed in `sums`, keeping `nc` components (an integer, or a
 * fraction of variance as in pca-full.ts; undefined keeps min(n, d)).
 * @throws ConfigError when nc > min(n, d); DataError on fewer than 2 rows or zero variance
 */
export function stateFromScatter(sums: PCASums, nc: number | undefined): PCAState {
  const { n, mean, total } = sums;
  const d = mean.length;
  if (n < 2) throw new DataError(`PCA needs at least 2 rows to fit, got ${n}`);
  const r = Math.min(n, d);
  const want = nc ?? r;
  if (want >= 1 && want > r) {
    throw new ConfigError(
      `nComponents must be <= min(nSamples, nFeatures) = min(${n}, ${d}) = ${r}, got ${want}`,
    );
  }
  let trace = 0;
  for (let j = 0; j < d; j++) trace += total.data[j * d + j];
  const totalVar = trace / (n - 1);
  if (!(totalVar > 0)) {
    throw new DataError(
      'PCA fit x has zero variance in every column; PCA needs at least one varying feature',
    );
  }
  const eig = symmetricEigen(total);
  const lambdas = new Float64Array(r);
  const comps = new Float64Array(r * d);
  for (let t = 0; t < r; t++) {
    const src = d - 1 - t;
    lambdas[t] = Math.max(0, eig.values[src]);
    comps.set(eig.vectors.data.subarray(src * d, src * d + d), t * d);
  }
  const ratioAll = lambdas.map((l) => l / (n - 1) / totalVar);
  let k = want;
  if (want < 1) {
    let cum = 0;
    let below = 0;
    for (let t = 0; t < r; t++) {
      cum += ratioAll[t];
      if (cum <= want) below++;
    }
    k = Math.min(below + 1, r);
  }
  const components = matrix(k, d, comps.slice(0, k * d));
  flipByLargest(components);
  let rest = 0;
  for (let t = k; t < r; t++) rest += lambdas[t] / (n - 1);
  return {
    mean: Float64Array.from(mean),
    components,
    explainedVariance: lambdas.slice(0, k).map((l) => l / (n - 1)),
    explainedVarianceRatio: ratioAll.slice(0, k),
    singularValues: lambdas.slice(0, k).map(Math.sqrt),
    noiseVariance: k < r ? rest / (r - k) : 0,
    nSamples: n,
    svdSolver: 'full',
  };
}

/** svd_flip with u_based_decision=False: each row's largest-magnitude entry made positive. */
function flipByLargest(comps: Matrix): void {
  const d = comps.cols;
  for (let t = 0; t < comps.rows; t++) {
    let best = -1;
    let sign = 1;
    for (let j = 0; j < d; j++) {
      const v = comps.data[t * d + j];
      if (Math.abs(v) > best) {
        best = Math.abs(v);
        sign = v < 0 ? -1 : 1;
      }
    }
    if (sign < 0) for (let j = 0; j < d; j++) comps.data[t * d + j] = -comps.data[t * d + j];
  }
}
