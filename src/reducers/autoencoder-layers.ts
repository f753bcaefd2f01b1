/**
 * The layer spec of a convolutional (or any layer-list) Autoencoder reducer from its options:
 * `conv` (the TensorFlow tutorial's family, as `aedr train --conv`, nn/layer-spec.ts
 * convShorthand) or `spec` (the JSON of `aedr train --spec`), with `inputShape`. Kept apart from
 * autoencoder.ts so the options' checks read in one place.
 */
import { ConfigError } from '../errors.js';
import type { Activation } from '../nn/activation.js';
import { convShorthand, parseModelSpec, type ModelSpec } from '../nn/layer-spec.js';

/** A layer spec as `aedr train --spec` reads it (nn/layer-spec.ts); inputShape may come from the option. */
export interface LayerSpecJSON {
  inputShape?: number[];
  encoder: Record<string, unknown>[];
  decoder: Record<string, unknown>[];
}

/** The options layerSpecOf reads (a subset of AutoencoderOptions). */
export interface LayerOptions {
  conv?: string;
  spec?: LayerSpecJSON;
  inputShape?: number[];
  nComponents?: number;
  hiddenLayers?: number[];
  activation?: Activation;
  codeActivation?: Activation;
  outputActivation?: Activation;
}

/**
 * The layer spec that `conv` or `spec` describe (undefined for a dense stack).
 * @throws ConfigError for a bad combination or field, ShapeError for layers whose shapes do not chain
 */
export function layerSpecOf(o: LayerOptions): ModelSpec | undefined {
  if (o.conv === undefined && o.spec === undefined) {
    if (o.inputShape !== undefined)
      throw new ConfigError('inputShape applies to conv or spec models; give conv or spec too');
    return undefined;
  }
  if (o.conv !== undefined && o.spec !== undefined)
    throw new ConfigError('give conv or spec, not both');
  for (const k of ['nComponents', 'hiddenLayers', 'codeActivation'] as const) {
    if (o[k] !== undefined)
      throw new ConfigError(
        `${k} does not apply to a ${o.conv !== undefined ? 'conv' : 'spec'} model (its layers set the code); leave it out`,
      );
  }
  if (o.conv !== undefined) {
    if (o.inputShape === undefined)
      throw new ConfigError(`conv needs inputShape, the [H, W, C] of each row (e.g. [28, 28, 1])`);
    return convShorthand(o.conv, [...o.inputShape], {
      ...(o.activation ? { activation: o.activation } : {}),
      ...(o.outputActivation ? { outputActivation: o.outputActivation } : {}),
    });
  }
  const raw = o.spec as unknown;
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw) && !('inputShape' in raw)) {
    if (o.inputShape === undefined)
      throw new ConfigError('spec has no inputShape; add it to the spec or give inputShape');
    return parseModelSpec({ inputShape: o.inputShape, ...raw }, 'spec');
  }
  return parseModelSpec(raw, 'spec');
}
