/**
 * Dropout masks for training, drawn on the host from the seeded Rng and fed to the step graph
 * as an input multiplied into the activations (`Graph.dropout`). Inverted dropout as Keras
 * and PyTorch (Srivastava et al., JMLR 15, 2014): kept units are scaled by 1 / (1 - rate) so
 * inference, which leaves dropout out, needs no rescaling. A fed mask makes training
 * bit-reproducible from the seed; ONNX Dropout with a seed attribute would draw inside
 * onnxruntime, whose stream is neither aedr's nor stable across calls and builds.
 */
import { ConfigError } from '../errors.js';
import type { Rng } from '../util/rng.js';

/**
 * A mask of `n` values, each 0 with probability `rate`, else 1 / (1 - rate) (written into
 * `out` when given). Draws one Rng uniform per value, in order.
 * @throws ConfigError when rate is outside [0, 1) or out has the wrong length
 * @example
 * dropoutMask(new Rng(1), 4, 0.5); // e.g. Float32Array [2, 0, 0, 2]
 */
export function dropoutMask(
  rng: Rng,
  n: number,
  rate: number,
  out: Float32Array = new Float32Array(n),
): Float32Array {
  if (!(rate >= 0 && rate < 1)) {
    throw new ConfigError(`dropout rate must be in [0, 1), got ${rate}`);
  }
  if (out.length !== n) {
    throw new ConfigError(`dropoutMask: out has ${out.length} values, expected ${n}`);
  }
  const keep = 1 / (1 - rate);
  for (let i = 0; i < n; i++) out[i] = rng.random() < rate ? 0 : keep;
  return out;
}
