/**
 * Where a falling error curve saturates: automatic rules that name the "enough" point of a curve
 * such as test MSE against latent dimension. Two rules, both on the curve normalised to the unit
 * square (x and y each mapped onto [0, 1]), so neither depends on the units:
 *
 * - `flatteningPoint`: the smallest x from which every later segment falls with a normalised
 *   slope below `fraction` (a segment with slope 1 falls as fast as the whole sweep does on
 *   average). "From here on, one more unit of x buys less than `fraction` of an average unit."
 * - `kneedle`: the knee of Satopaa, Albrecht, Irwin & Raghavan, "Finding a 'Kneedle' in a
 *   Haystack: Detecting Knee Points in System Behavior", ICDCS Workshops 2011,
 *   doi:10.1109/ICDCSW.2011.20, offline form as in the `kneed` package (0.8): the first local
 *   maximum of the difference curve that the curve later drops below its threshold
 *   `y_d(lmx) - S · mean(Δx_normalised)`. On a smooth curve this is where the normalised slope
 *   passes 1, i.e. the point of greatest bend, which lies before the curve is flat.
 *
 * Only decreasing curves are handled (errors that fall as capacity grows); increasing ones can
 * be passed negated. Later points that rise (noise, a worse run) count as flat. With
 * `envelope: true` both rules read the running minimum of y instead of y itself: the best error
 * reached with at most x units. A bigger model can always copy a smaller one, so a point above
 * an earlier one is a training accident (e.g. dead ReLU units), not a property of the size, and
 * the envelope keeps such a bump from looking like a late gain.
 */
import { ConfigError, DataError } from '../errors.js';
import { checkNumber } from '../util/check.js';

/** A rule's answer: the chosen x, its index in the input, and what the rule computed to get there. */
export interface SaturationResult {
  /** The chosen x value, or null when the rule finds no point (too few points, a flat curve). */
  x: number | null;
  index: number | null;
  /** The rule and its parameters, in words, for reports. */
  rule: string;
  /** Per point: the normalised slope of the segment after it (flattening) or the difference curve (kneedle). */
  scores: number[];
}

function checkCurve(where: string, xs: readonly number[], ys: readonly number[]): void {
  if (!Array.isArray(xs) || !Array.isArray(ys) || xs.length !== ys.length) {
    throw new ConfigError(
      `${where}: xs and ys must be arrays of the same length, got ${Array.isArray(xs) ? xs.length : typeof xs} and ${Array.isArray(ys) ? ys.length : typeof ys}`,
    );
  }
  for (let i = 0; i < xs.length; i++) {
    if (!Number.isFinite(xs[i]) || !Number.isFinite(ys[i])) {
      throw new DataError(`${where}: point ${i} is (${xs[i]}, ${ys[i]}); expected finite numbers`);
    }
    if (i > 0 && !(xs[i] > xs[i - 1])) {
      throw new ConfigError(
        `${where}: xs must increase strictly, got ${xs[i - 1]} then ${xs[i]} at index ${i}`,
      );
    }
  }
}

/** x and y mapped onto [0, 1]; y flipped so that a falling curve rises (max(y) -> 0, min -> 1). */
/** y, or its running minimum when `envelope` is set. */
function prepared(ys: readonly number[], envelope: boolean): number[] {
  if (!envelope) return [...ys];
  const out: number[] = [];
  for (const y of ys) out.push(out.length > 0 ? Math.min(out[out.length - 1], y) : y);
  return out;
}

function normalise(xs: readonly number[], ys: readonly number[]): { xn: number[]; yn: number[] } {
  const x0 = xs[0];
  const xr = xs[xs.length - 1] - x0;
  const yMax = Math.max(...ys);
  const yr = yMax - Math.min(...ys);
  return {
    xn: xs.map((x) => (x - x0) / xr),
    yn: ys.map((y) => (yr > 0 ? (yMax - y) / yr : 0)),
  };
}

/**
 * The smallest x after which every segment's normalised fall is below `fraction` (default 0.5),
 * on y or (with `envelope`) on its running minimum.
 * @example flatteningPoint([10, 20, 30, 40], [8, 4, 3.8, 3.7]).x // 20
 * @throws ConfigError on mismatched or non-increasing xs, or a fraction outside (0, 10]; DataError on a non-finite point
 */
export function flatteningPoint(
  xs: readonly number[],
  ysIn: readonly number[],
  { fraction = 0.5, envelope = false }: { fraction?: number; envelope?: boolean } = {},
): SaturationResult {
  checkCurve('flatteningPoint', xs, ysIn);
  checkNumber('flatteningPoint: fraction', fraction, 0, 10, { exclusiveMin: true });
  const ys = prepared(ysIn, envelope);
  const rule = `flattening: the smallest x after which every step of the normalised ${envelope ? 'running-minimum ' : ''}curve falls with slope < ${fraction} (slope 1 = the sweep's average fall)`;
  if (xs.length < 2 || Math.max(...ys) === Math.min(...ys)) {
    return { x: null, index: null, rule, scores: [] };
  }
  const { xn, yn } = normalise(xs, ys);
  const scores = xs.map((_, i) =>
    i + 1 < xs.length ? (yn[i + 1] - yn[i]) / (xn[i + 1] - xn[i]) : 0,
  );
  let index = xs.length - 1;
  while (index > 0 && scores[index - 1] < fraction) index--;
  return { x: xs[index], index, rule, scores };
}

/**
 * The Kneedle knee of a falling convex curve (sensitivity `S`, default 1), or null when none is
 * confirmed; with `envelope`, of the running minimum of y.
 * @example kneedle([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [100, 40, 20, 15, 10, 5, 4, 3, 2, 1]).x // 2
 * @throws ConfigError on mismatched or non-increasing xs, or S < 0; DataError on a non-finite point
 */
export function kneedle(
  xs: readonly number[],
  ysIn: readonly number[],
  { sensitivity = 1, envelope = false }: { sensitivity?: number; envelope?: boolean } = {},
): SaturationResult {
  checkCurve('kneedle', xs, ysIn);
  checkNumber('kneedle: sensitivity', sensitivity, 0);
  const ys = prepared(ysIn, envelope);
  const rule = `Kneedle (Satopaa et al. 2011), convex decreasing, sensitivity S = ${sensitivity}, offline, first knee${envelope ? ', on the running minimum' : ''}`;
  if (xs.length < 3 || Math.max(...ys) === Math.min(...ys)) {
    return { x: null, index: null, rule, scores: [] };
  }
  const { xn, yn } = normalise(xs, ys);
  const diff = yn.map((y, i) => y - xn[i]);
  const n = xs.length;
  // scipy's argrelextrema(..., np.greater_equal / np.less_equal) with mode 'clip': an end point
  // is compared with itself on its open side, so it can be an extremum too.
  const at = (i: number): number => diff[Math.min(n - 1, Math.max(0, i))];
  const isMax = diff.map((d, i) => d >= at(i - 1) && d >= at(i + 1));
  const isMin = diff.map((d, i) => d <= at(i - 1) && d <= at(i + 1));
  const drop = (sensitivity * (xn[n - 1] - xn[0])) / (n - 1);
  let threshold = -Infinity;
  let candidate = -1;
  for (let i = isMax.indexOf(true); i >= 0 && i < n - 1; i++) {
    if (isMax[i]) {
      candidate = i;
      threshold = diff[i] - drop;
    }
    // After a valley the curve must fall below 0 to confirm the last maximum.
    if (isMin[i]) threshold = 0;
    if (diff[i + 1] < threshold) return { x: xs[candidate], index: candidate, rule, scores: diff };
  }
  return { x: null, index: null, rule, scores: diff };
}
