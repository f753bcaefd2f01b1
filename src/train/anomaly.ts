/**
 * Anomaly scores by reconstruction error, the detector of TensorFlow's autoencoder tutorial
 * ("Intro to Autoencoders", third example): a row that the model, trained on normal rows only,
 * reconstructs badly is suspect. Each row's score is the mean over its columns of the squared
 * (`mse`) or absolute (`mae`) difference between the row and its reconstruction, both taken in
 * the model's scaled units, the units it was trained in: (x − x̂)/d per column, d the column's
 * scaling divisor (255 for divide255, max − min for minmax, the std for standardize, 1 for
 * none). So every feature weighs as it did in the training loss, and scores of models trained
 * with the same scaling are comparable; multiply an mse score by d² (mae by d) for data units
 * when d is the same for every column.
 *
 * model.json may hold the threshold fitted at training time under `anomaly`
 * (`{ "metric": "mse", "rule": "quantile:0.99", "threshold": 0.0123 }`); `parseAnomalyRecord`
 * reads and checks it.
 */
import { ConfigError, DataError, ModelFormatError, ShapeError } from '../errors.js';
import { scalingAffine } from '../data/scaling.js';
import { computeThreshold, formatThresholdRule, parseThresholdRule } from '../metrics/threshold.js';
import { checkInt, checkOneOf } from '../util/check.js';
import { sliceRows, type Matrix32 } from '../util/matrix.js';
import type { AnomalyMetric, AnomalyRecord, AutoencoderModel } from './model.js';

export type { AnomalyMetric, AnomalyRecord } from './model.js';

/** The metrics, in the order the CLI lists them. */
export const ANOMALY_METRICS: readonly AnomalyMetric[] = ['mse', 'mae'];

/** Options of `scoreAnomalies`. */
export interface ScoreOptions {
  /** Per-row mean squared ('mse', default) or absolute ('mae') error, in scaled units. */
  metric?: AnomalyMetric;
  /** Rows reconstructed per call, bounding memory (default 4096). */
  batchSize?: number;
}

/**
 * Each row's reconstruction error in the model's scaled units (see module doc), float64.
 * @throws ShapeError when `x` does not have the model's inputDim columns; DataError naming the
 *   row and column (0-based) of the first NaN/Inf; ConfigError on bad options
 * @example
 * const scores = await scoreAnomalies(model, loadMnist('test').x, { metric: 'mse' });
 * scores.length; // 10000
 */
export async function scoreAnomalies(
  model: AutoencoderModel,
  x: Matrix32,
  opts: ScoreOptions = {},
): Promise<Float64Array> {
  const metric = checkOneOf('metric', opts.metric ?? 'mse', ANOMALY_METRICS);
  const batchSize = checkInt('batchSize', opts.batchSize ?? 4096, 1);
  const d = model.inputDim;
  if (x.cols !== d) {
    throw new ShapeError(
      `scoreAnomalies: x must have ${d} columns (the model's inputDim), got ${x.rows} x ${x.cols}`,
    );
  }
  for (let i = 0; i < x.data.length; i++) {
    if (!Number.isFinite(x.data[i])) {
      const row = Math.floor(i / d);
      throw new DataError(
        `scoreAnomalies: x must be finite, found ${x.data[i]} at row ${row}, column ${i - row * d}`,
      );
    }
  }
  const { div } = scalingAffine(model.scaling, d, 'scoreAnomalies');
  const inv = div.map((v) => 1 / v);
  const scores = new Float64Array(x.rows);
  for (let r0 = 0; r0 < x.rows; r0 += batchSize) {
    const block = sliceRows(x, r0, r0 + batchSize);
    const rec = await model.reconstruct(block);
    for (let i = 0; i < block.rows; i++) {
      let s = 0;
      const o = i * d;
      for (let j = 0; j < d; j++) {
        const e = (block.data[o + j] - rec.data[o + j]) * inv[j];
        s += metric === 'mse' ? e * e : Math.abs(e);
      }
      scores[r0 + i] = s / d;
    }
  }
  return scores;
}

/**
 * The threshold `rule` (`mean+3std`, `quantile:0.99`, a number; metrics/threshold.ts) fitted on
 * the scores of the training rows `x`, as model.json's `anomaly` record stores it.
 * @throws ConfigError on a bad rule (naming `flag`), and as `scoreAnomalies`
 * @example
 * await fitAnomalyThreshold(model, train.x, 'quantile:0.99'); // { metric: 'mse', rule: 'quantile:0.99', threshold: 0.0312... }
 */
export async function fitAnomalyThreshold(
  model: AutoencoderModel,
  x: Matrix32,
  rule: string,
  opts: ScoreOptions & { flag?: string } = {},
): Promise<AnomalyRecord> {
  const parsed = parseThresholdRule(rule, opts.flag ?? 'threshold');
  const metric = checkOneOf('metric', opts.metric ?? 'mse', ANOMALY_METRICS);
  const scores =
    parsed.kind === 'value' ? new Float64Array(0) : await scoreAnomalies(model, x, opts);
  return { metric, rule: formatThresholdRule(parsed), threshold: computeThreshold(parsed, scores) };
}

/**
 * model.json's `anomaly` field, checked; undefined when absent.
 * @throws ModelFormatError naming `file` and the bad field
 */
export function parseAnomalyRecord(json: unknown, file: string): AnomalyRecord | undefined {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return undefined;
  const a = (json as Record<string, unknown>).anomaly;
  if (a === undefined) return undefined;
  const fail = (field: string, expected: string, got: unknown): never => {
    throw new ModelFormatError(`expected ${expected}, got ${JSON.stringify(got)}`, {
      file,
      field: `anomaly${field}`,
    });
  };
  if (a === null || typeof a !== 'object' || Array.isArray(a)) fail('', 'an object', a);
  const o = a as Record<string, unknown>;
  if (typeof o.metric !== 'string' || !(ANOMALY_METRICS as readonly string[]).includes(o.metric))
    fail('.metric', ANOMALY_METRICS.map((m) => `"${m}"`).join(' or '), o.metric);
  if (typeof o.threshold !== 'number' || !Number.isFinite(o.threshold))
    fail('.threshold', 'a finite number', o.threshold);
  if (typeof o.rule !== 'string') fail('.rule', 'a threshold rule string', o.rule);
  try {
    parseThresholdRule(o.rule as string, 'anomaly.rule');
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    fail('.rule', 'mean+std, mean+Kstd, quantile:Q or a number', o.rule);
  }
  return {
    metric: o.metric as AnomalyMetric,
    rule: o.rule as string,
    threshold: o.threshold as number,
  };
}
