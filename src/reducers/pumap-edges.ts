/**
 * The edges parametric UMAP trains on, and their sampling: UMAP's fuzzy graph of the training
 * rows, built as umap.ts builds it (the exact kNN with each point its own first neighbour,
 * umap-learn's memberships and fuzzy union, umap-graph.ts), listed as directed edges (both
 * directions of each pair, as umap-learn's COO graph), and a seeded sampler that draws edges with
 * probability proportional to their weight. umap-learn's ParametricUMAP instead repeats each edge
 * ⌊nEpochs·w / max w⌋ times and shuffles the list once; drawing by weight has the same
 * expectation without materialising the repeats.
 */
import { ConfigError, DataError } from '../errors.js';
import type { ComputeBackend } from '../linalg/backend.js';
import { knn } from '../linalg/knn.js';
import { matrix, type Matrix32 } from '../util/matrix.js';
import type { Rng } from '../util/rng.js';
import { fuzzySimplicialSet } from './umap-graph.js';

/** Directed graph edges with their weights. */
export interface Edges {
  head: Int32Array;
  tail: Int32Array;
  weight: Float64Array;
}

/**
 * UMAP's fuzzy graph of the rows of `x` with `nNeighbors` neighbours (self included).
 * @throws ConfigError (nNeighbors >= n), DataError (a zero row under 'cosine')
 */
export async function umapEdges(
  x: Matrix32,
  nNeighbors: number,
  metric: 'euclidean' | 'cosine',
  backend: ComputeBackend,
): Promise<Edges> {
  const n = x.rows;
  const k = nNeighbors;
  if (k >= n) throw new ConfigError(`nNeighbors must be < the number of samples (${n}), got ${k}`);
  const cosine = metric === 'cosine';
  const rows = cosine ? unitRows(x) : x;
  const nb = await knn(rows, k - 1, { backend });
  const indices = new Int32Array(n * k);
  const dists = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    indices[i * k] = i;
    for (let t = 1; t < k; t++) {
      indices[i * k + t] = nb.indices[i * (k - 1) + t - 1];
      const d = nb.distances[i * (k - 1) + t - 1];
      // umap-learn's cosine distance 1 − cos is d²/2 between unit rows.
      dists[i * k + t] = cosine ? (d * d) / 2 : d;
    }
  }
  const g = fuzzySimplicialSet(indices, dists, n, k);
  const m = g.indptr[n];
  const head = new Int32Array(m);
  for (let i = 0; i < n; i++) head.fill(i, g.indptr[i], g.indptr[i + 1]);
  return { head, tail: Int32Array.from(g.indices), weight: Float64Array.from(g.values) };
}

/** Rows scaled to unit length. @throws DataError on a zero row */
function unitRows(x: Matrix32): Matrix32 {
  const out = new Float32Array(x.data.length);
  for (let i = 0; i < x.rows; i++) {
    let s = 0;
    for (let c = 0; c < x.cols; c++) s += x.data[i * x.cols + c] ** 2;
    if (s === 0) {
      throw new DataError(
        `ParametricUMAP fit x row ${i} is all zeros: the cosine distance is undefined there; drop the row or use metric 'euclidean'`,
      );
    }
    const inv = 1 / Math.sqrt(s);
    for (let c = 0; c < x.cols; c++) out[i * x.cols + c] = x.data[i * x.cols + c] * inv;
  }
  return matrix(x.rows, x.cols, out);
}

/** Draws edge indices with probability proportional to their weight (inverse CDF, binary search). */
export class EdgeSampler {
  private readonly cdf: Float64Array;

  /** @throws DataError when no edge has a positive weight */
  constructor(weights: Float64Array) {
    this.cdf = new Float64Array(weights.length);
    let s = 0;
    weights.forEach((w, i) => (this.cdf[i] = s += w));
    if (!(s > 0)) throw new DataError('the UMAP graph has no edge of positive weight');
  }

  /** One edge index. */
  draw(rng: Rng): number {
    const c = this.cdf;
    const u = rng.random() * c[c.length - 1];
    let lo = 0;
    let hi = c.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (c[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}
