/**
 * One-pass statistics over a row stream, summed in float64: the scalings of `data/scaling.ts`
 * (minmax, standardize) fitted without holding the data, and the mean and scatter matrices
 * behind PCA (total scatter) and LDA (within-class scatter, class means). Blocks are merged by
 * the pairwise update of Chan, Golub and LeVeque (1979, "Updating formulae and a pairwise
 * algorithm for computing sample variances"): each block's own centred sums are added with a
 * correction for the shift of the running mean, so no E[x²] − E[x]² cancellation occurs and the
 * result equals the in-memory two-pass figures to rounding.
 */
import { ShapeError } from '../../errors.js';
import type { ComputeBackend } from '../../linalg/backend.js';
import { groupMeans, scatterMatrix } from '../../linalg/scatter.js';
import { checkOneOf } from '../../util/check.js';
import { matrix, type Matrix, type Matrix32 } from '../../util/matrix.js';
import { SCALING_KINDS, type Scaling, type ScalingKind } from '../scaling.js';
import { checkBlockRows, type RowSource } from './source.js';

/**
 * Fits a scaling of `kind` over every row of `source` in one pass (`fitScaling` on the whole data
 * gives the same figures to rounding). @throws ShapeError on no rows, DataError from the source
 */
export async function fitScalingStream(
  kind: ScalingKind,
  source: RowSource,
  blockRows = 8192,
): Promise<Scaling> {
  checkOneOf('scaling', kind, SCALING_KINDS);
  checkBlockRows(blockRows);
  if (kind === 'none' || kind === 'divide255') return { kind };
  const d = source.cols;
  const min = new Float64Array(d).fill(Infinity);
  const max = new Float64Array(d).fill(-Infinity);
  const mean = new Float64Array(d);
  const m2 = new Float64Array(d);
  const bMean = new Float64Array(d);
  const bM2 = new Float64Array(d);
  let n = 0;
  for await (const b of source.blocks(blockRows)) {
    const x = b.data;
    const m = b.rows;
    if (kind === 'minmax') {
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < d; j++) {
          const v = x[i * d + j];
          if (v < min[j]) min[j] = v;
          if (v > max[j]) max[j] = v;
        }
      }
    } else {
      bMean.fill(0);
      bM2.fill(0);
      for (let i = 0; i < m; i++) for (let j = 0; j < d; j++) bMean[j] += x[i * d + j];
      for (let j = 0; j < d; j++) bMean[j] /= m;
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < d; j++) {
          const c = x[i * d + j] - bMean[j];
          bM2[j] += c * c;
        }
      }
      const t = n + m;
      for (let j = 0; j < d; j++) {
        const delta = bMean[j] - mean[j];
        m2[j] += bM2[j] + ((delta * delta * n) / t) * m;
        mean[j] += (delta * m) / t;
      }
    }
    n += m;
  }
  if (n < 1) throw new ShapeError(`fitScalingStream: ${source.name} has no rows`);
  if (kind === 'minmax') return { kind, min: Array.from(min), max: Array.from(max) };
  const std = Array.from(m2, (s) => {
    const sd = Math.sqrt(s / n);
    return sd > 0 ? sd : 1;
  });
  return { kind, mean: Array.from(mean), std };
}

/** Options of `ScatterAccumulator`. */
export interface ScatterAccumulatorOptions {
  /** Classes for LDA: labels are 0..nClasses-1; default one class (PCA). */
  nClasses?: number;
  /** The backend for each block's scatter (linalg/scatter.ts); default pure JS. */
  backend?: ComputeBackend;
}

/** The sums after a pass: class sizes and means, within-class and total scatter. */
export interface ScatterSums {
  n: number;
  /** Column means of all rows. */
  mean: Float64Array;
  /** Rows per class. */
  counts: Float64Array;
  /** Class means, nClasses x d. */
  classMeans: Matrix;
  /** Σ_g Σ_{i in g} (xᵢ − μ_g)(xᵢ − μ_g)ᵀ: LDA's S_W; equals `total` for one class. */
  within: Matrix;
  /** Σᵢ (xᵢ − μ)(xᵢ − μ)ᵀ: PCA's scatter (covariance times n). */
  total: Matrix;
}

/**
 * Accumulates PCA's and LDA's sums over row blocks in float64 (`add` each block, then `result`).
 * Each block's within-class scatter comes from `linalg/scatter.ts` at float64 precision.
 */
export class ScatterAccumulator {
  private readonly nClasses: number;
  private readonly counts: Float64Array;
  private readonly means: Float64Array;
  private readonly within: Float64Array;

  constructor(
    readonly cols: number,
    private readonly opts: ScatterAccumulatorOptions = {},
  ) {
    if (!Number.isInteger(cols) || cols < 1) {
      throw new ShapeError(`ScatterAccumulator: cols must be a positive integer, got ${cols}`);
    }
    this.nClasses = opts.nClasses ?? 1;
    if (!Number.isInteger(this.nClasses) || this.nClasses < 1) {
      throw new ShapeError(
        `ScatterAccumulator: nClasses must be a positive integer, got ${opts.nClasses}`,
      );
    }
    this.counts = new Float64Array(this.nClasses);
    this.means = new Float64Array(this.nClasses * cols);
    this.within = new Float64Array(cols * cols);
  }

  /**
   * Adds `rows` rows of `data` (row-major, `cols` wide), with one label each when classes are
   * used. @throws ShapeError on a size mismatch or a label out of range
   */
  async add(data: Float32Array | Float64Array, rows: number, labels?: Int32Array): Promise<void> {
    const d = this.cols;
    if (data.length < rows * d) {
      throw new ShapeError(
        `ScatterAccumulator.add: ${data.length} values for ${rows} rows of ${d}`,
      );
    }
    if (this.nClasses > 1 && labels === undefined) {
      throw new ShapeError(`ScatterAccumulator.add: ${this.nClasses} classes need labels`);
    }
    if (rows === 0) return;
    const x = matrix(rows, d, data.subarray(0, rows * d)) as Matrix32 | Matrix;
    const groups = this.nClasses > 1 ? labels : undefined;
    const gm = groupMeans(x, groups, this.nClasses);
    const block = await scatterMatrix(x, {
      groups,
      means: gm,
      precision: 'float64',
      ...(this.opts.backend === undefined ? {} : { backend: this.opts.backend }),
    });
    const W = this.within;
    for (let i = 0; i < d * d; i++) W[i] += block.data[i];
    const delta = new Float64Array(d);
    for (let g = 0; g < this.nClasses; g++) {
      const m = gm.counts[g];
      if (m === 0) continue;
      const n = this.counts[g];
      const t = n + m;
      for (let j = 0; j < d; j++) delta[j] = gm.means.data[g * d + j] - this.means[g * d + j];
      const w = (n * m) / t;
      if (w > 0) {
        for (let a = 0; a < d; a++) {
          const da = w * delta[a];
          if (da === 0) continue;
          for (let b = 0; b < d; b++) W[a * d + b] += da * delta[b];
        }
      }
      for (let j = 0; j < d; j++) this.means[g * d + j] += (delta[j] * m) / t;
      this.counts[g] = t;
    }
  }

  /** The sums so far. @throws ShapeError before any row was added */
  result(): ScatterSums {
    const d = this.cols;
    const n = this.counts.reduce((a, b) => a + b, 0);
    if (n < 1) throw new ShapeError('ScatterAccumulator.result: no rows were added');
    const mean = new Float64Array(d);
    for (let g = 0; g < this.nClasses; g++) {
      for (let j = 0; j < d; j++) mean[j] += (this.counts[g] * this.means[g * d + j]) / n;
    }
    // Total = within + between: Σ_g n_g (μ_g − μ)(μ_g − μ)ᵀ.
    const total = Float64Array.from(this.within);
    const delta = new Float64Array(d);
    for (let g = 0; g < this.nClasses; g++) {
      const c = this.counts[g];
      if (c === 0) continue;
      for (let j = 0; j < d; j++) delta[j] = this.means[g * d + j] - mean[j];
      for (let a = 0; a < d; a++) {
        const da = c * delta[a];
        for (let b = 0; b < d; b++) total[a * d + b] += da * delta[b];
      }
    }
    return {
      n,
      mean,
      counts: Float64Array.from(this.counts),
      classMeans: matrix(this.nClasses, d, Float64Array.from(this.means)),
      within: matrix(d, d, Float64Array.from(this.within)),
      total: matrix(d, d, total),
    };
  }
}
