/**
 * One onnxruntime call of the training graph (K steps) and the evaluation of reconstruction
 * error between epochs: the state in and out of the Loop graph (step-graph.ts) as typed arrays.
 * A denoising graph's corrupted inputs, a spec's dropout masks and a VAE's noise ε are drawn
 * per step as step-draws.ts says; a chunk's corrupted inputs may come ready-made (noise-pool.ts).
 */
import { ConfigError } from '../errors.js';
import { RtTensor, type Session } from '../runtime/session.js';
import type { Optimizer } from '../optim/optimizer.js';
import { dropoutMask } from '../nn/dropout.js';
import type { Matrix32 } from '../util/matrix.js';
import { nextName, termName, type TrainGraph } from './step-graph.js';
import {
  CORRUPTION_WORDS,
  corruptSteps,
  fillNormal,
  gatherRows,
  stepRng,
  type StepDraws,
} from './step-draws.js';

export { fillNormal, stepRng, type StepDraws } from './step-draws.js';

/** Parameters and optimiser slots between chunks. */
export interface State {
  params: Float32Array[];
  slots: Float32Array[][];
}

/**
 * Runs `count` steps starting at row offset `offset` of `perm` at base rate `lr`; returns the
 * new state, the losses and each loss part's per-step values (`terms`, as the graph names them).
 * `ready`: the chunk's corrupted input drawn ahead (corruptSteps, e.g. by noise-pool.ts).
 */
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
  ready?: Float32Array,
): Promise<{ next: State; losses: Float32Array; terms: Record<string, Float32Array> }> {
  const idx = new BigInt64Array(count * size);
  for (let i = 0; i < idx.length; i++) idx[i] = BigInt(perm[offset + i]);
  const feeds: Record<string, RtTensor> = { data, batches: new RtTensor(idx, [count, size]) };
  if (g.noisy || g.masks.length > 0 || g.eps) {
    if (!draws) throw new ConfigError('runSteps: this graph needs draws (noise, dropout or eps)');
    const d = data.dims[1];
    let noisy: Float32Array | undefined;
    if (g.noisy) {
      if (!draws.noise || !draws.range)
        throw new ConfigError('runSteps: a noisy graph needs draws.noise and draws.range');
      noisy =
        ready ??
        corruptSteps(gatherRows(data.data as Float32Array, d, perm, offset, count * size), {
          count,
          size,
          d,
          seed: draws.seed,
          stepBefore,
          noise: draws.noise,
          range: draws.range,
        });
      if (noisy.length !== count * size * d)
        throw new ConfigError(
          `runSteps: the ready corrupted input has ${noisy.length} values, the chunk needs ${count * size * d}`,
        );
    }
    const masks = g.masks.map((m) => new Float32Array(count * m.shape.reduce((a, b) => a * b, 1)));
    const epsPer = g.eps ? g.eps[0] * g.eps[1] : 0;
    const eps = g.eps ? new Float32Array(count * epsPer) : undefined;
    if (masks.length > 0 || eps) {
      for (let i = 0; i < count; i++) {
        const rng = stepRng(draws.seed, stepBefore + i + 1);
        // The corruption took the stream's first words (step-draws.ts).
        if (noisy) for (let k = 0; k < CORRUPTION_WORDS; k++) rng.nextU32();
        g.masks.forEach((m, k) => {
          const n = masks[k].length / count;
          dropoutMask(rng, n, m.rate, masks[k].subarray(i * n, (i + 1) * n));
        });
        if (eps) fillNormal(rng, eps.subarray(i * epsPer, (i + 1) * epsPer));
      }
    }
    if (noisy) feeds.noisy = new RtTensor(noisy, [count, size, d]);
    if (eps && g.eps) feeds.eps = new RtTensor(eps, [count, ...g.eps]);
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
    terms: Object.fromEntries(
      g.terms.map((t) => [t, res[termName(t)].data as Float32Array] as const),
    ),
  };
}

/** Rows per evaluation call at most (fewer for models with large feature maps: rowsPerCall). */
export const EVAL_ROWS = 10000;

/** What `evaluate` measures; the optional parts come from graphs built to give them. */
export interface Evaluation {
  /** Mean squared error per element (through the code, a VAE's μ). */
  mse: number;
  /** Mean binary cross-entropy per element (0 when the graph has none). */
  bce: number;
  /** A VAE's reconstruction loss summed per row and its KL, both averaged over the rows (z sampled with the given ε). */
  recon?: number;
  kl?: number;
  /** The mean code activation over rows and units. */
  codeMean?: number;
}

/**
 * Mean squared reconstruction error per element over the rows of `data` (scaled), and the mean
 * BCE when the graph has it; against `target` (same size) for a graph built with `target`.
 * A VAE's evaluation graph also takes `eps` [rows, latentDim] (inference-graph.ts `evalModel`).
 */
export async function evaluate(
  s: Session,
  g: TrainGraph,
  params: Float32Array[],
  data: Matrix32,
  target?: Matrix32,
  rowsPerCall = EVAL_ROWS,
  eps?: Matrix32,
): Promise<Evaluation> {
  const feeds: Record<string, RtTensor> = {};
  g.params.forEach((p, i) => (feeds[p.name] = new RtTensor(params[i], p.shape)));
  let sse = 0;
  let bce = 0;
  let recon = 0;
  let kl = 0;
  let codeSum = 0;
  const sums = { recon: false, kl: false, code: false };
  for (let r0 = 0; r0 < data.rows; r0 += rowsPerCall) {
    const r1 = Math.min(data.rows, r0 + rowsPerCall);
    feeds.data = new RtTensor(data.data.subarray(r0 * data.cols, r1 * data.cols), [
      r1 - r0,
      data.cols,
    ]);
    if (eps)
      feeds.eps = new RtTensor(eps.data.subarray(r0 * eps.cols, r1 * eps.cols), [
        r1 - r0,
        eps.cols,
      ]);
    if (target)
      feeds.target = new RtTensor(target.data.subarray(r0 * data.cols, r1 * data.cols), [
        r1 - r0,
        data.cols,
      ]);
    const res = await s.run(feeds);
    sse += res.sse.data[0] as number;
    if (res.bce) bce += (res.bce.data[0] as number) * (r1 - r0);
    if (res.recon_sum) recon += res.recon_sum.data[0] as number;
    if (res.kl_sum) kl += res.kl_sum.data[0] as number;
    if (res.code_sum) codeSum += res.code_sum.data[0] as number;
    sums.recon ||= res.recon_sum !== undefined;
    sums.kl ||= res.kl_sum !== undefined;
    sums.code ||= res.code_sum !== undefined;
  }
  const n = data.rows;
  return {
    mse: sse / (n * data.cols),
    bce: bce / n,
    ...(sums.recon ? { recon: recon / n } : {}),
    ...(sums.kl ? { kl: kl / n } : {}),
    ...(sums.code ? { codeMean: codeSum / n } : {}),
  };
}
