/**
 * Test fixtures for Isomap's out-of-sample map (linalg/geodesic-kernel.ts): a random fitted side
 * with neighbour lists, and the map's definition in float64.
 */
import type { GeodesicKernel } from '../../src/linalg/backend.js';
import type { Neighbors } from '../../src/linalg/knn.js';
import { matrix } from '../../src/util/matrix.js';
import { Rng } from '../../src/util/rng.js';

/** Random symmetric D (zero diagonal), α, the training kernel's column means, q x k neighbours. */
export function randomKernel(
  seed: number,
  n: number,
  dOut: number,
  q: number,
  k: number,
): { kernel: GeodesicKernel; nb: Neighbors } {
  const r = new Rng(seed);
  const d = new Float32Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < i; j++) d[i * n + j] = d[j * n + i] = r.uniform(1, 10);
  const colMeans = new Float64Array(n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) colMeans[j] += (-0.5 * d[i * n + j] ** 2) / n;
  const allMean = colMeans.reduce((a, b) => a + b, 0) / n;
  const alpha = Float64Array.from({ length: dOut * n }, () => r.normal() / n);
  const indices = Int32Array.from({ length: q * k }, () => Math.floor(r.uniform(0, n)));
  const distances = Float64Array.from({ length: q * k }, () => r.uniform(0, 2));
  return {
    kernel: { dist: matrix(n, n, d), alpha: matrix(dOut, n, alpha), colMeans, allMean },
    nb: { k, rows: q, indices, distances },
  };
}

/** The definition in float64: g, K = −½g², K − colMeans − rowMean + allMean, times αᵀ. */
export function reference({ kernel, nb }: ReturnType<typeof randomKernel>): Float64Array {
  const { dist, alpha, colMeans, allMean } = kernel;
  const n = dist.rows;
  const dOut = alpha.rows;
  const out = new Float64Array(nb.rows * dOut);
  for (let i = 0; i < nb.rows; i++) {
    const kr = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      let g = Infinity;
      for (let t = 0; t < nb.k; t++)
        g = Math.min(g, dist.data[nb.indices[i * nb.k + t] * n + j] + nb.distances[i * nb.k + t]);
      kr[j] = -0.5 * g * g;
    }
    const rowMean = kr.reduce((a, b) => a + b, 0) / n;
    for (let c = 0; c < dOut; c++) {
      let z = 0;
      for (let j = 0; j < n; j++)
        z += (kr[j] - colMeans[j] - rowMean + allMean) * alpha.data[c * n + j];
      out[i * dOut + c] = z;
    }
  }
  return out;
}
