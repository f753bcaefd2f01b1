/**
 * t-distributed stochastic neighbour embedding (van der Maaten & Hinton 2008, JMLR 9:2579), with
 * the Barnes-Hut approximation (van der Maaten 2014, JMLR 15:3221), after scikit-learn 1.2's
 * `TSNE`: P from each point's ⌊3·perplexity + 1⌋ nearest neighbours (exact kNN, linalg/knn.ts)
 * with per-point bisection on the perplexity (tsne-affinity.ts), symmetrised; a start from PCA
 * scaled so the first column's standard deviation is 1e-4 (or N(0, 1e-4²)); gradient descent
 * with momentum 0.5 for 250 iterations on P × earlyExaggeration, then 0.8 on P, per-coordinate
 * gains (+0.2 when the step changes sign, ×0.8 otherwise, floor 0.01) reset between the two
 * phases, learning rate 'auto' = max(n / earlyExaggeration / 4, 50); every 50 iterations the
 * KL divergence is checked and the run stops after nIterWithoutProgress iterations without
 * improvement or when the gradient norm falls below minGradNorm. The gradient is scikit-learn's
 * (tsne-gradient.ts): Barnes-Hut with angle θ, or exact over all pairs with the dense P.
 * t-SNE has no `transform`: it is non-parametric, optimising one position per training point
 * against all the others, so there is no mapping to apply to a new point (scikit-learn's TSNE
 * has none either); embed all points together with fitTransform, or use UMAP for new points.
 * Differences from scikit-learn: method 'auto' (the default) is 'exact' below 1000 points and
 * 'barnes_hut' from there (scikit-learn's default is 'barnes_hut' at every size); the Euclidean
 * metric only; the PCA start is aedr's PCA (randomized beyond its size rule, as scikit-learn);
 * for nComponents >= 3 the gradient is the KL's own (scikit-learn's differs there, see
 * tsne-gradient.ts).
 * The same seed gives the same embedding, bit for bit, whatever `nJobs`: the Barnes-Hut
 * repulsion may run on several threads (tsne-pool.ts), each point's sums computed by one thread
 * in the one-thread order and Z summed in index order; everything else runs on one thread.
 */
import { ConfigError } from '../errors.js';
import type { BackendOption, ComputeBackend } from '../linalg/backend.js';
import { knn } from '../linalg/knn.js';
import { reverseCuthillMcKee, type Csr } from '../linalg/sparse.js';
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
import { PCA } from './pca.js';
import { savedForm, type Reducer, type ReducerJSON } from './reducer.js';
import { jointProbabilitiesDense, jointProbabilitiesNn } from './tsne-affinity.js';
import { gradientDescent } from './tsne-descent.js';
import { BarnesHutWorkspace, klGradientBarnesHut, klGradientExact } from './tsne-gradient.js';
import { RepulsionPool } from './tsne-pool.js';

/** Options of TSNE, named after scikit-learn's. */
export interface TSNEOptions {
  /** Output dimensions, 1 to 3 for Barnes-Hut; default 2. */
  nComponents?: number;
  /** Effective number of neighbours; default 30; must be < the number of samples. */
  perplexity?: number;
  /** Factor on P during the first 250 iterations; default 12. */
  earlyExaggeration?: number;
  /** Step size, or 'auto' (default) = max(n / earlyExaggeration / 4, 50). */
  learningRate?: number | 'auto';
  /** Iterations in all, at least 250; default 1000. */
  nIter?: number;
  /** Iterations without a lower KL (checked every 50) before stopping; default 300. */
  nIterWithoutProgress?: number;
  /** Stop when the gradient norm is below this; default 1e-7. */
  minGradNorm?: number;
  /** 'pca' (default) or 'random' start. */
  init?: 'pca' | 'random';
  /** 'auto' (default: exact below 1000 points), 'barnes_hut' or 'exact'. */
  method?: 'auto' | 'barnes_hut' | 'exact';
  /** Barnes-Hut's θ; default 0.5. */
  angle?: number;
  /** Seed of the start (PCA's randomized solver or the random start); default 0. */
  seed?: number;
  /**
   * Threads of the Barnes-Hut repulsion (the result is the same for any count); default: the
   * backend's `threads` from 5,000 points on, else 1 (starting workers would cost more).
   */
  nJobs?: number;
}

/** Points from which the default nJobs uses the backend's threads. */
const PARALLEL_MIN = 5000;

interface TSNEState {
  embedding: Matrix;
  klDivergence: number;
  nIter: number;
}

/** Iterations with early exaggeration (scikit-learn's _EXPLORATION_N_ITER). */
const EXPLORATION_ITER = 250;

/**
 * t-SNE (fitTransform only).
 * @example
 * const tsne = new TSNE({ perplexity: 30, seed: 1 });
 * const z = await tsne.fitTransform(x); // n x 2; tsne.klDivergence ≈ 1.2
 */
export class TSNE implements Reducer {
  readonly name = 'tsne';
  readonly options: Readonly<TSNEOptions>;
  /** The backend of the kNN and the PCA start (not saved). */
  readonly backend: ComputeBackend;
  private state: TSNEState | undefined;

  /** @throws ConfigError on an option out of range. */
  constructor(options: TSNEOptions & BackendOption = {}) {
    const { backend, options: o } = splitBackend(options);
    this.backend = backend;
    checkInt('nComponents', o.nComponents ?? 2, 1);
    checkNumber('perplexity', o.perplexity ?? 30, 0, Infinity, { exclusiveMin: true });
    checkNumber('earlyExaggeration', o.earlyExaggeration ?? 12, 1);
    if (o.learningRate !== undefined && o.learningRate !== 'auto')
      checkNumber('learningRate', o.learningRate, 0, Infinity, { exclusiveMin: true });
    checkInt('nIter', o.nIter ?? 1000, EXPLORATION_ITER);
    checkInt('nIterWithoutProgress', o.nIterWithoutProgress ?? 300, 1);
    checkNumber('minGradNorm', o.minGradNorm ?? 1e-7, 0);
    checkOneOf('init', o.init ?? 'pca', ['pca', 'random'] as const);
    const method = checkOneOf('method', o.method ?? 'auto', [
      'auto',
      'barnes_hut',
      'exact',
    ] as const);
    checkNumber('angle', o.angle ?? 0.5, 0, 1);
    checkInt('seed', o.seed ?? 0, -(2 ** 53), 2 ** 53);
    if (o.nJobs !== undefined) checkInt('nJobs', o.nJobs, 1, 256);
    if (method === 'barnes_hut' && (o.nComponents ?? 2) > 3) {
      throw new ConfigError(
        `nComponents must be <= 3 with method 'barnes_hut' (its tree splits each cell in 2^nComponents), got ${o.nComponents}; use method 'exact'`,
      );
    }
    this.options = Object.freeze(o);
  }

  /**
   * Fits the embedding of x (n x d).
   * @throws ConfigError (perplexity >= n; 'auto' choosing Barnes-Hut with nComponents > 3), DataError, ShapeError
   */
  async fit(x: Matrix32): Promise<this> {
    checkData('TSNE fit x', x, { minRows: 2 });
    const n = x.rows;
    const dim = this.options.nComponents ?? 2;
    const perplexity = this.options.perplexity ?? 30;
    if (perplexity >= n)
      throw new ConfigError(`perplexity must be < the number of samples (${n}), got ${perplexity}`);
    const requested = this.options.method ?? 'auto';
    const method = requested === 'auto' ? (n < 1000 ? 'exact' : 'barnes_hut') : requested;
    if (method === 'barnes_hut' && dim > 3) {
      throw new ConfigError(
        `nComponents must be <= 3 for Barnes-Hut (chosen by method 'auto' for ${n} points), got ${dim}; use method 'exact'`,
      );
    }
    const exaggeration = this.options.earlyExaggeration ?? 12;
    const lr = this.options.learningRate ?? 'auto';
    const learningRate = lr === 'auto' ? Math.max(n / exaggeration / 4, 50) : lr;
    const y = await this.start(x);
    let order: Int32Array | undefined; // order[new] = old, when the points are renumbered
    const dof = Math.max(dim - 1, 1);
    let gradient: (y: Float64Array, computeError: boolean, grad: Float64Array) => number;
    let scaleP: (f: number) => void;
    let pool: RepulsionPool | undefined;
    if (method === 'exact') {
      const p = jointProbabilitiesDense(await allSqDistances(x, this.backend), n, perplexity);
      const w = new Float64Array(n * n);
      gradient = (yy, ce, g) => klGradientExact(p, yy, n, dim, dof, ce, g, w);
      scaleP = (f) => {
        for (let t = 0; t < p.length; t++) p[t] *= f;
      };
    } else {
      const k = Math.min(n - 1, Math.floor(3 * perplexity + 1));
      const nb = await knn(x, k, { backend: this.backend });
      const sq = nb.distances.map((d) => d * d);
      // Points renumbered by reverse Cuthill-McKee on P: neighbours get nearby numbers, so the
      // attraction reads nearby memory; the map is renumbered back at the end.
      const p0 = jointProbabilitiesNn(nb.indices, sq, n, k, perplexity);
      order = reverseCuthillMcKee(p0);
      const angle = this.options.angle ?? 0.5;
      const threads = this.options.nJobs ?? (n >= PARALLEL_MIN ? this.backend.threads : 1);
      let p = renumber(p0, order);
      if (threads > 1) {
        pool = await RepulsionPool.start(p, dim, angle, dof, threads);
        p = pool.p;
      }
      const ws = new BarnesHutWorkspace(n, dim, pool);
      gradient = (yy, ce, g) => klGradientBarnesHut(p, yy, n, dim, dof, angle, ce, g, ws);
      scaleP = (f) => {
        for (let t = 0; t < p.values.length; t++) p.values[t] *= f;
      };
    }
    const work = order === undefined ? y : permuteRows(y, order, dim);
    const nIter = this.options.nIter ?? 1000;
    const common = {
      learningRate,
      minGradNorm: this.options.minGradNorm ?? 1e-7,
    };
    let res: { error: number; it: number };
    try {
      scaleP(exaggeration);
      res = gradientDescent(work, gradient, {
        ...common,
        from: 0,
        to: EXPLORATION_ITER,
        momentum: 0.5,
        withoutProgress: EXPLORATION_ITER,
      });
      scaleP(1 / exaggeration);
      if (res.it < EXPLORATION_ITER || nIter > EXPLORATION_ITER) {
        res = gradientDescent(work, gradient, {
          ...common,
          from: res.it + 1,
          to: nIter,
          momentum: 0.8,
          withoutProgress: this.options.nIterWithoutProgress ?? 300,
        });
      }
    } finally {
      await pool?.close();
    }
    if (order !== undefined)
      for (let r = 0; r < n; r++)
        for (let c = 0; c < dim; c++) y[order[r] * dim + c] = work[r * dim + c];
    this.state = { embedding: matrix(n, dim, y), klDivergence: res.error, nIter: res.it };
    return this;
  }

  /** The start: PCA scaled to a first-column std of 1e-4, or N(0, 1e-4²). */
  private async start(x: Matrix32): Promise<Float64Array> {
    const n = x.rows;
    const dim = this.options.nComponents ?? 2;
    const seed = this.options.seed ?? 0;
    if ((this.options.init ?? 'pca') === 'random') {
      const rng = new Rng(seed);
      const y = new Float64Array(n * dim);
      for (let t = 0; t < y.length; t++) y[t] = 1e-4 * rng.normal();
      return y;
    }
    if (dim > Math.min(n, x.cols)) {
      throw new ConfigError(
        `init 'pca' needs nComponents <= min(samples, features) = ${Math.min(n, x.cols)}, got ${dim}; use init 'random'`,
      );
    }
    const z = await new PCA({ nComponents: dim, seed, backend: this.backend }).fitTransform(x);
    let mean = 0;
    for (let i = 0; i < n; i++) mean += z.data[i * dim];
    mean /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (z.data[i * dim] - mean) ** 2;
    const scale = 1e-4 / Math.sqrt(v / n);
    const y = new Float64Array(n * dim);
    for (let t = 0; t < y.length; t++) y[t] = z.data[t] * scale;
    return y;
  }

  /** t-SNE cannot map new points. @throws ConfigError always, saying why */
  transform(x: Matrix32): Promise<Matrix32> {
    void x;
    return Promise.reject(
      new ConfigError(
        'TSNE has no transform: t-SNE is non-parametric (it optimises one position per training point, and learns no mapping to apply to new points); embed all the points together with fitTransform, or use UMAP, whose transform places new points',
      ),
    );
  }

  /** fit(x), then the embedding. */
  async fitTransform(x: Matrix32): Promise<Matrix32> {
    await this.fit(x);
    const e = fitted(this.state, 'TSNE').embedding;
    return toMatrix32(e.rows, e.cols, e.data);
  }

  /** The embedding (n x nComponents), float64. @throws NotFittedError */
  get embedding(): Matrix {
    return fitted(this.state, 'TSNE').embedding;
  }
  /** KL(P ‖ Q) at the last iteration. @throws NotFittedError */
  get klDivergence(): number {
    return fitted(this.state, 'TSNE').klDivergence;
  }
  /** Index of the last iteration run (scikit-learn's n_iter_). @throws NotFittedError */
  get nIter(): number {
    return fitted(this.state, 'TSNE').nIter;
  }

  /** Saved form (the embedding; there is nothing to transform with); see reducer.ts. */
  toJSON(): ReducerJSON {
    return savedForm('tsne', this.options, this.state, (s) => ({
      embedding: encodeMatrix(s.embedding),
      klDivergence: s.klDivergence,
      nIter: s.nIter,
    }));
  }

  /** Restores a TSNE saved by toJSON. @throws DataError naming the bad field; ConfigError on bad options */
  static fromJSON(json: ReducerJSON, opts: BackendOption = {}): TSNE {
    const t = new TSNE({ ...(json.options as TSNEOptions), backend: opts.backend });
    const st = json.state;
    if (st === null) return t;
    t.state = {
      embedding: decodeMatrix(st.embedding, 'state.embedding', 'float64'),
      klDivergence: readNumber(st, 'klDivergence'),
      nIter: readNumber(st, 'nIter'),
    };
    return t;
  }
}

/** Rows of y (n x dim) in the order `order` (order[new] = old). */
function permuteRows(y: Float64Array, order: Int32Array, dim: number): Float64Array {
  const out = new Float64Array(y.length);
  for (let r = 0; r < order.length; r++)
    for (let c = 0; c < dim; c++) out[r * dim + c] = y[order[r] * dim + c];
  return out;
}

/**
 * P with its points renumbered: entry (i, j) moves to (new(i), new(j)); each row's columns
 * ascending, as csrFromTriplets would give them (P has no duplicates to merge), sorted as packed
 * keys column·rowLength + position by the typed arrays' numeric sort.
 */
function renumber(p: Csr, order: Int32Array): Csr {
  const n = p.rows;
  const inverse = new Int32Array(n);
  for (let r = 0; r < n; r++) inverse[order[r]] = r;
  const indptr = new Int32Array(n + 1);
  for (let r = 0; r < n; r++) {
    const i = order[r];
    indptr[r + 1] = indptr[r] + p.indptr[i + 1] - p.indptr[i];
  }
  const indices = new Int32Array(p.indices.length);
  const values = new Float64Array(p.values.length);
  let keys = new Float64Array(0);
  for (let r = 0; r < n; r++) {
    const i = order[r];
    const from = p.indptr[i];
    const len = p.indptr[i + 1] - from;
    if (keys.length < len) keys = new Float64Array(2 * len);
    const k = keys.subarray(0, len);
    for (let t = 0; t < len; t++) k[t] = inverse[p.indices[from + t]] * len + t;
    k.sort();
    for (let t = 0; t < len; t++) {
      const col = Math.floor(k[t] / len);
      indices[indptr[r] + t] = col;
      values[indptr[r] + t] = p.values[from + k[t] - col * len];
    }
  }
  return { rows: n, cols: n, indptr, indices, values };
}

/** All squared Euclidean distances (n x n, float64), for the exact method's dense P. */
async function allSqDistances(x: Matrix32, backend: ComputeBackend): Promise<Float64Array> {
  const n = x.rows;
  const nb = await knn(x, n - 1, { backend });
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < n - 1; t++) {
      const d = nb.distances[i * (n - 1) + t];
      out[i * n + nb.indices[i * (n - 1) + t]] = d * d;
    }
  }
  return out;
}
