/**
 * Ranking metrics of a binary detector: ROC-AUC, average precision (PR-AUC), the ROC curve, and
 * precision/recall/F1 at one threshold. Labels are 1 for the positive class (in anomaly
 * detection: anomalous) and 0 for the negative, and a higher score means "more positive".
 * References, scikit-learn 1.2 (`sklearn.metrics`): `roc_auc_score`, `average_precision_score`,
 * `roc_curve`, `precision_score`/`recall_score`/`f1_score` with `zero_division=0`.
 * Guarantees: `rocAuc` is the Mann-Whitney U statistic over P·N (a tie between a positive and a
 * negative counts one half), counted in integers, so it is exact up to the final division and
 * equals scikit-learn's trapezoidal area; ties between scores are grouped exactly as
 * scikit-learn groups them (one threshold per distinct score).
 */
import { DataError, ShapeError } from '../errors.js';

/** Binary labels: 0/1 numbers or booleans (true = positive). */
export type BinaryLabels = ArrayLike<number | boolean>;

/** The ROC curve: points ordered by decreasing threshold, starting at (0, 0). */
export interface RocCurve {
  /** False-positive rate at each threshold. */
  fpr: Float64Array;
  /** True-positive rate at each threshold. */
  tpr: Float64Array;
  /** Rows with score >= thresholds[i] are called positive; thresholds[0] is +Infinity. */
  thresholds: Float64Array;
}

/** Counts and rates of the rule "positive when score > threshold". */
export interface ThresholdMetrics {
  threshold: number;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  /** tp / (tp + fp); 0 when nothing is flagged (scikit-learn's zero_division=0). */
  precision: number;
  /** tp / (tp + fn). */
  recall: number;
  /** Harmonic mean of precision and recall; 0 when both are 0. */
  f1: number;
}

/** Cumulative counts at each distinct score, from the highest score down. */
interface Cumulative {
  /** The distinct scores, decreasing. */
  scores: Float64Array;
  /** Positives with score >= scores[k]. */
  tps: Float64Array;
  /** Negatives with score >= scores[k]. */
  fps: Float64Array;
  nPos: number;
  nNeg: number;
}

/** The 0/1 labels after checking lengths, values and finiteness; both classes required. */
function checkInputs(what: string, scores: ArrayLike<number>, labels: BinaryLabels): Uint8Array {
  if (scores.length !== labels.length) {
    throw new ShapeError(
      `${what}: scores and labels must have the same length, got ${scores.length} and ${labels.length}`,
    );
  }
  if (scores.length === 0) throw new ShapeError(`${what}: scores must not be empty`);
  const y = new Uint8Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    if (v === true || v === 1) y[i] = 1;
    else if (!(v === false || v === 0)) {
      throw new DataError(
        `${what} labels must be 0/1 or booleans (1 = positive), got ${String(v)} at index ${i}`,
      );
    }
    if (!Number.isFinite(scores[i])) {
      throw new DataError(
        `${what} scores must be finite, got ${scores[i]} at index ${i}; check the data for NaN/Inf`,
      );
    }
  }
  return y;
}

function requireBothClasses(what: string, nPos: number, nNeg: number): void {
  if (nPos === 0 || nNeg === 0) {
    const only = nPos === 0 ? 'negative (0)' : 'positive (1)';
    throw new DataError(
      `${what}: only one class present in labels (all ${nPos + nNeg} ${only}); it needs both positives and negatives`,
    );
  }
}

function cumulative(what: string, scores: ArrayLike<number>, labels: BinaryLabels): Cumulative {
  const y = checkInputs(what, scores, labels);
  const n = y.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const s: number[] = [];
  const tps: number[] = [];
  const fps: number[] = [];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    if (y[i]) tp++;
    else fp++;
    // One point per distinct score: emit after the last row of each tie group.
    if (k === n - 1 || scores[order[k + 1]] !== scores[i]) {
      s.push(scores[i]);
      tps.push(tp);
      fps.push(fp);
    }
  }
  requireBothClasses(what, tp, fp);
  return {
    scores: Float64Array.from(s),
    tps: Float64Array.from(tps),
    fps: Float64Array.from(fps),
    nPos: tp,
    nNeg: fp,
  };
}

/**
 * Area under the ROC curve: the probability that a random positive scores above a random
 * negative, ties counting one half (Mann-Whitney U / (P·N)); equals scikit-learn's
 * `roc_auc_score(labels, scores)`.
 * @throws ShapeError on a length mismatch or no rows; DataError on a non-finite score, a label
 *   other than 0/1, or a single class
 * @example
 * rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]); // 0.75
 */
export function rocAuc(scores: ArrayLike<number>, labels: BinaryLabels): number {
  const c = cumulative('rocAuc', scores, labels);
  // 2U in integers: each negative counts 2 per positive above it and 1 per positive tied with it.
  let twoU = 0;
  let prevTp = 0;
  let prevFp = 0;
  for (let k = 0; k < c.scores.length; k++) {
    twoU += (c.fps[k] - prevFp) * (c.tps[k] + prevTp);
    prevTp = c.tps[k];
    prevFp = c.fps[k];
  }
  return twoU / (2 * c.nPos * c.nNeg);
}

/**
 * Average precision, the step-wise area under the precision-recall curve:
 * Σₖ (Rₖ − Rₖ₋₁)·Pₖ over the distinct scores from the highest down; equals scikit-learn's
 * `average_precision_score(labels, scores)` (no interpolation).
 * @throws as `rocAuc`
 * @example
 * prAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]); // 0.8333333333333333
 */
export function prAuc(scores: ArrayLike<number>, labels: BinaryLabels): number {
  const c = cumulative('prAuc', scores, labels);
  let ap = 0;
  let prevTp = 0;
  for (let k = 0; k < c.scores.length; k++) {
    const tp = c.tps[k];
    if (tp !== prevTp) ap += ((tp - prevTp) / c.nPos) * (tp / (tp + c.fps[k]));
    prevTp = tp;
  }
  return ap;
}

/**
 * The ROC curve at every distinct score (scikit-learn's `roc_curve(labels, scores,
 * drop_intermediate=False)`), preceded by the point (0, 0) at threshold +Infinity (as
 * scikit-learn ≥ 1.3; 1.2 used max(score) + 1). With `dropIntermediate`, points collinear with
 * their neighbours are dropped as scikit-learn's default does; the area is unchanged.
 * @throws as `rocAuc`
 */
export function rocCurve(
  scores: ArrayLike<number>,
  labels: BinaryLabels,
  { dropIntermediate = false }: { dropIntermediate?: boolean } = {},
): RocCurve {
  const c = cumulative('rocCurve', scores, labels);
  let keep = Array.from({ length: c.scores.length }, (_, k) => k);
  if (dropIntermediate && keep.length > 2) {
    // scikit-learn: keep k where the second difference of fps or tps is non-zero, and the ends.
    keep = keep.filter(
      (k) =>
        k === 0 ||
        k === c.scores.length - 1 ||
        c.fps[k + 1] - 2 * c.fps[k] + c.fps[k - 1] !== 0 ||
        c.tps[k + 1] - 2 * c.tps[k] + c.tps[k - 1] !== 0,
    );
  }
  const m = keep.length + 1;
  const out: RocCurve = {
    fpr: new Float64Array(m),
    tpr: new Float64Array(m),
    thresholds: new Float64Array(m),
  };
  out.thresholds[0] = Infinity;
  keep.forEach((k, i) => {
    out.fpr[i + 1] = c.fps[k] / c.nNeg;
    out.tpr[i + 1] = c.tps[k] / c.nPos;
    out.thresholds[i + 1] = c.scores[k];
  });
  return out;
}

/**
 * Precision, recall and F1 of flagging the rows whose score is strictly above `threshold`
 * (scikit-learn's `precision_score`/`recall_score`/`f1_score` of `scores > threshold`, with
 * `zero_division=0`).
 * @throws as `rocAuc`, and DataError when `threshold` is NaN
 * @example
 * thresholdMetrics([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1], 0.3); // tp 2, fp 1, precision 0.667, recall 1, f1 0.8
 */
export function thresholdMetrics(
  scores: ArrayLike<number>,
  labels: BinaryLabels,
  threshold: number,
): ThresholdMetrics {
  if (Number.isNaN(threshold)) throw new DataError('thresholdMetrics: threshold is NaN');
  const y = checkInputs('thresholdMetrics', scores, labels);
  let tp = 0;
  let fp = 0;
  let nPos = 0;
  for (let i = 0; i < y.length; i++) {
    nPos += y[i];
    if (scores[i] > threshold) {
      if (y[i]) tp++;
      else fp++;
    }
  }
  requireBothClasses('thresholdMetrics', nPos, y.length - nPos);
  const fn = nPos - tp;
  const tn = y.length - nPos - fp;
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp / nPos;
  const f1 = tp > 0 ? (2 * tp) / (2 * tp + fp + fn) : 0;
  return { threshold, tp, fp, tn, fn, precision, recall, f1 };
}
