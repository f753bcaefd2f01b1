/**
 * Activation functions of dense layers, by the names Keras uses (plus 'leaky-relu', slope
 * 0.01 as PyTorch's default; Keras' LeakyReLU layer defaults to 0.3).
 */
import { ConfigError } from '../errors.js';
import type { Graph } from '../graph/graph.js';
import type { Tensor } from '../graph/tensor.js';

/** Activation names. */
export const ACTIVATIONS = ['relu', 'sigmoid', 'tanh', 'linear', 'leaky-relu'] as const;
/** One of ACTIVATIONS. */
export type Activation = (typeof ACTIVATIONS)[number];

/** Slope of leaky-relu for negative inputs. */
export const LEAKY_SLOPE = 0.01;

/** Checks an activation name. @throws ConfigError */
export function parseActivation(name: unknown, what = 'activation'): Activation {
  if (typeof name !== 'string' || !(ACTIVATIONS as readonly string[]).includes(name)) {
    throw new ConfigError(
      `${what} must be one of ${ACTIVATIONS.join(', ')}, got ${JSON.stringify(name)}`,
    );
  }
  return name as Activation;
}

/** Applies `act` to `x` in graph `g`. */
export function applyActivation(g: Graph, x: Tensor, act: Activation): Tensor {
  switch (act) {
    case 'relu':
      return g.relu(x);
    case 'sigmoid':
      return g.sigmoid(x);
    case 'tanh':
      return g.tanh(x);
    case 'leaky-relu':
      return g.leakyRelu(x, LEAKY_SLOPE);
    case 'linear':
      return x;
  }
}
