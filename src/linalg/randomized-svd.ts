/**
 * Randomized truncated SVD (Halko, Martinsson & Tropp 2011, doi:10.1137/090771806, Alg. 4.4 and
 * 5.1), following scikit-learn 1.2's `randomized_svd`: n_oversamples 10, n_iter 'auto' (7 when
 * k < 0.1·min(n, d), else 4), the data transposed when n < d, `svd_flip` on U. The products
 * with the data, 2·n_iter + 2 of them as in scikit-learn, run on the given backend's product and
 * gemm (float32); on tall data they read x as it is, the mean entering as rank-one corrections
 * (`directTall`). Three differences, none changing the answer in exact arithmetic: the start is
 * random signs, not Gaussian (`randomStart`); the power iterations are normalised on the short
 * (feature) side instead of by LU on the sample side (O(d·l²) instead of O(n·l²) per step); and
 * the final range basis comes from the eigen-decomposition of the l x l Gram YᵀY instead of a QR
 * of Y. Random numbers come from `Rng`, so results differ from scikit-learn's by the sampling
 * error of the method. Tall data with few columns takes the 'gram' route: the centred Gram
 * formed once (centred-gram.ts), the same subspace iteration on it (subspace-iteration.ts),
 * Rayleigh-Ritz at the end. bench/README.md has the measured costs of the routes and of the
 * variants that were not kept.
 */
import { ConfigError, ShapeError } from '../errors.js';
import { checkInt, checkOneOf } from '../util/check.js';
import { matrix, type Matrix, type Matrix32 } from '../util/matrix.js';
import { Rng } from '../util/rng.js';
import { symmetricEigen } from './eigen-sym.js';
import type { CentredGram, ComputeBackend } from './backend.js';
import { centredGram } from './centred-gram.js';
import { gemm } from './gemm.js';
import { jsBackend } from './js-backend.js';
import { product } from './product.js';
import { orthonormalRows, ritzPairs, subspaceIteration } from './subspace-iteration.js';
import { svd, svdFlip, type Svd } from './svd.js';
import { transposeBlocked as transpose } from './transpose.js';

/** Above this many multiply-adds the final U = Y·M goes to the backend's product. */
const PRODUCT_LIMIT = 5e7;
/** Below this many multiply-adds in the power iterations the direct path is kept (tests, small data). */
const GRAM_MIN_WORK = 1e8;

/** Options of `randomizedSvd`, named as scikit-learn's. */
export interface RandomizedSvdOptions {
  /** Extra random directions beyond k (scikit-learn's n_oversamples); default 10. */
  nOversamples?: number;
  /** Power iterations; 'auto' = 7 if k < 0.1·min(n, d) else 4 (default). */
  nIter?: number | 'auto';
  /** Seed of the random start; default 0. */
  seed?: number;
  /** Column means: the rows are taken as x − mean (on the 'gram' route without a centred copy); default none. */
  mean?: ArrayLike<number>;
  /** 'direct' (products with the data), 'gram' (tall data only: iterate on AᵀA) or 'auto' (default: see `useGram`). */
  route?: 'auto' | 'direct' | 'gram';
  /** The column means and centred Gram of x when the caller has them (gram route). */
  gram?: CentredGram;
  /** The kernels' backend; default `jsBackend`. */
  backend?: ComputeBackend;
}

/**
 * The k leading singular triplets of x (n x d, float32, already centred if that is wanted):
 * u n x k, s descending, vt k x d, signs by `svdFlip`.
 * @throws ConfigError when k is not in 1..min(n, d) or an option is out of range.
 */
export async function randomizedSvd(
  x: Matrix32,
  k: number,
  opts: RandomizedSvdOptions = {},
): Promise<Svd> {
  checkInt('randomizedSvd k', k, 1, Math.min(x.rows, x.cols));
  checkInt('nOversamples', opts.nOversamples ?? 10, 0);
  if (opts.nIter !== undefined && opts.nIter !== 'auto') checkInt('nIter', opts.nIter, 0);
  const { l, nIter } = sketchSize(x.rows, x.cols, k, opts);
  const rng = new Rng(opts.seed ?? 0);
  const backend = opts.backend ?? jsBackend;

  const mean = opts.mean;
  if (mean !== undefined && mean.length !== x.cols)
    throw new ShapeError(`randomizedSvd mean must have ${x.cols} values, got ${mean.length}`);
  const flip = x.rows < x.cols;
  const route = checkOneOf('route', opts.route ?? 'auto', ['auto', 'direct', 'gram'] as const);
  if (route === 'gram' && flip)
    throw new ConfigError(
      `randomizedSvd route 'gram' needs rows >= columns, got ${x.rows} x ${x.cols}`,
    );
  if (route === 'gram' || (route === 'auto' && !flip && useGram(x.rows, x.cols, l, nIter)))
    return viaGram(backend, x, k, l, nIter, rng, mean, opts.gram);
  if (!flip) return directTall(backend, x, k, l, nIter, rng, mean);
  return wide(backend, x, k, l, nIter, rng, mean);
}

/**
 * Wide data (n < d), as scikit-learn: the SVD of the transpose, U and V swapped at the end.
 * The centred copy is made here (wide data is small in rows).
 */
async function wide(
  backend: ComputeBackend,
  x: Matrix32,
  k: number,
  l: number,
  nIter: number,
  rng: Rng,
  mean: ArrayLike<number> | undefined,
): Promise<Svd> {
  let xc = x;
  if (mean !== undefined) {
    const mu = Float64Array.from(mean); // a typed array keeps the loop below monomorphic
    const c = new Float32Array(x.data.length);
    const xd = x.data;
    for (let i = 0; i < x.rows; i++)
      for (let j = 0, o = i * x.cols; j < x.cols; j++) c[o + j] = xd[o + j] - mu[j];
    xc = matrix(x.rows, x.cols, c);
  }
  const a = transpose(xc);
  const at = xc;
  const n = a.rows;
  const d = a.cols;

  // qt: l x d, the rows an orthonormal basis of the current feature-side subspace. Every
  // product is laid out so that it yields the transposed operand the next one needs (A·Bᵀ
  // backend): Yᵀ = Q·Aᵀ = product(Q, A), Zᵀ = Yᵀ·A = product(Yᵀ, Aᵀ); no n-sized transposes.
  let qt = randomStart(rng, l * d);
  for (let it = 0; it < nIter; it++) {
    const yt = await product(backend, matrix(l, d, qt), a); // l x n = (A·Q)ᵀ
    const zt = await product(backend, yt, at); // l x d = (Aᵀ·A·Q)ᵀ
    qt = Float32Array.from(orthonormalRows(matrix(l, d, Float64Array.from(zt.data))));
  }
  const yt = await product(backend, matrix(l, d, qt), a); // l x n
  const rr = await finishRange(yt.data, n, d, k, async () => (await product(backend, yt, at)).data);
  let u: Float64Array;
  if (n * l * k > PRODUCT_LIMIT) {
    // U = Y·mk = A·(Qᵀ·mk), float32 like every other product here.
    const vk = new Float32Array(k * d); // (Qᵀ·mk)ᵀ, k x d
    for (let j = 0; j < k; j++) {
      for (let t = 0; t < l; t++) {
        const c = rr.mk[t * k + j];
        for (let q = 0; q < d; q++) vk[j * d + q] += c * qt[t * d + q];
      }
    }
    u = Float64Array.from((await product(backend, a, matrix(k, d, vk))).data);
  } else u = timesMk(yt.data, n, l, rr.mk, k);
  const uX = transpose(rr.vt);
  const vtX = transpose(matrix(n, k, u));
  svdFlip(uX, vtX);
  return { u: uX, s: rr.s, vt: vtX };
}

/**
 * The end of the direct routes, from Yᵀ = (A·Q)ᵀ (l x n): the range basis Q = Y·W·Λ^(-1/2) over
 * the numerically non-zero eigenpairs of the Gram YᵀY (descending), B = Qᵀ·A = (W·Λ^(-1/2))ᵀ·Zᵀ
 * with Zᵀ = (Aᵀ·Y)ᵀ from `back`, B's SVD, and mk = W·Λ^(-1/2)·Û[:, :k] so that U = Y·mk.
 * @throws ConfigError when fewer than k directions are numerically non-zero
 */
async function finishRange(
  yt: ArrayLike<number>,
  n: number,
  d: number,
  k: number,
  back: () => Promise<ArrayLike<number>>,
): Promise<{ mk: Float64Array; s: Float64Array; vt: Matrix }> {
  const l = yt.length / n;
  const gram = new Float64Array(l * l);
  for (let s = 0; s < l; s++) {
    for (let t = s; t < l; t++) {
      let acc = 0;
      for (let i = 0, os = s * n, ot = t * n; i < n; i++) acc += yt[os + i] * yt[ot + i];
      gram[s * l + t] = acc;
      gram[t * l + s] = acc;
    }
  }
  const eig = symmetricEigen(matrix(l, l, gram));
  const lamMax = Math.max(eig.values[l - 1], 0);
  const keep: number[] = [];
  for (let s = l - 1; s >= 0; s--) if (eig.values[s] > lamMax * l * 2 ** -52 * 16) keep.push(s);
  if (keep.length < k) {
    throw new ConfigError(
      `randomizedSvd: the data has numerical rank ${keep.length} < k = ${k}; lower nComponents`,
    );
  }
  const m = keep.length;
  const coef = new Float64Array(l * m); // W·Λ^(-1/2), l x m
  keep.forEach((s, c) => {
    const inv = 1 / Math.sqrt(eig.values[s]);
    for (let t = 0; t < l; t++) coef[t * m + c] = eig.vectors.data[s * l + t] * inv;
  });
  const zt = await back();
  const b = new Float64Array(m * d);
  for (let c = 0; c < m; c++) {
    for (let t = 0; t < l; t++) {
      const w = coef[t * m + c];
      if (w !== 0) for (let j = 0; j < d; j++) b[c * d + j] += w * zt[t * d + j];
    }
  }
  const small = svd(matrix(m, d, b));
  const mk = new Float64Array(l * k);
  for (let t = 0; t < l; t++) {
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let c = 0; c < m; c++) s += coef[t * m + c] * small.u.data[c * small.u.cols + j];
      mk[t * k + j] = s;
    }
  }
  return { mk, s: small.s.slice(0, k), vt: matrix(k, d, small.vt.data.slice(0, k * d)) };
}

/** U = Y·mk (n x k) from Yᵀ (l x n). */
function timesMk(
  yt: ArrayLike<number>,
  n: number,
  l: number,
  mk: Float64Array,
  k: number,
): Float64Array {
  const u = new Float64Array(n * k);
  for (let t = 0; t < l; t++) {
    for (let i = 0; i < n; i++) {
      const v = yt[t * n + i];
      for (let j = 0; j < k; j++) u[i * k + j] += v * mk[t * k + j];
    }
  }
  return u;
}

/**
 * The direct route on tall data (n >= d) without a centred or transposed copy of x: Yᵀ = Q·xᵀ
 * (product) and Zᵀ = Yᵀ·x (gemm) read x as it is, and the mean enters as rank-one corrections
 * (Yᵀ −= (Q·μ)·1ᵀ, Zᵀ −= (Yᵀ·1)·μᵀ).
 */
async function directTall(
  backend: ComputeBackend,
  x: Matrix32,
  k: number,
  l: number,
  nIter: number,
  rng: Rng,
  mean: ArrayLike<number> | undefined,
): Promise<Svd> {
  const n = x.rows;
  const d = x.cols;
  const mu = Float64Array.from({ length: d }, (_, j) => (mean === undefined ? 0 : mean[j]));
  let qt = randomStart(rng, l * d);
  const range = async (q: Float32Array): Promise<Float32Array> => {
    const yt = (await product(backend, matrix(l, d, q), x)).data; // l x n = (A·Q)ᵀ
    for (let s = 0; s < l; s++) {
      let m = 0;
      for (let j = 0; j < d; j++) m += mu[j] * q[s * d + j];
      if (m !== 0) for (let i = s * n, e = i + n; i < e; i++) yt[i] -= m;
    }
    return yt;
  };
  const back = async (yt: Float32Array): Promise<Float64Array> => {
    const zt = (await gemm(backend, matrix(l, n, yt), x)).data; // l x d = (Aᵀ·Y)ᵀ
    const out = Float64Array.from(zt);
    for (let s = 0; s < l; s++) {
      let c = 0;
      for (let i = s * n, e = i + n; i < e; i++) c += yt[i];
      if (c !== 0) for (let j = 0; j < d; j++) out[s * d + j] -= c * mu[j];
    }
    return out;
  };
  for (let it = 0; it < nIter; it++) {
    qt = Float32Array.from(orthonormalRows(matrix(l, d, await back(await range(qt)))));
  }
  const yt = await range(qt);
  const rr = await finishRange(yt, n, d, k, () => back(yt));
  const uA = matrix(n, k, timesMk(yt, n, l, rr.mk, k));
  svdFlip(uA, rr.vt);
  return { u: uA, s: rr.s, vt: rr.vt };
}

/**
 * Tall data where d is not large against the work of the power iterations: their 2·(nIter + 1)
 * thin products each stream all of A (memory-bound), with JS work on n-sized vectors between
 * them, while the centred Gram is formed once (centred-gram.ts), after which every iteration is
 * d x d.
 */
function useGram(n: number, d: number, l: number, nIter: number): boolean {
  return n >= d && d <= 8 * (nIter + 1) * l && n * d * l * (nIter + 1) > GRAM_MIN_WORK;
}

/**
 * The route `randomizedSvd` takes for an n x d input and k components with these options
 * ('gram' when `route` is 'auto' and `useGram` holds), so a caller can form the centred Gram
 * itself (PCA reads its mean and total variance from it).
 */
export function randomizedRoute(
  n: number,
  d: number,
  k: number,
  opts: Pick<RandomizedSvdOptions, 'nOversamples' | 'nIter' | 'route'> = {},
): 'direct' | 'gram' {
  if (opts.route !== undefined && opts.route !== 'auto') return opts.route;
  const { l, nIter } = sketchSize(n, d, k, opts);
  return n >= d && useGram(n, d, l, nIter) ? 'gram' : 'direct';
}

/**
 * The start block Ω: random signs, 32 from each draw, where scikit-learn draws Gaussians (sign
 * test matrices serve subspace iteration as well: Martinsson & Tropp 2020,
 * doi:10.1017/S0962492920000021); on MNIST 5000 (k = 10, 40 seeds) the eigenvalue errors
 * matched the Gaussian start's (bench/README.md).
 */
function randomStart(rng: Rng, size: number): Float32Array {
  const out = new Float32Array(size);
  for (let i = 0; i < size; i += 32) {
    const w = rng.nextU32();
    for (let b = 0, e = Math.min(32, size - i); b < e; b++) out[i + b] = (w >>> b) & 1 ? 1 : -1;
  }
  return out;
}

/** Sketch width l = k + nOversamples (at most min(n, d)) and power iterations ('auto': 7 if k < 0.1·min(n, d), else 4), as scikit-learn. */
function sketchSize(
  n: number,
  d: number,
  k: number,
  opts: Pick<RandomizedSvdOptions, 'nOversamples' | 'nIter'>,
): { l: number; nIter: number } {
  const r = Math.min(n, d);
  const nIter =
    opts.nIter === undefined || opts.nIter === 'auto' ? (k < 0.1 * r ? 7 : 4) : opts.nIter;
  return { l: Math.min(k + (opts.nOversamples ?? 10), r), nIter };
}

/**
 * The same subspace iteration on C = AᵀA, formed once: nIter + 1 steps of `subspaceIteration`
 * (the span of (AᵀA)^(nIter+1)·Ω that the direct path's final B spans; on onnxruntime all in
 * one call), then Rayleigh-Ritz on the pencil (Q·C·Qᵀ, Q·Qᵀ) (`ritzPairs`: Q need not be
 * orthonormal): V = coef·Q, S = √Λ, U = A·Vᵀ/S. C is float32 (centred-gram.ts).
 */
async function viaGram(
  backend: ComputeBackend,
  a: Matrix32,
  k: number,
  l: number,
  nIter: number,
  rng: Rng,
  mean: ArrayLike<number> | undefined,
  pre: CentredGram | undefined,
): Promise<Svd> {
  const n = a.rows;
  const d = a.cols;
  const stats = pre ?? (await centredGram(backend, a));
  if (stats.mean.length !== d || stats.gram.rows !== d || stats.gram.cols !== d)
    throw new ShapeError(
      `randomizedSvd gram: expected a ${d}-value mean and a ${d} x ${d} Gram, got ${stats.mean.length} and ${stats.gram.rows} x ${stats.gram.cols}`,
    );
  const mu = Float64Array.from({ length: d }, (_, j) => (mean === undefined ? 0 : mean[j]));
  // About another centre m: (X − 1mᵀ)ᵀ(X − 1mᵀ) = C + n·δδᵀ with δ = μ − m (no cancellation).
  // C stays float32 (its accuracy), so no float64 copy of the d x d matrix is made.
  let c32 = stats.gram;
  const delta = Float64Array.from({ length: d }, (_, j) => stats.mean[j] - mu[j]);
  if (delta.some((v) => v !== 0)) {
    const c = c32.data.slice();
    for (let i = 0; i < d; i++) {
      const di = n * delta[i];
      if (di !== 0) for (let j = 0; j < d; j++) c[i * d + j] += di * delta[j];
    }
    c32 = matrix(d, d, c);
  }
  const it = await subspaceIteration(
    backend,
    c32,
    matrix(l, d, randomStart(rng, l * d)),
    nIter + 1,
  );
  const rr = ritzPairs(it, k);
  if (rr.rank < k) {
    throw new ConfigError(
      `randomizedSvd: the data has numerical rank ${rr.rank} < k = ${k}; lower nComponents`,
    );
  }
  const s = rr.values.map(Math.sqrt);
  const vt = (await gemm(backend, rr.coef, matrix(l, d, Float64Array.from(it.q.data)))).data; // V = coef·Q
  // U = (A − 1·μᵀ)·Vᵀ/S with no JS pass over A. When the centre is not large against the spread
  // (‖m‖² <= 16·mean ‖x − m‖², e.g. pixels in [0, 1]), as A·Vᵀ/S − 1·(m·Vᵀ/S): float32 rounding
  // grows with ‖x‖ instead of ‖x − m‖ (‖m‖ at most 4 times the rms spread there), and the
  // product skips the centred copy of A. Otherwise the centring runs inside the product.
  const vs = new Float32Array(k * d);
  for (let j = 0; j < k; j++) for (let i = 0; i < d; i++) vs[j * d + i] = vt[j * d + i] / s[j];
  let trace = 0;
  for (let j = 0; j < d; j++) trace += c32.data[j * d + j];
  const centre2 = mu.reduce((acc, v) => acc + v * v, 0);
  let u: Float64Array;
  if (centre2 <= (16 * trace) / n) {
    u = Float64Array.from((await product(backend, a, matrix(k, d, vs))).data);
    const shift = new Float64Array(k);
    for (let j = 0; j < k; j++) for (let i = 0; i < d; i++) shift[j] += mu[i] * vs[j * d + i];
    for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) u[i * k + j] -= shift[j];
  } else
    u = Float64Array.from(
      (await product(backend, a, matrix(k, d, vs), Float32Array.from(mu))).data,
    );
  const uA = matrix(n, k, u);
  const vtA = matrix(k, d, vt);
  svdFlip(uA, vtA);
  return { u: uA, s, vt: vtA };
}
