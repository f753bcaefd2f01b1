// The UMAP loss of parametric UMAP (pumap-graph.ts): its value against umap-learn 0.5's formula
// (parametric_umap.py: convert_distance_to_probability, compute_cross_entropy with EPS 1e-4,
// reduce_mean) written out in float64 here, its gradient against central differences through the
// float64 reference interpreter, and the training graph's shape contract.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Graph } from '../graph/graph.js';
import { evaluate, type Value } from '../graph/evaluate.js';
import { adam } from '../optim/adam.js';
import { Rng } from '../util/rng.js';
import { assertClose } from '../../test/helpers/close.js';
import { checkGradients } from '../../test/helpers/grad-check.js';
import { buildPumapGraph, umapLoss, UMAP_LOSS_EPS, type UmapLossTerms } from './pumap-graph.js';
import { decodeModel } from '../onnx/emit.js';

const B = 6;
const C = 2;
const R = 3;
const terms: UmapLossTerms = { a: 1.577, b: 0.895, repulsionStrength: 0.7, negativeSampleRate: R };

function setup(seed: number): {
  g: Graph;
  feeds: Record<string, Value>;
  loss: ReturnType<typeof umapLoss>;
  inputs: ReturnType<Graph['input']>[];
  neg: number[];
} {
  const r = new Rng(seed);
  const g = new Graph();
  const h = g.input('h', [B, C]);
  const t = g.input('t', [B, C]);
  const neg = Array.from({ length: B * R }, () => r.int(B));
  const flat = neg.flatMap((j) => Array.from({ length: C }, (_, c) => j * C + c));
  const loss = umapLoss(g, h, t, g.constant(flat, [flat.length], 'int64'), B, C, terms);
  const v = (): Value => ({
    shape: [B, C],
    data: Float64Array.from({ length: B * C }, () => r.uniform(-1, 1)),
  });
  return { g, feeds: { h: v(), t: v() }, loss, inputs: [h, t], neg };
}

/** umap-learn's loss on the same pairs, float64. */
function reference(h: Float64Array, t: Float64Array, neg: number[]): number {
  const p = (x: Float64Array, i: number, y: Float64Array, j: number): number => {
    let d2 = 0;
    for (let c = 0; c < C; c++) d2 += (x[i * C + c] - y[j * C + c]) ** 2;
    return 1 / (1 + terms.a * Math.sqrt(d2) ** (2 * terms.b));
  };
  const clip = (v: number): number => Math.min(1, Math.max(UMAP_LOSS_EPS, v));
  let sum = 0;
  for (let i = 0; i < B; i++) sum += -Math.log(clip(p(h, i, t, i)));
  neg.forEach((j, k) => {
    sum += -Math.log(clip(1 - p(h, Math.floor(k / R), t, j))) * terms.repulsionStrength;
  });
  return sum / (B * (1 + R));
}

test('umapLoss equals umap-learn cross-entropy on the same pairs (float64, rtol 1e-9: the 1e-12 added to d² is all that differs)', () => {
  for (const seed of [1, 2, 3]) {
    const { g, feeds, loss, neg } = setup(seed);
    const got = evaluate(g, feeds, [loss])[0].data[0];
    assertClose(got, reference(feeds.h.data, feeds.t.data, neg), {
      rtol: 1e-9,
      what: `loss, seed ${seed}`,
    });
  }
});

test('umapLoss clips as umap-learn: a coinciding positive pair and a far negative cost nothing beyond -log(1e-4)', () => {
  const { g, feeds, loss, neg } = setup(4);
  // Put tail 0 far from every head: its negatives hit p < 1e-4, its positive pair the cap -log(1e-4).
  feeds.t.data[0] = 1e3;
  feeds.t.data[1] = -1e3;
  const got = evaluate(g, feeds, [loss])[0].data[0];
  assertClose(got, reference(feeds.h.data, feeds.t.data, neg), {
    rtol: 1e-9,
    what: 'clipped loss',
  });
});

test('umapLoss gradient matches central differences (float64, h = 1e-6, atol 1e-8, rtol 1e-5)', () => {
  for (const seed of [5, 6]) {
    const { g, feeds, loss, inputs } = setup(seed);
    checkGradients(g, loss, inputs, feeds, { atol: 1e-8, rtol: 1e-5 });
  }
});

test('buildPumapGraph: inputs data, heads, tails, negatives, lr_t, parameters and slots; the decoder only with a reconstruction term', () => {
  const spec = {
    inputDim: 5,
    encoder: [
      { units: 4, activation: 'relu' as const },
      { units: 2, activation: 'linear' as const },
    ],
    decoder: [{ units: 5, activation: 'sigmoid' as const }],
  };
  const names = (bytes: Uint8Array): string[] =>
    (decodeModel(bytes).graph?.input ?? []).map((i) => i.name ?? '');
  const enc = buildPumapGraph(spec, adam(), 8, terms);
  assert.deepEqual(
    enc.params.map((p) => p.name),
    ['encoder.0.weight', 'encoder.0.bias', 'encoder.1.weight', 'encoder.1.bias'],
  );
  const inputs = names(enc.bytes);
  for (const n of [
    'data',
    'heads',
    'tails',
    'negatives',
    'lr_t',
    'encoder.0.weight',
    'encoder.0.weight.m',
    'encoder.1.bias.v',
  ])
    assert.ok(inputs.includes(n), `input ${n} in ${inputs.join(', ')}`);
  assert.ok(!inputs.some((n) => n.startsWith('decoder.')));
  const ae = buildPumapGraph(spec, adam(), 8, terms, { loss: 'bce', weight: 1 });
  assert.deepEqual(
    ae.params.slice(4).map((p) => p.name),
    ['decoder.0.weight', 'decoder.0.bias'],
  );
});
