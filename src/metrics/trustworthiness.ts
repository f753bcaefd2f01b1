/**
 * Trustworthiness and continuity of an embedding (Venna & Kaski 2006,
 * doi:10.1016/j.neunet.2006.05.014). Trustworthiness penalises points that are among a point's
 * k nearest in the embedding Z but far down its ranking in the original space X:
 *   T(k) = 1 − 2/(n k (2n − 3k − 1)) Σᵢ Σ_{j ∈ N_Z(i)} max(0, r_X(i, j) − k),
 * exactly as scikit-learn 1.2 `sklearn.manifold.trustworthiness` (Euclidean, ranks from 1, the
 * point itself excluded, the precondition k < n/2). Continuity swaps the roles of X and Z.
 * Ranks need each point's distances to all n points; they are computed one block of rows at a
 * time (never n x n), from the float32 product with an error bound, and every comparison that
 * bound leaves undecided is settled in float64, so ties are ordered by lower index.
 */
import { ConfigError } from '../errors.js';
import {
  asMatrix32,
  defaultBlockRows,
  expansionErrorBound,
  rowSqDistance,
  squaredNorms,
  type AnyMatrix,
} from '../linalg/distances.js';
import { jsBackend } from '../linalg/js-backend.js';
import { product } from '../linalg/product.js';
import { takeRows } from '../util/matrix.js';
import {
  checkPaired,
  evaluationNeighbors,
  evaluationRows,
  meanResult,
  type MetricResult,
  type SubsampleOptions,
} from './result.js';

/**
 * Trustworthiness of embedding `Z` of `X` with k neighbours (scikit-learn 1.2's definition).
 * Exact up to `maxExact` points, else estimated on a seeded sample (see MetricResult).
 * @example
 * const t = await trustworthiness(x, z, 5); // { value: 0.88..., exact: true, n: 300 }
 * @throws ShapeError on row mismatch; ConfigError unless 1 <= k < n/2; DataError on NaN/Inf.
 */
export async function trustworthiness(
  X: AnyMatrix,
  Z: AnyMatrix,
  k = 5,
  opts: SubsampleOptions = {},
): Promise<MetricResult> {
  checkPaired('trustworthiness', 'X', X, 'Z', Z);
  return rankPenalty('trustworthiness', X, Z, k, opts);
}

/**
 * Continuity of embedding `Z` of `X`: trustworthiness with the roles swapped (neighbours taken
 * in X, ranks in Z), penalising neighbours in X that the embedding pushes away.
 * @throws ShapeError on row mismatch; ConfigError unless 1 <= k < n/2; DataError on NaN/Inf.
 */
export async function continuity(
  X: AnyMatrix,
  Z: AnyMatrix,
  k = 5,
  opts: SubsampleOptions = {},
): Promise<MetricResult> {
  checkPaired('continuity', 'X', X, 'Z', Z);
  return rankPenalty('continuity', Z, X, k, opts);
}

/** 1 − normalised sum of rank excesses: ranks in `rankSpace`, neighbours in `nbSpace`. */
async function rankPenalty(
  what: string,
  rankSpace: AnyMatrix,
  nbSpace: AnyMatrix,
  k: number,
  opts: SubsampleOptions,
): Promise<MetricResult> {
  const n = rankSpace.rows;
  if (!(Number.isInteger(k) && k >= 1 && k < n / 2)) {
    throw new ConfigError(
      `${what} k must be an integer >= 1 and less than n_samples / 2 (${n / 2}), got ${String(k)}`,
    );
  }
  const { rows, exact } = evaluationRows(what, n, opts);
  const backend = opts.backend ?? jsBackend;
  const nb = await evaluationNeighbors(nbSpace, k, rows, exact, backend);

  const space32 = asMatrix32(rankSpace);
  const norms = squaredNorms(rankSpace);
  const errPerNorm = expansionErrorBound(rankSpace.cols);
  const penalties = new Float64Array(rows.length);
  const ranker = new Ranker(k);
  const block = defaultBlockRows(n);
  for (let b0 = 0; b0 < rows.length; b0 += block) {
    const b1 = Math.min(rows.length, b0 + block);
    const p = (await product(backend, takeRows(space32, rows.subarray(b0, b1)), space32)).data;
    for (let r = b0; r < b1; r++) {
      const i = rows[r];
      ranker.setTargets(rankSpace, i, nb.indices.subarray(r * k, (r + 1) * k));
      penalties[r] = ranker.penalty(rankSpace, i, p, (r - b0) * n, norms, errPerNorm);
    }
  }
  const scale = 2 / (k * (2 * n - 3 * k - 1));
  if (!exact)
    return meanResult(
      penalties.map((v) => v * scale),
      n,
      false,
      true,
    );
  // Same operation order as scikit-learn: integer total, then one scaling.
  let total = 0;
  for (const v of penalties) total += v;
  return { value: 1 - total * (2 / (n * k * (2 * n - 3 * k - 1))), exact: true, n };
}

/**
 * Ranks of one point's k targets in its own distance ordering. rank(j) = 1 + #{l ≠ i closer
 * than j, or as close with a lower index}; with targets sorted, each l adds one to a suffix of
 * them, found by binary search, so a row costs O(n log k) plus float64 work only near ties.
 */
class Ranker {
  private readonly dist: Float64Array;
  private readonly idx: Int32Array;
  private readonly diff: Float64Array;

  constructor(private readonly k: number) {
    this.dist = new Float64Array(k);
    this.idx = new Int32Array(k);
    this.diff = new Float64Array(k + 1);
  }

  setTargets(space: AnyMatrix, i: number, targets: Int32Array): void {
    const order = Array.from(targets, (j) => ({ j, d: rowSqDistance(space, i, space, j) }));
    order.sort((a, b) => a.d - b.d || a.j - b.j);
    order.forEach((o, t) => {
      this.dist[t] = o.d;
      this.idx[t] = o.j;
    });
  }

  /** Σ max(0, rank − k) over the targets of row i (products of row i start at p[off]). */
  penalty(
    space: AnyMatrix,
    i: number,
    p: Float32Array,
    off: number,
    norms: Float64Array,
    errPerNorm: number,
  ): number {
    const { k, dist, idx, diff } = this;
    diff.fill(0);
    const qn = norms[i];
    const n = norms.length;
    for (let l = 0; l < n; l++) {
      if (l === i) continue;
      const a = qn + norms[l] - 2 * p[off + l];
      const e = errPerNorm * (qn + norms[l]);
      // Targets from `hiPos` on are surely farther than l; those in [loPos, hiPos) need float64.
      const hiPos = upperBound(dist, k, a + e);
      const loPos = lowerBound(dist, hiPos, a - e);
      diff[hiPos] += 1;
      if (loPos < hiPos) {
        const dl = rowSqDistance(space, i, space, l);
        for (let t = loPos; t < hiPos; t++) {
          if (dl < dist[t] || (dl === dist[t] && l < idx[t])) {
            diff[t] += 1;
            diff[t + 1] -= 1;
          }
        }
      }
    }
    let running = 0;
    let penalty = 0;
    for (let t = 0; t < k; t++) {
      running += diff[t];
      const rank = 1 + running;
      if (rank > k) penalty += rank - k;
    }
    return penalty;
  }
}

/** First position in sorted xs[0..len) whose value is > v. */
function upperBound(xs: Float64Array, len: number, v: number): number {
  let lo = 0;
  let hi = len;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] > v) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** First position in sorted xs[0..len) whose value is >= v. */
function lowerBound(xs: Float64Array, len: number, v: number): number {
  let lo = 0;
  let hi = len;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] >= v) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
