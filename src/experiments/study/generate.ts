/**
 * Decoder-only generation (as the blog post describes it): codes the encoder never produced, for a trained decoder
 * to turn into images. Two sources: straight-line interpolation between the codes of two real
 * digits, and draws from a Gaussian fitted to the training codes (sample mean and covariance,
 * sampled as mean + L·e with L the Cholesky factor of the covariance and e standard normal from
 * the seeded Rng; Bishop, Pattern Recognition and Machine Learning, 2006, §11.1.4).
 */
import { NumericalError, ShapeError } from '../../errors.js';
import { cholesky } from '../../linalg/solve.js';
import { checkInt, checkMatrix } from '../../util/check.js';
import { matrix, type Matrix, type Matrix32 } from '../../util/matrix.js';
import type { Rng } from '../../util/rng.js';

/** A Gaussian in code space: mean, covariance (float64) and the lower Cholesky factor used to sample. */
export interface Gaussian {
  mean: Float64Array;
  cov: Matrix;
  chol: Matrix;
  /** Ridge added to the diagonal so the factor exists (0 when none was needed). */
  ridge: number;
}

/**
 * Mean and (n − 1)-normalised covariance of the rows of `codes`, with its Cholesky factor; a
 * singular covariance (a dead ReLU unit gives a constant coordinate) gets the smallest ridge
 * 1e-10·trace/d·10^j that makes it positive definite.
 * @throws ShapeError with fewer than 2 rows; NumericalError if no ridge up to trace/d helps
 */
export function fitGaussian(codes: Matrix32 | Matrix): Gaussian {
  checkMatrix('fitGaussian codes', codes, { minRows: 2 });
  const { rows: n, cols: d } = codes;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += codes.data[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  const cov = new Float64Array(d * d);
  const c = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) c[j] = codes.data[i * d + j] - mean[j];
    for (let a = 0; a < d; a++) {
      const ca = c[a];
      if (ca === 0) continue;
      for (let b = 0; b <= a; b++) cov[a * d + b] += ca * c[b];
    }
  }
  for (let a = 0; a < d; a++) {
    for (let b = 0; b <= a; b++) {
      cov[a * d + b] /= n - 1;
      cov[b * d + a] = cov[a * d + b];
    }
  }
  let trace = 0;
  for (let a = 0; a < d; a++) trace += cov[a * d + a];
  const scale = trace > 0 ? trace / d : 1;
  for (let ridge = 0, j = 0; j <= 11; j++) {
    const m = matrix(d, d, cov.slice());
    for (let a = 0; a < d; a++) m.data[a * d + a] += ridge;
    try {
      return { mean, cov: matrix(d, d, cov), chol: cholesky(m), ridge };
    } catch (err) {
      if (!(err instanceof NumericalError)) throw err;
      ridge = 1e-10 * scale * 10 ** j;
    }
  }
  throw new NumericalError(
    `fitGaussian: the ${d} x ${d} code covariance is not positive definite even with a ridge of ${scale}; the codes may be constant`,
  );
}

/**
 * `count` draws mean + L·e (float32 rows); `clampMin` clips each coordinate from below (0 for a
 * ReLU code layer, whose codes are never negative).
 * @throws ConfigError when count is not a positive integer
 */
export function sampleGaussian(
  g: Gaussian,
  count: number,
  rng: Rng,
  { clampMin }: { clampMin?: number } = {},
): Matrix32 {
  checkInt('sampleGaussian count', count, 1);
  const d = g.mean.length;
  const out = new Float32Array(count * d);
  const e = new Float64Array(d);
  for (let i = 0; i < count; i++) {
    for (let j = 0; j < d; j++) e[j] = rng.normal();
    for (let a = 0; a < d; a++) {
      let s = g.mean[a];
      for (let b = 0; b <= a; b++) s += g.chol.data[a * d + b] * e[b];
      out[i * d + a] = clampMin !== undefined ? Math.max(clampMin, s) : s;
    }
  }
  return matrix(count, d, out);
}

/**
 * For each pair (i, j) of rows of `codes`, `steps` codes evenly spaced from row i to row j
 * (both ends included), pair after pair.
 * @throws ShapeError on a row index out of range; ConfigError when steps < 2
 */
export function interpolateCodes(
  codes: Matrix32,
  pairs: readonly [number, number][],
  steps: number,
): Matrix32 {
  checkInt('interpolateCodes steps', steps, 2);
  const d = codes.cols;
  const out = new Float32Array(pairs.length * steps * d);
  pairs.forEach(([a, b], p) => {
    for (const r of [a, b]) {
      if (!(Number.isInteger(r) && r >= 0 && r < codes.rows))
        throw new ShapeError(
          `interpolateCodes: row ${r} of pair ${p} is outside 0..${codes.rows - 1}`,
        );
    }
    for (let s = 0; s < steps; s++) {
      const t = s / (steps - 1);
      for (let j = 0; j < d; j++) {
        out[(p * steps + s) * d + j] = (1 - t) * codes.data[a * d + j] + t * codes.data[b * d + j];
      }
    }
  });
  return matrix(pairs.length * steps, d, out);
}
