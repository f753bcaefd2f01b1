/**
 * One onnxruntime call of the training graph (K steps) and the evaluation of reconstruction
 * error between epochs: the state in and out of the Loop graph (step-graph.ts) as typed arrays.
 */
import { RtTensor, type Session } from '../runtime/session.js';
import type { Optimizer } from '../optim/optimizer.js';
import type { Matrix32 } from '../util/matrix.js';
import { nextName, type TrainGraph } from './step-graph.js';

/** Parameters and optimiser slots between chunks. */
export interface State {
  params: Float32Array[];
  slots: Float32Array[][];
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
): Promise<{ next: State; losses: Float32Array }> {
  const idx = new BigInt64Array(count * size);
  for (let i = 0; i < idx.length; i++) idx[i] = BigInt(perm[offset + i]);
  const feeds: Record<string, RtTensor> = { data, batches: new RtTensor(idx, [count, size]) };
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

const EVAL_ROWS = 10000;

/** Mean squared reconstruction error per element over the rows of `data` (scaled), and the mean BCE when the graph has it. */
export async function evaluate(
  s: Session,
  g: TrainGraph,
  params: Float32Array[],
  data: Matrix32,
): Promise<{ mse: number; bce: number }> {
  const feeds: Record<string, RtTensor> = {};
  g.params.forEach((p, i) => (feeds[p.name] = new RtTensor(params[i], p.shape)));
  let sse = 0;
  let bce = 0;
  for (let r0 = 0; r0 < data.rows; r0 += EVAL_ROWS) {
    const r1 = Math.min(data.rows, r0 + EVAL_ROWS);
    feeds.data = new RtTensor(data.data.subarray(r0 * data.cols, r1 * data.cols), [
      r1 - r0,
      data.cols,
    ]);
    const res = await s.run(feeds);
    sse += res.sse.data[0] as number;
    if (res.bce) bce += (res.bce.data[0] as number) * (r1 - r0);
  }
  return { mse: sse / (data.rows * data.cols), bce: bce / data.rows };
}
