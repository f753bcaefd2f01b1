/**
 * Sparsity penalties on an autoencoder's code, added to the training loss:
 * - L1 activity: λ Σ_j |h_j| summed over the code units and averaged over the batch, as Keras'
 *   `activity_regularizer=regularizers.l1(λ)` (tf.keras base_layer divides the regulariser's
 *   sum by the batch size) in the Keras blog's sparse autoencoder;
 * - KL sparsity (Ng, "Sparse autoencoder", CS294A lecture notes, 2011, section 2.3):
 *   β Σ_j KL(ρ || ρ̂_j) with ρ̂_j the mean activation of code unit j over the batch, for a
 *   sigmoid code. ρ̂ is clipped to [1e-7, 1 - 1e-7] (as nn/loss.ts clips BCE's probabilities)
 *   so a saturated unit gives a finite penalty; the clip passes no gradient beyond it.
 */
import { ConfigError } from '../errors.js';
import type { Graph } from '../graph/graph.js';
import type { Tensor } from '../graph/tensor.js';

const EPS = 1e-7;

/** The sparsity settings of a training run (each term is off when left out). */
export interface SparsityOptions {
  /** L1 activity weight λ (> 0). */
  activityL1?: number;
  /** KL sparsity target ρ, the wanted mean activation, in (0, 1). */
  sparsity?: number;
  /** KL sparsity weight β (> 0; default 1 when `sparsity` is given). */
  sparsityWeight?: number;
}

/** Checks the settings; returns those in force. @throws ConfigError */
export function checkSparsity(o: SparsityOptions): SparsityOptions {
  const out: SparsityOptions = {};
  if (o.activityL1 !== undefined) {
    if (!(Number.isFinite(o.activityL1) && o.activityL1 > 0))
      throw new ConfigError(`activityL1 must be a number > 0, got ${o.activityL1} (e.g. 1e-5)`);
    out.activityL1 = o.activityL1;
  }
  if (o.sparsityWeight !== undefined && o.sparsity === undefined)
    throw new ConfigError(
      'sparsityWeight needs sparsity, the target mean activation ρ (e.g. 0.05)',
    );
  if (o.sparsity !== undefined) {
    if (!(o.sparsity > 0 && o.sparsity < 1))
      throw new ConfigError(`sparsity must lie in (0, 1), got ${o.sparsity} (e.g. 0.05)`);
    const w = o.sparsityWeight ?? 1;
    if (!(Number.isFinite(w) && w > 0))
      throw new ConfigError(`sparsityWeight must be a number > 0, got ${w} (e.g. 3)`);
    out.sparsity = o.sparsity;
    out.sparsityWeight = w;
  }
  return out;
}

/** λ Σ_j |h_j| averaged over the rows of `code` [B, k] (static k). */
export function activityL1(g: Graph, code: Tensor, lambda: number): Tensor {
  const k = code.shape[1] as number;
  return g.mul(g.reduceMean(g.abs(code), [], false), g.scalar(lambda * k));
}

/** β Σ_j KL(ρ || ρ̂_j), ρ̂ the mean of each column of `code` [B, k] (static B). */
export function klSparsity(g: Graph, code: Tensor, rho: number, beta: number): Tensor {
  const rhoHat = g.clip(g.reduceMean(code, [0], true), EPS, 1 - EPS);
  const one = g.scalar(1);
  // ρ log ρ + (1-ρ) log(1-ρ) - ρ log ρ̂ - (1-ρ) log(1-ρ̂), summed over units.
  const cross = g.add(
    g.mul(g.scalar(rho), g.log(rhoHat)),
    g.mul(g.scalar(1 - rho), g.log(g.sub(one, rhoHat))),
  );
  const k = code.shape[1] as number;
  const constant = k * (rho * Math.log(rho) + (1 - rho) * Math.log(1 - rho));
  return g.mul(g.sub(g.scalar(constant), g.reduceSum(cross, [], false)), g.scalar(beta));
}
