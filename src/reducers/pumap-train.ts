/**
 * Parametric UMAP's training loop on the host: per epoch, as many edges as the graph has are
 * drawn by weight (pumap-edges.ts) into batches of `batchSize` heads and tails, each head gets
 * `negativeSampleRate` partners drawn uniformly from its batch's tails (the repulsive pairs;
 * umap-learn shuffles the repeated tails, the same draw without replacement), and `stepsPerCall`
 * steps run in one call of the Loop graph (train/pumap-graph.ts). Everything drawn comes from one
 * PCG32 stream seeded by `seed`, so a seed and thread count give the same weights.
 */
import { TrainingDivergedError } from '../errors.js';
import type { NetSpec } from '../nn/autoencoder-spec.js';
import { latentDim } from '../nn/autoencoder-spec.js';
import type { Optimizer } from '../optim/optimizer.js';
import { RtTensor, Session } from '../runtime/session.js';
import { nextName } from '../train/step-graph.js';
import {
  buildPumapGraph,
  type PumapReconstruction,
  type UmapLossTerms,
} from '../train/pumap-graph.js';
import type { Matrix32 } from '../util/matrix.js';
import { Rng } from '../util/rng.js';
import { EdgeSampler, type Edges } from './pumap-edges.js';

/** How the encoder is trained. */
export interface PumapTrainSettings {
  nEpochs: number;
  batchSize: number;
  stepsPerCall: number;
  seed: number;
  threads?: number;
  spin?: boolean;
  /** Called after every call with the epoch (1-based), steps done in it and the mean loss so far. */
  onProgress?: (p: { epoch: number; step: number; steps: number; loss: number }) => void;
}

/** Trains `params` (updated copies returned) and gives each epoch's mean loss. @throws TrainingDivergedError */
export async function trainPumap(
  spec: NetSpec,
  params: Float32Array[],
  data: Matrix32,
  edges: Edges,
  optimizer: Optimizer,
  terms: UmapLossTerms,
  reconstruction: PumapReconstruction | undefined,
  s: PumapTrainSettings,
): Promise<{ params: Float32Array[]; epochLosses: number[] }> {
  const b = s.batchSize;
  const r = terms.negativeSampleRate;
  const c = latentDim(spec);
  const g = buildPumapGraph(spec, optimizer, b, terms, reconstruction);
  const session = await Session.create(g.bytes, { threads: s.threads, spin: s.spin });
  const sampler = new EdgeSampler(edges.weight);
  const rng = new Rng(s.seed, 77);
  const dataT = new RtTensor(data.data, [data.rows, data.cols]);
  const size = (shape: number[]): number => shape.reduce((x, y) => x * y, 1);
  let state: { params: Float32Array[]; slots: Float32Array[][] } = {
    params: params.slice(0, g.params.length),
    slots: g.params.map((p, i) => g.slotNames[i].map(() => new Float32Array(size(p.shape)))),
  };
  const epochLosses: number[] = [];
  const stepsPerEpoch = Math.max(1, Math.floor(edges.weight.length / b));
  let t = 0;
  try {
    for (let epoch = 1; epoch <= s.nEpochs; epoch++) {
      let sum = 0;
      for (let done = 0; done < stepsPerEpoch;) {
        const k = Math.min(s.stepsPerCall, stepsPerEpoch - done);
        const heads = new BigInt64Array(k * b);
        const tails = new BigInt64Array(k * b);
        const negs = new BigInt64Array(k * b * r * c);
        for (let i = 0; i < k * b; i++) {
          const e = sampler.draw(rng);
          heads[i] = BigInt(edges.head[e]);
          tails[i] = BigInt(edges.tail[e]);
        }
        for (let i = 0; i < k * b * r; i++) {
          const at = rng.int(b) * c;
          for (let j = 0; j < c; j++) negs[i * c + j] = BigInt(at + j);
        }
        const feeds: Record<string, RtTensor> = {
          data: dataT,
          heads: new RtTensor(heads, [k, b]),
          tails: new RtTensor(tails, [k, b]),
          negatives: new RtTensor(negs, [k, b * r * c]),
        };
        for (const name of g.scalars) {
          const v = new Float32Array(k);
          for (let i = 0; i < k; i++) v[i] = optimizer.scalarValues(t + i + 1)[name];
          feeds[name] = new RtTensor(v, [k]);
        }
        g.params.forEach((p, i) => {
          feeds[p.name] = new RtTensor(state.params[i], p.shape);
          g.slotNames[i].forEach((n, j) => (feeds[n] = new RtTensor(state.slots[i][j], p.shape)));
        });
        const res = await session.run(feeds);
        const losses = res.losses.data as Float32Array;
        if (losses.length < k || !Number.isFinite(losses[losses.length - 1])) {
          throw new TrainingDivergedError(
            `parametric UMAP: the loss became non-finite at step ${t + losses.length} (epoch ${epoch}); lower learningRate`,
            epoch,
            done + losses.length,
          );
        }
        for (const l of losses) sum += l;
        state = {
          params: g.params.map((p) => res[nextName(p.name)].data as Float32Array),
          slots: g.params.map((_, i) =>
            g.slotNames[i].map((n) => res[nextName(n)].data as Float32Array),
          ),
        };
        t += k;
        done += k;
        s.onProgress?.({ epoch, step: done, steps: stepsPerEpoch, loss: sum / done });
      }
      epochLosses.push(sum / stepsPerEpoch);
    }
  } finally {
    await session.dispose();
  }
  return { params: [...state.params, ...params.slice(g.params.length)], epochLosses };
}
