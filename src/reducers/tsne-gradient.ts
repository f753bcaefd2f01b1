/**
 * The gradient of t-SNE's objective KL(P ‖ Q) with Student-t similarities of `dof` degrees of
 * freedom, after scikit-learn 1.2's `_kl_divergence` (exact: all pairs, dense P) and
 * `_kl_divergence_bh` with `_barnes_hut_tsne.gradient` (sparse P for the attraction, the
 * Barnes-Hut tree of linalg/quadtree.ts for the repulsion):
 * ∂C/∂yᵢ = c·Σⱼ (pᵢⱼ − qᵢⱼ)·uᵢⱼ·(yᵢ − yⱼ), c = 2(dof + 1)/dof, uᵢⱼ = dof/(dof + dᵢⱼ²), the
 * kernel wᵢⱼ = uᵢⱼ^((dof+1)/2), qᵢⱼ = wᵢⱼ/Σw. Difference from scikit-learn 1.2: it has wᵢⱼ where
 * uᵢⱼ stands, the same for dof = 1 (nComponents <= 2) and not the KL's gradient otherwise (this
 * one is: tsne.test.ts checks it against central differences). The KL value is computed only
 * when asked (scikit-learn: every 50th iteration and the last).
 */
import { BarnesHutTree } from '../linalg/quadtree.js';
import type { Csr } from '../linalg/sparse.js';
import type { RepulsionPool } from './tsne-pool.js';

const MACHINE_EPSILON = 2 ** -52;
const FLOAT32_TINY = 1.1754943508222875e-38;

/**
 * Exact gradient into `grad` (n x dim); returns KL(P ‖ Q) when `computeError`, else NaN.
 * `p` is the dense joint P (n x n, symmetric).
 */
export function klGradientExact(
  p: Float64Array,
  y: Float64Array,
  n: number,
  dim: number,
  dof: number,
  computeError: boolean,
  grad: Float64Array,
  w: Float64Array,
): number {
  const exponent = (dof + 1) / 2;
  let sumW = 0;
  for (let i = 0; i < n; i++) {
    w[i * n + i] = 0;
    for (let j = i + 1; j < n; j++) {
      let d2 = 0;
      for (let c = 0; c < dim; c++) {
        const t = y[i * dim + c] - y[j * dim + c];
        d2 += t * t;
      }
      let v = dof / (dof + d2);
      if (dof !== 1) v = Math.pow(v, exponent);
      w[i * n + j] = w[j * n + i] = v;
      sumW += 2 * v;
    }
  }
  let kl = NaN;
  if (computeError) {
    kl = 0;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const pij = p[i * n + j];
        const q = Math.max(w[i * n + j] / sumW, MACHINE_EPSILON);
        kl += 2 * pij * Math.log(Math.max(pij, MACHINE_EPSILON) / q);
      }
    }
  }
  const c = (2 * (dof + 1)) / dof;
  grad.fill(0);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const wij = w[i * n + j];
      const q = Math.max(wij / sumW, MACHINE_EPSILON);
      const u = dof === 1 ? wij : Math.pow(wij, 1 / exponent);
      const m = (p[i * n + j] - q) * u;
      for (let k = 0; k < dim; k++) grad[i * dim + k] += m * (y[i * dim + k] - y[j * dim + k]);
    }
  }
  for (let t = 0; t < n * dim; t++) grad[t] *= c;
  return kl;
}

/**
 * Reused buffers of the Barnes-Hut gradient for n points in dim dimensions; with a started
 * `pool` (tsne-pool.ts) the repulsion, and the attraction of steps without the KL, run on its
 * threads, into its shared buffers (the gradient must then be given the pool's `p`).
 */
export class BarnesHutWorkspace {
  readonly tree: BarnesHutTree;
  /** Repulsive force sums, n x dim. */
  readonly neg: Float64Array;
  /** Each point's share of the normaliser Z. */
  readonly zShare: Float64Array;
  readonly pool: RepulsionPool | undefined;

  constructor(n: number, dim: number, pool?: RepulsionPool) {
    this.tree = new BarnesHutTree(dim);
    this.pool = pool;
    this.neg = pool?.neg ?? new Float64Array(n * dim);
    this.zShare = pool?.zShare ?? new Float64Array(n);
  }
}

/**
 * Barnes-Hut gradient into `grad` (n x dim) for the sparse joint P; returns KL(P ‖ Q) (with the
 * tree's Z) when `computeError`, else NaN. `angle` is θ; 0 gives the exact repulsion. The
 * repulsion visits the points in tree order; Z sums their shares in index order, so the result
 * does not depend on the tree's order.
 */
export function klGradientBarnesHut(
  p: Csr,
  y: Float64Array,
  n: number,
  dim: number,
  dof: number,
  angle: number,
  computeError: boolean,
  grad: Float64Array,
  ws: BarnesHutWorkspace,
): number {
  const { tree, neg, zShare, pool } = ws;
  if (pool !== undefined) {
    pool.run(y, !computeError);
  } else {
    tree.build(y, n);
    const theta2 = angle * angle;
    neg.fill(0);
    const order = tree.order;
    for (let r = 0; r < n; r++) {
      const i = order[r];
      zShare[i] = tree.repulsion(y, i, theta2, dof, neg, i * dim);
    }
  }
  let sumQ = 0;
  for (let i = 0; i < n; i++) sumQ += zShare[i];
  const exponent = (dof + 1) / 2;
  const c = (2 * (dof + 1)) / dof;
  let kl = computeError ? 0 : NaN;
  const { indptr, indices, values } = p;
  if (pool !== undefined && !computeError) {
    // The pool summed each point's attraction as the loops below do.
    const pos = pool.pos;
    for (let t = 0; t < n * dim; t++) grad[t] = c * (pos[t] - neg[t] / sumQ);
    return kl;
  }
  if (dim === 2 && dof === 1 && !computeError) {
    // The common case, unrolled: the same arithmetic as the loop below.
    for (let i = 0; i < n; i++) {
      const yx = y[2 * i];
      const yy = y[2 * i + 1];
      let gx = 0;
      let gy = 0;
      for (let e = indptr[i]; e < indptr[i + 1]; e++) {
        const j = 2 * indices[e];
        const dx = yx - y[j];
        const dy = yy - y[j + 1];
        const m = values[e] * (1 / (1 + (dx * dx + dy * dy)));
        gx += m * dx;
        gy += m * dy;
      }
      grad[2 * i] = c * (gx - neg[2 * i] / sumQ);
      grad[2 * i + 1] = c * (gy - neg[2 * i + 1] / sumQ);
    }
    return kl;
  }
  for (let i = 0; i < n; i++) {
    const o = i * dim;
    for (let k = 0; k < dim; k++) grad[o + k] = 0;
    for (let e = indptr[i]; e < indptr[i + 1]; e++) {
      const j = indices[e];
      let d2 = 0;
      for (let k = 0; k < dim; k++) {
        const t = y[o + k] - y[j * dim + k];
        d2 += t * t;
      }
      const u = dof / (dof + d2);
      const q = dof === 1 ? u : Math.pow(u, exponent);
      const pij = values[e];
      const m = pij * u;
      if (computeError) {
        kl += pij * Math.log(Math.max(pij, FLOAT32_TINY) / Math.max(q / sumQ, FLOAT32_TINY));
      }
      for (let k = 0; k < dim; k++) grad[o + k] += m * (y[o + k] - y[j * dim + k]);
    }
    for (let k = 0; k < dim; k++) grad[o + k] = c * (grad[o + k] - neg[o + k] / sumQ);
  }
  return kl;
}
