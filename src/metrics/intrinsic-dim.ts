/**
 * Intrinsic dimension estimators from nearest-neighbour distances.
 *
 * MLE (Levina & Bickel 2004, "Maximum likelihood estimation of intrinsic dimension", NIPS 17):
 * for point x with neighbour distances T₁ ≤ … ≤ T_k, m̂_k(x) = [(1/(k−1)) Σ_{j<k} log(T_k/T_j)]⁻¹.
 * Pooling: MacKay & Ghahramani's correction (2005 comment on that paper) — average the
 * inverses over points, m̂_k = [mean_i 1/m̂_k(x_i)]⁻¹, which is the MLE of the pooled model and
 * avoids the upward bias of averaging m̂_k(x_i) itself; then the mean of m̂_k over k = k1..k2
 * (Levina & Bickel's aggregation over k). The (k−1) normalisation is kept: the pooled mean of
 * the inverses is already unbiased for 1/m, and Levina & Bickel's (k−2) is the unbiased form of
 * the per-point m̂ itself, so with pooling it would only scale the estimate down by (k−2)/(k−1).
 *
 * Variant 'calibrated' (the default of `aedr intrinsic-dim` and of the synthetic table, through
 * experiments/intrinsic-dim/): with finite n the pooled MLE is biased low, more so as d grows
 * (at d = 10, n = 2000, k = 10..20 a uniform 10-ball gives about 8.6), because the kNN radius is
 * no longer small against the support and neighbourhoods near its boundary are truncated. As in
 * MiND and DANCo (Lombardi et al. 2011, "Minimum neighbor distance estimators of intrinsic
 * dimension", ECML PKDD; Ceruti et al. 2014, "DANCo", Pattern Recognition 47(8) 2569-2581), the
 * observed statistic is compared with the same statistic on uniform samples of the unit d-ball at
 * the same n and k1..k2, d = 1, 2, …; the estimate is the d at which the reference curve reaches
 * the observed value, linearly interpolated between integers (a correction curve of the kind
 * Camastra & Vinciarelli 2002 fit on hypercubes, IEEE TPAMI 24(10) 1404-1407). The references come
 * from their own seeded stream (seed + d, stream 0x6d6c65), never from the data, and are computed
 * only up to the first d whose reference reaches the observed value (capped at `maxDim`, default the
 * column count), so the cost is a few extra kNN searches in d ≤ estimate + 1 dimensions.
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
import type { BackendOption, ComputeBackend } from '../linalg/backend.js';
import type { AnyMatrix } from '../linalg/distances.js';
import { jsBackend } from '../linalg/js-backend.js';
import { knn } from '../linalg/knn.js';
import { checkFinite, checkInt, checkMatrix, checkNumber, checkOneOf } from '../util/check.js';
import { matrix, type Matrix } from '../util/matrix.js';
import { Rng } from '../util/rng.js';

/** How `mleIntrinsicDim` turns the pooled MLE into its value. */
export type MleVariant = 'levina-bickel' | 'calibrated';

/** Options of `mleIntrinsicDim`. */
export interface MleOptions extends BackendOption {
  /** Neighbour range (default 10..20, Levina & Bickel's). */
  k1?: number;
  k2?: number;
  /** 'levina-bickel' (default here): the pooled MLE; 'calibrated': mapped through uniform d-ball references. */
  variant?: MleVariant;
  /** Seed of the reference samples (default 0). */
  seed?: number;
  /** Largest reference dimension (default the column count); the calibrated value is capped there. */
  maxDim?: number;
}

/** MLE estimate with its per-k values (k1..k2) and per-point local estimates. */
export interface MleIntrinsicDim {
  /** The estimate of `variant`. */
  value: number;
  variant: MleVariant;
  /** The pooled Levina–Bickel MLE (MacKay–Ghahramani), whatever the variant. */
  plain: number;
  /** 'calibrated' only: the pooled MLE of uniform d-ball samples for d = 1..length (else empty). */
  reference: Float64Array;
  /** m̂_k for k = k1..k2, in order (uncalibrated). */
  perK: Float64Array;
  /** Each point's [mean over k of 1/m̂_k(x)]⁻¹ (Infinity for a point whose ratios are all 0, NaN if skipped). */
  perPoint: Float64Array;
  n: number;
  skipped: number;
}

interface Pooled {
  perK: Float64Array;
  perPoint: Float64Array;
  used: number;
  value: number;
}

/** Pooled MLE from each row's k2 ascending neighbour distances. */
function pooled(distances: Float64Array, n: number, k1: number, k2: number): Pooled {
  const nk = k2 - k1 + 1;
  const invSum = new Float64Array(nk);
  const perPoint = new Float64Array(n);
  let used = 0;
  for (let i = 0; i < n; i++) {
    const d = distances.subarray(i * k2, (i + 1) * k2);
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
  const perK = invSum.map((s) => used / s);
  let value = 0;
  for (const v of perK) value += v / nk;
  return { perK, perPoint, used, value };
}

/** n points uniform in the unit d-ball: Gaussian direction, radius U^(1/d). */
function uniformBall(n: number, d: number, rng: Rng): Matrix {
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    let norm: number;
    do {
      norm = 0;
      for (let c = 0; c < d; c++) {
        x[i * d + c] = rng.normal();
        norm += x[i * d + c] ** 2;
      }
    } while (norm < 1e-24);
    const scale = Math.pow(rng.random(), 1 / d) / Math.sqrt(norm);
    for (let c = 0; c < d; c++) x[i * d + c] *= scale;
  }
  return matrix(n, d, x);
}

/** Reference stream of the calibration samples, apart from the default stream of data generators. */
const REFERENCE_STREAM = 0x6d6c65;

/** The d at which the uniform-ball reference curve reaches `observed` (see the module doc). */
async function calibrate(
  observed: number,
  n: number,
  k1: number,
  k2: number,
  seed: number,
  maxDim: number,
  backend: ComputeBackend,
): Promise<{ value: number; reference: Float64Array }> {
  const ref: number[] = [];
  for (let d = 1; d <= maxDim; d++) {
    const ball = uniformBall(n, d, new Rng(seed + d, REFERENCE_STREAM));
    const r = pooled((await knn(ball, k2, { backend })).distances, n, k1, k2).value;
    ref.push(r);
    if (r >= observed) {
      // Below the 1-ball's value the curve is extended through the origin (MLE scales with d there).
      const value = d === 1 ? observed / r : d - 1 + (observed - ref[d - 2]) / (r - ref[d - 2]);
      return { value, reference: Float64Array.from(ref) };
    }
  }
  return { value: maxDim, reference: Float64Array.from(ref) };
}

/**
 * Levina–Bickel MLE of the intrinsic dimension (MacKay–Ghahramani pooling), k1..k2, plain or calibrated.
 * @throws ConfigError unless 2 <= k1 <= k2 < n, on an unknown variant or maxDim < 1; DataError on
 * NaN/Inf; NumericalError when every point is a duplicate, or (calibrated) fewer than k2 + 1 are not.
 */
export async function mleIntrinsicDim(
  X: AnyMatrix,
  opts: MleOptions = {},
): Promise<MleIntrinsicDim> {
  checkMatrix('mleIntrinsicDim X', X, { minRows: 3 });
  checkFinite('mleIntrinsicDim X', X);
  const n = X.rows;
  const k1 = checkInt('mleIntrinsicDim k1', opts.k1 ?? 10, 2, n - 1);
  const k2 = checkInt('mleIntrinsicDim k2', opts.k2 ?? 20, 2, n - 1);
  if (k2 < k1) throw new ConfigError(`mleIntrinsicDim k2 must be >= k1 (${k1}), got ${k2}`);
  const variant = checkOneOf('mleIntrinsicDim variant', opts.variant ?? 'levina-bickel', [
    'levina-bickel',
    'calibrated',
  ] as const);
  const seed = checkNumber('mleIntrinsicDim seed', opts.seed ?? 0);
  const maxDim = checkInt('mleIntrinsicDim maxDim', opts.maxDim ?? X.cols, 1);
  const backend = opts.backend ?? jsBackend;
  const nb = await knn(X, k2, { backend });
  const { perK, perPoint, used, value: plain } = pooled(nb.distances, n, k1, k2);
  if (used === 0) {
    throw new NumericalError(
      `mleIntrinsicDim: every one of the ${n} points has a duplicate (zero nearest-neighbour distance)`,
    );
  }
  const common = { variant, plain, perK, perPoint, n, skipped: n - used };
  if (variant === 'levina-bickel')
    return { value: plain, reference: new Float64Array(0), ...common };
  if (used <= k2) {
    throw new NumericalError(
      `mleIntrinsicDim: calibration needs more than k2 = ${k2} non-duplicate points, got ${used} of ${n}`,
    );
  }
  // The references match the points that entered the pooled MLE: same count, same k range.
  const { value, reference } = await calibrate(plain, used, k1, k2, seed, maxDim, backend);
  return { value, reference, ...common };
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
  { discardFraction = 0.1, backend }: { discardFraction?: number } & BackendOption = {},
): Promise<TwoNNIntrinsicDim> {
  checkMatrix('twoNN X', X, { minRows: 3 });
  checkFinite('twoNN X', X);
  checkNumber('twoNN discardFraction', discardFraction, 0, 1);
  if (discardFraction >= 1) {
    throw new ConfigError(`twoNN discardFraction must be < 1, got ${discardFraction}`);
  }
  const n = X.rows;
  const nb = await knn(X, 2, { backend });
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
