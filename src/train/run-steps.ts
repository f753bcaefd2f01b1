/**
 * One onnxruntime call of the training graph (K steps) and the evaluation of reconstruction
 * error between epochs: the state in and out of the Loop graph (step-graph.ts) as typed arrays.
 * A denoising graph's corrupted inputs and a spec's dropout masks for global step t are drawn
 * from `stepRng(seed, t)`, so they depend only on the seed and the step: a resumed run and the
 * replay after a non-finite loss draw the same values.
 */
import { ConfigError } from '../errors.js';
import { RtTensor, type Session } from '../runtime/session.js';
import type { Optimizer } from '../optim/optimizer.js';
import { corrupt, type DataRange, type NoiseSpec } from '../nn/noise.js';
import { dropoutMask } from '../nn/dropout.js';
import type { Matrix32 } from '../util/matrix.js';
import { Rng } from '../util/rng.js';
import { nextName, type TrainGraph } from './step-graph.js';

/** Parameters and optimiser slots between chunks. */
export interface State {
  params: Float32Array[];
  slots: Float32Array[][];
}

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

/** Runs `count` steps starting at row offset `offset` of `perm` at base rate `lr`; returns the new state and the losses. */
export async function runSteps(
  g: TrainGraph,
  s: Session,
  data: RtTensor,
  perm: Uint32Array,
  offset: number,
  count: number,
  size: number,
  stepBefore: number,
  state: State,
  optimizer: Optimizer,
  lr?: number,
  draws?: StepDraws,
): Promise<{ next: State; losses: Float32Array }> {
  const idx = new BigInt64Array(count * size);
  for (let i = 0; i < idx.length; i++) idx[i] = BigInt(perm[offset + i]);
  const feeds: Record<string, RtTensor> = { data, batches: new RtTensor(idx, [count, size]) };
  if (g.noisy || g.masks.length > 0) {
    if (!draws) throw new ConfigError('runSteps: this graph needs draws (noise or dropout)');
    const d = data.dims[1];
    const x = data.data as Float32Array;
    const noisy = g.noisy ? new Float32Array(count * size * d) : undefined;
    const masks = g.masks.map((m) => new Float32Array(count * m.shape.reduce((a, b) => a * b, 1)));
    for (let i = 0; i < count; i++) {
      const rng = stepRng(draws.seed, stepBefore + i + 1);
      if (noisy) {
        const clean = new Float32Array(size * d);
        for (let b = 0; b < size; b++) {
          const r = perm[offset + i * size + b];
          clean.set(x.subarray(r * d, (r + 1) * d), b * d);
        }
        if (!draws.noise || !draws.range)
          throw new ConfigError('runSteps: a noisy graph needs draws.noise and draws.range');
        corrupt(
          clean,
          draws.noise,
          rng,
          draws.range,
          noisy.subarray(i * size * d, (i + 1) * size * d),
        );
      }
      g.masks.forEach((m, k) => {
        const n = masks[k].length / count;
        dropoutMask(rng, n, m.rate, masks[k].subarray(i * n, (i + 1) * n));
      });
    }
    if (noisy) feeds.noisy = new RtTensor(noisy, [count, size, d]);
    g.masks.forEach((m, k) => (feeds[m.name] = new RtTensor(masks[k], [count, ...m.shape])));
  }
  for (const name of g.scalars) {
    const values = new Float32Array(count);
    for (let i = 0; i < count; i++)
      values[i] = optimizer.scalarValues(stepBefore + i + 1, lr)[name];
    feeds[name] = new RtTensor(values, [count]);
  }
  g.params.forEach((p, i) => {
    feeds[p.name] = new RtTensor(state.params[i], p.shape);
    g.slotNames[i].forEach((n, k) => (feeds[n] = new RtTensor(state.slots[i][k], p.shape)));
  });
  const res = await s.run(feeds);
  return {
    next: {
      params: g.params.map((p) => res[nextName(p.name)].data as Float32Array),
      slots: g.params.map((_, i) =>
        g.slotNames[i].map((n) => res[nextName(n)].data as Float32Array),
      ),
    },
    losses: res.losses.data as Float32Array,
  };
}

/** Rows per evaluation call at most (fewer for models with large feature maps: rowsPerCall). */
export const EVAL_ROWS = 10000;

/**
 * Mean squared reconstruction error per element over the rows of `data` (scaled), and the mean
 * BCE when the graph has it; against `target` (same size) for a graph built with `target`.
 */
export async function evaluate(
  s: Session,
  g: TrainGraph,
  params: Float32Array[],
  data: Matrix32,
  target?: Matrix32,
  rowsPerCall = EVAL_ROWS,
): Promise<{ mse: number; bce: number }> {
  const feeds: Record<string, RtTensor> = {};
  g.params.forEach((p, i) => (feeds[p.name] = new RtTensor(params[i], p.shape)));
  let sse = 0;
  let bce = 0;
  for (let r0 = 0; r0 < data.rows; r0 += rowsPerCall) {
    const r1 = Math.min(data.rows, r0 + rowsPerCall);
    feeds.data = new RtTensor(data.data.subarray(r0 * data.cols, r1 * data.cols), [
      r1 - r0,
      data.cols,
    ]);
    if (target)
      feeds.target = new RtTensor(target.data.subarray(r0 * data.cols, r1 * data.cols), [
        r1 - r0,
        data.cols,
      ]);
    const res = await s.run(feeds);
    sse += res.sse.data[0] as number;
    if (res.bce) bce += (res.bce.data[0] as number) * (r1 - r0);
  }
  return { mse: sse / (data.rows * data.cols), bce: bce / data.rows };
}
