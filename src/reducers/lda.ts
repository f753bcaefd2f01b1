/**
 * Linear discriminant analysis as a supervised reducer (Fisher 1936; Hastie, Tibshirani &
 * Friedman, Elements of Statistical Learning, 2nd ed., §4.3), after scikit-learn 1.2's
 * `LinearDiscriminantAnalysis` transform path:
 * - solver 'svd' (default): features scaled by the within-class standard deviation, SVD of the
 *   within-class-centred data (rank = singular values > tol), then SVD of the weighted class
 *   centres; needs no inverse of the within-class scatter, so it works when that is singular
 *   (MNIST: constant border pixels). transform(x) = (x − x̄)·scalings.
 * - solver 'eigen': the generalised problem Sb·v = λ·Sw·v (Cholesky of Sw), optional shrinkage
 *   of the covariances (a number in [0, 1] or 'auto' = Ledoit-Wolf); transform(x) = x·scalings,
 *   not centred, exactly as scikit-learn.
 * nComponents <= min(classes − 1, features). Differences from scikit-learn: the first SVD is
 * not formed. Its rank and whitening come from the float64 within-class scatter: when that
 * scatter's spectrum has a clear gap at tol² (MNIST's does: zeros below 2e-15, the rest above
 * 3e-4), through a pivoted Cholesky and the truncated pseudo-inverse applied to the class
 * centres (linalg/gap-pinv.ts, about d³/6 multiply-adds); otherwise through all its
 * eigenvalues (same V and S, S to about 1e-8·S_max absolute, far below tol = 1e-4). Both give
 * the same scalings up to sign (lda-solvers.test.ts); eigenvector signs are not normalised (scikit-learn's
 * come from LAPACK and are arbitrary too); the 'lsqr' solver and classification methods
 * (predict, decision_function) are not offered; a singular Sw without shrinkage is a
 * NumericalError where scipy raises LinAlgError. `fitStream(source, y)` fits in one pass over
 * a row stream from the accumulated float64 class means and within-class scatter.
 */
import { ConfigError, DataError, ShapeError } from '../errors.js';
import type { BackendOption, ComputeBackend } from '../linalg/backend.js';
import { ScatterAccumulator } from '../data/stream/stream-stats.js';
import { checkBlockRows, type RowSource } from '../data/stream/source.js';
import { groupMeans, type GroupMeans } from '../linalg/scatter.js';
import { checkNumber, checkOneOf } from '../util/check.js';
import { matrix, type Matrix, type Matrix32 } from '../util/matrix.js';
import {
  checkData,
  decodeArray,
  decodeMatrix,
  encodeArray,
  encodeMatrix,
  fitted,
  readString,
  splitBackend,
} from './common.js';
import {
  eigenFromCovariances,
  solveEigen,
  solveSvd,
  solveSvdScatter,
  type LdaSolution,
} from './lda-solvers.js';
import { projectRows } from './linear-map.js';
import { savedForm, type Reducer, type ReducerJSON } from './reducer.js';

/** Options of LDA, named after scikit-learn's. */
export interface LDAOptions {
  /** 'svd' (default) or 'eigen'. */
  solver?: 'svd' | 'eigen';
  /** Eigen solver only: undefined (none), a number in [0, 1], or 'auto' (Ledoit-Wolf). */
  shrinkage?: number | 'auto';
  /** Output dimensions, <= min(classes − 1, features); default that maximum. */
  nComponents?: number;
  /** Class priors in sorted-label order; default the class frequencies. Normalised to sum 1. */
  priors?: number[];
  /** SVD solver: singular values below tol count as zero (rank); default 1e-4. */
  tol?: number;
}

interface LDAState {
  classes: Int32Array;
  priors: Float64Array;
  means: Matrix;
  xbar: Float64Array;
  /** d x r projection, the first columns most discriminative. */
  scalings: Matrix;
  explainedVarianceRatio: Float64Array;
  nOut: number;
}

/**
 * LDA projection onto at most classes − 1 discriminant directions.
 * @example
 * const lda = new LDA({ nComponents: 1 });
 * const z = await lda.fitTransform(x, labels); // n x 1
 */
export class LDA implements Reducer {
  readonly name = 'lda';
  readonly options: Readonly<LDAOptions>;
  /** The kernels' backend (not saved). */
  readonly backend: ComputeBackend;
  private state: LDAState | undefined;

  /** @throws ConfigError on an option out of range or shrinkage with the svd solver. */
  constructor(options: LDAOptions & BackendOption = {}) {
    const { backend, options: o } = splitBackend(options);
    this.backend = backend;
    const solver = checkOneOf('solver', o.solver ?? 'svd', ['svd', 'eigen'] as const);
    if (o.shrinkage !== undefined) {
      if (solver === 'svd')
        throw new ConfigError(
          `shrinkage needs solver 'eigen'; solver 'svd' does not support it (got shrinkage ${String(o.shrinkage)})`,
        );
      if (o.shrinkage !== 'auto') checkNumber('shrinkage', o.shrinkage, 0, 1);
    }
    if (o.nComponents !== undefined && !(Number.isInteger(o.nComponents) && o.nComponents >= 1)) {
      throw new ConfigError(`nComponents must be an integer >= 1, got ${String(o.nComponents)}`);
    }
    if (o.tol !== undefined) checkNumber('tol', o.tol, 0);
    if (o.priors !== undefined) {
      if (!Array.isArray(o.priors))
        throw new ConfigError(`priors must be an array of numbers, got ${String(o.priors)}`);
      o.priors.forEach((p, i) => checkNumber(`priors[${i}]`, p, 0));
    }
    this.options = Object.freeze(o);
  }

  /**
   * Learns the discriminant directions from x (n x d) and integer class labels y.
   * @throws ConfigError when y is missing or nComponents too large; DataError on one class or non-finite x; ShapeError on sizes; NumericalError on a singular Sw (eigen without shrinkage).
   */
  async fit(x: Matrix32, y?: Int32Array): Promise<this> {
    if (y === undefined)
      throw new ConfigError(
        'LDA is supervised: fit(x, y) needs class labels y (Int32Array, one per row)',
      );
    checkData('LDA fit x', x);
    if (y.length !== x.rows)
      throw new ShapeError(`LDA y must have one label per row of x (${x.rows}), got ${y.length}`);
    const c = this.classesOf(y, x.cols);
    const gm = groupMeans(x, c.groups, c.classes.length);
    const priors = this.resolvePriors(gm.counts, x.rows);
    const xbar = weightedMean(gm, priors);
    const solved =
      this.options.solver === 'eigen'
        ? await solveEigen(this.backend, x, c.groups, priors, this.options.shrinkage)
        : await solveSvd(this.backend, x, c.groups, gm, priors, xbar, this.options.tol ?? 1e-4);
    this.setState(c, gm, priors, xbar, solved);
    return this;
  }

  /**
   * Fits on every row of `source` in one pass of `blockRows`-row blocks, with `y` the label of
   * each row in source order: the float64 class means and within-class scatter are accumulated
   * (stream-stats.ts), so the result equals fit(all rows, y) to rounding. Solver 'svd', or
   * 'eigen' without shrinkage and with the default priors (the pooled scatter is all it keeps).
   * @throws ConfigError on eigen with shrinkage or priors; ShapeError when rows and labels differ
   * in number; DataError as fit and from the source
   * @example
   * const src = await openSource('train.npy');
   * const lda = await new LDA({ nComponents: 2 }).fitStream(src, labels);
   */
  async fitStream(
    source: RowSource,
    y: Int32Array,
    opts: { blockRows?: number } = {},
  ): Promise<this> {
    if (!(y instanceof Int32Array))
      throw new ConfigError(
        'LDA.fitStream(source, y) needs class labels y (Int32Array, one per row of the source)',
      );
    const blockRows = opts.blockRows ?? 8192;
    checkBlockRows(blockRows);
    const eigen = this.options.solver === 'eigen';
    if (eigen && (this.options.shrinkage !== undefined || this.options.priors !== undefined))
      throw new ConfigError(
        "LDA.fitStream with solver 'eigen' takes neither shrinkage nor priors (it keeps only the pooled scatter); use solver 'svd' or fit in memory",
      );
    const n = y.length;
    if (source.rows !== undefined && source.rows !== n)
      throw new ShapeError(
        `LDA.fitStream: ${source.name} has ${source.rows} rows but y has ${n} labels; give one label per row`,
      );
    const d = source.cols;
    const c = this.classesOf(y, d);
    const k = c.classes.length;
    const acc = new ScatterAccumulator(d, { nClasses: k, backend: this.backend });
    let seen = 0;
    for await (const b of source.blocks(blockRows)) {
      seen = b.start + b.rows;
      if (seen > n)
        throw new ShapeError(
          `LDA.fitStream: ${source.name} has more rows than y has labels (${n}); give one label per row`,
        );
      await acc.add(b.data, b.rows, c.groups.subarray(b.start, seen));
    }
    if (seen !== n)
      throw new ShapeError(
        `LDA.fitStream: ${source.name} has ${seen} rows but y has ${n} labels; give one label per row`,
      );
    const sums = acc.result();
    const gm = { means: sums.classMeans, counts: sums.counts };
    const priors = this.resolvePriors(gm.counts, n);
    const xbar = weightedMean(gm, priors);
    const solved = eigen
      ? eigenFromCovariances(
          sums.within.data.map((v) => v / n),
          sums.total.data.map((v) => v / n),
          d,
        )
      : await solveSvdScatter(
          this.backend,
          sums.within,
          n,
          gm,
          priors,
          xbar,
          this.options.tol ?? 1e-4,
        );
    this.setState(c, gm, priors, xbar, solved);
    return this;
  }

  /** Sorted classes, each row's class index, and the nComponents checks. */
  private classesOf(y: Int32Array, d: number): { classes: Int32Array; groups: Int32Array } {
    const classes = Int32Array.from(new Set(y)).sort();
    const k = classes.length;
    if (k < 2)
      throw new DataError(`LDA needs at least 2 classes in y, got ${k} (label ${classes[0]})`, {
        field: 'y',
      });
    const n = y.length;
    if (n <= k)
      throw new DataError(`LDA needs more samples (${n}) than classes (${k})`, { field: 'y' });
    const maxComp = Math.min(k - 1, d);
    const nOut = this.options.nComponents ?? maxComp;
    if (nOut > maxComp) {
      throw new ConfigError(
        `nComponents must be <= min(nClasses - 1, nFeatures) = min(${k - 1}, ${d}) = ${maxComp}, got ${nOut}`,
      );
    }
    const index = new Map<number, number>();
    classes.forEach((c, i) => index.set(c, i));
    return { classes, groups: Int32Array.from(y, (v) => index.get(v) ?? -1) };
  }

  private setState(
    c: { classes: Int32Array },
    gm: GroupMeans,
    priors: Float64Array,
    xbar: Float64Array,
    solved: LdaSolution,
  ): void {
    const maxComp = Math.min(c.classes.length - 1, xbar.length);
    const nOut = this.options.nComponents ?? maxComp;
    this.state = {
      classes: c.classes,
      priors,
      means: gm.means,
      xbar,
      ...solved,
      explainedVarianceRatio: solved.explainedVarianceRatio.slice(0, maxComp),
      nOut: Math.min(nOut, solved.scalings.cols),
    };
  }

  private resolvePriors(counts: Float64Array, n: number): Float64Array {
    const given = this.options.priors;
    if (given === undefined) return counts.map((c) => c / n);
    if (given.length !== counts.length)
      throw new ConfigError(
        `priors must have one value per class (${counts.length}), got ${given.length}`,
      );
    const sum = given.reduce((a, b) => a + b, 0);
    if (!(sum > 0)) throw new ConfigError('priors must not all be zero');
    return Float64Array.from(given, (p) => p / sum);
  }

  /** The reduced data: (x − x̄)·scalings (svd) or x·scalings (eigen), nComponents columns. @throws NotFittedError, ShapeError, DataError */
  async transform(x: Matrix32): Promise<Matrix32> {
    const s = fitted(this.state, 'LDA');
    const d = s.xbar.length;
    checkData('LDA transform x', x, { cols: d, minRows: 0, finite: false }); // projectRows checks
    const m = s.nOut;
    const r = s.scalings.cols;
    const proj = new Float64Array(m * d);
    for (let t = 0; t < m; t++)
      for (let j = 0; j < d; j++) proj[t * d + j] = s.scalings.data[j * r + t];
    return projectRows(
      this.backend,
      x,
      this.options.solver === 'eigen' ? undefined : s.xbar,
      matrix(m, d, proj),
      'LDA transform x',
    );
  }

  /** fit(x, y) then transform(x). */
  async fitTransform(x: Matrix32, y?: Int32Array): Promise<Matrix32> {
    await this.fit(x, y);
    return this.transform(x);
  }

  /** Sorted class labels. @throws NotFittedError */
  get classes(): Int32Array {
    return fitted(this.state, 'LDA').classes;
  }
  /** Class priors (sorted-label order). @throws NotFittedError */
  get priors(): Float64Array {
    return fitted(this.state, 'LDA').priors;
  }
  /** Class means, classes x d. @throws NotFittedError */
  get means(): Matrix {
    return fitted(this.state, 'LDA').means;
  }
  /** The full projection, d x r (scikit-learn's scalings_). @throws NotFittedError */
  get scalings(): Matrix {
    return fitted(this.state, 'LDA').scalings;
  }
  /** Share of between-class variance per discriminant, at most classes − 1 values. @throws NotFittedError */
  get explainedVarianceRatio(): Float64Array {
    return fitted(this.state, 'LDA').explainedVarianceRatio;
  }

  /** Saved form; see reducer.ts. */
  toJSON(): ReducerJSON {
    return savedForm('lda', this.options, this.state, (s) => ({
      classes: encodeArray(s.classes),
      priors: encodeArray(s.priors),
      means: encodeMatrix(s.means),
      xbar: encodeArray(s.xbar),
      scalings: encodeMatrix(s.scalings),
      explainedVarianceRatio: encodeArray(s.explainedVarianceRatio),
      nOut: s.nOut,
      solver: this.options.solver ?? 'svd',
    }));
  }

  /** Restores an LDA saved by toJSON, on `backend`. @throws DataError naming the bad field; ConfigError on bad options */
  static fromJSON(json: ReducerJSON, opts: BackendOption = {}): LDA {
    const lda = new LDA({ ...(json.options as LDAOptions), backend: opts.backend });
    const st = json.state;
    if (st === null) return lda;
    readString(st, 'solver', [lda.options.solver ?? 'svd']);
    const classes = decodeArray(st.classes, 'state.classes', 'int32');
    const xbar = decodeArray(st.xbar, 'state.xbar', 'float64');
    const d = xbar.length;
    const scalings = decodeMatrix(st.scalings, 'state.scalings', 'float64', [d, -1]);
    const nOut = st.nOut;
    if (!(
      typeof nOut === 'number' &&
      Number.isInteger(nOut) &&
      nOut >= 1 &&
      nOut <= scalings.cols
    )) {
      throw new DataError(
        `expected an integer in 1..${scalings.cols}, got ${JSON.stringify(nOut)}`,
        { field: 'state.nOut' },
      );
    }
    lda.state = {
      classes,
      priors: decodeArray(st.priors, 'state.priors', 'float64', [classes.length]),
      means: decodeMatrix(st.means, 'state.means', 'float64', [classes.length, d]),
      xbar,
      scalings,
      explainedVarianceRatio: decodeArray(
        st.explainedVarianceRatio,
        'state.explainedVarianceRatio',
        'float64',
      ),
      nOut,
    };
    return lda;
  }
}

/** x̄ = Σ_c prior_c·μ_c. */
function weightedMean(gm: GroupMeans, priors: Float64Array): Float64Array {
  const d = gm.means.cols;
  const xbar = new Float64Array(d);
  for (let c = 0; c < priors.length; c++)
    for (let j = 0; j < d; j++) xbar[j] += priors[c] * gm.means.data[c * d + j];
  return xbar;
}
