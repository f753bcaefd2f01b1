/**
 * What a training step draws on the host: a denoising graph's corrupted input, a spec's dropout
 * masks and a VAE's noise ε for global step t all come from `stepRng(seed, t)`, in that order,
 * so they depend only on the seed and the step: a resumed run, the replay after a non-finite
 * loss and a chunk drawn ahead in a worker (noise-pool.ts) draw the same values. The input
 * corruption takes exactly the first four words of the step's stream (it seeds its own
 * xoshiro128** stream with them, nn/noise.ts); the masks and ε follow.
 */
import { corrupt, type DataRange, type NoiseSpec } from '../nn/noise.js';
import { Rng } from '../util/rng.js';

/** What a denoising or dropout graph draws per step. */
export interface StepDraws {
  /** Seeds every step's Rng (stepRng). */
  seed: number;
  /** Input corruption (for a graph built with `noisy`). */
  noise?: readonly NoiseSpec[];
  /** The range corrupted values are clipped to (the scaled training data's). */
  range?: DataRange;
}

/** The Rng of global step `step` (1-based): its own PCG32 stream, apart from the shuffling's. */
export function stepRng(seed: number, step: number): Rng {
  return new Rng(seed, 2 ** 20 + step);
}

/** Words of a step's stream the input corruption takes before the masks and ε. */
export const CORRUPTION_WORDS = 4;

/** Standard normal draws into `out`, in order (a VAE's ε). */
export function fillNormal(rng: Rng, out: Float32Array): Float32Array {
  for (let i = 0; i < out.length; i++) out[i] = rng.normal();
  return out;
}

/** One chunk: `count` steps of `size` rows of `d` values, after global step `stepBefore`. */
export interface NoiseJob {
  count: number;
  size: number;
  d: number;
  seed: number;
  stepBefore: number;
  noise: readonly NoiseSpec[];
  range: DataRange;
}

/** Rows `perm[offset .. offset + rows - 1]` of `x` (rows of `d` values), in that order. */
export function gatherRows(
  x: Float32Array,
  d: number,
  perm: Uint32Array,
  offset: number,
  rows: number,
): Float32Array {
  const out = new Float32Array(rows * d);
  for (let b = 0; b < rows; b++) {
    const r = perm[offset + b];
    out.set(x.subarray(r * d, (r + 1) * d), b * d);
  }
  return out;
}

/** A chunk's corrupted batches: step i's rows corrupted with stepRng(seed, stepBefore + i + 1). */
export function corruptSteps(clean: Float32Array, job: NoiseJob): Float32Array {
  const n = job.size * job.d;
  const out = new Float32Array(job.count * n);
  for (let i = 0; i < job.count; i++) {
    corrupt(
      clean.subarray(i * n, (i + 1) * n),
      job.noise,
      stepRng(job.seed, job.stepBefore + i + 1),
      job.range,
      out.subarray(i * n, (i + 1) * n),
    );
  }
  return out;
}
