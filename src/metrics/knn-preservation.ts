/**
 * k-nearest-neighbour preservation: the mean, over points, of the fraction of a point's k
 * nearest neighbours in the original space X that are also among its k nearest in the
 * embedding Z (the "neighbourhood hit/agreement" score, e.g. Lee & Verleysen 2009,
 * doi:10.1016/j.neucom.2008.12.017, Q_NX(k)). 1 means every neighbourhood is kept.
 * Exact up to `maxExact` points, else estimated on a seeded sample (see MetricResult).
 */
import { ConfigError } from '../errors.js';
import type { AnyMatrix } from '../linalg/distances.js';
import { jsBackend } from '../linalg/js-backend.js';
import {
  checkPaired,
  evaluationNeighbors,
  evaluationRows,
  meanResult,
  type MetricResult,
  type SubsampleOptions,
} from './result.js';

/**
 * Mean fraction of each point's k nearest neighbours in X kept among its k nearest in Z.
 * @throws ShapeError on row mismatch; ConfigError unless 1 <= k < n; DataError on NaN/Inf.
 */
export async function knnPreservation(
  X: AnyMatrix,
  Z: AnyMatrix,
  k = 10,
  opts: SubsampleOptions = {},
): Promise<MetricResult> {
  checkPaired('knnPreservation', 'X', X, 'Z', Z);
  const n = X.rows;
  if (!(Number.isInteger(k) && k >= 1 && k < n)) {
    throw new ConfigError(
      `knnPreservation k must be an integer in 1..${n - 1} (n - 1), got ${String(k)}`,
    );
  }
  const { rows, exact } = evaluationRows('knnPreservation', n, opts);
  const backend = opts.backend ?? jsBackend;
  const nx = await evaluationNeighbors(X, k, rows, exact, backend);
  const nz = await evaluationNeighbors(Z, k, rows, exact, backend);
  const perPoint = new Float64Array(rows.length);
  const seen = new Set<number>();
  for (let r = 0; r < rows.length; r++) {
    seen.clear();
    for (let t = 0; t < k; t++) seen.add(nx.indices[r * k + t]);
    let hits = 0;
    for (let t = 0; t < k; t++) if (seen.has(nz.indices[r * k + t])) hits++;
    perPoint[r] = hits / k;
  }
  return meanResult(perPoint, n, exact);
}
