/**
 * What every synthetic generator shares: its options, its result type, argument checks and the
 * seeded stream, and the isotropic Gaussian noise added last (as scikit-learn's generators do).
 */
import { checkInt, checkNumber } from '../util/check.js';
import type { Matrix } from '../util/matrix.js';
import { Rng } from '../util/rng.js';

/** Options of every generator. */
export interface SyntheticOptions {
  /** Standard deviation of the Gaussian noise added to each coordinate (default 0). */
  noise?: number;
  /** Seed of the random stream (default 0). */
  seed?: number;
}

/** Generated points, their true parameters and the manifold's intrinsic dimension. */
export interface SyntheticData {
  /** The points, n x D, float64. */
  x: Matrix;
  /** The main parameter of each point (for sklearn's shapes, the same as sklearn's `t`). */
  t: Float64Array;
  /** All generating coordinates, n x k (k = intrinsicDim, except the sphere: its d+1 unit vector). */
  params: Matrix;
  intrinsicDim: number;
  /** For `manifold`: the D x k orthonormal embedding of the parameter space. */
  basis?: Matrix;
}

/** Validates n and options; returns the seeded stream and the noise level. @throws ConfigError */
export function setup(n: number, opts: SyntheticOptions): { rng: Rng; noise: number } {
  checkInt('n', n, 1);
  const noise = checkNumber('noise', opts.noise ?? 0, 0);
  return { rng: new Rng(checkNumber('seed', opts.seed ?? 0)), noise };
}

/** Adds N(0, noise^2) to every entry of `x` in place. */
export function addNoise(x: Matrix, noise: number, rng: Rng): Matrix {
  if (noise > 0) for (let i = 0; i < x.data.length; i++) x.data[i] += noise * rng.normal();
  return x;
}
