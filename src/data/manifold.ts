/**
 * d-dimensional manifolds embedded in R^D with known intrinsic dimension d:
 * - linear: u uniform in [-1, 1]^d mapped by a random orthonormal D x d basis Q (x = Q u);
 * - sphere: the unit sphere S^d in R^(d+1) (uniform, normalised Gaussians) rotated into R^D by a
 *   random orthonormal D x (d+1) basis, so every point has norm 1;
 * - smooth: the graph of a random smooth function over the cube, x = Q u + R A sin(W u + b), with
 *   u uniform in [-1, 1]^d, [Q R] a random orthonormal D x D basis, W ~ N(0, 4/d) (m = 32 random
 *   Fourier features; each frequency vector has norm about 2, a wavelength about pi, whatever d),
 *   b uniform in [0, 2 pi), A ~ N(0, 2d / (3 m (D-d))) so the bend carries about
 *   as much variance (d/3) as the flat part. Why W's variance falls with d: with N(0, 2^2) per
 *   coordinate the wavelength shrank as pi/sqrt(d) (0.99 at d = 10) while the 20th neighbour of
 *   2,000 points lies 0.9-1.7 away (d = 6..10), so the sample did not resolve the bend and every
 *   neighbour-scale estimator saw a higher dimension (MLE 14.6 at d = 10; 13.3 still at n = 16,000).
 *   Since Q^T x = u the map is
 *   injective and its Jacobian has rank d everywhere (non-degenerate), yet the points span all D
 *   directions, so a linear method needs more than d components.
 * Random orthonormal bases come from Gram-Schmidt on Gaussian columns (twice, for stability).
 */
import { ConfigError } from '../errors.js';
import { checkInt, checkOneOf } from '../util/check.js';
import { matrix, type Matrix } from '../util/matrix.js';
import type { Rng } from '../util/rng.js';
import { addNoise, setup, type SyntheticData, type SyntheticOptions } from './synthetic-base.js';

/** The manifold families of `manifold`. */
export type ManifoldKind = 'linear' | 'sphere' | 'smooth';

const FEATURES = 32;
/** Norm of the bend's frequency vectors (spread over the d coordinates). */
const FREQUENCY = 2;

/** A D x k matrix with orthonormal columns drawn from `rng` (k <= D). @throws ConfigError */
export function randomOrthonormal(D: number, k: number, rng: Rng): Matrix {
  if (k > D) throw new ConfigError(`randomOrthonormal: k = ${k} columns exceed dimension D = ${D}`);
  const q = new Float64Array(D * k);
  const col = new Float64Array(D);
  for (let c = 0; c < k; c++) {
    for (;;) {
      for (let i = 0; i < D; i++) col[i] = rng.normal();
      for (let pass = 0; pass < 2; pass++) {
        for (let p = 0; p < c; p++) {
          let dot = 0;
          for (let i = 0; i < D; i++) dot += q[i * k + p] * col[i];
          for (let i = 0; i < D; i++) col[i] -= dot * q[i * k + p];
        }
      }
      let norm = 0;
      for (let i = 0; i < D; i++) norm += col[i] * col[i];
      norm = Math.sqrt(norm);
      // A Gaussian column almost never lies in the span of the others; redraw if it nearly does.
      if (norm > 1e-6) {
        for (let i = 0; i < D; i++) q[i * k + c] = col[i] / norm;
        break;
      }
    }
  }
  return matrix(D, k, q);
}

/** x = basis * p for each row p of params (n x k) into n x D. */
function embed(params: Matrix, basis: Matrix): Matrix {
  const { rows: n, cols: k } = params;
  const D = basis.rows;
  const x = new Float64Array(n * D);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < D; i++) {
      let s = 0;
      for (let c = 0; c < k; c++) s += basis.data[i * k + c] * params.data[r * k + c];
      x[r * D + i] = s;
    }
  }
  return matrix(n, D, x);
}

/**
 * n points on a d-dimensional manifold of kind `kind` in R^D (see the module doc).
 * @throws ConfigError on an unknown kind, d < 1, or D too small (linear: D >= d; others: D > d)
 */
export function manifold(
  kind: ManifoldKind,
  d: number,
  D: number,
  n: number,
  opts: SyntheticOptions = {},
): SyntheticData {
  checkOneOf('kind', kind, ['linear', 'sphere', 'smooth'] as const);
  checkInt('d', d, 1);
  checkInt('D', D, kind === 'linear' ? d : d + 1);
  const { rng, noise } = setup(n, opts);
  const k = kind === 'sphere' ? d + 1 : d;
  const p = new Float64Array(n * k);
  if (kind === 'sphere') {
    for (let r = 0; r < n; r++) {
      let norm: number;
      do {
        norm = 0;
        for (let c = 0; c < k; c++) {
          p[r * k + c] = rng.normal();
          norm += p[r * k + c] ** 2;
        }
      } while (norm < 1e-12);
      norm = Math.sqrt(norm);
      for (let c = 0; c < k; c++) p[r * k + c] /= norm;
    }
  } else {
    for (let i = 0; i < p.length; i++) p[i] = rng.uniform(-1, 1);
  }
  const params = matrix(n, k, p);
  const full = randomOrthonormal(D, kind === 'smooth' ? D : k, rng);
  const basis = kind === 'smooth' ? columns(full, 0, d) : full;
  const x = embed(params, basis);
  if (kind === 'smooth') addBend(x, params, columns(full, d, D), rng);
  const t = Float64Array.from({ length: n }, (_, r) => p[r * k]);
  return { x: addNoise(x, noise, rng), t, params, intrinsicDim: d, basis };
}

function columns(m: Matrix, from: number, to: number): Matrix {
  const k = to - from;
  const out = new Float64Array(m.rows * k);
  for (let i = 0; i < m.rows; i++)
    out.set(m.data.subarray(i * m.cols + from, i * m.cols + to), i * k);
  return matrix(m.rows, k, out);
}

/** Adds R A sin(W u + b) to each row of x, with R the orthonormal complement of the basis. */
function addBend(x: Matrix, u: Matrix, complement: Matrix, rng: Rng): void {
  const d = u.cols;
  const r = complement.cols;
  const W = Float64Array.from(
    { length: FEATURES * d },
    () => (FREQUENCY / Math.sqrt(d)) * rng.normal(),
  );
  const b = Float64Array.from({ length: FEATURES }, () => rng.uniform(0, 2 * Math.PI));
  // Var(sin) is about 1/2, so this gives the bend a total variance near d/3, that of the flat part.
  const scale = Math.sqrt((2 * d) / (3 * FEATURES * r));
  const A = Float64Array.from({ length: r * FEATURES }, () => scale * rng.normal());
  const s = new Float64Array(FEATURES);
  const bend = new Float64Array(r);
  for (let row = 0; row < x.rows; row++) {
    for (let f = 0; f < FEATURES; f++) {
      let z = b[f];
      for (let c = 0; c < d; c++) z += W[f * d + c] * u.data[row * d + c];
      s[f] = Math.sin(z);
    }
    for (let j = 0; j < r; j++) {
      let v = 0;
      for (let f = 0; f < FEATURES; f++) v += A[j * FEATURES + f] * s[f];
      bend[j] = v;
    }
    for (let i = 0; i < x.cols; i++) {
      let v = 0;
      for (let j = 0; j < r; j++) v += complement.data[i * r + j] * bend[j];
      x.data[row * x.cols + i] += v;
    }
  }
}
