/**
 * Everything training needs to know about its data's columns before the first step, in one pass
 * over a stream: per-column minimum, maximum and mean (float64, blocks merged by the pairwise
 * update of Chan, Golub and LeVeque 1979, as stream-stats.ts), and the scaling of a kind fitted
 * from them. `fitScaling` on the whole data gives the same scaling to rounding; minimum and
 * maximum are exact.
 */
import { ShapeError } from '../../errors.js';
import { checkOneOf } from '../../util/check.js';
import { SCALING_KINDS, type Scaling, type ScalingKind } from '../scaling.js';
import { checkBlockRows, type RowSource } from './source.js';

/** Per-column statistics of a stream, and its scaling. */
export interface ColumnSummary {
  rows: number;
  min: Float64Array;
  max: Float64Array;
  mean: Float64Array;
  scaling: Scaling;
}

/**
 * Reads `source` once and summarises its columns, fitting a scaling of `kind`.
 * @throws ShapeError on no rows, ConfigError on an unknown kind, DataError from the source
 * @example
 * const s = await summarizeColumns(await NpySource.open('x.npy'), 'minmax');
 * s.scaling; // { kind: 'minmax', min: [...], max: [...] }
 */
export async function summarizeColumns(
  source: RowSource,
  kind: ScalingKind,
  blockRows = 8192,
): Promise<ColumnSummary> {
  checkOneOf('scaling', kind, SCALING_KINDS);
  checkBlockRows(blockRows);
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
    bMean.fill(0);
    bM2.fill(0);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < d; j++) {
        const v = x[i * d + j];
        if (v < min[j]) min[j] = v;
        if (v > max[j]) max[j] = v;
        bMean[j] += v;
      }
    }
    for (let j = 0; j < d; j++) bMean[j] /= m;
    if (kind === 'standardize') {
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < d; j++) {
          const c = x[i * d + j] - bMean[j];
          bM2[j] += c * c;
        }
      }
    }
    const t = n + m;
    for (let j = 0; j < d; j++) {
      const delta = bMean[j] - mean[j];
      m2[j] += bM2[j] + ((delta * delta * n) / t) * m;
      mean[j] += (delta * m) / t;
    }
    n = t;
  }
  if (n < 1) throw new ShapeError(`summarizeColumns: ${source.name} has no rows`);
  let scaling: Scaling;
  if (kind === 'minmax') scaling = { kind, min: Array.from(min), max: Array.from(max) };
  else if (kind === 'standardize') {
    const std = Array.from(m2, (s) => {
      const sd = Math.sqrt(s / n);
      return sd > 0 ? sd : 1;
    });
    scaling = { kind, mean: Array.from(mean), std };
  } else scaling = { kind };
  return { rows: n, min, max, mean, scaling };
}
