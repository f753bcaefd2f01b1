/**
 * Isomap's out-of-sample map (scikit-learn 1.2 `Isomap.transform`, then `KernelPCA.transform`
 * with `KernelCenterer`): a query's geodesic distance to training point j through its k
 * nearest training points, g_j = min_t (D[nbr_t, j] + dist_t), its kernel row −½·g², centred
 * with the training kernel's column means, its own mean and their mean, times the scaled
 * eigenvectors α (dOut x n). `geodesicKernelProjection` checks the arguments and runs the
 * backend's kernel (backend.ts; onnxruntime's is one call per chunk of queries,
 * accel/geodesic-kernel.ts); `jsGeodesicKernel` is the JS loop, float64 for few queries and
 * float32 rows times α on the given product for many.
 */
import { ShapeError } from '../errors.js';
import { matrix, type Matrix32 } from '../util/matrix.js';
import type { ComputeBackend, GeodesicKernel, Neighbors } from './backend.js';

/** Above this many multiply-adds (q·n·dOut) the JS kernel batches its products onto `product` (float32). */
const PRODUCT_LIMIT = 2e7;

/** The JS kernel (see the module doc); many queries take their products on `product`. */
export async function jsGeodesicKernel(
  kernel: GeodesicKernel,
  nb: Neighbors,
  product: ComputeBackend['product'],
): Promise<Matrix32> {
  const { dist, alpha, colMeans, allMean } = kernel;
  const n = dist.rows;
  const dOut = alpha.rows;
  const q = nb.rows;
  if (q * n * dOut > PRODUCT_LIMIT) return batched(kernel, nb, product);
  // Σ_j α_j and colMeansᵀ·α fold the centring into each dot product.
  const alphaSum = new Float64Array(dOut);
  const alphaCol = new Float64Array(dOut);
  for (let c = 0; c < dOut; c++)
    for (let j = 0; j < n; j++) {
      const a = alpha.data[c * n + j];
      alphaSum[c] += a;
      alphaCol[c] += colMeans[j] * a;
    }
  const out = new Float32Array(q * dOut);
  const g = new Float64Array(n);
  for (let i = 0; i < q; i++) {
    const rowMean = kernelRow(dist.data, n, nb, i, g);
    for (let c = 0; c < dOut; c++) {
      let dot = 0;
      const o = c * n;
      for (let j = 0; j < n; j++) dot += g[j] * alpha.data[o + j];
      out[i * dOut + c] = dot - alphaCol[c] - (rowMean - allMean) * alphaSum[c];
    }
  }
  return matrix(q, dOut, out);
}

/**
 * Many queries: the double-centred kernel rows of up to 512 queries at a time (float64, stored
 * float32), times α on `product`.
 */
async function batched(
  kernel: GeodesicKernel,
  nb: Neighbors,
  product: ComputeBackend['product'],
): Promise<Matrix32> {
  const { dist, colMeans, allMean } = kernel;
  const n = dist.rows;
  const dOut = kernel.alpha.rows;
  const q = nb.rows;
  const out = new Float32Array(q * dOut);
  const a32 = matrix(dOut, n, Float32Array.from(kernel.alpha.data));
  const chunk = 512;
  const kc = new Float32Array(Math.min(q, chunk) * n);
  const g = new Float64Array(n);
  for (let i0 = 0; i0 < q; i0 += chunk) {
    const b = Math.min(chunk, q - i0);
    for (let r = 0; r < b; r++) {
      const shift = allMean - kernelRow(dist.data, n, nb, i0 + r, g);
      for (let j = 0, o = r * n; j < n; j++) kc[o + j] = g[j] - colMeans[j] + shift;
    }
    const z = await product(matrix(b, n, kc.subarray(0, b * n)), a32);
    out.set(z.data, i0 * dOut);
  }
  return matrix(q, dOut, out);
}

/**
 * Fills g with query i's uncentred kernel row −½·g_j², g_j = min_t D[nbr_t, j] + dist_t;
 * returns the row's mean.
 */
function kernelRow(
  dist: Float32Array,
  n: number,
  nb: Neighbors,
  i: number,
  g: Float64Array,
): number {
  const k = nb.k;
  g.fill(Infinity);
  for (let t = 0; t < k; t++) {
    const o = nb.indices[i * k + t] * n;
    const dt = nb.distances[i * k + t];
    for (let j = 0; j < n; j++) {
      const v = dist[o + j] + dt;
      if (v < g[j]) g[j] = v;
    }
  }
  let rowMean = 0;
  for (let j = 0; j < n; j++) {
    g[j] = -0.5 * g[j] * g[j];
    rowMean += g[j];
  }
  return rowMean / n;
}

/**
 * Checks that the kernel and the neighbours fit together.
 * @throws ShapeError when D is not square, α or colMeans do not have n columns, the neighbour
 * arrays are not rows x k, or a neighbour index is outside 0..n−1.
 */
export function checkGeodesicKernel(kernel: GeodesicKernel, nb: Neighbors): void {
  const { dist, alpha, colMeans } = kernel;
  const n = dist.rows;
  if (dist.cols !== n || dist.data.length !== n * n)
    throw new ShapeError(
      `geodesic kernel: D must be square, got ${dist.rows} x ${dist.cols} (${dist.data.length} values)`,
    );
  if (alpha.cols !== n || alpha.data.length !== alpha.rows * n)
    throw new ShapeError(
      `geodesic kernel: alpha must be dOut x ${n}, got ${alpha.rows} x ${alpha.cols}`,
    );
  if (colMeans.length !== n)
    throw new ShapeError(`geodesic kernel: colMeans must have ${n} values, got ${colMeans.length}`);
  const len = nb.rows * nb.k;
  if (!(nb.k >= 1) || nb.indices.length !== len || nb.distances.length !== len)
    throw new ShapeError(
      `geodesic kernel: neighbours must be ${nb.rows} x ${nb.k} (k >= 1), got ${nb.indices.length} indices and ${nb.distances.length} distances`,
    );
  for (let i = 0; i < len; i++) {
    const v = nb.indices[i];
    if (!(v >= 0 && v < n))
      throw new ShapeError(`geodesic kernel: neighbour index ${v} at ${i} is outside 0..${n - 1}`);
  }
}

/**
 * The centred geodesic kernel rows of the queries whose k nearest training points are `nb`,
 * times α: q x dOut, on `backend`.
 * @throws ShapeError (see checkGeodesicKernel)
 */
export function geodesicKernelProjection(
  backend: ComputeBackend,
  kernel: GeodesicKernel,
  nb: Neighbors,
): Promise<Matrix32> {
  checkGeodesicKernel(kernel, nb);
  return backend.geodesicKernel(kernel, nb);
}
