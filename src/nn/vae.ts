/**
 * The variational autoencoder's loss terms (Kingma & Welling, "Auto-Encoding Variational
 * Bayes", arXiv:1312.6114, appendix B), written as pytorch/examples' vae/main.py
 * `loss_function` divided by the batch size, so values are nats per example:
 * - z = μ + exp(½ log σ²) ⊙ ε, with ε ~ N(0, I) fed to the graph (drawn on the host from the
 *   seeded Rng, as denoising noise is), so a run is reproducible from its seed;
 * - reconstruction: the loss of each value (nn/loss.ts `lossElements`: BCE or squared error)
 *   summed over the example's values;
 * - KL(N(μ, σ²) || N(0, I)) = -½ Σ_j (1 + log σ²_j - μ_j² - σ²_j), summed over the code units.
 * With `reduce` 'mean' a term is averaged over the rows (training; needs a static batch size),
 * with 'sum' summed over them (evaluation, any number of rows).
 */
import { ShapeError } from '../errors.js';
import type { Graph } from '../graph/graph.js';
import { formatShape, type Tensor } from '../graph/tensor.js';
import { lossElements, type LossName } from './loss.js';

/** Mean over the rows, or sum over them (see module doc). */
export type RowReduce = 'mean' | 'sum';

function perRow(g: Graph, t: Tensor, reduce: RowReduce): Tensor {
  const cols = t.shape[1];
  if (t.rank !== 2 || typeof cols !== 'number')
    throw new ShapeError(`expected [rows, values] with static values, got ${formatShape(t.shape)}`);
  if (reduce === 'sum') return g.reduceSum(t, [], false);
  return g.mul(g.reduceMean(t, [], false), g.scalar(cols));
}

/** z = μ + exp(½ log σ²) ⊙ ε (the reparameterisation trick). */
export function reparameterize(g: Graph, mu: Tensor, logvar: Tensor, eps: Tensor): Tensor {
  return g.add(mu, g.mul(g.exp(g.mul(logvar, g.scalar(0.5))), eps));
}

/** KL(N(μ, σ²) || N(0, I)) summed over code units, then averaged or summed over rows. @throws ShapeError */
export function klDivergence(g: Graph, mu: Tensor, logvar: Tensor, reduce: RowReduce): Tensor {
  const inner = g.sub(g.sub(g.add(g.scalar(1), logvar), g.mul(mu, mu)), g.exp(logvar));
  return g.mul(perRow(g, inner, reduce), g.scalar(-0.5));
}

/**
 * The reconstruction loss summed over each example's values, averaged or summed over rows;
 * `logits` as for nn/loss.ts `bceLoss`. @throws ShapeError
 */
export function reconstructionSum(
  g: Graph,
  loss: LossName,
  yhat: Tensor,
  y: Tensor,
  reduce: RowReduce,
  logits?: Tensor,
): Tensor {
  return perRow(g, lossElements(g, loss, yhat, y, logits), reduce);
}
