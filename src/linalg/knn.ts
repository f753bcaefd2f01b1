/**
 * Exact k-nearest-neighbour search (Euclidean) by blocks of query rows. Each block's squared
 * distances come from one A·Bᵀ on the backend's product (expansion ‖q‖² + ‖x‖² − 2 q·x, float32);
 * a bounded heap picks the k-th smallest per row, then every row whose float32 distance could,
 * within the rounding bound of `expansionErrorBound`, beat it is recomputed in float64 from the
 * rows themselves. The result is the exact k nearest (ties by lower index), as brute force in
 * float64 would give, without ever holding an n x n matrix. Reference for the expansion and its
 * precision caveat: scikit-learn 1.2 `sklearn.metrics.pairwise.euclidean_distances`. With a
 * backend that has the `nearest` kernel (onnxruntime's TopK, accel/nearest.ts), a block's
 * products stay there and only each row's k + 16 smallest approximate distances come back; a
 * row they cannot settle within the bound (near-ties beyond the list) takes the full scan. The
 * same neighbours, bit for bit, on either route.
 */
import { ConfigError, ShapeError } from '../errors.js';
import { checkFinite, checkInt, checkMatrix } from '../util/check.js';
import { sliceRows } from '../util/matrix.js';
import type { ComputeBackend, NearestCandidates, Neighbors } from './backend.js';
import {
  asMatrix32,
  expansionErrorBound,
  rowSqDistance,
  squaredNorms,
  type AnyMatrix,
} from './distances.js';
import { jsBackend } from './js-backend.js';
import { product } from './product.js';

export type { Neighbors } from './backend.js';

/** Candidates per row beyond k from the backend: room for near-ties before a row falls back. */
const EXTRA_CANDIDATES = 16;

/** Options of `knn`. */
export interface KnnOptions {
  /** Rows to find neighbours for (among `data`); default: `data` itself. */
  query?: AnyMatrix;
  /** Leave row i of data out of query row i's neighbours; default true without `query`, else false. */
  excludeSelf?: boolean;
  /** With `query` and `excludeSelf`, the data row each query row stands for (default: its own index). */
  queryIndex?: ArrayLike<number>;
  /** Query rows per product call; default keeps one block of products near 2²⁴ floats (64 MiB). */
  blockRows?: number;
  /** The kernels' backend; default `jsBackend`. */
  backend?: ComputeBackend;
}

/**
 * The k nearest rows of `data` to each query row (Euclidean), exact in float64.
 * @example
 * const nb = await knn(matrix(3, 1, Float32Array.of(0, 1, 3)), 1);
 * // nb.indices = [1, 0, 1], nb.distances = [1, 1, 2]
 * @throws ShapeError on column mismatch or a bad `queryIndex` length; ConfigError on k or
 * blockRows out of range; DataError on a non-finite value.
 */
export async function knn(data: AnyMatrix, k: number, opts: KnnOptions = {}): Promise<Neighbors> {
  checkMatrix('knn data', data);
  const query = opts.query ?? data;
  if (opts.query !== undefined) {
    checkMatrix('knn query', opts.query, { cols: data.cols, minRows: 0 });
  }
  const excludeSelf = opts.excludeSelf ?? opts.query === undefined;
  const n = data.rows;
  const maxK = excludeSelf ? n - 1 : n;
  if (!(Number.isInteger(k) && k >= 1 && k <= maxK)) {
    throw new ConfigError(
      `knn k must be an integer in 1..${maxK} (data has ${n} rows${excludeSelf ? ', self excluded' : ''}), got ${String(k)}`,
    );
  }
  const selfIndex = excludeSelf ? resolveSelfIndex(opts.queryIndex, query.rows, n) : undefined;
  const backend = opts.backend ?? jsBackend;
  const nearest = backend.nearest?.bind(backend);
  // With the candidate backend the block's products never reach JS, but its intermediates stay
  // in onnxruntime's arena: 4M floats per block kept Isomap's n = 10,000 fit near its old peak.
  const blockRows =
    opts.blockRows === undefined
      ? Math.max(1, Math.min(2048, Math.floor((nearest === undefined ? 2 ** 24 : 2 ** 22) / n)))
      : checkInt('knn blockRows', opts.blockRows, 1);

  const data32 = asMatrix32(data);
  const query32 = query === data ? data32 : asMatrix32(query);
  // A NaN or Inf makes its row's float64 norm non-finite (float32 squares cannot overflow
  // there): the norms double as the finiteness check, which then names the entry.
  const dNorms = squaredNorms(data);
  if (!dNorms.every(Number.isFinite)) checkFinite('knn data', data);
  const qNorms = query === data ? dNorms : squaredNorms(query);
  if (query !== data && !qNorms.every(Number.isFinite)) checkFinite('knn query', query);
  const errPerNorm = expansionErrorBound(data.cols);
  const indices = new Int32Array(query.rows * k);
  const distances = new Float64Array(query.rows * k);
  const selector = new RowSelector(k, n);
  const kc = k + EXTRA_CANDIDATES + (excludeSelf ? 1 : 0);
  let maxNorm = 0;
  for (let j = 0; j < n; j++) maxNorm = Math.max(maxNorm, dNorms[j]);
  for (let i0 = 0; i0 < query.rows; i0 += blockRows) {
    const i1 = Math.min(query.rows, i0 + blockRows);
    const rest: number[] = []; // rows the candidates cannot settle: full scan
    if (nearest !== undefined && kc < n) {
      const c = await nearest(
        sliceRows(query32, i0, i1),
        data32,
        qNorms.subarray(i0, i1),
        dNorms,
        kc,
      );
      for (let i = i0; i < i1; i++) {
        const self = selfIndex === undefined ? -1 : selfIndex[i];
        const ok = selector.selectFrom(
          c,
          (i - i0) * kc,
          kc,
          qNorms[i],
          dNorms,
          self,
          errPerNorm,
          maxNorm,
        );
        if (ok) selector.finish(query, i, data, indices, distances, i * k);
        else rest.push(i);
      }
    } else for (let i = i0; i < i1; i++) rest.push(i);
    for (let r = 0; r < rest.length;) {
      // Consecutive rows share one product call.
      let e = r + 1;
      while (e < rest.length && rest[e] === rest[e - 1] + 1) e++;
      const a = rest[r];
      const p = (await product(backend, sliceRows(query32, a, rest[e - 1] + 1), data32)).data;
      for (let t = r; t < e; t++) {
        const i = rest[t];
        const self = selfIndex === undefined ? -1 : selfIndex[i];
        selector.select(p, (i - a) * n, qNorms[i], dNorms, self, errPerNorm);
        selector.finish(query, i, data, indices, distances, i * k);
      }
      r = e;
    }
  }
  return { k, rows: query.rows, indices, distances };
}

function resolveSelfIndex(
  queryIndex: ArrayLike<number> | undefined,
  rows: number,
  n: number,
): Int32Array {
  const out = new Int32Array(rows);
  if (queryIndex === undefined) {
    for (let i = 0; i < rows; i++) out[i] = i;
    return out;
  }
  if (queryIndex.length !== rows) {
    throw new ShapeError(
      `knn queryIndex must have one entry per query row (${rows}), got ${queryIndex.length}`,
    );
  }
  for (let i = 0; i < rows; i++) {
    const v = queryIndex[i];
    if (!(Number.isInteger(v) && v >= 0 && v < n)) {
      throw new ConfigError(
        `knn queryIndex[${i}] must be a data row index in 0..${n - 1}, got ${v}`,
      );
    }
    out[i] = v;
  }
  return out;
}

/**
 * Per-row selection state, reused across rows to avoid allocation: a max-heap of the k smallest
 * approximate distances, then the candidate list for the exact float64 pass.
 */
class RowSelector {
  private readonly heapVal: Float64Array;
  private readonly heapIdx: Int32Array;
  private candIdx: Int32Array;
  private candDist: Float64Array;
  private nCand = 0;

  constructor(
    private readonly k: number,
    n: number,
  ) {
    this.heapVal = new Float64Array(k);
    this.heapIdx = new Int32Array(k);
    const cap = Math.min(n, Math.max(64, 4 * k));
    this.candIdx = new Int32Array(cap);
    this.candDist = new Float64Array(cap);
  }

  /** Fills the candidate list for one row of products starting at `off`. */
  select(
    p: Float32Array,
    off: number,
    qn: number,
    dNorms: Float64Array,
    self: number,
    errPerNorm: number,
  ): void {
    const k = this.k;
    const hv = this.heapVal;
    const hi = this.heapIdx;
    const n = dNorms.length;
    let size = 0;
    for (let j = 0; j < n; j++) {
      if (j === self) continue;
      const v = qn + dNorms[j] - 2 * p[off + j];
      if (size < k) {
        siftUp(hv, hi, size, v, j);
        size++;
      } else if (v < hv[0]) {
        siftDown(hv, hi, k, v, j);
      }
    }
    // Every j whose true distance could be at most the true k-th smallest is a candidate.
    let maxNorm = 0;
    for (let t = 0; t < k; t++) maxNorm = Math.max(maxNorm, dNorms[hi[t]]);
    const limit = hv[0] + errPerNorm * (qn + maxNorm);
    this.nCand = 0;
    for (let j = 0; j < n; j++) {
      if (j === self) continue;
      const v = qn + dNorms[j] - 2 * p[off + j];
      if (v - errPerNorm * (qn + dNorms[j]) <= limit) this.push(j);
    }
  }

  /**
   * Fills the candidate list from a row's kc smallest approximate distances (sorted). False when
   * they cannot settle it: fewer than k, or a row outside them could still be within the bound.
   */
  selectFrom(
    c: NearestCandidates,
    off: number,
    kc: number,
    qn: number,
    dNorms: Float64Array,
    self: number,
    errPerNorm: number,
    maxNorm: number,
  ): boolean {
    const { values, indices } = c;
    let seen = 0;
    let kth = NaN;
    let kNorm = 0;
    for (let t = 0; t < kc && seen < this.k; t++) {
      const j = indices[off + t];
      if (j === self) continue;
      kNorm = Math.max(kNorm, dNorms[j]);
      if (++seen === this.k) kth = values[off + t];
    }
    if (seen < this.k) return false;
    const limit = kth + errPerNorm * (qn + kNorm);
    // A row outside the list has an approximate distance >= the list's last value.
    if (!(values[off + kc - 1] - errPerNorm * (qn + maxNorm) > limit)) return false;
    this.nCand = 0;
    for (let t = 0; t < kc; t++) {
      const j = indices[off + t];
      if (j !== self && values[off + t] - errPerNorm * (qn + dNorms[j]) <= limit) this.push(j);
    }
    return true;
  }

  private push(j: number): void {
    if (this.nCand === this.candIdx.length) {
      const idx = new Int32Array(this.candIdx.length * 2);
      idx.set(this.candIdx);
      this.candIdx = idx;
      this.candDist = new Float64Array(idx.length);
    }
    this.candIdx[this.nCand++] = j;
  }

  /** Exact distances of the candidates, sorted; writes the k best at `out`. */
  finish(
    query: AnyMatrix,
    i: number,
    data: AnyMatrix,
    indices: Int32Array,
    distances: Float64Array,
    out: number,
  ): void {
    const c = this.nCand;
    const idx = this.candIdx;
    const dist = this.candDist;
    for (let t = 0; t < c; t++) dist[t] = rowSqDistance(query, i, data, idx[t]);
    const order = Array.from({ length: c }, (_, t) => t);
    order.sort((a, b) => dist[a] - dist[b] || idx[a] - idx[b]);
    for (let t = 0; t < this.k; t++) {
      indices[out + t] = idx[order[t]];
      distances[out + t] = Math.sqrt(dist[order[t]]);
    }
  }
}

function siftUp(hv: Float64Array, hi: Int32Array, pos: number, v: number, j: number): void {
  while (pos > 0) {
    const parent = (pos - 1) >> 1;
    if (hv[parent] >= v) break;
    hv[pos] = hv[parent];
    hi[pos] = hi[parent];
    pos = parent;
  }
  hv[pos] = v;
  hi[pos] = j;
}

/** Replaces the root (the largest) with v and restores the max-heap. */
function siftDown(hv: Float64Array, hi: Int32Array, size: number, v: number, j: number): void {
  let pos = 0;
  for (;;) {
    const l = 2 * pos + 1;
    if (l >= size) break;
    const r = l + 1;
    const c = r < size && hv[r] > hv[l] ? r : l;
    if (hv[c] <= v) break;
    hv[pos] = hv[c];
    hi[pos] = hi[c];
    pos = c;
  }
  hv[pos] = v;
  hi[pos] = j;
}
