/**
 * Principal component analysis (Pearson 1901; Jolliffe, Principal Component Analysis, 2002),
 * after scikit-learn 1.2's `sklearn.decomposition.PCA`: same options (camelCase), the same
 * 'auto' solver rule (full when max(n, d) <= 500 or nComponents >= 0.8·min(n, d), else
 * randomized), explained variance S²/(n − 1), svd_flip signs decided on U, whitening and the
 * probabilistic noise variance. Differences from scikit-learn:
 * - 'full' is exact but computed from the d x d scatter matrix (or the n x n Gram when n < d)
 *   and its symmetric eigendecomposition, not an SVD of the centred data: same subspace, while
 *   eigenvalues below about 1e-16 of the largest carry no relative accuracy (LAPACK's SVD keeps
 *   them to about 1e-8). Components within 1e-6 and explained variance within 1e-9 relative of
 *   scikit-learn on the golden data (test/golden/reducers_sklearn.py).
 * - 'randomized' uses linalg/randomized-svd.ts (same algorithm and defaults; our seeded Rng,
 *   random signs where scikit-learn draws Gaussians).
 * - 'arpack' and nComponents 'mle' are not offered; a zero-variance data set is an error
 *   (scikit-learn returns NaN ratios), as is whitening a zero-variance component.
 * Float32 in and out; fit works in float64.
 * Out of memory: `partialFit(block)` (as scikit-learn's `IncrementalPCA.partial_fit`) and
 * `fitStream(source)` accumulate the float64 scatter matrix in one pass and decompose it at the
 * first use, so, unlike IncrementalPCA's approximate merge of per-batch SVDs, the result is the
 * exact 'full' PCA of all rows seen (pca-scatter.ts; components signed by V, not by scores).
 */
import { ConfigError, DataError, NumericalError } from '../errors.js';
import type { BackendOption, CentredGram, ComputeBackend } from '../linalg/backend.js';
import { centredGram } from '../linalg/centred-gram.js';
import { randomizedRoute, randomizedSvd } from '../linalg/randomized-svd.js';
import { checkFinite, checkInt, checkNumber, checkOneOf } from '../util/check.js';
import { matrix, type Matrix, type Matrix32 } from '../util/matrix.js';
import {
  checkData,
  splitBackend,
  decodeArray,
  decodeMatrix,
  encodeArray,
  encodeMatrix,
  fitted,
  readNumber,
  readString,
} from './common.js';
import { ScatterAccumulator } from '../data/stream/stream-stats.js';
import { checkBlockRows, type RowSource } from '../data/stream/source.js';
import { projectRows, unprojectRows } from './linear-map.js';
import { fitFull, type PCAState } from './pca-full.js';
import { stateFromScatter } from './pca-scatter.js';
import { savedForm, type Reducer, type ReducerJSON } from './reducer.js';

/** Options of PCA, named after scikit-learn's. */
export interface PCAOptions {
  /** Components kept: an integer >= 1, a fraction in (0, 1) of variance to explain (full solver), or all (default). */
  nComponents?: number;
  /** Scale the codes to unit variance; default false. */
  whiten?: boolean;
  /** 'auto' (default, scikit-learn 1.2's rule), 'full' or 'randomized'. */
  svdSolver?: 'auto' | 'full' | 'randomized';
  /** Randomized solver: extra sampled directions; default 10. */
  nOversamples?: number;
  /** Randomized solver: power iterations, 'auto' (default) = 7 if k < 0.1·min(n, d) else 4. */
  iteratedPower?: number | 'auto';
  /** Randomized solver: seed; default 0. */
  seed?: number;
}

const SOLVERS = ['auto', 'full', 'randomized'] as const;

/**
 * PCA by exact eigendecomposition or randomized SVD.
 * @example
 * const pca = new PCA({ nComponents: 1 });
 * const z = await pca.fitTransform(matrix(3, 2, Float32Array.of(0, 0, 1, 1, 2, 2)));
 * // z.data ≈ [-1.414, 0, 1.414]; pca.explainedVarianceRatio = [1]
 */
export class PCA implements Reducer {
  readonly name = 'pca';
  readonly options: Readonly<PCAOptions>;
  /** The kernels' backend (not saved). */
  readonly backend: ComputeBackend;
  private state: PCAState | undefined;
  /** The sums of partialFit/fitStream; `state` is rebuilt from them when undefined. */
  private sums: ScatterAccumulator | undefined;

  /** @throws ConfigError on an option out of range. */
  constructor(options: PCAOptions & BackendOption = {}) {
    const { backend, options: o } = splitBackend(options);
    this.backend = backend;
    if (o.nComponents !== undefined && !(Number.isInteger(o.nComponents) && o.nComponents >= 1)) {
      checkNumber('nComponents', o.nComponents, 0, 1, { exclusiveMin: true });
      if (o.nComponents === 1)
        throw new ConfigError('nComponents must be an integer >= 1 or a fraction in (0, 1), got 1');
    }
    checkOneOf('svdSolver', o.svdSolver ?? 'auto', SOLVERS);
    if (o.whiten !== undefined && typeof o.whiten !== 'boolean')
      throw new ConfigError(`whiten must be true or false, got ${String(o.whiten)}`);
    if (o.nOversamples !== undefined) checkInt('nOversamples', o.nOversamples, 0);
    if (o.iteratedPower !== undefined && o.iteratedPower !== 'auto')
      checkInt('iteratedPower', o.iteratedPower, 0);
    if (o.seed !== undefined) checkInt('seed', o.seed, -(2 ** 53), 2 ** 53);
    if (o.svdSolver === 'randomized' && o.nComponents !== undefined && o.nComponents < 1) {
      throw new ConfigError(
        `nComponents as a fraction (${o.nComponents}) needs svdSolver 'full' or 'auto'`,
      );
    }
    this.options = Object.freeze(o);
  }

  /** Learns mean and components from x (n x d, n >= 2). @throws ShapeError, DataError, ConfigError, NumericalError */
  async fit(x: Matrix32): Promise<this> {
    checkData('PCA fit x', x, { minRows: 2, finite: false }); // columnStats checks finiteness
    this.sums = undefined;
    const n = x.rows;
    const d = x.cols;
    const r = Math.min(n, d);
    const nc = this.options.nComponents ?? r;
    if (nc >= 1 && nc > r) {
      throw new ConfigError(
        `nComponents must be <= min(nSamples, nFeatures) = min(${n}, ${d}) = ${r}, got ${nc}`,
      );
    }
    let solver = this.options.svdSolver ?? 'auto';
    if (solver === 'auto')
      solver = Math.max(n, d) <= 500 ? 'full' : nc >= 1 && nc < 0.8 * r ? 'randomized' : 'full';
    const o = this.options;
    const route =
      solver === 'randomized'
        ? randomizedRoute(n, d, nc, { nOversamples: o.nOversamples, nIter: o.iteratedPower })
        : 'direct';
    // The Gram route's one onnxruntime call yields μ and the trace of C (no JS pass over x).
    const gram = route === 'gram' ? await centredGram(this.backend, x) : undefined;
    const { mean, totalVar } = gram ? gramStats(x, gram) : columnStats(x);
    if (!(totalVar > 0))
      throw new DataError(
        'PCA fit x has zero variance in every column; PCA needs at least one varying feature',
      );
    const state =
      solver === 'full'
        ? await fitFull(this.backend, x, mean, nc, totalVar)
        : await this.fitRandomized(x, mean, nc, totalVar, gram);
    if (this.options.whiten === true) checkWhiten(state);
    this.state = state;
    return this;
  }

  /**
   * Adds a block of rows to the running float64 sums (scikit-learn's `partial_fit`); the exact
   * PCA of every row added since the first partialFit (or since fitStream) is computed at the
   * next transform or property read. fit(x) starts afresh; partialFit after fit(x) is refused.
   * @throws ConfigError after fit(x), with svdSolver 'randomized' or nComponents > width;
   * ShapeError on a width other than the first block's; DataError on NaN or Inf
   * @example
   * const pca = new PCA({ nComponents: 2 });
   * for (const block of blocks) await pca.partialFit(block);
   * const z = await pca.transform(x); // the same as new PCA({ nComponents: 2, svdSolver: 'full' }).fit(all rows)
   */
  async partialFit(x: Matrix32): Promise<this> {
    if (this.state !== undefined && this.sums === undefined) {
      throw new ConfigError(
        'PCA.partialFit: this PCA was fitted in memory by fit(x), whose sums are not kept; use a new PCA for partialFit',
      );
    }
    checkData('PCA partialFit x', x, { cols: this.sums?.cols, minRows: 0 });
    if (this.sums === undefined) this.sums = this.streamSums(x.cols);
    await this.sums.add(x.data, x.rows);
    this.state = undefined;
    return this;
  }

  /**
   * Fits on every row of `source` in one pass of `blockRows`-row blocks (memory: d x d float64
   * sums and one block), discarding any earlier fit; partialFit may continue it.
   * @throws ConfigError as partialFit; DataError from the source or on zero variance / < 2 rows
   */
  async fitStream(source: RowSource, opts: { blockRows?: number } = {}): Promise<this> {
    const blockRows = opts.blockRows ?? 8192;
    checkBlockRows(blockRows);
    const sums = this.streamSums(source.cols);
    for await (const b of source.blocks(blockRows)) await sums.add(b.data, b.rows);
    this.sums = sums;
    this.state = undefined;
    this.current();
    return this;
  }

  private streamSums(d: number): ScatterAccumulator {
    if (this.options.svdSolver === 'randomized') {
      throw new ConfigError(
        "PCA partialFit/fitStream compute the exact ('full') solution; svdSolver 'randomized' does not apply (use 'auto' or 'full')",
      );
    }
    const nc = this.options.nComponents;
    if (nc !== undefined && nc >= 1 && nc > d) {
      throw new ConfigError(`nComponents must be <= nFeatures = ${d}, got ${nc}`);
    }
    return new ScatterAccumulator(d, { backend: this.backend });
  }

  /** The fitted state, decomposing the streamed sums first when they changed. */
  private current(): PCAState {
    if (this.state === undefined && this.sums !== undefined) {
      const state = stateFromScatter(this.sums.result(), this.options.nComponents);
      if (this.options.whiten === true) checkWhiten(state);
      this.state = state;
    }
    return fitted(this.state, 'PCA');
  }

  private async fitRandomized(
    x: Matrix32,
    mean: Float64Array,
    k: number,
    totalVar: number,
    gram: CentredGram | undefined,
  ): Promise<PCAState> {
    const n = x.rows;
    const d = x.cols;
    const res = await randomizedSvd(x, k, {
      nOversamples: this.options.nOversamples,
      nIter: this.options.iteratedPower,
      seed: this.options.seed,
      mean,
      backend: this.backend,
      ...(gram ? { gram, route: 'gram' as const } : {}),
    });
    const ev = res.s.map((s) => (s * s) / (n - 1));
    const r = Math.min(n, d);
    const kept = ev.reduce((a, b) => a + b, 0);
    return {
      mean,
      components: res.vt,
      explainedVariance: ev,
      explainedVarianceRatio: ev.map((v) => v / totalVar),
      singularValues: res.s,
      noiseVariance: k < r ? (totalVar - kept) / (r - k) : 0,
      nSamples: n,
      svdSolver: 'randomized',
    };
  }

  /** (x − mean)·componentsᵀ, divided by sqrt(explainedVariance) when whitening. @throws NotFittedError, ShapeError, DataError */
  async transform(x: Matrix32): Promise<Matrix32> {
    const s = this.current();
    checkData('PCA transform x', x, { cols: s.mean.length, minRows: 0, finite: false });
    const z = await projectRows(this.backend, x, s.mean, s.components, 'PCA transform x');
    if (this.options.whiten === true) {
      const k = s.components.rows;
      const inv = s.explainedVariance.map((v) => 1 / Math.sqrt(v));
      for (let i = 0; i < z.data.length; i++) z.data[i] *= inv[i % k];
    }
    return z;
  }

  /** fit(x) then transform(x). */
  async fitTransform(x: Matrix32): Promise<Matrix32> {
    await this.fit(x);
    return this.transform(x);
  }

  /** z·components (scaled back when whitening) + mean. @throws NotFittedError, ShapeError, DataError */
  async inverseTransform(z: Matrix32): Promise<Matrix32> {
    const s = this.current();
    const k = s.components.rows;
    checkData('PCA inverseTransform z', z, { cols: k, minRows: 0 });
    let zz = z;
    if (this.options.whiten === true) {
      const sc = s.explainedVariance.map(Math.sqrt);
      zz = matrix(
        z.rows,
        k,
        z.data.map((v, i) => v * sc[i % k]),
      );
    }
    return unprojectRows(this.backend, zz, s.components, s.mean);
  }

  /** Principal axes, nComponents x d, unit rows. @throws NotFittedError */
  get components(): Matrix {
    return this.current().components;
  }
  /** Per-feature training mean. @throws NotFittedError */
  get mean(): Float64Array {
    return this.current().mean;
  }
  /** Variance along each component (S²/(n − 1)). @throws NotFittedError */
  get explainedVariance(): Float64Array {
    return this.current().explainedVariance;
  }
  /** Fraction of the total variance along each component. @throws NotFittedError */
  get explainedVarianceRatio(): Float64Array {
    return this.current().explainedVarianceRatio;
  }
  /** Singular values of the centred data. @throws NotFittedError */
  get singularValues(): Float64Array {
    return this.current().singularValues;
  }
  /** Probabilistic-PCA noise variance (Tipping & Bishop 1999, eq. 12.46 of Bishop 2006). @throws NotFittedError */
  get noiseVariance(): number {
    return this.current().noiseVariance;
  }
  /** Components kept after fit. @throws NotFittedError */
  get nComponents(): number {
    return this.current().components.rows;
  }
  /** The solver fit used ('full' or 'randomized'). @throws NotFittedError */
  get svdSolver(): 'full' | 'randomized' {
    return this.current().svdSolver;
  }

  /** Saved form; see reducer.ts. */
  toJSON(): ReducerJSON {
    if (this.sums !== undefined) this.current();
    return savedForm('pca', this.options, this.state, (s) => ({
      mean: encodeArray(s.mean),
      components: encodeMatrix(s.components),
      explainedVariance: encodeArray(s.explainedVariance),
      explainedVarianceRatio: encodeArray(s.explainedVarianceRatio),
      singularValues: encodeArray(s.singularValues),
      noiseVariance: s.noiseVariance,
      nSamples: s.nSamples,
      svdSolver: s.svdSolver,
    }));
  }

  /** Restores a PCA saved by toJSON, on `backend`. @throws DataError naming the bad field; ConfigError on bad options */
  static fromJSON(json: ReducerJSON, opts: BackendOption = {}): PCA {
    const pca = new PCA({ ...(json.options as PCAOptions), backend: opts.backend });
    const st = json.state;
    if (st === null) return pca;
    const mean = decodeArray(st.mean, 'state.mean', 'float64');
    const d = mean.length;
    const components = decodeMatrix(st.components, 'state.components', 'float64', [-1, d]);
    const k = components.rows;
    pca.state = {
      mean,
      components,
      explainedVariance: decodeArray(st.explainedVariance, 'state.explainedVariance', 'float64', [
        k,
      ]),
      explainedVarianceRatio: decodeArray(
        st.explainedVarianceRatio,
        'state.explainedVarianceRatio',
        'float64',
        [k],
      ),
      singularValues: decodeArray(st.singularValues, 'state.singularValues', 'float64', [k]),
      noiseVariance: readNumber(st, 'noiseVariance'),
      nSamples: readNumber(st, 'nSamples'),
      svdSolver: readString(st, 'svdSolver', ['full', 'randomized'] as const),
    };
    return pca;
  }
}

/** @throws NumericalError when whitening would divide by a zero variance */
function checkWhiten(state: PCAState): void {
  const totalVar = state.explainedVariance[0] / state.explainedVarianceRatio[0];
  const bad = state.explainedVariance.findIndex((v) => !(v > totalVar * 1e-12));
  if (bad >= 0)
    throw new NumericalError(
      `PCA whiten: component ${bad} has zero variance; lower nComponents or set whiten: false`,
    );
}

/**
 * Column means and the total variance Σⱼ varⱼ (ddof 1) in one pass over x, the sums taken about
 * the first row (the shifted-data algorithm: exact for a constant offset, no Σx² − nμ²
 * cancellation when the mean is large against the spread): one pass instead of three (finite
 * check, means, variances).
 * @throws DataError naming the first NaN or Inf
 */
function columnStats(x: Matrix32): { mean: Float64Array; totalVar: number } {
  const { rows: n, cols: d, data } = x;
  const shift = Float64Array.from(data.subarray(0, d));
  const sum = new Float64Array(d);
  const sq = new Float64Array(d);
  for (let i = 1, o = d; i < n; i++, o += d) {
    for (let j = 0; j < d; j++) {
      const v = data[o + j] - shift[j];
      sum[j] += v;
      sq[j] += v * v;
    }
  }
  const mean = new Float64Array(d);
  let totalVar = 0;
  let finite = true;
  for (let j = 0; j < d; j++) {
    finite &&= Number.isFinite(sq[j]) && Number.isFinite(shift[j]);
    mean[j] = shift[j] + sum[j] / n;
    totalVar += Math.max(0, sq[j] - (sum[j] * sum[j]) / n) / (n - 1);
  }
  // A NaN or Inf anywhere makes its column's sums non-finite; find and name it.
  if (!finite) checkFinite('PCA fit x', x);
  return { mean, totalVar };
}

/**
 * Mean and total variance from the centred Gram: trace(C)/(n − 1), float32-accurate as the
 * Gram itself (scikit-learn's PCA on float32 input also sums its variance in float32).
 * @throws DataError naming the first NaN or Inf of x when C is not finite
 */
function gramStats(x: Matrix32, g: CentredGram): { mean: Float64Array; totalVar: number } {
  const d = x.cols;
  let trace = 0;
  for (let j = 0; j < d; j++) trace += g.gram.data[j * d + j];
  let finite = Number.isFinite(trace);
  for (let j = 0; j < d && finite; j++) finite = Number.isFinite(g.mean[j]);
  // NaN or Inf in x reaches the mean and the diagonal; find and name it.
  if (!finite) checkFinite('PCA fit x', x);
  return { mean: g.mean, totalVar: trace / (x.rows - 1) };
}
