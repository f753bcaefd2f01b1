/**
 * t-SNE's input affinities (van der Maaten & Hinton 2008, JMLR 9:2579; van der Maaten 2014,
 * JMLR 15:3221 for the sparse form), after scikit-learn 1.2's `_binary_search_perplexity`,
 * `_joint_probabilities` and `_joint_probabilities_nn`: per point, the precision β of a Gaussian
 * over its squared distances found by bisection (100 steps, from β = 1, doubling or halving
 * until bracketed) until the entropy of the conditional distribution is within 1e-5 nats of
 * log(perplexity); then P = (P_cond + P_condᵀ) / Σ, with Σ = 2n for the neighbour lists (dense:
 * entries floored at machine epsilon as scikit-learn).
 */
import { csrFromTriplets, type Csr } from '../linalg/sparse.js';

const PERPLEXITY_TOLERANCE = 1e-5;
const EPSILON_DBL = 1e-8;
const MACHINE_EPSILON = 2 ** -52;

/** Conditional probabilities (rows x k) and the precision β found for each row. */
export interface ConditionalP {
  p: Float64Array;
  betas: Float64Array;
}

/**
 * scikit-learn's `_binary_search_perplexity` on squared distances (rows x k, row-major).
 * @param usingNeighbors false for a full n x n table: the diagonal (the point itself) is left out
 */
export function binarySearchPerplexity(
  sqDistances: Float64Array,
  rows: number,
  k: number,
  perplexity: number,
  usingNeighbors = k < rows,
): ConditionalP {
  const p = new Float64Array(rows * k);
  const betas = new Float64Array(rows);
  const desiredEntropy = Math.log(perplexity);
  for (let i = 0; i < rows; i++) {
    const o = i * k;
    let betaMin = -Infinity;
    let betaMax = Infinity;
    let beta = 1;
    for (let step = 0; step < 100; step++) {
      let sumP = 0;
      for (let j = 0; j < k; j++) {
        if (j !== i || usingNeighbors) {
          p[o + j] = Math.exp(-sqDistances[o + j] * beta);
          sumP += p[o + j];
        }
      }
      if (sumP === 0) sumP = EPSILON_DBL;
      let sumDistP = 0;
      for (let j = 0; j < k; j++) {
        p[o + j] /= sumP;
        sumDistP += sqDistances[o + j] * p[o + j];
      }
      const entropyDiff = Math.log(sumP) + beta * sumDistP - desiredEntropy;
      if (Math.abs(entropyDiff) <= PERPLEXITY_TOLERANCE) break;
      if (entropyDiff > 0) {
        betaMin = beta;
        beta = betaMax === Infinity ? beta * 2 : (beta + betaMax) / 2;
      } else {
        betaMax = beta;
        beta = betaMin === -Infinity ? beta / 2 : (beta + betaMin) / 2;
      }
    }
    betas[i] = beta;
  }
  return { p, betas };
}

/**
 * The sparse joint P of n points from their k nearest neighbours (indices and squared distances,
 * n x k, self excluded): scikit-learn's `_joint_probabilities_nn`. Symmetric, summing to 1.
 */
export function jointProbabilitiesNn(
  indices: Int32Array,
  sqDistances: Float64Array,
  n: number,
  k: number,
  perplexity: number,
): Csr {
  const cond = binarySearchPerplexity(sqDistances, n, k, perplexity, true);
  const r = new Int32Array(2 * n * k);
  const c = new Int32Array(2 * n * k);
  const v = new Float64Array(2 * n * k);
  let total = 0;
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < k; t++) {
      const e = i * k + t;
      const j = indices[e];
      r[2 * e] = i;
      c[2 * e] = j;
      r[2 * e + 1] = j;
      c[2 * e + 1] = i;
      v[2 * e] = v[2 * e + 1] = cond.p[e];
      total += 2 * cond.p[e];
    }
  }
  const p = csrFromTriplets(n, n, r, c, v);
  const inv = 1 / Math.max(total, MACHINE_EPSILON);
  for (let t = 0; t < p.values.length; t++) p.values[t] *= inv;
  return p;
}

/**
 * The dense joint P (n x n, row-major) from all squared distances: scikit-learn's
 * `_joint_probabilities` (entries floored at machine epsilon, the diagonal included).
 */
export function jointProbabilitiesDense(
  sqDistances: Float64Array,
  n: number,
  perplexity: number,
): Float64Array {
  const { p } = binarySearchPerplexity(sqDistances, n, n, perplexity, false);
  let total = 0;
  for (let i = 0; i < n; i++) {
    p[i * n + i] = 0;
    for (let j = 0; j < i; j++) {
      const s = p[i * n + j] + p[j * n + i];
      p[i * n + j] = p[j * n + i] = s;
      total += 2 * s;
    }
  }
  const inv = 1 / Math.max(total, MACHINE_EPSILON);
  for (let t = 0; t < n * n; t++) p[t] = Math.max(p[t] * inv, MACHINE_EPSILON);
  return p;
}
