/**
 * Subspace (block power) iteration on a symmetric d x d matrix C (Halko, Martinsson & Tropp
 * 2011, doi:10.1137/090771806, Alg. 4.4): Q ← basis(Q·C) `steps` times from an l x d start,
 * then the l x l pair S = Q·Qᵀ and H = Q·C·Qᵀ; `ritzPairs` solves the pencil (H, S), so Q need
 * only be well conditioned, not orthonormal. `subspaceIteration` checks the arguments and runs
 * the backend's kernel (backend.ts; onnxruntime's runs every step in one call, Newton–Schulz
 * keeping the basis conditioned, accel/subspace-iteration.ts); `jsSubspaceIteration` is a
 * float32 product per step and modified Gram-Schmidt in float64.
 */
import { ConfigError, ShapeError } from '../errors.js';
import { checkInt } from '../util/check.js';
import { matrix, type Matrix, type Matrix32 } from '../util/matrix.js';
import type { ComputeBackend, SubspaceIteration } from './backend.js';
import { symmetricEigen } from './eigen-sym.js';
import { completeOrthonormal } from './svd.js';

/**
 * The JS kernel: Q ← MGS(Q·C), the products on `product`, with one Gram-Schmidt pass between
 * steps (the next product fixes the rest) and two after the last.
 */
export async function jsSubspaceIteration(
  c: Matrix32,
  q0: Matrix32,
  steps: number,
  product: ComputeBackend['product'],
): Promise<SubspaceIteration> {
  const l = q0.rows;
  const d = q0.cols;
  let q = q0.data;
  for (let it = 1; it <= steps; it++) {
    const y = (await product(matrix(l, d, q), c)).data; // Q·C (C symmetric)
    q = Float32Array.from(
      orthonormalRows(matrix(l, d, Float64Array.from(y)), it === steps ? 2 : 1),
    );
  }
  const qm = matrix(l, d, q);
  const s = new Float64Array(l * l);
  for (let i = 0; i < l; i++) {
    for (let j = i; j < l; j++) {
      let acc = 0;
      for (let t = 0, oi = i * d, oj = j * d; t < d; t++) acc += q[oi + t] * q[oj + t];
      s[i * l + j] = acc;
      s[j * l + i] = acc;
    }
  }
  const h32 = (await product(await product(qm, c), qm)).data;
  return { q: qm, s: matrix(l, l, s), h: symmetrised(h32, l) };
}

/** 0.5·(M + Mᵀ) of an l x l matrix, in float64. */
export function symmetrised(m: ArrayLike<number>, l: number): Matrix {
  const h = new Float64Array(l * l);
  for (let i = 0; i < l; i++)
    for (let j = 0; j < l; j++) h[i * l + j] = 0.5 * (m[i * l + j] + m[j * l + i]);
  return matrix(l, l, h);
}

/**
 * `steps` subspace-iteration steps of the symmetric c (d x d) from the rows of q0 (l x d,
 * 1 <= l <= d) on `backend`; the span of q is that of q0·cˢᵗᵉᵖˢ.
 * @throws ShapeError when c is not square or q0 does not have c's size as columns; ConfigError
 * when l is not in 1..d or steps is not an integer >= 1
 */
export async function subspaceIteration(
  backend: ComputeBackend,
  c: Matrix32,
  q0: Matrix32,
  steps: number,
): Promise<SubspaceIteration> {
  if (c.rows !== c.cols || c.rows < 1)
    throw new ShapeError(`subspaceIteration: c must be square, got ${c.rows} x ${c.cols}`);
  if (q0.cols !== c.rows)
    throw new ShapeError(
      `subspaceIteration: q0 must have ${c.rows} columns (c is ${c.rows} x ${c.cols}), got ${q0.rows} x ${q0.cols}`,
    );
  if (q0.rows < 1 || q0.rows > c.rows)
    throw new ConfigError(
      `subspaceIteration: q0 must have 1..${c.rows} rows (the block size), got ${q0.rows}`,
    );
  checkInt('subspaceIteration steps', steps, 1);
  return backend.subspaceIteration(c, q0, steps);
}

/** The leading Ritz pairs of a subspace-iteration result (see `ritzPairs`). */
export interface RitzPairs {
  /** Ritz values, descending (at most k: fewer when the basis spans fewer directions). */
  values: Float64Array;
  /** Row j: the coefficients over the rows of Q of the Ritz vector of values[j] (so V = coef·Q). */
  coef: Matrix;
  /** How many Ritz values exceed float32 noise (l·2⁻²³ of the largest). */
  rank: number;
}

/**
 * Rayleigh-Ritz on the pencil (H, S) in float64, for a basis Q that need not be orthonormal:
 * S = W·D·Wᵀ, T = D^(-1/2)·Wᵀ over the directions with D above float32 noise, the eigenpairs
 * (λ, z) of T·H·Tᵀ, coefficients Tᵀ·z; the Ritz vectors coef·Q are then orthonormal.
 */
export function ritzPairs(it: SubspaceIteration, k: number): RitzPairs {
  const l = it.s.rows;
  const es = symmetricEigen(it.s);
  const noise = l * 2 ** -23;
  const keep: number[] = [];
  const dMax = Math.max(es.values[l - 1], 0);
  for (let i = l - 1; i >= 0; i--) if (es.values[i] > dMax * noise) keep.push(i);
  const m = keep.length;
  const t = new Float64Array(m * l);
  keep.forEach((i, a) => {
    const f = 1 / Math.sqrt(es.values[i]);
    for (let j = 0; j < l; j++) t[a * l + j] = es.vectors.data[i * l + j] * f;
  });
  const th = new Float64Array(m * l); // T·H
  for (let a = 0; a < m; a++)
    for (let i = 0; i < l; i++) {
      const v = t[a * l + i];
      if (v !== 0) for (let j = 0; j < l; j++) th[a * l + j] += v * it.h.data[i * l + j];
    }
  const g = new Float64Array(m * m);
  for (let a = 0; a < m; a++)
    for (let b = a; b < m; b++) {
      let acc = 0;
      for (let j = 0; j < l; j++) acc += th[a * l + j] * t[b * l + j];
      g[a * m + b] = acc;
      g[b * m + a] = acc;
    }
  const eg = symmetricEigen(matrix(m, m, g));
  const lamMax = m > 0 ? Math.max(eg.values[m - 1], 0) : 0;
  let rank = 0;
  for (let a = 0; a < m; a++) if (eg.values[a] > lamMax * noise) rank++;
  const kk = Math.min(k, m);
  const values = new Float64Array(kk);
  const coef = new Float64Array(kk * l);
  for (let j = 0; j < kk; j++) {
    const src = m - 1 - j;
    values[j] = eg.values[src];
    for (let a = 0; a < m; a++) {
      const z = eg.vectors.data[src * m + a];
      for (let i = 0; i < l; i++) coef[j * l + i] += t[a * l + i] * z;
    }
  }
  return { values, coef: matrix(kk, l, coef), rank };
}

/** Rows of `a` made orthonormal by modified Gram-Schmidt (`passes` times, default twice: "twice is enough"); dependent rows are replaced. */
export function orthonormalRows(a: Matrix, passes = 2): Float64Array {
  const r = a.rows;
  const len = a.cols;
  const w = Float64Array.from(a.data);
  const ok = new Uint8Array(r);
  for (let i = 0; i < r; i++) {
    const row = w.subarray(i * len, (i + 1) * len);
    let before = 0;
    for (let t = 0; t < len; t++) before += row[t] * row[t];
    for (let pass = 0; pass < passes; pass++) {
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
