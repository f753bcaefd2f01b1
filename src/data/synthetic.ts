/**
 * Seeded synthetic manifolds with known intrinsic dimension, for checking reducers. The swiss
 * roll and S-curve use scikit-learn 1.2's formulas exactly (sklearn.datasets.make_swiss_roll /
 * make_s_curve, hole=False); only the random stream differs (PCG32 here, numpy's MT19937 there).
 * Noise is isotropic Gaussian with standard deviation `noise` on every coordinate, as in sklearn.
 * `t` is the main curve parameter (sklearn's `t`); `params` holds every generating coordinate.
 */
import { matrix, type Matrix } from '../util/matrix.js';
import type { Rng } from '../util/rng.js';
import { addNoise, setup, type SyntheticData, type SyntheticOptions } from './synthetic-base.js';

function curve(
  n: number,
  opts: SyntheticOptions,
  lo: number,
  hi: number,
  dims: number,
  f: (t: number, out: Float64Array, at: number) => void,
): SyntheticData {
  const { rng, noise } = setup(n, opts);
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) t[i] = rng.uniform(lo, hi);
  const x = matrix(n, dims, new Float64Array(n * dims));
  for (let i = 0; i < n; i++) f(t[i], x.data, i * dims);
  return { x: addNoise(x, noise, rng), t, params: matrix(n, 1, t.slice()), intrinsicDim: 1 };
}

/**
 * A straight line in 2-d: (t, t/2 + 1), t uniform in [0, 10].
 * @throws ConfigError on n < 1 or negative noise
 */
export function line2d(n: number, opts: SyntheticOptions = {}): SyntheticData {
  return curve(n, opts, 0, 10, 2, (t, o, k) => {
    o[k] = t;
    o[k + 1] = t / 2 + 1;
  });
}

/**
 * The logarithmic curve (t, ln t), t uniform in [0.1, 10] (the study's second 2-d case).
 * @throws ConfigError on n < 1 or negative noise
 */
export function logCurve2d(n: number, opts: SyntheticOptions = {}): SyntheticData {
  return curve(n, opts, 0.1, 10, 2, (t, o, k) => {
    o[k] = t;
    o[k + 1] = Math.log(t);
  });
}

/**
 * A helix in 3-d: (cos t, sin t, t / (2 pi)), t uniform in [0, 4 pi] (two turns, pitch 1).
 * @throws ConfigError on n < 1 or negative noise
 */
export function helix(n: number, opts: SyntheticOptions = {}): SyntheticData {
  return curve(n, opts, 0, 4 * Math.PI, 3, (t, o, k) => {
    o[k] = Math.cos(t);
    o[k + 1] = Math.sin(t);
    o[k + 2] = t / (2 * Math.PI);
  });
}

/** sklearn's swiss roll at given parameters, without noise: rows (t cos t, height, t sin t). */
export function swissRollAt(t: ArrayLike<number>, height: ArrayLike<number>): Matrix {
  const x = new Float64Array(t.length * 3);
  for (let i = 0; i < t.length; i++) {
    x[3 * i] = t[i] * Math.cos(t[i]);
    x[3 * i + 1] = height[i];
    x[3 * i + 2] = t[i] * Math.sin(t[i]);
  }
  return matrix(t.length, 3, x);
}

/** sklearn's S-curve at given parameters, without noise: rows (sin t, height, sign(t)(cos t - 1)). */
export function sCurveAt(t: ArrayLike<number>, height: ArrayLike<number>): Matrix {
  const x = new Float64Array(t.length * 3);
  for (let i = 0; i < t.length; i++) {
    x[3 * i] = Math.sin(t[i]);
    x[3 * i + 1] = height[i];
    x[3 * i + 2] = Math.sign(t[i]) * (Math.cos(t[i]) - 1);
  }
  return matrix(t.length, 3, x);
}

function surface(
  n: number,
  opts: SyntheticOptions,
  draw: (rng: Rng) => [number, number],
  at: (t: Float64Array, h: Float64Array) => Matrix,
): SyntheticData {
  const { rng, noise } = setup(n, opts);
  const t = new Float64Array(n);
  const h = new Float64Array(n);
  for (let i = 0; i < n; i++) [t[i], h[i]] = draw(rng);
  const params = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) [params[2 * i], params[2 * i + 1]] = [t[i], h[i]];
  return { x: addNoise(at(t, h), noise, rng), t, params: matrix(n, 2, params), intrinsicDim: 2 };
}

/**
 * sklearn's swiss roll: t = 1.5 pi (1 + 2u) in [1.5 pi, 4.5 pi], height = 21 v, u, v uniform.
 * @throws ConfigError on n < 1 or negative noise
 */
export function swissRoll(n: number, opts: SyntheticOptions = {}): SyntheticData {
  return surface(
    n,
    opts,
    (r) => [1.5 * Math.PI * (1 + 2 * r.random()), 21 * r.random()],
    swissRollAt,
  );
}

/**
 * sklearn's S-curve: t = 3 pi (u - 0.5) in [-1.5 pi, 1.5 pi], height = 2 v, u, v uniform.
 * @throws ConfigError on n < 1 or negative noise
 */
export function sCurve(n: number, opts: SyntheticOptions = {}): SyntheticData {
  return surface(n, opts, (r) => [3 * Math.PI * (r.random() - 0.5), 2 * r.random()], sCurveAt);
}

export { manifold, randomOrthonormal, type ManifoldKind } from './manifold.js';
export type { SyntheticData, SyntheticOptions } from './synthetic-base.js';
