/**
 * What the neighbourhood metrics return, and the shared handling of their exact vs subsampled
 * modes. Exact mode evaluates every point; past `maxExact` points a seeded sample of
 * `sampleSize` points is evaluated (each against all n points, so the estimate is unbiased for
 * the full-data value) and the result says so, with the standard error of the sample mean
 * (finite-population corrected).
 */
import { ConfigError, ShapeError } from '../errors.js';
import { checkFinite, checkInt, checkMatrix } from '../util/check.js';
import type { BackendOption, ComputeBackend } from '../linalg/backend.js';
import type { AnyMatrix } from '../linalg/distances.js';
import { knn, type Neighbors } from '../linalg/knn.js';
import { takeRows } from '../util/matrix.js';
import { Rng } from '../util/rng.js';

/** A metric value over n points; `exact: false` means it was estimated on `sampleSize` of them. */
export interface MetricResult {
  value: number;
  exact: boolean;
  n: number;
  /** Points evaluated in subsampled mode. */
  sampleSize?: number;
  /** Standard error of `value` in subsampled mode (0 when exact). */
  standardError?: number;
}

/** Exact-or-subsampled switches shared by the neighbourhood metrics, and their kernels' backend. */
export interface SubsampleOptions extends BackendOption {
  /** Largest n evaluated exactly (default 10,000). */
  maxExact?: number;
  /** Points evaluated beyond `maxExact` (default 2,000). */
  sampleSize?: number;
  /** Seed of the sample (default 0). */
  seed?: number;
}

/** The rows to evaluate: all of them (exact) or a sorted seeded sample. @throws ConfigError */
export function evaluationRows(
  what: string,
  n: number,
  opts: SubsampleOptions,
): { rows: Int32Array; exact: boolean } {
  const maxExact = checkInt(`${what} maxExact`, opts.maxExact ?? 10_000, 1);
  const sampleSize = checkInt(`${what} sampleSize`, opts.sampleSize ?? 2_000, 1);
  const seed = opts.seed ?? 0;
  if (!Number.isFinite(seed))
    throw new ConfigError(`${what} seed must be a finite number, got ${seed}`);
  if (n <= maxExact || sampleSize >= n) {
    return { rows: Int32Array.from({ length: n }, (_, i) => i), exact: true };
  }
  const rows = Int32Array.from(new Rng(seed).permutation(n).subarray(0, sampleSize));
  rows.sort();
  return { rows, exact: false };
}

/** The k nearest neighbours in `m` of each evaluated row (all rows when `exact`), self excluded. */
export function evaluationNeighbors(
  m: AnyMatrix,
  k: number,
  rows: Int32Array,
  exact: boolean,
  backend: ComputeBackend,
): Promise<Neighbors> {
  return exact
    ? knn(m, k, { backend })
    : knn(m, k, { query: takeRows(m, rows), excludeSelf: true, queryIndex: rows, backend });
}

/** Mean of per-point values as a MetricResult (value = 1 - mean when `complement`). */
export function meanResult(
  perPoint: Float64Array,
  n: number,
  exact: boolean,
  complement = false,
): MetricResult {
  const s = perPoint.length;
  let sum = 0;
  for (const v of perPoint) sum += v;
  const mean = sum / s;
  const value = complement ? 1 - mean : mean;
  if (exact) return { value, exact, n };
  let ss = 0;
  for (const v of perPoint) ss += (v - mean) ** 2;
  const variance = s > 1 ? ss / (s - 1) : 0;
  const standardError = Math.sqrt((variance / s) * (1 - s / n));
  return { value, exact, n, sampleSize: s, standardError };
}

/** Both matrices have the same number of rows (at least `minRows`) and finite values. @throws ShapeError, DataError */
export function checkPaired(
  what: string,
  aName: string,
  a: AnyMatrix,
  bName: string,
  b: AnyMatrix,
  minRows = 1,
): void {
  checkMatrix(`${what} ${aName}`, a, { minRows });
  checkMatrix(`${what} ${bName}`, b, { minRows });
  if (a.rows !== b.rows) {
    throw new ShapeError(
      `${what}: ${aName} and ${bName} must have the same number of rows, got ${a.rows} and ${b.rows}`,
    );
  }
  checkFinite(`${what} ${aName}`, a);
  checkFinite(`${what} ${bName}`, b);
}
