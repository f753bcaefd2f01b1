/**
 * The small statistics the curve experiment reports: Pearson and Spearman correlation
 * (Spearman = Pearson of the ranks, ties given their average rank, as scipy.stats.spearmanr
 * 1.10), z-scoring, and the mean / min / max / sample standard deviation of a list.
 */
import { ShapeError } from '../errors.js';

/** Pearson correlation of two equally long series; NaN when either is constant. @throws ShapeError */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length || a.length < 2) {
    throw new ShapeError(
      `pearson: series must have the same length >= 2, got ${a.length} and ${b.length}`,
    );
  }
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i] / n;
    mb += b[i] / n;
  }
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i] - ma;
    const db = b[i] - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa === 0 || sbb === 0 ? NaN : sab / Math.sqrt(saa * sbb);
}

/** Ranks from 1, tied values sharing their average rank. */
export function ranks(a: ArrayLike<number>): Float64Array {
  const order = Array.from({ length: a.length }, (_, i) => i).sort((i, j) => a[i] - a[j]);
  const r = new Float64Array(a.length);
  for (let s = 0; s < order.length;) {
    let e = s + 1;
    while (e < order.length && a[order[e]] === a[order[s]]) e++;
    const avg = (s + 1 + e) / 2;
    for (let q = s; q < e; q++) r[order[q]] = avg;
    s = e;
  }
  return r;
}

/** Spearman rank correlation. @throws ShapeError */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) {
    throw new ShapeError(
      `spearman: series must have the same length, got ${a.length} and ${b.length}`,
    );
  }
  return pearson(ranks(a), ranks(b));
}

/** (a - mean) / sd (population sd); all zeros when a is constant. */
export function zscore(a: ArrayLike<number>): Float64Array {
  const n = a.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += a[i] / n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (a[i] - m) ** 2 / n;
  const sd = Math.sqrt(v);
  return Float64Array.from({ length: n }, (_, i) => (sd > 0 ? (a[i] - m) / sd : 0));
}

/** Mean, min, max and sample standard deviation (0 for one value). */
export interface Summary {
  mean: number;
  min: number;
  max: number;
  sd: number;
}

/** Summary of a non-empty list (NaN entries propagate into mean and sd). */
export function summarize(xs: readonly number[]): Summary {
  const n = xs.length;
  const mean = xs.reduce((s, x) => s + x, 0) / n;
  const sd = n > 1 ? Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, min: Math.min(...xs), max: Math.max(...xs), sd };
}
