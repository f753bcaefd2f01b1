/**
 * Locally linear embedding, standard method (Roweis & Saul 2000, doi:10.1126/science.290.5500.2323),
 * after scikit-learn 1.2's `LocallyLinearEmbedding(method='standard')`: exact kNN (self
 * excluded), barycentric weights with reg·trace regularisation (lle-weights.ts), M = (I−W)ᵀ(I−W)
 * sparse, the embedding = eigenvectors 2..d+1 of M by increasing eigenvalue (the first, constant,
 * is dropped), reconstructionError = the sum of their eigenvalues. Out-of-sample transform as
 * scikit-learn: barycentric weights over the k nearest training points times their embedding.
 * Eigen solvers: 'dense' (all of M, n <= a few thousand) and 'lanczos' — Lanczos on the
 * shift-inverted (M + δI)⁻¹ with δ = 1e-10·max diag(M), through an envelope Cholesky of the
 * sparse M (linalg/sparse-cholesky.ts); scikit-learn's 'arpack' does the same with sigma = 0.
 * 'auto' = dense when n <= 200, as scikit-learn's size rule. Spectrum folding (Lanczos on
 * σI − M) was rejected: the wanted eigenvalues are ~1e-8 of σ on a swiss roll, needing
 * thousands of steps. Measured on MNIST n = 5000, k = 10 (CPU seconds, 2 shared cores): kNN 1.0,
 * weights 0.6, envelope Cholesky 7.7 (half-dense envelope), Lanczos 1.1 (33 solves); kNN(5)
 * accuracy and trustworthiness equal scikit-learn's to 1e-4 (bench/reducers.ts). From
 * BLOCK_CHOLESKY_MIN points on, with a fast gemm backend installed, M is factored by
 * linalg/block-cholesky.ts instead (same factor to rounding; 25 GFLOP in 161 float64 gemm
 * calls): in one bench run on the loaded machine the whole fit took 3.9 s against 13.6 s for
 * scikit-learn's, which was 7.4 s against 6.7 s before.
 * Differences from scikit-learn: a query point that coincides with a training point gets that
 * point's embedding (scikit-learn's weights give it 1 − O(k·reg)), so transform(train) equals
 * fitTransform; with duplicate training points scikit-learn may keep a point as its own
 * neighbour, here it never does; eigenvector signs are arbitrary in both.
 * Big data: `fitSample` fits on a seeded sample of rows and transform maps the rest
 * (reducers/stream-transform.ts streams them from a source).
 */
import { ConfigError, NumericalError } from '../errors.js';
import type { BackendOption, ComputeBackend } from '../linalg/backend.js';
import { symmetricEigen } from '../linalg/eigen-sym.js';
import { knn } from '../linalg/knn.js';
import { blockEnvelopeCholesky } from '../linalg/block-cholesky.js';
import { lanczos } from '../linalg/lanczos.js';
import { envelopeCholesky, envelopeSolve } from '../linalg/sparse-cholesky.js';
import type { Csr } from '../linalg/sparse.js';
import { checkInt, checkNumber, checkOneOf } from '../util/check.js';
import { matrix, type Matrix, type Matrix32 } from '../util/matrix.js';
import {
  checkData,
  decodeMatrix,
  encodeMatrix,
  fitted,
  readNumber,
  splitBackend,
  toMatrix32,
} from './common.js';
import { barycenterWeights, lleMatrix } from './lle-weights.js';
import { savedForm, type Reducer, type ReducerJSON } from './reducer.js';
import { sampleRows } from './stream-sample.js';

/** From this many points on, M is factored by gemm panels when the backend has a fast gemm. */
const BLOCK_CHOLESKY_MIN = 1000;

/** Options of LLE, named after scikit-learn's. */
export interface LLEOptions {
  /** Neighbours per point; default 5. */
  nNeighbors?: number;
  /** Output dimensions; default 2. */
  nComponents?: number;
  /** Regularisation of the local Gram matrices, relative to their trace; default 1e-3. */
  reg?: number;
  /** 'auto' (default), 'dense' or 'lanczos' (shift-invert). */
  eigenSolver?: 'auto' | 'dense' | 'lanczos';
  /** Lanczos relative residual tolerance; default 1e-10. */
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

interface LLEState {
  train: Matrix32;
  embedding: Matrix;
  reconstructionError: number;
}

/**
 * Standard LLE with out-of-sample transform.
 * @example
 * const lle = new LLE({ nNeighbors: 10, nComponents: 2 });
 * const z = await lle.fitTransform(swissRoll); // n x 2
 */
export class LLE implements Reducer {
  readonly name = 'lle';
  readonly options: Readonly<LLEOptions>;
  /** The kernels' backend (not saved). */
  readonly backend: ComputeBackend;
  private state: LLEState | undefined;

  /** @throws ConfigError on an option out of range. */
  constructor(options: LLEOptions & BackendOption = {}) {
    const { backend, options: o } = splitBackend(options);
    this.backend = backend;
    checkInt('nNeighbors', o.nNeighbors ?? 5, 1);
    checkInt('nComponents', o.nComponents ?? 2, 1);
    checkNumber('reg', o.reg ?? 1e-3, 0);
    checkOneOf('eigenSolver', o.eigenSolver ?? 'auto', ['auto', 'dense', 'lanczos'] as const);
    checkNumber('tol', o.tol ?? 1e-10, 0, 1, { exclusiveMin: true });
    checkInt('seed', o.seed ?? 0, -(2 ** 53), 2 ** 53);
    if (o.fitSample !== undefined) checkInt('fitSample', o.fitSample, 2);
    this.options = Object.freeze(o);
  }

  /** Fits the embedding of x (n x d), or of its seeded fitSample-row sample. @throws ConfigError (nNeighbors >= n, nComponents > d), DataError, ShapeError, NumericalError */
  async fit(data: Matrix32): Promise<this> {
    checkData('LLE fit x', data);
    const x = this.sampled(data);
    const n = x.rows;
    const k = this.options.nNeighbors ?? 5;
    const dOut = this.options.nComponents ?? 2;
    if (k >= n)
      throw new ConfigError(`nNeighbors must be < the number of samples (${n}), got ${k}`);
    if (dOut > x.cols)
      throw new ConfigError(`nComponents must be <= the input dimension (${x.cols}), got ${dOut}`);
    if (dOut + 1 > n)
      throw new ConfigError(
        `nComponents + 1 must be <= the number of samples (${n}), got nComponents ${dOut}`,
      );
    const train = matrix(n, x.cols, Float32Array.from(x.data));
    const nb = await knn(train, k, { backend: this.backend });
    const w = barycenterWeights(train, train, nb.indices, k, this.options.reg ?? 1e-3);
    const m = lleMatrix(n, k, nb.indices, w);
    const solver = this.options.eigenSolver ?? 'auto';
    const { values, vectors } =
      solver === 'dense' || (solver === 'auto' && n <= 200)
        ? bottomDense(m, dOut + 1)
        : await this.bottomLanczos(m, dOut + 1);
    const emb = new Float64Array(n * dOut);
    let err = 0;
    for (let c = 0; c < dOut; c++) {
      err += values[c + 1];
      for (let i = 0; i < n; i++) emb[i * dOut + c] = vectors.data[(c + 1) * n + i];
    }
    this.state = { train, embedding: matrix(n, dOut, emb), reconstructionError: err };
    return this;
  }

  /** Bottom `count` eigenpairs of M by Lanczos on (M + δI)⁻¹, ascending. */
  private async bottomLanczos(
    m: Csr,
    count: number,
  ): Promise<{ values: Float64Array; vectors: Matrix }> {
    let maxDiag = 0;
    for (let i = 0; i < m.rows; i++) {
      for (let p = m.indptr[i]; p < m.indptr[i + 1]; p++)
        if (m.indices[p] === i) maxDiag = Math.max(maxDiag, m.values[p]);
    }
    let shift = 1e-10 * (maxDiag || 1);
    for (let attempt = 0; ; attempt++) {
      try {
        const f =
          this.backend.fastGemm && m.rows >= BLOCK_CHOLESKY_MIN
            ? await blockEnvelopeCholesky(m, shift, { backend: this.backend })
            : envelopeCholesky(m, shift);
        const res = lanczos((b, out) => envelopeSolve(f, b, out), m.rows, count, {
          tol: this.options.tol ?? 1e-10,
          seed: this.options.seed ?? 0,
        });
        return { values: res.values.map((t) => 1 / t - shift), vectors: res.vectors };
      } catch (err) {
        // Rounding can leave M + δI numerically indefinite; a larger shift fixes that.
        if (
          !(err instanceof NumericalError) ||
          attempt === 3 ||
          !/positive definite/.test(err.message)
        )
          throw err;
        shift *= 100;
      }
    }
  }

  /** Codes of new points: barycentric weights over their training neighbours times the embedding. @throws NotFittedError, ShapeError, DataError */
  async transform(x: Matrix32): Promise<Matrix32> {
    const s = fitted(this.state, 'LLE');
    checkData('LLE transform x', x, { cols: s.train.cols, minRows: 0 });
    const k = this.options.nNeighbors ?? 5;
    const dOut = s.embedding.cols;
    const out = new Float64Array(x.rows * dOut);
    if (x.rows === 0) return toMatrix32(0, dOut, out);
    const nb = await knn(s.train, k, { query: x, backend: this.backend });
    const w = barycenterWeights(x, s.train, nb.indices, k, this.options.reg ?? 1e-3);
    for (let i = 0; i < x.rows; i++) {
      const exact = nb.distances[i * k] === 0;
      for (let t = 0; t < (exact ? 1 : k); t++) {
        const j = nb.indices[i * k + t];
        const wt = exact ? 1 : w[i * k + t];
        for (let c = 0; c < dOut; c++) out[i * dOut + c] += wt * s.embedding.data[j * dOut + c];
      }
    }
    return toMatrix32(x.rows, dOut, out);
  }

  /** The rows fit uses: x, or its seeded sample of fitSample rows when x has more. */
  private sampled(x: Matrix32): Matrix32 {
    const m = this.options.fitSample;
    return m === undefined ? x : sampleRows(x, m, this.options.seed ?? 0);
  }

  /** fit(x), then the training embedding. */
  async fitTransform(x: Matrix32): Promise<Matrix32> {
    await this.fit(x);
    if (x.rows > (this.options.fitSample ?? Infinity)) return this.transform(x);
    const e = fitted(this.state, 'LLE').embedding;
    return toMatrix32(e.rows, e.cols, e.data);
  }

  /** The training embedding (n x nComponents, unit-norm columns), float64. @throws NotFittedError */
  get embedding(): Matrix {
    return fitted(this.state, 'LLE').embedding;
  }
  /** Sum of the kept eigenvalues of M. @throws NotFittedError */
  get reconstructionError(): number {
    return fitted(this.state, 'LLE').reconstructionError;
  }

  /** Saved form (holds the training data, needed by transform); see reducer.ts. */
  toJSON(): ReducerJSON {
    return savedForm('lle', this.options, this.state, (s) => ({
      train: encodeMatrix(s.train),
      embedding: encodeMatrix(s.embedding),
      reconstructionError: s.reconstructionError,
    }));
  }

  /** Restores an LLE saved by toJSON. @throws DataError naming the bad field; ConfigError on bad options */
  static fromJSON(json: ReducerJSON, opts: BackendOption = {}): LLE {
    const lle = new LLE({ ...(json.options as LLEOptions), backend: opts.backend });
    const st = json.state;
    if (st === null) return lle;
    const train = decodeMatrix(st.train, 'state.train', 'float32');
    lle.state = {
      train,
      embedding: decodeMatrix(st.embedding, 'state.embedding', 'float64', [train.rows, -1]),
      reconstructionError: readNumber(st, 'reconstructionError'),
    };
    return lle;
  }
}

/** Bottom `count` eigenpairs of the sparse M through the dense solver, ascending. */
function bottomDense(m: Csr, count: number): { values: Float64Array; vectors: Matrix } {
  const n = m.rows;
  const dense = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let p = m.indptr[i]; p < m.indptr[i + 1]; p++) dense[i * n + m.indices[p]] = m.values[p];
  const eig = symmetricEigen(matrix(n, n, dense));
  return {
    values: eig.values.slice(0, count),
    vectors: matrix(count, n, eig.vectors.data.slice(0, count * n)),
  };
}
