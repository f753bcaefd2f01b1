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
  const d = g.sub(yhat, y);
  return g.reduceMean(g.mul(d, d), [], false);
}

/** Binary cross-entropy; pass `logits` when yhat = sigmoid(logits) for the stable form. */
export function bceLoss(g: Graph, yhat: Tensor, y: Tensor, logits?: Tensor): Tensor {
  if (logits) {
    return g.reduceMean(g.sub(g.softplus(logits), g.mul(y, logits)), [], false);
  }
  const p = g.clip(yhat, EPS, 1 - EPS);
  const one = g.scalar(1);
  const ll = g.add(g.mul(y, g.log(p)), g.mul(g.sub(one, y), g.log(g.sub(one, p))));
  return g.neg(g.reduceMean(ll, [], false));
}
