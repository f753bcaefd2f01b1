/**
 * The two LDA solvers of scikit-learn 1.2 (`discriminant_analysis._solve_svd`, `_solve_eigen`)
 * as functions of the class-labelled data; lda.ts describes them and their differences.
 */
import { NumericalError } from '../errors.js';
import type { ComputeBackend } from '../linalg/backend.js';
import { symmetricEigen } from '../linalg/eigen-sym.js';
import { symmetricEigenThin } from '../linalg/eigen-sym-thin.js';
import { gapPinv } from '../linalg/gap-pinv.js';
import { scatterMatrix, type GroupMeans } from '../linalg/scatter.js';
import { cholesky } from '../linalg/solve.js';
import { svd } from '../linalg/svd.js';
import { matrix, takeRows, type Matrix, type Matrix32 } from '../util/matrix.js';
import { covariance, type Shrinkage } from './lda-covariance.js';

const EPS = 2 ** -52;

/** The projection (d x r, most discriminative first) and the explained variance ratios. */
export interface LdaSolution {
  scalings: Matrix;
  explainedVarianceRatio: Float64Array;
}

/**
 * scikit-learn 1.2's _solve_svd: the projection (d x rank) and explained variance ratios.
 * `route` 'eigen' skips the truncated pseudo-inverse (tests compare the two routes).
 */
export async function solveSvd(
  backend: ComputeBackend,
  x: Matrix32,
  groups: Int32Array,
  gm: GroupMeans,
  priors: Float64Array,
  xbar: Float64Array,
  tol: number,
  route: 'auto' | 'eigen' = 'auto',
): Promise<LdaSolution> {
  const sw = await scatterMatrix(x, { groups, means: gm, precision: 'float64', backend });
  return solveSvdScatter(backend, sw, x.rows, gm, priors, xbar, tol, route);
}

/**
 * _solve_svd from the within-class scatter S_W (d x d float64, overwritten) of n rows and the
 * class means: what solveSvd computes after its one pass, and what a streamed fit accumulates.
 */
export async function solveSvdScatter(
  backend: ComputeBackend,
  sw: Matrix,
  n: number,
  gm: GroupMeans,
  priors: Float64Array,
  xbar: Float64Array,
  tol: number,
  route: 'auto' | 'eigen' = 'auto',
): Promise<LdaSolution> {
  const d = sw.cols;
  const k = priors.length;
  const std = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    let big = 0;
    for (let c = 0; c < k; c++) big = Math.max(big, Math.abs(gm.means.data[c * d + j]));
    const v = Math.max(0, sw.data[j * d + j]) / n;
    // Within-class constant up to rounding (scikit-learn's _is_constant_feature bound): drop
    // its rounding noise, which 1/std would otherwise blow up to O(1).
    if (v <= n * EPS * v + (n * big * EPS) ** 2) {
      for (let i = 0; i < d; i++) sw.data[i * d + j] = sw.data[j * d + i] = 0;
      std[j] = 1;
    } else std[j] = Math.sqrt(v);
  }
  const fac = 1 / (n - k);
  // Gram of sqrt(fac)·Xc/std: its eigenpairs are the V and S² of scikit-learn's first SVD.
  // Features constant within classes have zero rows and columns there: they only add exact
  // zero eigenvalues (never above tol), so the eigen-solve (O(d³)) runs without them (MNIST:
  // the first 5000 images leave 663 of 784 pixels, all 60,000 leave 717; measured).
  const live: number[] = [];
  for (let j = 0; j < d; j++) if (sw.data[j * d + j] !== 0) live.push(j);
  const dl = live.length;
  const g = new Float64Array(dl * dl);
  for (let a = 0; a < dl; a++) {
    const ja = live[a];
    for (let b = 0; b < dl; b++) {
      const jb = live[b];
      g[a * dl + b] = (fac * sw.data[ja * d + jb]) / (std[ja] * std[jb]);
    }
  }
  // Weighted class centres, whitened by std: the only vectors the eigenvectors meet (k x dl).
  const fac2 = 1 / (k - 1);
  const h = new Float64Array(k * dl);
  for (let c = 0; c < k; c++) {
    const w = Math.sqrt(n * priors[c] * fac2);
    for (let a = 0; a < dl; a++) {
      const j = live[a];
      h[c * dl + a] = (w * (gm.means.data[c * d + j] - xbar[j])) / std[j];
    }
  }
  const gram = matrix(dl, dl, g);
  const centres = matrix(k, dl, h);
  const sol =
    (route === 'auto' ? await gapSolution(backend, gram, centres, tol) : undefined) ??
    eigenSolution(gram, centres, tol);
  const rankB = sol.coef.cols;
  const ex = sol.coef.data;
  const out = new Float64Array(d * rankB);
  for (let a = 0; a < dl; a++) {
    const j = live[a];
    for (let c = 0; c < rankB; c++) out[j * rankB + c] = ex[a * rankB + c] / std[j];
  }
  return { scalings: matrix(d, rankB, out), explainedVarianceRatio: sol.ratio };
}

/** The svd solver's result on the live features: scalings (dl x rankB, before /std) and ratios. */
interface LiveSolution {
  coef: Matrix;
  ratio: Float64Array;
}

/**
 * Through the truncated pseudo-inverse (linalg/gap-pinv.ts), when G's spectrum has a clear gap
 * at tol²: with Y = G⁺·hᵀ, scikit-learn's second SVD (of the whitened centres X₂, k x rank) has
 * X₂·X₂ᵀ = h·Y = U₂·S₂²·U₂ᵀ and its scalings V·S⁻¹·V₂ᵀ = Y·U₂·S₂⁻¹, so only the k x k matrix
 * h·Y needs an eigendecomposition. MNIST 5000: G's 10 zero eigenvalues are below 2e-15, the
 * smallest kept one is 3.1e-4 (tol² = 1e-8).
 */
async function gapSolution(
  backend: ComputeBackend,
  g: Matrix,
  h: Matrix,
  tol: number,
): Promise<LiveSolution | undefined> {
  const gp = await gapPinv(g, h, tol * tol, backend);
  if (gp === undefined) return undefined;
  const k = h.rows;
  const dl = h.cols;
  const y = gp.y.data;
  const m = new Float64Array(k * k);
  for (let a = 0; a < k; a++) {
    for (let b = 0; b <= a; b++) {
      let s = 0;
      for (let t = 0; t < dl; t++)
        s += 0.5 * (h.data[a * dl + t] * y[b * dl + t] + h.data[b * dl + t] * y[a * dl + t]);
      m[a * k + b] = s;
      m[b * k + a] = s;
    }
  }
  const eig = symmetricEigen(matrix(k, k, m));
  const nb = Math.min(k, gp.rank);
  const sb = Float64Array.from({ length: nb }, (_, c) =>
    Math.sqrt(Math.max(0, eig.values[k - 1 - c])),
  );
  let rankB = 0;
  while (rankB < nb && sb[rankB] > tol * sb[0]) rankB++;
  const coef = new Float64Array(dl * rankB);
  for (let c = 0; c < rankB; c++) {
    const src = k - 1 - c;
    for (let b = 0; b < k; b++) {
      const w = eig.vectors.data[src * k + b] / sb[c];
      if (w !== 0) for (let t = 0; t < dl; t++) coef[t * rankB + c] += w * y[b * dl + t];
    }
  }
  return { coef: matrix(dl, rankB, coef), ratio: ratios(sb) };
}

/** Through all eigenvalues of G (eigen-sym-thin.ts): the route for spectra without a clear gap. */
function eigenSolution(g: Matrix, h: Matrix, tol: number): LiveSolution {
  const k = h.rows;
  const dl = h.cols;
  const eig = symmetricEigenThin(g, h);
  const kept: number[] = [];
  for (let t = dl - 1; t >= 0; t--) if (Math.sqrt(Math.max(0, eig.values[t])) > tol) kept.push(t);
  const rank = kept.length;
  // Centres in the whitened space, k x rank: (h·V[:rank]ᵀ) / S[:rank].
  const sv = kept.map((t) => Math.sqrt(eig.values[t]));
  const centres = new Float64Array(k * rank);
  kept.forEach((t, i) => {
    for (let c = 0; c < k; c++) centres[c * rank + i] = eig.projected.data[t * k + c] / sv[i];
  });
  const b = svd(matrix(k, rank, centres));
  let rankB = 0;
  while (rankB < b.s.length && b.s[rankB] > tol * b.s[0]) rankB++;
  // scalings (dl x rankB) = (V[:rank]ᵀ / S[:rank]) · Vbᵀ, V applied through expand.
  const coef = new Float64Array(dl * rankB);
  kept.forEach((t, i) => {
    for (let c = 0; c < rankB; c++) coef[t * rankB + c] = b.vt.data[c * rank + i] / sv[i];
  });
  const ex = eig.expand(matrix(dl, rankB, coef));
  const out = new Float64Array(dl * rankB);
  for (let c = 0; c < rankB; c++)
    for (let a = 0; a < dl; a++) out[a * rankB + c] = ex.data[c * dl + a];
  return { coef: matrix(dl, rankB, out), ratio: ratios(b.s) };
}

/** Explained variance ratios S²/ΣS². */
function ratios(s: Float64Array): Float64Array {
  const s2 = s.map((v) => v * v);
  const total = s2.reduce((a, v) => a + v, 0);
  return s2.map((v) => v / total);
}

/** scikit-learn 1.2's _solve_eigen: eigh(Sb, Sw) with Sw = Σ priors·cov_k, Sb = St − Sw. */
export async function solveEigen(
  backend: ComputeBackend,
  x: Matrix32,
  groups: Int32Array,
  priors: Float64Array,
  shrink: Shrinkage,
): Promise<LdaSolution> {
  const d = x.cols;
  const sw = new Float64Array(d * d);
  for (let c = 0; c < priors.length; c++) {
    const rows: number[] = [];
    groups.forEach((g, i) => g === c && rows.push(i));
    const cov = (await covariance(backend, takeRows(x, rows), shrink)).data;
    for (let i = 0; i < d * d; i++) sw[i] += priors[c] * cov[i];
  }
  const st = (await covariance(backend, x, shrink)).data;
  return eigenFromCovariances(sw, st, d);
}

/**
 * _solve_eigen from the pooled within-class covariance Sw = Σ priors·cov_k and the total
 * covariance St (d x d, row-major): eigh(St − Sw, Sw).
 * @throws NumericalError when Sw is singular
 */
export function eigenFromCovariances(sw: Float64Array, st: Float64Array, d: number): LdaSolution {
  const sb = st.map((v, i) => v - sw[i]);
  let l: Matrix;
  try {
    l = cholesky(matrix(d, d, sw));
  } catch (err) {
    throw new NumericalError(
      "LDA eigen solver: the within-class covariance is singular (constant or collinear features); use solver 'svd' or set shrinkage",
      { cause: err },
    );
  }
  // C = L⁻¹·Sb·L⁻ᵀ; its eigenvectors y give v = L⁻ᵀ·y with vᵀ·Sw·v = 1.
  const linvSb = forwardSolveColumns(l, sb, d);
  const c = forwardSolveColumns(l, transposeSquare(linvSb, d), d);
  const eig = symmetricEigen(matrix(d, d, c));
  const sc = new Float64Array(d * d);
  const evals = new Float64Array(d);
  for (let t = 0; t < d; t++) {
    const src = d - 1 - t;
    evals[t] = eig.values[src];
    const v = backSolveTransposed(l, eig.vectors.data.subarray(src * d, src * d + d), d);
    for (let j = 0; j < d; j++) sc[j * d + t] = v[j];
  }
  const total = evals.reduce((a, v) => a + v, 0);
  return { scalings: matrix(d, d, sc), explainedVarianceRatio: evals.map((v) => v / total) };
}

/** L⁻¹·B for lower-triangular L and B (d x d, row-major); returns row-major. */
function forwardSolveColumns(l: Matrix, b: Float64Array, d: number): Float64Array {
  const out = Float64Array.from(b);
  for (let i = 0; i < d; i++) {
    for (let k = 0; k < i; k++) {
      const f = l.data[i * d + k];
      if (f !== 0) for (let j = 0; j < d; j++) out[i * d + j] -= f * out[k * d + j];
    }
    const p = l.data[i * d + i];
    for (let j = 0; j < d; j++) out[i * d + j] /= p;
  }
  return out;
}

function transposeSquare(a: Float64Array, d: number): Float64Array {
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) out[j * d + i] = a[i * d + j];
  return out;
}

/** L⁻ᵀ·y for lower-triangular L. */
function backSolveTransposed(l: Matrix, y: ArrayLike<number>, d: number): Float64Array {
  const x = Float64Array.from(y);
  for (let i = d - 1; i >= 0; i--) {
    let s = x[i];
    for (let k = i + 1; k < d; k++) s -= l.data[k * d + i] * x[k];
    x[i] = s / l.data[i * d + i];
  }
  return x;
}
