/**
 * Isomap (Tenenbaum, de Silva & Langford 2000, doi:10.1126/science.290.5500.2319), after
 * scikit-learn 1.2's `Isomap` with its `KernelPCA(kernel='precomputed')`: exact kNN graph
 * (self excluded, walked both ways), Dijkstra from every node (the n x n geodesic matrix D,
 * float32: 400 MB at n = 10,000), K = −½·D² double-centred, its top nComponents eigenpairs
 * (eigenvalues below 0 set to 0, signs by svd_flip on the eigenvectors, as KernelPCA), the
 * embedding v·√λ. K is never stored: its matvec squares D on the fly. Out-of-sample as
 * scikit-learn: the geodesic distance of a new point to every training point through its k
 * nearest training points, min_t (D[nbr_t, :] + dist_t), then the centred kernel transform
 * (linalg/geodesic-kernel.ts, on the reducer's backend).
 * Eigen solvers: 'dense' (full decomposition of K, n <= 200 under 'auto' as scikit-learn) and
 * 'lanczos' (full-reorthogonalised Lanczos, linalg/lanczos.ts; scikit-learn uses ARPACK).
 * Differences from scikit-learn: a disconnected kNN graph is an error naming the number of
 * components (scikit-learn 1.2 warns and joins the components with extra edges); only the
 * Dijkstra path method; radius neighbourhoods and metrics other than Euclidean are not offered.
 * Dijkstra runs on the backend's `threads` (linalg/shortest-paths-parallel.ts).
 * The saved form holds D (n² float32 values, base64) up to `Isomap.maxSavedGeodesics` training
 * points (4096: 89 MB of base64); beyond, it leaves D out and the loaded model recomputes it
 * from the training points (the same kNN graph and Dijkstra as fit) on its first transform
 * (D's base64 would pass V8's 512 MB string limit near 9,000 points).
 * Big data: `fitSample` fits on a seeded sample of rows and transform maps the rest
 * (reducers/stream-transform.ts streams them from a source).
 */
import { ConfigError } from '../errors.js';
import type { BackendOption, ComputeBackend } from '../linalg/backend.js';
import { knn } from '../linalg/knn.js';
import { geodesicKernelProjection } from '../linalg/geodesic-kernel.js';
import { flipRows, topDense, topLanczos } from './isomap-kernel.js';
import { connectedComponents, undirectedKnnGraph } from '../linalg/shortest-paths.js';
import { allPairsShortestPathsParallel } from '../linalg/shortest-paths-parallel.js';
import { checkInt, checkNumber, checkOneOf } from '../util/check.js';
import { matrix, type Matrix, type Matrix32 } from '../util/matrix.js';
import {
  checkData,
  decodeArray,
  decodeMatrix,
  encodeArray,
  encodeMatrix,
  fitted,
  readNumber,
  splitBackend,
  toMatrix32,
} from './common.js';
import { savedForm, type Reducer, type ReducerJSON } from './reducer.js';
import { sampleRows } from './stream-sample.js';

/** Options of Isomap, named after scikit-learn's. */
export interface IsomapOptions {
  /** Neighbours per point in the graph; default 5. */
  nNeighbors?: number;
  /** Output dimensions; default 2. */
  nComponents?: number;
  /** 'auto' (default), 'dense' or 'lanczos'. */
  eigenSolver?: 'auto' | 'dense' | 'lanczos';
  /** Lanczos relative residual tolerance; default 1e-12. */
  tol?: number;
  /** Seed of the Lanczos start vector and of the fitSample draw; default 0. */
  seed?: number;
  /**
   * Fit on a seeded uniform sample of this many rows (stream-sample.ts) when x has more; the
   * other rows are mapped out of sample by transform (fitTransform returns transform(x)).
   * Default: fit on every row.
   */
  fitSample?: number;
}

interface IsomapState {
  train: Matrix32;
  /** Geodesic distances, n x n row-major float32; undefined when loaded without them (recomputed on use). */
  dist: Float32Array | undefined;
  /** Eigenvalues (descending) and eigenvectors (rows) of the centred kernel. */
  lambdas: Float64Array;
  vectors: Matrix;
  /** Column means of K = −½D² (KernelCenterer's K_fit_rows_), and their mean. */
  colMeans: Float64Array;
  allMean: number;
}

/**
 * Isomap with out-of-sample transform.
 * @example
 * const iso = new Isomap({ nNeighbors: 10, nComponents: 2 });
 * const z = await iso.fitTransform(swissRoll); // n x 2, the unrolled sheet
 */
export class Isomap implements Reducer {
  /** toJSON keeps the geodesic matrix up to this many training points, else recomputes it on load. */
  static maxSavedGeodesics = 4096;
  readonly name = 'isomap';
  readonly options: Readonly<IsomapOptions>;
  /** The kernels' backend (not saved); its `threads` also size the Dijkstra workers. */
  readonly backend: ComputeBackend;
  private state: IsomapState | undefined;

  /** @throws ConfigError on an option out of range. */
  constructor(options: IsomapOptions & BackendOption = {}) {
    const { backend, options: o } = splitBackend(options);
    this.backend = backend;
    checkInt('nNeighbors', o.nNeighbors ?? 5, 1);
    checkInt('nComponents', o.nComponents ?? 2, 1);
    checkOneOf('eigenSolver', o.eigenSolver ?? 'auto', ['auto', 'dense', 'lanczos'] as const);
    checkNumber('tol', o.tol ?? 1e-12, 0, 1, { exclusiveMin: true });
    checkInt('seed', o.seed ?? 0, -(2 ** 53), 2 ** 53);
    if (o.fitSample !== undefined) checkInt('fitSample', o.fitSample, 2);
    this.options = Object.freeze(o);
  }

  /**
   * Fits the embedding of x (n x d), or of its seeded fitSample-row sample.
   * @throws ConfigError (nNeighbors >= n, nComponents > n, disconnected graph), DataError, ShapeError, NumericalError
   */
  async fit(data: Matrix32): Promise<this> {
    checkData('Isomap fit x', data);
    const x = this.sampled(data);
    const n = x.rows;
    const k = this.options.nNeighbors ?? 5;
    const dOut = this.options.nComponents ?? 2;
    if (k >= n)
      throw new ConfigError(`nNeighbors must be < the number of samples (${n}), got ${k}`);
    if (dOut > n)
      throw new ConfigError(`nComponents must be <= the number of samples (${n}), got ${dOut}`);
    const train = matrix(n, x.cols, Float32Array.from(x.data));
    const dist = await geodesics(this.backend, train, k);
    const rowSq = new Float64Array(n); // mean_j D_ij², = −2 · column means of K (D symmetric)
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0, o = i * n; j < n; j++) s += dist[o + j] * dist[o + j];
      rowSq[i] = s / n;
    }
    const colMeans = rowSq.map((v) => -0.5 * v);
    const allMean = colMeans.reduce((a, b) => a + b, 0) / n;
    const solver = this.options.eigenSolver ?? 'auto';
    const eig =
      solver === 'dense' || (solver === 'auto' && n <= 200)
        ? topDense(dist, n, colMeans, allMean, dOut)
        : topLanczos(dist, n, dOut, this.options.tol ?? 1e-12, this.options.seed ?? 0);
    const lambdas = eig.values.map((v) => Math.max(v, 0));
    flipRows(eig.vectors);
    this.state = { train, dist, lambdas, vectors: eig.vectors, colMeans, allMean };
    return this;
  }

  /** Codes of new points through their geodesic distances to the training points. @throws NotFittedError, ShapeError, DataError */
  async transform(x: Matrix32): Promise<Matrix32> {
    const s = fitted(this.state, 'Isomap');
    checkData('Isomap transform x', x, { cols: s.train.cols, minRows: 0 });
    let dist = (s.dist ??= await geodesics(this.backend, s.train, this.options.nNeighbors ?? 5));
    // fit's D lives in the Dijkstra workers' shared memory, which onnxruntime refuses (it would
    // copy per call): moved to ordinary memory once, at the first transform, so fit's peak
    // memory does not hold both.
    if (dist.buffer instanceof SharedArrayBuffer) s.dist = dist = dist.slice();
    const n = s.train.rows;
    const k = this.options.nNeighbors ?? 5;
    const dOut = s.lambdas.length;
    if (x.rows === 0) return matrix(0, dOut, new Float32Array(0));
    const nb = await knn(s.train, k, { query: x, backend: this.backend });
    // scaled_alphas = v / √λ (0 where λ = 0), as KernelPCA.transform.
    const alpha = new Float64Array(dOut * n);
    for (let c = 0; c < dOut; c++) {
      const l = s.lambdas[c];
      if (l === 0) continue;
      for (let j = 0; j < n; j++) alpha[c * n + j] = s.vectors.data[c * n + j] / Math.sqrt(l);
    }
    const kernel = {
      dist: matrix(n, n, dist),
      alpha: matrix(dOut, n, alpha),
      colMeans: s.colMeans,
      allMean: s.allMean,
    };
    return geodesicKernelProjection(this.backend, kernel, nb);
  }

  /** The rows fit uses: x, or its seeded sample of fitSample rows when x has more. */
  private sampled(x: Matrix32): Matrix32 {
    const m = this.options.fitSample;
    return m === undefined ? x : sampleRows(x, m, this.options.seed ?? 0);
  }

  /** fit(x), then the training embedding v·√λ. */
  async fitTransform(x: Matrix32): Promise<Matrix32> {
    await this.fit(x);
    if (x.rows > (this.options.fitSample ?? Infinity)) return this.transform(x);
    const e = this.embedding;
    return toMatrix32(e.rows, e.cols, e.data);
  }

  /** The training embedding v·√λ (n x nComponents), float64. @throws NotFittedError */
  get embedding(): Matrix {
    const s = fitted(this.state, 'Isomap');
    const n = s.train.rows;
    const dOut = s.lambdas.length;
    const e = new Float64Array(n * dOut);
    for (let c = 0; c < dOut; c++) {
      const r = Math.sqrt(s.lambdas[c]);
      for (let i = 0; i < n; i++) e[i * dOut + c] = s.vectors.data[c * n + i] * r;
    }
    return matrix(n, dOut, e);
  }
  /** Eigenvalues of the centred kernel, descending. @throws NotFittedError */
  get eigenvalues(): Float64Array {
    return fitted(this.state, 'Isomap').lambdas;
  }
  /** The geodesic distance matrix (n x n float32), recomputed first for a model loaded without it. @throws NotFittedError */
  async distMatrix(): Promise<Matrix32> {
    const s = fitted(this.state, 'Isomap');
    s.dist ??= await geodesics(this.backend, s.train, this.options.nNeighbors ?? 5);
    return matrix(s.train.rows, s.train.rows, s.dist);
  }

  /** Saved form (training data, and D up to `maxSavedGeodesics` points); see reducer.ts. */
  toJSON(): ReducerJSON {
    return savedForm('isomap', this.options, this.state, (s) => {
      const n = s.train.rows;
      const keep = s.dist !== undefined && n <= Isomap.maxSavedGeodesics;
      return {
        train: encodeMatrix(s.train),
        dist: keep && s.dist !== undefined ? encodeArray(s.dist, [n, n]) : null,
        lambdas: encodeArray(s.lambdas),
        vectors: encodeMatrix(s.vectors),
        colMeans: encodeArray(s.colMeans),
        allMean: s.allMean,
      };
    });
  }

  /** Restores an Isomap saved by toJSON. @throws DataError naming the bad field; ConfigError on bad options */
  static fromJSON(json: ReducerJSON, opts: BackendOption = {}): Isomap {
    const iso = new Isomap({ ...(json.options as IsomapOptions), backend: opts.backend });
    const st = json.state;
    if (st === null) return iso;
    const train = decodeMatrix(st.train, 'state.train', 'float32');
    const n = train.rows;
    const lambdas = decodeArray(st.lambdas, 'state.lambdas', 'float64');
    iso.state = {
      train,
      dist: st.dist === null ? undefined : decodeArray(st.dist, 'state.dist', 'float32', [n, n]),
      lambdas,
      vectors: decodeMatrix(st.vectors, 'state.vectors', 'float64', [lambdas.length, n]),
      colMeans: decodeArray(st.colMeans, 'state.colMeans', 'float64', [n]),
      allMean: readNumber(st, 'allMean'),
    };
    return iso;
  }
}

/**
 * Geodesic distances between the rows of train (n x n float32) over their kNN graph, Dijkstra on
 * the backend's thread count.
 * @throws ConfigError when the graph is disconnected, naming the component sizes
 */
async function geodesics(
  backend: ComputeBackend,
  train: Matrix32,
  k: number,
): Promise<Float32Array> {
  const n = train.rows;
  const nb = await knn(train, k, { backend });
  const graph = undirectedKnnGraph(n, k, nb.indices, nb.distances);
  const cc = connectedComponents(graph);
  if (cc.count > 1) {
    const sizes = new Array<number>(cc.count).fill(0);
    cc.labels.forEach((l) => sizes[l]++);
    sizes.sort((a, b) => b - a);
    throw new ConfigError(
      `Isomap: the kNN graph with nNeighbors=${k} has ${cc.count} connected components (sizes ${sizes.slice(0, 5).join(', ')}${cc.count > 5 ? ', ...' : ''}); geodesic distances need one: increase nNeighbors`,
    );
  }
  return allPairsShortestPathsParallel(graph, backend.threads);
}
