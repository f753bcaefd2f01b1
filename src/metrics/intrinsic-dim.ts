/**
 * Intrinsic dimension estimators from nearest-neighbour distances.
 *
 * MLE (Levina & Bickel 2004, "Maximum likelihood estimation of intrinsic dimension", NIPS 17):
 * for point x with neighbour distances T₁ ≤ … ≤ T_k, m̂_k(x) = [(1/(k−1)) Σ_{j<k} log(T_k/T_j)]⁻¹.
 * Variant used: MacKay & Ghahramani's correction (2005 comment on that paper) — average the
 * inverses over points, m̂_k = [mean_i 1/m̂_k(x_i)]⁻¹, which is the MLE of the pooled model and
 * avoids the upward bias of averaging m̂_k(x_i) itself; then the mean of m̂_k over k = k1..k2
 * (Levina & Bickel's aggregation over k). The (k−1) normalisation is kept (not k−2).
 *
 * TwoNN (Facco, d'Errico, Rodriguez & Laio 2017, doi:10.1038/s41598-017-11873-y): μᵢ = r₂/r₁
 * follows a Pareto law with exponent d, so −log(1 − F(μ)) = d·log μ; d is the slope of a
 * least-squares line through the origin over the sorted μ with F(μ₍ᵢ₎) = i/N, after discarding
 * the largest `discardFraction` of the μ (the tail where 1 − F → 0).
 *
 * Points with a zero nearest-neighbour distance (duplicates) have no finite log-ratio and are
 * skipped; the count is reported.
 */
import { ConfigError, NumericalError } from '../errors.js';
import type { AnyMatrix } from '../linalg/distances.js';
import { knn } from '../linalg/knn.js';
import { checkFinite, checkInt, checkMatrix, checkNumber } from '../util/check.js';

/** MLE estimate with its per-k values (k1..k2) and per-point local estimates. */
export interface MleIntrinsicDim {
  value: number;
  /** m̂_k for k = k1..k2, in order. */
  perK: Float64Array;
  /** Each point's [mean over k of 1/m̂_k(x)]⁻¹ (Infinity for a point whose ratios are all 0, NaN if skipped). */
  perPoint: Float64Array;
  n: number;
  skipped: number;
}

/**
 * Levina–Bickel MLE of the intrinsic dimension (MacKay–Ghahramani inverse averaging), k1..k2.
 * @throws ConfigError unless 2 <= k1 <= k2 < n; DataError on NaN/Inf; NumericalError when every point is a duplicate.
 */
export async function mleIntrinsicDim(
  X: AnyMatrix,
  { k1 = 10, k2 = 20 }: { k1?: number; k2?: number } = {},
): Promise<MleIntrinsicDim> {
  checkMatrix('mleIntrinsicDim X', X, { minRows: 3 });
  checkFinite('mleIntrinsicDim X', X);
  const n = X.rows;
  checkInt('mleIntrinsicDim k1', k1, 2, n - 1);
  checkInt('mleIntrinsicDim k2', k2, 2, n - 1);
  if (k2 < k1) throw new ConfigError(`mleIntrinsicDim k2 must be >= k1 (${k1}), got ${k2}`);
  const nb = await knn(X, k2);
  const nk = k2 - k1 + 1;
  const invSum = new Float64Array(nk);
  const perPoint = new Float64Array(n);
  let used = 0;
  for (let i = 0; i < n; i++) {
    const d = nb.distances.subarray(i * k2, (i + 1) * k2);
    if (d[0] === 0) {
      perPoint[i] = NaN;
      continue;
    }
    used++;
    // logSum after adding T_j for j < k: Σ_{j<k} log T_j, so Σ log(T_k/T_j) = (k−1) log T_k − logSum.
    let logSum = 0;
    let pointInv = 0;
    for (let k = 1; k <= k2; k++) {
      if (k >= k1) {
        const inv = ((k - 1) * Math.log(d[k - 1]) - logSum) / (k - 1);
        invSum[k - k1] += inv;
        pointInv += inv;
      }
      logSum += Math.log(d[k - 1]);
    }
    perPoint[i] = nk / pointInv;
  }
  if (used === 0) {
    throw new NumericalError(
      `mleIntrinsicDim: every one of the ${n} points has a duplicate (zero nearest-neighbour distance)`,
    );
  }
  const perK = invSum.map((s) => used / s);
  let value = 0;
  for (const v of perK) value += v / nk;
  return { value, perK, perPoint, n, skipped: n - used };
}

/** TwoNN estimate with the fitted points (log μ, −log(1 − F)) for plotting. */
export interface TwoNNIntrinsicDim {
  value: number;
  n: number;
  /** Points in the fit (after skipping duplicates and discarding the tail). */
  used: number;
  skipped: number;
  logMu: Float64Array;
  negLogOneMinusF: Float64Array;
}

/**
 * TwoNN estimate of the intrinsic dimension (Facco et al. 2017).
 * @throws ConfigError unless 0 <= discardFraction < 1; DataError on NaN/Inf; NumericalError
 * when fewer than 2 points remain for the fit or all ratios equal 1.
 */
export async function twoNN(
  X: AnyMatrix,
  { discardFraction = 0.1 }: { discardFraction?: number } = {},
): Promise<TwoNNIntrinsicDim> {
  checkMatrix('twoNN X', X, { minRows: 3 });
  checkFinite('twoNN X', X);
  checkNumber('twoNN discardFraction', discardFraction, 0, 1);
  if (discardFraction >= 1) {
    throw new ConfigError(`twoNN discardFraction must be < 1, got ${discardFraction}`);
  }
  const n = X.rows;
  const nb = await knn(X, 2);
  const mu: number[] = [];
  for (let i = 0; i < n; i++) {
    const r1 = nb.distances[2 * i];
    if (r1 > 0) mu.push(nb.distances[2 * i + 1] / r1);
  }
  mu.sort((a, b) => a - b);
  const N = mu.length;
  // F = i/N reaches 1 at i = N, where −log(1 − F) is infinite: at most N − 1 points are usable.
  const used = Math.min(Math.floor(N * (1 - discardFraction)), N - 1);
  const logMu = new Float64Array(Math.max(0, used));
  const y = new Float64Array(Math.max(0, used));
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < used; i++) {
    logMu[i] = Math.log(mu[i]);
    y[i] = -Math.log(1 - (i + 1) / N);
    sxy += logMu[i] * y[i];
    sxx += logMu[i] * logMu[i];
  }
  if (used < 2 || sxx === 0) {
    throw new NumericalError(
      `twoNN: no slope to fit (${used} usable ratios of ${n} points, ${n - N} duplicates); need at least 2 distinct non-duplicate neighbour ratios`,
    );
  }
  return { value: sxy / sxx, n, used, skipped: n - N, logMu, negLogOneMinusF: y };
}
