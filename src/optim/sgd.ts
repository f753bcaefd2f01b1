/**
 * Stochastic gradient descent with optional (Nesterov) momentum, in PyTorch's form
 * (v = mu*v + g; p -= lr*v), which equals Keras' (v = mu*v - lr*g; p += v) at a constant
 * learning rate.
 */
import { checkNumber } from '../util/check.js';
import type { Optimizer, OptimizerConfig } from './optimizer.js';

/** SGD settings; defaults lr 0.01 (Keras), momentum 0. */
export interface SgdOptions {
  learningRate?: number;
  momentum?: number;
  nesterov?: boolean;
}

/** Creates SGD. @throws ConfigError */
export function sgd(opts: SgdOptions = {}): Optimizer {
  const config: OptimizerConfig = {
    name: 'sgd',
    learningRate: checkNumber('learningRate', opts.learningRate ?? 0.01, 0, Infinity, {
      exclusiveMin: true,
    }),
    momentum: checkNumber('momentum', opts.momentum ?? 0, 0, 0.999999),
    nesterov: opts.nesterov ?? false,
  };
  const { learningRate, momentum, nesterov } = config;
  return {
    config,
    slots: momentum > 0 ? ['velocity'] : [],
    scalars: ['lr'],
    update(g, p, grad, state, s) {
      if (momentum === 0) return { p: g.sub(p, g.mul(grad, s.lr)), state: [] };
      const v2 = g.add(g.mul(state[0], g.scalar(momentum)), grad);
      const dir = nesterov ? g.add(grad, g.mul(v2, g.scalar(momentum))) : v2;
      return { p: g.sub(p, g.mul(dir, s.lr)), state: [v2] };
    },
    scalarValues(_t, lr = learningRate) {
      return { lr };
    },
  };
}
