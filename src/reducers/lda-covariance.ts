/**
 * The covariance estimates of LDA's eigen solver, as scikit-learn 1.2's
 * `discriminant_analysis._cov`: empirical (ddof 0), shrunk towards μ·I with a fixed intensity
 * ((1 − α)·S + α·trace(S)/d·I, `covariance.shrunk_covariance`), or Ledoit-Wolf ('auto':
 * Ledoit & Wolf 2004, doi:10.1016/S0047-259X(03)00096-4, on standardised features, then scaled
 * back, as `covariance.ledoit_wolf_shrinkage`). Scatter products are float64 (linalg/scatter.ts).
 */
import type { ComputeBackend } from '../linalg/backend.js';
import { groupMeans, scatterMatrix } from '../linalg/scatter.js';
import { matrix, type Matrix, type Matrix32 } from '../util/matrix.js';

/** No shrinkage, a fixed intensity in [0, 1], or Ledoit-Wolf. */
export type Shrinkage = undefined | number | 'auto';

/** The covariance of the rows of x under the given shrinkage (d x d, float64). */
export async function covariance(
  backend: ComputeBackend,
  x: Matrix32,
  shrinkage: Shrinkage,
): Promise<Matrix> {
  const n = x.rows;
  const d = x.cols;
  const gm = groupMeans(x);
  const s = await scatterMatrix(x, { means: gm, precision: 'float64', backend });
  const c = s.data.map((v) => v / n);
  if (shrinkage === undefined) return matrix(d, d, c);
  if (typeof shrinkage === 'number') return shrinkTowardsIdentity(c, d, shrinkage);
  // Ledoit-Wolf on standardised features, then scaled back.
  const mean = gm.means.data;
  const scale = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const v = c[j * d + j];
    // scikit-learn's _is_constant_feature: var <= n·eps·var + (n·mean·eps)².
    const eps = 2 ** -52;
    const constant = v <= n * eps * v + (n * mean[j] * eps) ** 2;
    scale[j] = constant || v === 0 ? 1 : Math.sqrt(v);
  }
  const z = new Float64Array(d * d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) z[i * d + j] = c[i * d + j] / (scale[i] * scale[j]);
  const alpha = ledoitWolfShrinkage(x, mean, scale, z);
  const lw = shrinkTowardsIdentity(z, d, alpha).data;
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) lw[i * d + j] *= scale[i] * scale[j];
  return matrix(d, d, lw);
}

/** (1 − α)·C + α·(trace(C)/d)·I. */
function shrinkTowardsIdentity(c: Float64Array, d: number, alpha: number): Matrix {
  let trace = 0;
  for (let j = 0; j < d; j++) trace += c[j * d + j];
  const mu = trace / d;
  const out = c.map((v) => (1 - alpha) * v);
  for (let j = 0; j < d; j++) out[j * d + j] += alpha * mu;
  return matrix(d, d, out);
}

/**
 * scikit-learn's ledoit_wolf_shrinkage on Z = (x − mean)/scale, given Z's empirical covariance
 * cz: β = (Σᵣ‖zᵣ‖⁴/n − Σ cz²)/(d·n), δ = (Σ cz² − 2μ·trace + d·μ²)/d, shrinkage = min(β, δ)/δ.
 */
function ledoitWolfShrinkage(
  x: Matrix32,
  mean: Float64Array,
  scale: Float64Array,
  cz: Float64Array,
): number {
  const n = x.rows;
  const d = x.cols;
  if (d === 1) return 0;
  let trace = 0;
  for (let j = 0; j < d; j++) trace += cz[j * d + j];
  const mu = trace / d;
  let delta_ = 0;
  for (let i = 0; i < cz.length; i++) delta_ += cz[i] * cz[i];
  let beta_ = 0;
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += ((x.data[r * d + j] - mean[j]) / scale[j]) ** 2;
    beta_ += s * s;
  }
  let beta = (beta_ / n - delta_) / (d * n);
  const delta = (delta_ - 2 * mu * trace + d * mu * mu) / d;
  beta = Math.min(beta, delta);
  return beta === 0 ? 0 : beta / delta;
}
