/**
 * UMAP's initial layouts, after umap-learn 0.5's `spectral_layout` and `noisy_scale_coords`:
 * the eigenvectors 2..dim+1 of the normalized Laplacian L = I − D^(−1/2) W D^(−1/2) of the fuzzy
 * graph by increasing eigenvalue, found here as the largest eigenpairs of D^(−1/2) W D^(−1/2) by
 * linalg/lanczos.ts (scikit-learn's eigsh(L, which='SM', tol=1e-4) in umap-learn), scaled so the
 * largest |coordinate| is 10 plus N(0, 1e-4) noise; and the random layout, uniform in
 * [−10, 10]. Differences from umap-learn: a disconnected graph gets the random layout (umap-learn
 * lays out each component spectrally and places the components by a spectral embedding of their
 * centroids), as does a graph whose eigenpairs do not converge (umap-learn's own fallback).
 * Lanczos from one start vector finds one vector of a repeated eigenvalue (a perfectly
 * symmetric graph such as a ring), where ARPACK's rounding may find both.
 */
import { NumericalError } from '../errors.js';
import { lanczos } from '../linalg/lanczos.js';
import { connectedComponents } from '../linalg/shortest-paths.js';
import type { Csr } from '../linalg/sparse.js';
import type { Rng } from '../util/rng.js';

/** n x dim uniform in [−10, 10], row-major. */
export function randomLayout(n: number, dim: number, rng: Rng): Float64Array {
  const out = new Float64Array(n * dim);
  for (let t = 0; t < out.length; t++) out[t] = rng.uniform(-10, 10);
  return out;
}

/**
 * The spectral layout of a symmetric graph (n x dim, row-major, largest |value| 10, plus noise),
 * or undefined when the graph is disconnected or the eigensolver does not converge.
 */
export function spectralLayout(graph: Csr, dim: number, rng: Rng): Float64Array | undefined {
  const n = graph.rows;
  if (dim + 1 >= n || connectedComponents(graph).count > 1) return undefined;
  const invSqrtDeg = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let p = graph.indptr[i]; p < graph.indptr[i + 1]; p++) s += graph.values[p];
    invSqrtDeg[i] = 1 / Math.sqrt(s);
  }
  const { indptr, indices, values } = graph;
  const op = (x: Float64Array, y: Float64Array): void => {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let p = indptr[i]; p < indptr[i + 1]; p++)
        s += values[p] * invSqrtDeg[indices[p]] * x[indices[p]];
      y[i] = s * invSqrtDeg[i];
    }
  };
  let vecs: Float64Array;
  try {
    const res = lanczos(op, n, dim + 1, {
      tol: 1e-4,
      seed: rng.int(0x7fffffff),
      maxBasis: Math.min(n, Math.max(2 * (dim + 1) + 1, 400)),
    });
    vecs = res.vectors.data;
  } catch (err) {
    if (err instanceof NumericalError) return undefined;
    throw err;
  }
  // Rows 1..dim of the k x n eigenvector block (row 0: the trivial D^(1/2)·1 direction).
  const out = new Float64Array(n * dim);
  let max = 0;
  for (let c = 0; c < dim; c++) {
    for (let i = 0; i < n; i++) {
      const v = vecs[(c + 1) * n + i];
      out[i * dim + c] = v;
      max = Math.max(max, Math.abs(v));
    }
  }
  const scale = 10 / max;
  for (let t = 0; t < out.length; t++) out[t] = out[t] * scale + rng.normal(0, 1e-4);
  return out;
}

/** Rescales each column of an n x dim layout to [0, 10] (umap-learn, before the SGD). */
export function rescaleColumns(layout: Float64Array, dim: number): void {
  const n = layout.length / dim;
  for (let c = 0; c < dim; c++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; i++) {
      lo = Math.min(lo, layout[i * dim + c]);
      hi = Math.max(hi, layout[i * dim + c]);
    }
    const s = hi > lo ? 10 / (hi - lo) : 0;
    for (let i = 0; i < n; i++) layout[i * dim + c] = (layout[i * dim + c] - lo) * s;
  }
}
