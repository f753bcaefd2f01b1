/** Builds an optimiser from its recorded config (model.json) or CLI name. */
import { ConfigError } from '../errors.js';
import { adam } from './adam.js';
import type { Optimizer, OptimizerConfig } from './optimizer.js';
import { sgd } from './sgd.js';

/** The optimiser a config describes. @throws ConfigError */
export function optimizerFromConfig(c: OptimizerConfig): Optimizer {
  switch (c.name) {
    case 'adam':
      return adam(c);
    case 'sgd':
      return sgd(c);
    default:
      throw new ConfigError(
        `optimizer must be adam or sgd, got ${JSON.stringify((c as { name: unknown }).name)}`,
      );
  }
}
