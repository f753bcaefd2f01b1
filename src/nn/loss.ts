/**
 * Reconstruction losses, as means over every element (Keras' mse and binary_crossentropy on
 * flattened images). Binary cross-entropy is computed from logits when the output layer is a
 * sigmoid (softplus(z) - y*z, stable for any z), otherwise from probabilities clipped to
 * [1e-7, 1 - 1e-7] like Keras.
 */
import { ConfigError } from '../errors.js';
import type { Graph } from '../graph/graph.js';
import type { Tensor } from '../graph/tensor.js';

/** Loss names. */
export const LOSSES = ['mse', 'bce'] as const;
/** One of LOSSES. */
export type LossName = (typeof LOSSES)[number];

const EPS = 1e-7;

/** Checks a loss name. @throws ConfigError */
export function parseLoss(name: unknown): LossName {
  if (name !== 'mse' && name !== 'bce') {
    throw new ConfigError(`loss must be one of ${LOSSES.join(', ')}, got ${JSON.stringify(name)}`);
  }
  return name;
}

/** Mean squared error over all elements (scalar). */
export function mseLoss(g: Graph, yhat: Tensor, y: Tensor): Tensor {
  return g.reduceMean(lossElements(g, 'mse', yhat, y), [], false);
}

/** Binary cross-entropy; pass `logits` when yhat = sigmoid(logits) for the stable form. */
export function bceLoss(g: Graph, yhat: Tensor, y: Tensor, logits?: Tensor): Tensor {
  return g.reduceMean(lossElements(g, 'bce', yhat, y, logits), [], false);
}

/**
 * The loss of every element, unreduced: (yhat - y)², or the binary cross-entropy (from `logits`
 * when given, see module doc). The means above and the VAE's per-example sums reduce it.
 */
export function lossElements(
  g: Graph,
  loss: LossName,
  yhat: Tensor,
  y: Tensor,
  logits?: Tensor,
): Tensor {
  if (loss === 'mse') {
    const d = g.sub(yhat, y);
    return g.mul(d, d);
  }
  if (logits) return g.sub(g.softplus(logits), g.mul(y, logits));
  const p = g.clip(yhat, EPS, 1 - EPS);
  const one = g.scalar(1);
  return g.neg(g.add(g.mul(y, g.log(p)), g.mul(g.sub(one, y), g.log(g.sub(one, p)))));
}
