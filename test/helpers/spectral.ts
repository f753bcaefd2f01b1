/**
 * Test fixtures for subspace methods: a symmetric matrix with a chosen spectrum and known
 * eigenvectors, and the largest principal angle between two row spans.
 */
import { symmetricEigen } from '../../src/linalg/eigen-sym.js';
import { orthonormalRows } from '../../src/linalg/subspace-iteration.js';
import { matrix, type Matrix } from '../../src/util/matrix.js';
import { Rng } from '../../src/util/rng.js';

/** C = Uᵀ·diag(λ)·U (float64) with U a seeded random orthogonal matrix; rows of u: the eigenvectors in λ's order. */
export function spectral(lam: number[], seed: number): { c: Matrix; u: Float64Array } {
  const d = lam.length;
  const rng = new Rng(seed);
  const u = orthonormalRows(
    matrix(
      d,
      d,
      Float64Array.from({ length: d * d }, () => rng.normal()),
    ),
  );
  const c = new Float64Array(d * d);
  for (let t = 0; t < d; t++)
    for (let i = 0; i < d; i++)
      for (let j = 0; j < d; j++) c[i * d + j] += u[t * d + i] * lam[t] * u[t * d + j];
  return { c: matrix(d, d, c), u };
}

/** sin of the largest principal angle from the row span of a (ka x d) to that of b (kb x d). */
export function sinAngle(
  a: ArrayLike<number>,
  ka: number,
  b: ArrayLike<number>,
  kb: number,
): number {
  const d = a.length / ka;
  const qa = orthonormalRows(matrix(ka, d, Float64Array.from(a)));
  const qb = orthonormalRows(matrix(kb, d, Float64Array.from(b)));
  const r = qa.slice(); // rows of A minus their projection on span(B)
  for (let i = 0; i < ka; i++)
    for (let j = 0; j < kb; j++) {
      let dot = 0;
      for (let t = 0; t < d; t++) dot += qa[i * d + t] * qb[j * d + t];
      for (let t = 0; t < d; t++) r[i * d + t] -= dot * qb[j * d + t];
    }
  const g = new Float64Array(ka * ka);
  for (let i = 0; i < ka; i++)
    for (let j = 0; j < ka; j++)
      for (let t = 0; t < d; t++) g[i * ka + j] += r[i * d + t] * r[j * d + t];
  return Math.sqrt(Math.max(0, symmetricEigen(matrix(ka, ka, g)).values[ka - 1]));
}

/** S = Q·Qᵀ and H = Q·C·Qᵀ (l x l, float64) of the rows of q (l x d) and c (d x d), by definition. */
export function pencil(
  q: ArrayLike<number>,
  c: ArrayLike<number>,
  l: number,
  d: number,
): { s: Float64Array; h: Float64Array } {
  const s = new Float64Array(l * l);
  const h = new Float64Array(l * l);
  for (let i = 0; i < l; i++)
    for (let j = 0; j < l; j++)
      for (let a = 0; a < d; a++) {
        s[i * l + j] += q[i * d + a] * q[j * d + a];
        for (let b = 0; b < d; b++) h[i * l + j] += q[i * d + a] * c[a * d + b] * q[j * d + b];
      }
  return { s, h };
}
