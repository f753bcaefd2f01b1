/**
 * UMAP's fuzzy simplicial set (McInnes, Healy & Melville 2018, arXiv:1802.03426, §3.1), after
 * umap-learn 0.5's `smooth_knn_dist`, `compute_membership_strengths` and `fuzzy_simplicial_set`:
 * per point, ρ = the distance to the nearest neighbour at a non-zero distance (local connectivity
 * 1) and σ by bisection so that Σⱼ exp(−max(0, dⱼ − ρ)/σ) = log₂ k (64 steps, tolerance 1e-5,
 * σ floored at 1e-3 of the mean distance); memberships exp(−(d − ρ)/σ); then the fuzzy union
 * A + Aᵀ − A∘Aᵀ (set_op_mix_ratio 1), zeros dropped. Neighbour lists are rows x k, row-major,
 * ascending; as in umap-learn the bisection's sum skips each row's first entry (the point itself
 * in fit, the nearest training point in transform).
 */
import { csrFromTriplets, type Csr } from '../linalg/sparse.js';

const SMOOTH_K_TOLERANCE = 1e-5;
const MIN_K_DIST_SCALE = 1e-3;

/** σ and ρ of each row of a kNN distance table. */
export interface SmoothDistances {
  sigmas: Float64Array;
  rhos: Float64Array;
}

/**
 * umap-learn's `smooth_knn_dist` on `rows` x `k` neighbour distances (ascending per row).
 * @param localConnectivity neighbours assumed connected (1 in fit, 0 in transform, as umap-learn)
 */
export function smoothKnnDist(
  distances: Float64Array,
  rows: number,
  k: number,
  localConnectivity = 1,
  nIter = 64,
  bandwidth = 1,
): SmoothDistances {
  const target = Math.log2(k) * bandwidth;
  const sigmas = new Float64Array(rows);
  const rhos = new Float64Array(rows);
  let meanAll = 0;
  for (let t = 0; t < rows * k; t++) meanAll += distances[t];
  meanAll /= rows * k;
  const index = Math.floor(localConnectivity);
  const interpolation = localConnectivity - index;
  for (let i = 0; i < rows; i++) {
    const o = i * k;
    // The non-zero distances of the row, in order: rho interpolates between them.
    let nonZero = 0;
    let first = -1;
    let last = 0;
    for (let j = 0; j < k; j++) {
      const d = distances[o + j];
      if (d > 0) {
        if (first < 0) first = j;
        nonZero++;
        last = d;
      }
    }
    let rho = 0;
    if (nonZero >= localConnectivity && nonZero > 0) {
      const nz = (m: number): number => distances[o + first + m];
      if (index > 0) {
        rho = nz(index - 1);
        if (interpolation > SMOOTH_K_TOLERANCE) rho += interpolation * (nz(index) - nz(index - 1));
      } else rho = interpolation * nz(0);
    } else if (nonZero > 0) rho = last;
    rhos[i] = rho;
    let lo = 0;
    let hi = Infinity;
    let mid = 1;
    for (let it = 0; it < nIter; it++) {
      let psum = 0;
      for (let j = 1; j < k; j++) {
        const d = distances[o + j] - rho;
        psum += d > 0 ? Math.exp(-(d / mid)) : 1;
      }
      if (Math.abs(psum - target) < SMOOTH_K_TOLERANCE) break;
      if (psum > target) {
        hi = mid;
        mid = (lo + hi) / 2;
      } else {
        lo = mid;
        mid = hi === Infinity ? mid * 2 : (lo + hi) / 2;
      }
    }
    let mean = meanAll;
    if (rho > 0) {
      mean = 0;
      for (let j = 0; j < k; j++) mean += distances[o + j];
      mean /= k;
    }
    sigmas[i] = Math.max(mid, MIN_K_DIST_SCALE * mean);
  }
  return { sigmas, rhos };
}

/**
 * Membership strengths exp(−(d − ρ)/σ) of each listed neighbour (rows x k); 1 within ρ, and 0
 * for a point listed as its own neighbour unless `bipartite` (transform: queries vs training).
 */
export function membershipStrengths(
  indices: Int32Array,
  distances: Float64Array,
  sd: SmoothDistances,
  rows: number,
  k: number,
  bipartite: boolean,
): Float64Array {
  const vals = new Float64Array(rows * k);
  for (let i = 0; i < rows; i++) {
    const rho = sd.rhos[i];
    const sigma = sd.sigmas[i];
    for (let j = 0; j < k; j++) {
      const t = i * k + j;
      const d = distances[t] - rho;
      if (!bipartite && indices[t] === i) vals[t] = 0;
      else if (d <= 0 || sigma === 0) vals[t] = 1;
      else vals[t] = Math.exp(-(d / sigma));
    }
  }
  return vals;
}

/**
 * The symmetric fuzzy graph of n points from their k neighbours (self included, as umap-learn's
 * kNN lists): the directed memberships A, then A + Aᵀ − A∘Aᵀ, zeros dropped.
 */
export function fuzzySimplicialSet(
  indices: Int32Array,
  distances: Float64Array,
  n: number,
  k: number,
): Csr {
  const sd = smoothKnnDist(distances, n, k);
  const vals = membershipStrengths(indices, distances, sd, n, k, false);
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      const t = i * k + j;
      if (vals[t] === 0) continue;
      r.push(i);
      c.push(indices[t]);
      v.push(vals[t]);
    }
  }
  const a = csrFromTriplets(n, n, r, c, v);
  const sr: number[] = [];
  const sc: number[] = [];
  const sv: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let p = a.indptr[i]; p < a.indptr[i + 1]; p++) {
      const j = a.indices[p];
      const x = a.values[p];
      const y = lookup(a, j, i);
      sr.push(i);
      sc.push(j);
      sv.push(x + y - x * y);
      // (j, i) is absent from A: its union value is x alone, emitted here once.
      if (y === 0) {
        sr.push(j);
        sc.push(i);
        sv.push(x);
      }
    }
  }
  return csrFromTriplets(n, n, sr, sc, sv);
}

/** A[i, j] of a CSR matrix with sorted columns (0 when absent). */
function lookup(a: Csr, i: number, j: number): number {
  let lo = a.indptr[i];
  let hi = a.indptr[i + 1] - 1;
  while (lo <= hi) {
    const m = (lo + hi) >> 1;
    const c = a.indices[m];
    if (c === j) return a.values[m];
    if (c < j) lo = m + 1;
    else hi = m - 1;
  }
  return 0;
}
