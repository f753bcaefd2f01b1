/**
 * Randomized truncated SVD (Halko, Martinsson & Tropp 2011, doi:10.1137/090771806, Alg. 4.4 and
 * 5.1), following scikit-learn 1.2's `randomized_svd`: n_oversamples 10, n_iter 'auto' (7 when
 * k < 0.1·min(n, d), else 4), a Gaussian start, the data transposed when n < d, `svd_flip` on U.
 * The products with the data, 2·n_iter + 2 of them as in scikit-learn, run on the installed
 * product backend (float32). Two differences, neither changing the answer in exact arithmetic:
 * the power iterations are normalised on the short (feature) side by Gram-Schmidt instead of
 * LU on the sample side (O(d·l²) instead of O(n·l²) per step), and the final range basis comes
 * from the eigen-decomposition of the l x l Gram YᵀY instead of a QR of Y. Random numbers come
 * from `Rng`, so results differ from scikit-learn's by the sampling error of the method.
 */
import { ConfigError } from '../errors.js';
import { checkInt } from '../util/check.js';
import { matrix, transpose, type Matrix, type Matrix32 } from '../util/matrix.js';
import { Rng } from '../util/rng.js';
import { symmetricEigen } from './eigen-sym.js';
import { product } from './product.js';
import { completeOrthonormal, svd, svdFlip, type Svd } from './svd.js';

/** Options of `randomizedSvd`, named as scikit-learn's. */
export interface RandomizedSvdOptions {
  /** Extra random directions beyond k (scikit-learn's n_oversamples); default 10. */
  nOversamples?: number;
  /** Power iterations; 'auto' = 7 if k < 0.1·min(n, d) else 4 (default). */
  nIter?: number | 'auto';
  /** Seed of the Gaussian start; default 0. */
  seed?: number;
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
  const r = Math.min(x.rows, x.cols);
  checkInt('randomizedSvd k', k, 1, r);
  const p = checkInt('nOversamples', opts.nOversamples ?? 10, 0);
  const nIterOpt = opts.nIter ?? 'auto';
  if (nIterOpt !== 'auto') checkInt('nIter', nIterOpt, 0);
  const nIter = nIterOpt === 'auto' ? (k < 0.1 * r ? 7 : 4) : nIterOpt;
  const l = Math.min(k + p, r);
  const rng = new Rng(opts.seed ?? 0);

  const flip = x.rows < x.cols;
  const a = flip ? transpose(x) : x;
  const at = flip ? x : transpose(x);
  const d = a.cols;

  // qt: l x d, the rows an orthonormal basis of the current feature-side subspace.
  let qt = new Float32Array(l * d);
  for (let i = 0; i < qt.length; i++) qt[i] = rng.normal();
  for (let it = 0; it < nIter; it++) {
    const y = await product(a, matrix(l, d, qt)); // n x l = A·Q
    const z = await product(at, transpose(y)); // d x l = Aᵀ·A·Q
    qt = Float32Array.from(orthonormalRows(transpose(toF64(z))));
  }
  const y = toF64(await product(a, matrix(l, d, qt))); // n x l
  const n = a.rows;
  const gram = new Float64Array(l * l);
  for (let i = 0; i < n; i++) {
    for (let s = 0; s < l; s++) {
      const v = y.data[i * l + s];
      for (let t = s; t < l; t++) gram[s * l + t] += v * y.data[i * l + t];
    }
  }
  for (let s = 0; s < l; s++) for (let t = 0; t < s; t++) gram[s * l + t] = gram[t * l + s];
  const eig = symmetricEigen(matrix(l, l, gram));
  const lamMax = Math.max(eig.values[l - 1], 0);
  // Range basis Q = Y·W·Λ^(-1/2) over the numerically non-zero directions (descending).
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
  const z = toF64(await product(at, transpose(toF32(y)))); // d x l = Aᵀ·Y
  // B = Qᵀ·A = coefᵀ·Yᵀ·A = coefᵀ·Zᵀ (m x d).
  const b = new Float64Array(m * d);
  for (let c = 0; c < m; c++) {
    for (let t = 0; t < l; t++) {
      const w = coef[t * m + c];
      if (w === 0) continue;
      for (let j = 0; j < d; j++) b[c * d + j] += w * z.data[j * l + t];
    }
  }
  const small = svd(matrix(m, d, b));
  // U = Y·coef·Û, only the first k columns.
  const mk = new Float64Array(l * k);
  for (let t = 0; t < l; t++) {
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let c = 0; c < m; c++) s += coef[t * m + c] * small.u.data[c * small.u.cols + j];
      mk[t * k + j] = s;
    }
  }
  const u = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < l; t++) {
      const v = y.data[i * l + t];
      for (let j = 0; j < k; j++) u[i * k + j] += v * mk[t * k + j];
    }
  }
  const uA = matrix(n, k, u);
  const vtA = matrix(k, d, small.vt.data.slice(0, k * d));
  const s = small.s.slice(0, k);
  if (!flip) {
    svdFlip(uA, vtA);
    return { u: uA, s, vt: vtA };
  }
  const uX = transpose(vtA);
  const vtX = transpose(uA);
  svdFlip(uX, vtX);
  return { u: uX, s, vt: vtX };
}

function toF64(m: Matrix32): Matrix {
  return matrix(m.rows, m.cols, Float64Array.from(m.data));
}

function toF32(m: Matrix): Matrix32 {
  return matrix(m.rows, m.cols, Float32Array.from(m.data));
}

/** Rows of `a` made orthonormal by modified Gram-Schmidt, twice; dependent rows are replaced. */
export function orthonormalRows(a: Matrix): Float64Array {
  const r = a.rows;
  const len = a.cols;
  const w = Float64Array.from(a.data);
  const ok = new Uint8Array(r);
  for (let i = 0; i < r; i++) {
    const row = w.subarray(i * len, (i + 1) * len);
    let before = 0;
    for (let t = 0; t < len; t++) before += row[t] * row[t];
    for (let pass = 0; pass < 2; pass++) {
      for (let j = 0; j < i; j++) {
        if (!ok[j]) continue;
        let dot = 0;
        for (let t = 0; t < len; t++) dot += w[j * len + t] * row[t];
        for (let t = 0; t < len; t++) row[t] -= dot * w[j * len + t];
      }
    }
    let nn = 0;
    for (let t = 0; t < len; t++) nn += row[t] * row[t];
    if (nn > before * 1e-20 && nn > 0) {
      const inv = 1 / Math.sqrt(nn);
      for (let t = 0; t < len; t++) row[t] *= inv;
      ok[i] = 1;
    } else row.fill(0);
  }
  completeOrthonormal(w, r, len, (t) => ok[t] === 1);
  return w;
}
