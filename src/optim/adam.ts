/**
 * Adam (Kingma & Ba 2015, arXiv:1412.6980) as Keras 2.3 / TF 2.3 computes it, the version the
 * study used: lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t); p -= lr_t * m / (sqrt(v) + eps).
 * PyTorch differs in where epsilon sits: it adds eps to sqrt(v_hat) = sqrt(v / (1 - beta2^t)),
 * so Keras' update equals PyTorch's with eps / sqrt(1 - beta2^t) in its place (at t = 1 and
 * eps = 1e-7, about 3.2e-6); the difference matters only where |gradient| is that small.
 */
import { checkNumber } from '../util/check.js';
import type { Optimizer, OptimizerConfig } from './optimizer.js';

/** Adam settings; defaults are Keras': lr 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7. */
export interface AdamOptions {
  learningRate?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/** Creates Adam. @throws ConfigError for out-of-range settings */
export function adam(opts: AdamOptions = {}): Optimizer {
  const config: OptimizerConfig = {
    name: 'adam',
    learningRate: checkNumber('learningRate', opts.learningRate ?? 0.001, 0, Infinity, {
      exclusiveMin: true,
    }),
    beta1: checkNumber('beta1', opts.beta1 ?? 0.9, 0, 0.999999999),
    beta2: checkNumber('beta2', opts.beta2 ?? 0.999, 0, 0.999999999),
    epsilon: checkNumber('epsilon', opts.epsilon ?? 1e-7, 0, Infinity, { exclusiveMin: true }),
  };
  const { learningRate, beta1, beta2, epsilon } = config;
  return {
    config,
    slots: ['m', 'v'],
    scalars: ['lr_t'],
    update(g, p, grad, [m, v], s) {
      const m2 = g.add(g.mul(m, g.scalar(beta1)), g.mul(grad, g.scalar(1 - beta1)));
      const v2 = g.add(g.mul(v, g.scalar(beta2)), g.mul(g.mul(grad, grad), g.scalar(1 - beta2)));
      const step = g.div(g.mul(m2, s.lr_t), g.add(g.sqrt(v2), g.scalar(epsilon)));
      return { p: g.sub(p, step), state: [m2, v2] };
    },
    scalarValues(t, lr = learningRate) {
      return { lr_t: (lr * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t) };
    },
  };
}
