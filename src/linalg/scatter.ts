/**
 * Scatter matrices Σᵢ (xᵢ − μ_g(i))(xᵢ − μ_g(i))ᵀ, the d x d Gram behind PCA's covariance and
 * LDA's within-class scatter, with per-group means (one group: the plain mean). Four routes:
 * - sparse float64: rows with at most 30% non-zeros (MNIST pixels: 19%) accumulate xxᵀ over the
 *   non-zero pairs only, then subtract Σ_g n_g μ_g μ_gᵀ. On integer data such as MNIST the sums
 *   are exact; in general the subtraction costs |error| ≈ 2⁻⁵² · Σ x² (fine unless a feature's
 *   mean dwarfs its spread, which sparse data rules out).
 * - dense float64: centred rows, rank-4 updates of the upper triangle.
 * - product (float32, the backend's A·Bᵀ): centred row blocks B, Bᵀ·B = product(Bᵀ, Bᵀ), summed
 *   in float64; relative error about 1e-6 of the largest entry. Taken only when allowed and the
 *   dense float64 route would exceed `DENSE_LIMIT` multiply-adds.
 * - gemm float64 (when the backend has a fast gemm): centred rows cut into 4 column blocks, only
 *   the 10 blocks on and above the diagonal multiplied (Aᵀ·B in float64); as exact as the dense
 *   route. Taken for data denser than 12% (the break-even of the two routes' measured speeds).
 *   A backend with the `groupedScatter` kernel runs this route in one call on float32 data (cast,
 *   gathered group means subtracted, the same blocks), skipping the JS pass that builds the
 *   centred float64 blocks; bit-identical.
 * Sparse data take the sparse route even where a fast backend would be quicker: it is exact,
 * and LDA's rank decision needs that.
 */
import { ShapeError } from '../errors.js';
import { matrix, type Matrix, type Matrix32 } from '../util/matrix.js';
import type { ComputeBackend } from './backend.js';
import type { AnyMatrix } from './distances.js';
import { gemm } from './gemm.js';
import { jsBackend } from './js-backend.js';
import { product } from './product.js';

/** Dense float64 routes above this many multiply-adds go to the backend's product when allowed. */
export const DENSE_LIMIT = 4e8;
const SPARSE_DENSITY = 0.3;
/** The gemm route pays from this density on, and above this many multiply-adds. */
const GEMM_DENSITY = 0.12;
const GEMM_MIN_WORK = 1e8;

/** Per-group column means and group sizes. */
export interface GroupMeans {
  means: Matrix;
  counts: Float64Array;
}

/**
 * Column means of the rows of each group (groups[i] in 0..nGroups-1; all rows one group when
 * `groups` is undefined), accumulated in float64.
 * @throws ShapeError when `groups` has the wrong length or an entry out of range.
 */
export function groupMeans(x: AnyMatrix, groups?: Int32Array, nGroups = 1): GroupMeans {
  const d = x.cols;
  const sums = new Float64Array(nGroups * d);
  const counts = new Float64Array(nGroups);
  if (groups !== undefined && groups.length !== x.rows) {
    throw new ShapeError(`groups must have one entry per row (${x.rows}), got ${groups.length}`);
  }
  for (let i = 0; i < x.rows; i++) {
    const g = groups === undefined ? 0 : groups[i];
    if (!(g >= 0 && g < nGroups))
      throw new ShapeError(`groups[${i}] = ${g} not in 0..${nGroups - 1}`);
    counts[g]++;
    const o = g * d;
    const r = i * d;
    for (let j = 0; j < d; j++) sums[o + j] += x.data[r + j];
  }
  for (let g = 0; g < nGroups; g++) {
    const c = counts[g];
    if (c > 0) for (let j = 0; j < d; j++) sums[g * d + j] /= c;
  }
  return { means: matrix(nGroups, d, sums), counts };
}

/** Options of `scatterMatrix`. */
export interface ScatterOptions {
  /** Group of each row (to subtract its group's mean); default: one group. */
  groups?: Int32Array;
  /** Means from `groupMeans`; computed when absent. */
  means?: GroupMeans;
  /** 'float64' forbids the float32 product route (LDA's rank decision needs it). Default 'auto'. */
  precision?: 'auto' | 'float64';
  /** Forces a route (tests, benchmarks); default: chosen as described above. */
  route?: 'sparse' | 'dense' | 'product' | 'gemm';
  /** The kernels' backend; default `jsBackend`. */
  backend?: ComputeBackend;
}

/**
 * The d x d scatter matrix of the rows of x about their group means (symmetric, full).
 * @example
 * await scatterMatrix(matrix(2, 1, Float32Array.of(1, 3))); // data [2]
 * @throws ShapeError on bad groups or means of the wrong shape.
 */
export async function scatterMatrix(x: AnyMatrix, opts: ScatterOptions = {}): Promise<Matrix> {
  const nGroups = opts.means?.means.rows ?? groupCount(opts.groups);
  const gm = opts.means ?? groupMeans(x, opts.groups, nGroups);
  if (gm.means.cols !== x.cols) {
    throw new ShapeError(`scatter means must have ${x.cols} columns, got ${gm.means.cols}`);
  }
  const backend = opts.backend ?? jsBackend;
  const d = x.cols;
  const n = x.rows;
  let nnz = 0;
  if (opts.route === undefined) for (let i = 0; i < x.data.length; i++) if (x.data[i] !== 0) nnz++;
  const route =
    opts.route ??
    (backend.fastGemm && nnz > GEMM_DENSITY * x.data.length && n * d * d > GEMM_MIN_WORK
      ? 'gemm'
      : nnz <= SPARSE_DENSITY * x.data.length
        ? 'sparse'
        : opts.precision === 'float64' || n * d * d * 0.5 <= DENSE_LIMIT
          ? 'dense'
          : 'product');
  let g: Float64Array;
  if (route === 'sparse') g = sparseScatter(x, gm);
  else if (route === 'dense') g = denseScatter(x, gm, opts.groups);
  else if (
    route === 'gemm' &&
    backend.groupedScatter !== undefined &&
    x.data instanceof Float32Array
  )
    g = await backend.groupedScatter(x as Matrix32, opts.groups ?? new Int32Array(n), gm.means);
  else if (route === 'gemm') g = await gemmScatter(backend, x, gm, opts.groups);
  else g = await productScatter(backend, x, gm, opts.groups);
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) g[i * d + j] = g[j * d + i];
  return matrix(d, d, g);
}

function groupCount(groups: Int32Array | undefined): number {
  if (groups === undefined) return 1;
  let m = -1;
  for (let i = 0; i < groups.length; i++) m = Math.max(m, groups[i]);
  return m + 1;
}

/** Upper triangle of Σ xxᵀ over non-zero pairs, minus Σ_g n_g μ_g μ_gᵀ. */
function sparseScatter(x: AnyMatrix, gm: GroupMeans): Float64Array {
  const d = x.cols;
  const g = new Float64Array(d * d);
  const idx = new Int32Array(d);
  const val = new Float64Array(d);
  for (let r = 0; r < x.rows; r++) {
    let m = 0;
    for (let j = 0, o = r * d; j < d; j++) {
      const v = x.data[o + j];
      if (v !== 0) {
        idx[m] = j;
        val[m++] = v;
      }
    }
    for (let a = 0; a < m; a++) {
      const va = val[a];
      const base = idx[a] * d;
      for (let b = a; b < m; b++) g[base + idx[b]] += va * val[b];
    }
  }
  const mu = gm.means.data;
  for (let k = 0; k < gm.means.rows; k++) {
    const c = gm.counts[k];
    if (c === 0) continue;
    const o = k * d;
    for (let i = 0; i < d; i++) {
      const ci = c * mu[o + i];
      if (ci === 0) continue;
      const base = i * d;
      for (let j = i; j < d; j++) g[base + j] -= ci * mu[o + j];
    }
  }
  return g;
}

/** Upper triangle of Σ (x − μ)(x − μ)ᵀ by rank-4 updates of centred rows. */
function denseScatter(x: AnyMatrix, gm: GroupMeans, groups: Int32Array | undefined): Float64Array {
  const d = x.cols;
  const n = x.rows;
  const g = new Float64Array(d * d);
  const buf = new Float64Array(4 * d);
  const mu = gm.means.data;
  for (let r0 = 0; r0 < n; r0 += 4) {
    const b = Math.min(4, n - r0);
    buf.fill(0);
    for (let t = 0; t < b; t++) {
      const o = (groups === undefined ? 0 : groups[r0 + t]) * d;
      const src = (r0 + t) * d;
      for (let j = 0; j < d; j++) buf[t * d + j] = x.data[src + j] - mu[o + j];
    }
    for (let i = 0; i < d; i++) {
      const a0 = buf[i];
      const a1 = buf[d + i];
      const a2 = buf[2 * d + i];
      const a3 = buf[3 * d + i];
      const base = i * d;
      for (let j = i; j < d; j++) {
        g[base + j] += a0 * buf[j] + a1 * buf[d + j] + a2 * buf[2 * d + j] + a3 * buf[3 * d + j];
      }
    }
  }
  return g;
}

/** Upper blocks of Σ (x − μ)(x − μ)ᵀ by float64 gemm on centred column blocks (see the module doc). */
async function gemmScatter(
  backend: ComputeBackend,
  x: AnyMatrix,
  gm: GroupMeans,
  groups: Int32Array | undefined,
): Promise<Float64Array> {
  const d = x.cols;
  const n = x.rows;
  const w = Math.ceil(d / 4);
  const mu = gm.means.data;
  const blocks: Matrix[] = [];
  for (let c0 = 0; c0 < d; c0 += w) {
    const c1 = Math.min(d, c0 + w);
    const bw = c1 - c0;
    const b = new Float64Array(n * bw);
    for (let i = 0; i < n; i++) {
      const o = (groups === undefined ? 0 : groups[i]) * d;
      const src = i * d;
      for (let j = c0; j < c1; j++) b[i * bw + j - c0] = x.data[src + j] - mu[o + j];
    }
    blocks.push(matrix(n, bw, b));
  }
  const g = new Float64Array(d * d);
  for (let bi = 0; bi < blocks.length; bi++) {
    for (let bj = bi; bj < blocks.length; bj++) {
      const p = (await gemm(backend, blocks[bi], blocks[bj], { transA: true })).data;
      const wi = blocks[bi].cols;
      const wj = blocks[bj].cols;
      for (let r = 0; r < wi; r++) {
        const row = (bi * w + r) * d + bj * w;
        for (let c = 0; c < wj; c++) g[row + c] = p[r * wj + c];
      }
    }
  }
  return g;
}

/** Scatter through the backend's product: centred float32 row blocks, summed in float64. */
async function productScatter(
  backend: ComputeBackend,
  x: AnyMatrix,
  gm: GroupMeans,
  groups: Int32Array | undefined,
): Promise<Float64Array> {
  const d = x.cols;
  const n = x.rows;
  const g = new Float64Array(d * d);
  const block = Math.max(256, Math.min(4096, Math.floor(2 ** 22 / d)));
  const bt = new Float32Array(d * block);
  const mu = gm.means.data;
  for (let r0 = 0; r0 < n; r0 += block) {
    const b = Math.min(block, n - r0);
    // Bᵀ (d x b), built directly transposed from the centred rows.
    for (let t = 0; t < b; t++) {
      const o = (groups === undefined ? 0 : groups[r0 + t]) * d;
      const src = (r0 + t) * d;
      for (let j = 0; j < d; j++) bt[j * b + t] = x.data[src + j] - mu[o + j];
    }
    const btm = matrix(d, b, bt.subarray(0, d * b));
    const p = (await product(backend, btm, btm)).data;
    for (let i = 0; i < d; i++) for (let j = i; j < d; j++) g[i * d + j] += p[i * d + j];
  }
  return g;
}
