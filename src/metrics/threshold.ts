/**
 * Anomaly thresholds fitted on the scores of the training rows (which are taken as normal):
 * `mean+std` or `mean+Kstd` (mean plus K population standard deviations, numpy's `np.std`,
 * ddof = 0), `quantile:Q` (numpy's `np.quantile(scores, Q)`, linear interpolation between order
 * statistics) or a fixed number. A row whose score is strictly above the threshold is flagged.
 */
import { ConfigError, DataError } from '../errors.js';

/** A threshold rule as parsed from `--threshold`. */
export type ThresholdRule =
  | { kind: 'meanStd'; k: number }
  | { kind: 'quantile'; q: number }
  | { kind: 'value'; value: number };

const SYNTAX = 'mean+std, mean+Kstd (e.g. mean+3std), quantile:Q with 0 <= Q <= 1, or a number';

/**
 * Parses `text` (see module doc); `flag` names the option in errors.
 * @throws ConfigError naming `flag`, the text and the accepted forms
 * @example
 * parseThresholdRule('mean+3std'); // { kind: 'meanStd', k: 3 }
 * parseThresholdRule('quantile:0.99'); // { kind: 'quantile', q: 0.99 }
 */
export function parseThresholdRule(text: string, flag = '--threshold'): ThresholdRule {
  const t = text.trim();
  const bad = (why = ''): ConfigError =>
    new ConfigError(`${flag} ${JSON.stringify(text)}: ${why}expected ${SYNTAX}`);
  const ms = /^mean\s*\+\s*(\d+(?:\.\d*)?|\.\d+)?\s*\*?\s*std$/i.exec(t);
  if (ms) {
    const k = ms[1] === undefined ? 1 : Number(ms[1]);
    if (!Number.isFinite(k)) throw bad();
    return { kind: 'meanStd', k };
  }
  const qm = /^quantile\s*:\s*(\S+)$/i.exec(t);
  if (qm) {
    const q = Number(qm[1]);
    if (!(Number.isFinite(q) && q >= 0 && q <= 1)) throw bad('the quantile is outside [0, 1]; ');
    return { kind: 'quantile', q };
  }
  const v = t === '' ? NaN : Number(t);
  if (!Number.isFinite(v)) throw bad();
  return { kind: 'value', value: v };
}

/** The rule as `parseThresholdRule` reads it back (for model.json and reports). */
export function formatThresholdRule(rule: ThresholdRule): string {
  switch (rule.kind) {
    case 'meanStd':
      return rule.k === 1 ? 'mean+std' : `mean+${rule.k}std`;
    case 'quantile':
      return `quantile:${rule.q}`;
    case 'value':
      return String(rule.value);
  }
}

/** Whether the rule needs training scores (every rule but a fixed value). */
export function needsTrainingScores(rule: ThresholdRule): boolean {
  return rule.kind !== 'value';
}

/**
 * The threshold `rule` gives on the training rows' `scores` (unused for a fixed value).
 * @throws DataError when a fitted rule gets no scores or a non-finite one
 * @example
 * computeThreshold({ kind: 'quantile', q: 0.5 }, [1, 2, 3, 10]); // 2.5
 */
export function computeThreshold(rule: ThresholdRule, scores: ArrayLike<number>): number {
  if (rule.kind === 'value') return rule.value;
  const n = scores.length;
  if (n === 0) throw new DataError('computeThreshold: no training scores to fit the threshold on');
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(scores[i])) {
      throw new DataError(
        `computeThreshold: training scores must be finite, got ${scores[i]} at index ${i}`,
      );
    }
  }
  if (rule.kind === 'meanStd') {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += scores[i];
    const mean = sum / n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (scores[i] - mean) ** 2;
    return mean + rule.k * Math.sqrt(ss / n);
  }
  const sorted = Float64Array.from(scores).sort();
  const pos = rule.q * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
}
