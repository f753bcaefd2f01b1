/**
 * Weight initialisation as Keras' defaults: Glorot-uniform kernels (Glorot & Bengio 2010,
 * limit sqrt(6 / (fanIn + fanOut))) and zero biases, drawn from the seeded RNG.
 */
import type { Rng } from '../util/rng.js';

/** A fanIn x fanOut kernel drawn uniformly from [-limit, limit], limit = sqrt(6/(fanIn+fanOut)). */
export function glorotUniform(fanIn: number, fanOut: number, rng: Rng): Float32Array {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const w = new Float32Array(fanIn * fanOut);
  for (let i = 0; i < w.length; i++) w[i] = rng.uniform(-limit, limit);
  return w;
}
