/**
 * Uniform Manifold Approximation and Projection (McInnes, Healy & Melville 2018,
 * arXiv:1802.03426), after umap-learn 0.5's `UMAP` with its defaults (local connectivity 1,
 * set_op_mix_ratio 1, repulsion strength 1): the exact kNN graph (linalg/knn.ts, each point its
 * own first neighbour as umap-learn lists it), the fuzzy simplicial set (umap-graph.ts), edges
 * below max/nEpochs dropped, the spectral layout of what remains (umap-init.ts) rescaled to
 * [0, 10], and the seeded SGD (umap-layout.ts) with a, b fitted from minDist and spread
 * (umap-curve.ts).
 * `transform` as umap-learn: the k nearest training points of each new point, memberships with
 * local connectivity 0, the weighted mean of their embeddings as the start, then nEpochs/3
 * (default 100, 30 beyond 10,000 rows) epochs at a quarter of the learning rate with the
 * training embedding fixed. The same seed gives the same embedding (the SGD runs on one thread).
 * Differences from umap-learn: the kNN is always exact (umap-learn uses NN-descent from 4096
 * points on); 'cosine' is the Euclidean kNN of unit-normalised rows, whose distance is
 * 1 − cos = d²/2 (a zero row is an error); a disconnected graph starts from the random layout
 * (see umap-init.ts); nNeighbors >= n is an error (umap-learn lowers it to n − 1 with a warning);
 * densMAP, supervised UMAP and inverse_transform are not offered.
 */
import { ConfigError, DataError } from '../errors.js';
import type { BackendOption, ComputeBackend } from '../linalg/backend.js';
import { knn } from '../linalg/knn.js';
import { checkInt, checkNumber, checkOneOf } from '../util/check.js';
import { matrix, type Matrix, type Matrix32 } from '../util/matrix.js';
import { Rng } from '../util/rng.js';
import {
  checkData,
  decodeMatrix,
  encodeMatrix,
  fitted,
  readNumber,
  splitBackend,
  toMatrix32,
} from './common.js';
import { savedForm, type Reducer, type ReducerJSON } from './reducer.js';
import { findAbParams } from './umap-curve.js';
import { fuzzySimplicialSet, membershipStrengths, smoothKnnDist } from './umap-graph.js';
import { randomLayout, rescaleColumns, spectralLayout } from './umap-init.js';
import { makeEpochsPerSample, optimizeLayout } from './umap-layout.js';

/** Options of UMAP, named after umap-learn's. */
export interface UMAPOptions {
  /** Neighbours per point, the point itself included (as umap-learn); default 15. */
  nNeighbors?: number;
  /** Output dimensions; default 2. */
  nComponents?: number;
  /** Smallest distance between embedded points; 0 <= minDist <= spread; default 0.1. */
  minDist?: number;
  /** Scale of the embedded clusters; default 1. */
  spread?: number;
  /** SGD epochs; default 500 up to 10,000 points, else 200. */
  nEpochs?: number;
  /** Initial SGD learning rate; default 1. */
  learningRate?: number;
  /** Negative samples per positive sample; default 5. */
  negativeSampleRate?: number;
  /** 'euclidean' (default) or 'cosine'. */
  metric?: 'euclidean' | 'cosine';
  /** 'spectral' (default) or 'random' initial layout. */
  init?: 'spectral' | 'random';
  /** Seed of the initial layout and the negative samples; default 0. */
  seed?: number;
}

interface UMAPState {
  /** Training rows (unit-normalised for 'cosine'), for transform's kNN. */
  train: Matrix32;
  embedding: Matrix;
  a: number;
  b: number;
}

/**
 * UMAP with umap-learn's out-of-sample transform.
 * @example
 * const umap = new UMAP({ nNeighbors: 15, minDist: 0.1, seed: 1 });
 * const z = await umap.fitTransform(x); // n x 2, clusters of x as separate islands
 * const zNew = await umap.transform(xNew); // new rows placed among them
 */
export class UMAP implements Reducer {
  readonly name = 'umap';
  readonly options: Readonly<UMAPOptions>;
  /** The kNN's backend (not saved). */
  readonly backend: ComputeBackend;
  private state: UMAPState | undefined;

  /** @throws ConfigError on an option out of range. */
  constructor(options: UMAPOptions & BackendOption = {}) {
    const { backend, options: o } = splitBackend(options);
    this.backend = backend;
    checkInt('nNeighbors', o.nNeighbors ?? 15, 2);
    checkInt('nComponents', o.nComponents ?? 2, 1);
    const spread = checkNumber('spread', o.spread ?? 1, 0, Infinity, { exclusiveMin: true });
    checkNumber('minDist', o.minDist ?? 0.1, 0, spread);
    if (o.nEpochs !== undefined) checkInt('nEpochs', o.nEpochs, 1);
    checkNumber('learningRate', o.learningRate ?? 1, 0, Infinity, { exclusiveMin: true });
    checkNumber('negativeSampleRate', o.negativeSampleRate ?? 5, 0);
    checkOneOf('metric', o.metric ?? 'euclidean', ['euclidean', 'cosine'] as const);
    checkOneOf('init', o.init ?? 'spectral', ['spectral', 'random'] as const);
    checkInt('seed', o.seed ?? 0, -(2 ** 53), 2 ** 53);
    this.options = Object.freeze(o);
  }

  /**
   * Fits the embedding of x (n x d).
   * @throws ConfigError (nNeighbors >= n), DataError (NaN/Inf; a zero row under 'cosine'), ShapeError
   */
  async fit(x: Matrix32): Promise<this> {
    checkData('UMAP fit x', x);
    const n = x.rows;
    const k = this.options.nNeighbors ?? 15;
    const dim = this.options.nComponents ?? 2;
    if (k >= n)
      throw new ConfigError(`nNeighbors must be < the number of samples (${n}), got ${k}`);
    const cosine = this.options.metric === 'cosine';
    const train = cosine ? unitRows(x, 'UMAP fit x') : matrix(n, x.cols, Float32Array.from(x.data));
    const nb = await knn(train, k - 1, { backend: this.backend });
    // umap-learn's lists: the point itself first, at distance 0.
    const indices = new Int32Array(n * k);
    const dists = new Float64Array(n * k);
    for (let i = 0; i < n; i++) {
      indices[i * k] = i;
      for (let t = 1; t < k; t++) {
        indices[i * k + t] = nb.indices[i * (k - 1) + t - 1];
        dists[i * k + t] = metricDistance(nb.distances[i * (k - 1) + t - 1], cosine);
      }
    }
    const graph = fuzzySimplicialSet(indices, dists, n, k);
    const defaultEpochs = n <= 10000 ? 500 : 200;
    const nEpochs = this.options.nEpochs ?? defaultEpochs;
    let wMax = 0;
    for (const w of graph.values) wMax = Math.max(wMax, w);
    const cut = wMax / (nEpochs > 10 ? nEpochs : defaultEpochs);
    // The graph without its weak edges, in CSR (the start) and as edge lists (the SGD).
    const indptr = new Int32Array(n + 1);
    const head: number[] = [];
    const tail: number[] = [];
    const weights: number[] = [];
    for (let i = 0; i < n; i++) {
      for (let p = graph.indptr[i]; p < graph.indptr[i + 1]; p++) {
        if (graph.values[p] < cut) continue;
        head.push(i);
        tail.push(graph.indices[p]);
        weights.push(graph.values[p]);
      }
      indptr[i + 1] = head.length;
    }
    const pruned = {
      rows: n,
      cols: n,
      indptr,
      indices: Int32Array.from(tail),
      values: Float64Array.from(weights),
    };
    const rng = new Rng(this.options.seed ?? 0);
    const layout =
      ((this.options.init ?? 'spectral') === 'spectral'
        ? spectralLayout(pruned, dim, rng)
        : undefined) ?? randomLayout(n, dim, rng);
    rescaleColumns(layout, dim);
    const { a, b } = findAbParams(this.options.spread ?? 1, this.options.minDist ?? 0.1);
    optimizeLayout(
      layout,
      layout,
      Int32Array.from(head),
      pruned.indices,
      makeEpochsPerSample(pruned.values, nEpochs),
      {
        dim,
        nEpochs,
        a,
        b,
        gamma: 1,
        initialAlpha: this.options.learningRate ?? 1,
        negativeSampleRate: this.options.negativeSampleRate ?? 5,
        moveOther: true,
        seed: rng.int(0x7fffffff),
      },
    );
    this.state = { train, embedding: matrix(n, dim, layout), a, b };
    return this;
  }

  /**
   * Codes of new points, placed among the fixed training embedding (umap-learn's transform).
   * @throws NotFittedError, ShapeError, DataError
   */
  async transform(x: Matrix32): Promise<Matrix32> {
    const s = fitted(this.state, 'UMAP');
    checkData('UMAP transform x', x, { cols: s.train.cols, minRows: 0 });
    const m = x.rows;
    const dim = s.embedding.cols;
    if (m === 0) return matrix(0, dim, new Float32Array(0));
    const cosine = this.options.metric === 'cosine';
    const query = cosine ? unitRows(x, 'UMAP transform x') : x;
    const k = Math.min(this.options.nNeighbors ?? 15, s.train.rows);
    const nb = await knn(s.train, k, { query, backend: this.backend });
    const dists = nb.distances.map((d) => metricDistance(d, cosine));
    const sd = smoothKnnDist(dists, m, k, 0);
    const vals = membershipStrengths(nb.indices, dists, sd, m, k, true);
    const emb = s.embedding.data;
    const out = new Float64Array(m * dim);
    let vMax = 0;
    for (let i = 0; i < m; i++) {
      let sum = 0;
      for (let t = 0; t < k; t++) sum += vals[i * k + t];
      for (let t = 0; t < k; t++) {
        const w = vals[i * k + t] / sum;
        const j = nb.indices[i * k + t];
        for (let c = 0; c < dim; c++) out[i * dim + c] += w * emb[j * dim + c];
        vMax = Math.max(vMax, vals[i * k + t]);
      }
    }
    const nEpochs =
      this.options.nEpochs === undefined
        ? m <= 10000
          ? 100
          : 30
        : Math.max(1, Math.floor(this.options.nEpochs / 3));
    const head: number[] = [];
    const tail: number[] = [];
    const weights: number[] = [];
    for (let t = 0; t < m * k; t++) {
      if (vals[t] < vMax / nEpochs) continue;
      head.push(Math.floor(t / k));
      tail.push(nb.indices[t]);
      weights.push(vals[t]);
    }
    optimizeLayout(
      out,
      Float64Array.from(emb),
      Int32Array.from(head),
      Int32Array.from(tail),
      makeEpochsPerSample(Float64Array.from(weights), nEpochs),
      {
        dim,
        nEpochs,
        a: s.a,
        b: s.b,
        gamma: 1,
        initialAlpha: (this.options.learningRate ?? 1) / 4,
        negativeSampleRate: this.options.negativeSampleRate ?? 5,
        moveOther: false,
        seed: new Rng(this.options.seed ?? 0, 91).int(0x7fffffff),
      },
    );
    return toMatrix32(m, dim, out);
  }

  /** fit(x), then the training embedding. */
  async fitTransform(x: Matrix32): Promise<Matrix32> {
    await this.fit(x);
    const e = fitted(this.state, 'UMAP').embedding;
    return toMatrix32(e.rows, e.cols, e.data);
  }

  /** The training embedding (n x nComponents), float64. @throws NotFittedError */
  get embedding(): Matrix {
    return fitted(this.state, 'UMAP').embedding;
  }

  /** The fitted curve parameters a, b of 1 / (1 + a·d^(2b)). @throws NotFittedError */
  get curve(): { a: number; b: number } {
    const s = fitted(this.state, 'UMAP');
    return { a: s.a, b: s.b };
  }

  /** Saved form (training rows and embedding, needed by transform); see reducer.ts. */
  toJSON(): ReducerJSON {
    return savedForm('umap', this.options, this.state, (s) => ({
      train: encodeMatrix(s.train),
      embedding: encodeMatrix(s.embedding),
      a: s.a,
      b: s.b,
    }));
  }

  /** Restores a UMAP saved by toJSON. @throws DataError naming the bad field; ConfigError on bad options */
  static fromJSON(json: ReducerJSON, opts: BackendOption = {}): UMAP {
    const u = new UMAP({ ...(json.options as UMAPOptions), backend: opts.backend });
    const st = json.state;
    if (st === null) return u;
    const train = decodeMatrix(st.train, 'state.train', 'float32');
    u.state = {
      train,
      embedding: decodeMatrix(st.embedding, 'state.embedding', 'float64', [train.rows, -1]),
      a: readNumber(st, 'a'),
      b: readNumber(st, 'b'),
    };
    return u;
  }
}

/** umap-learn's distance from the Euclidean one: itself, or 1 − cos = d²/2 between unit rows. */
function metricDistance(d: number, cosine: boolean): number {
  return cosine ? (d * d) / 2 : d;
}

/** Rows scaled to unit length. @throws DataError on a zero row (cosine undefined) */
function unitRows(x: Matrix32, name: string): Matrix32 {
  const out = new Float32Array(x.data.length);
  for (let i = 0; i < x.rows; i++) {
    let s = 0;
    for (let c = 0; c < x.cols; c++) s += x.data[i * x.cols + c] ** 2;
    if (s === 0) {
      throw new DataError(
        `${name} row ${i} is all zeros: the cosine distance is undefined there; drop the row or use metric 'euclidean'`,
      );
    }
    const inv = 1 / Math.sqrt(s);
    for (let c = 0; c < x.cols; c++) out[i * x.cols + c] = x.data[i * x.cols + c] * inv;
  }
  return matrix(x.rows, x.cols, out);
}
