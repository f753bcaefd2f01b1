/**
 * The compute backend: the heavy kernels that linalg/, metrics/ and reducers/ hand off (A·Bᵀ,
 * gemm, the centred Gram, the grouped scatter, subspace iteration, nearest-neighbour candidates
 * and Isomap's geodesic kernel), as one object that callers pass down as a value. Two
 * implementations: `jsBackend` (linalg/js-backend.ts, pure JS, nothing to release), the default
 * of every `backend` option, and `createOrtBackend({ threads, spin })` (accel/), which runs them
 * on onnxruntime and owns its sessions until `dispose()`. Nothing is installed globally: a
 * function uses the backend it is given.
 * Guarantees every implementation keeps: the shapes and element types stated per kernel; the
 * precision stated per kernel (float32 products where a kernel says float32); `groupedScatter`
 * and `nearest` are optional, and callers take their JS routes when they are absent.
 */
import type { Matrix, Matrix32 } from '../util/matrix.js';

/** Element types a gemm accepts; both operands share one. */
export type FloatArray = Float32Array | Float64Array;

/** μ (d values) and C = (X − 1μᵀ)ᵀ(X − 1μᵀ) (d x d, float32: its accuracy, and what the products take). */
export interface CentredGram {
  mean: Float64Array;
  gram: Matrix32;
}

/** The iterated basis and the two l x l matrices of its Rayleigh-Ritz pencil. */
export interface SubspaceIteration {
  /** l x d, rows spanning the iterated subspace (well conditioned, not necessarily orthonormal). */
  q: Matrix32;
  /** Q·Qᵀ, l x l, symmetric. */
  s: Matrix;
  /** Q·C·Qᵀ, l x l, symmetric. */
  h: Matrix;
}

/** k neighbours per row, row-major rows x k, ascending Euclidean distance, ties by lower index. */
export interface Neighbors {
  k: number;
  rows: number;
  indices: Int32Array;
  distances: Float64Array;
}

/** The fitted side of Isomap's out-of-sample map (linalg/geodesic-kernel.ts). */
export interface GeodesicKernel {
  /** Geodesic distances between the n training points, n x n float32. */
  dist: Matrix32;
  /** Scaled eigenvectors v/√λ of the centred training kernel, dOut x n (zero rows where λ = 0). */
  alpha: Matrix;
  /** Column means of the training kernel K = −½D² (KernelCenterer's K_fit_rows_), n values. */
  colMeans: Float64Array;
  /** The mean of colMeans (K_fit_all_). */
  allMean: number;
}

/** Each query row's kc smallest approximate squared distances, ascending, with their data rows (rows x kc). */
export interface NearestCandidates {
  values: Float32Array;
  indices: Int32Array;
}

/** The kernels; see the module doc. Arguments are checked by the linalg wrappers that call them. */
export interface ComputeBackend {
  /** 'js' or 'onnxruntime'. */
  readonly name: string;
  /** CPU threads its kernels use, and that callers' worker pools (the Dijkstra workers) size themselves by. */
  readonly threads: number;
  /** Whether gemm runs well above the scalar JS loop's speed (callers pick gemm-heavy routes by it). */
  readonly fastGemm: boolean;
  /** A·Bᵀ, or (A − 1cᵀ)·Bᵀ with `center`, float32 row-major with equal column counts. */
  product(a: Matrix32, b: Matrix32, center?: Float32Array): Promise<Matrix32>;
  /** α·op(A)·op(B) (+ C), row-major, the same element type in and out (float32 or float64). */
  gemm<T extends FloatArray>(
    a: Matrix<T>,
    b: Matrix<T>,
    transA: boolean,
    transB: boolean,
    alpha?: number,
    c?: Matrix<T>,
  ): Promise<Matrix<T>>;
  /** The column means and centred Gram of x (n x d float32, n >= 1), float32-accurate. */
  centredGram(x: Matrix32): Promise<CentredGram>;
  /**
   * Σᵢ (xᵢ − μ_g(i))(xᵢ − μ_g(i))ᵀ of float32 rows with float64 group means, d x d float64 (both
   * triangles), exact to float64 rounding. Absent: linalg/scatter.ts builds it from `gemm`.
   */
  groupedScatter?(x: Matrix32, groups: Int32Array, means: Matrix): Promise<Float64Array>;
  /** `steps` subspace-iteration steps of the symmetric c (d x d) from the rows of q0 (l x d). */
  subspaceIteration(c: Matrix32, q0: Matrix32, steps: number): Promise<SubspaceIteration>;
  /**
   * The kc smallest expanded squared distances ‖q‖² + ‖x‖² − 2·q·x per query row (float32, norms
   * given), rounding within linalg/distances.ts's `expansionErrorBound`. Absent: knn selects in JS.
   */
  nearest?(
    query: Matrix32,
    data: Matrix32,
    qNorms: Float64Array,
    dNorms: Float64Array,
    kc: number,
  ): Promise<NearestCandidates>;
  /** The q x dOut projections of the queries whose k nearest training points are `nb`. */
  geodesicKernel(kernel: GeodesicKernel, nb: Neighbors): Promise<Matrix32>;
  /** Releases what the backend holds (onnxruntime sessions); later calls fail. Safe to call twice. */
  dispose(): Promise<void>;
}

/** The `backend` option of the reducers, metrics and linalg functions that take one. */
export interface BackendOption {
  /** Default `jsBackend` (pure JS); `createOrtBackend({ threads })` (accel/) for onnxruntime's kernels. */
  backend?: ComputeBackend;
}
