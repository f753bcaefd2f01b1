/**
 * Generation from a model's prior: codes z ~ N(0, I) drawn from the seeded Rng and decoded
 * through the model's decoder (decoder.onnx), as pytorch/examples' vae/main.py samples
 * `torch.randn(64, 20)` after each epoch. The prior is the one a VAE's KL term pulls its codes
 * towards; a plain autoencoder's codes follow no such distribution, so its samples are
 * decodings of arbitrary points (`sampleFromPrior` still draws them: `priorMatters` says so).
 * Guarantee: the same model, n and seed give the same codes and samples.
 */
import { checkInt } from '../util/check.js';
import { matrix, type Matrix32 } from '../util/matrix.js';
import { Rng } from '../util/rng.js';
import type { AutoencoderModel } from './model.js';
import { fillNormal } from './run-steps.js';

/** Options of `sampleFromPrior`. */
export interface SampleOptions {
  /** Number of samples (default 64). */
  n?: number;
  /** Seeds the draws (default 0). */
  seed?: number;
}

/** Drawn codes and their decodings. */
export interface Samples {
  /** z ~ N(0, I), [n, latentDim]. */
  codes: Matrix32;
  /** The decoder's output for each code, [n, inputDim] in the data's units. */
  samples: Matrix32;
  /** Whether the model is a VAE, whose prior N(0, I) the samples come from. */
  priorMatters: boolean;
}

/**
 * Draws n codes from N(0, I) and decodes them.
 * @example
 * const { samples } = await sampleFromPrior(vae, { n: 64, seed: 1 }); // 64 x 784 images
 * @throws ConfigError when n is not a positive integer
 */
export async function sampleFromPrior(
  model: AutoencoderModel,
  opts: SampleOptions = {},
): Promise<Samples> {
  const n = checkInt('n', opts.n ?? 64, 1);
  const seed = checkInt('seed', opts.seed ?? 0, 0);
  const k = model.latentDim;
  const codes = matrix(n, k, fillNormal(new Rng(seed), new Float32Array(n * k)));
  return { codes, samples: await model.decode(codes), priorMatters: model.variational };
}
