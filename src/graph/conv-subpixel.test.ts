// ConvTranspose's kernel gradient in the sub-pixel form (static channels) against the
// swapped-axes Conv route that symbolic channel counts take, an independent derivation, in the
// float64 reference evaluator, over strides 2 and 3, kernels 1 to 5, explicit pads, output
// padding and autoPad SAME_UPPER (tolerance rtol 1e-12: the same sums in another order); and
// the cases it declines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Graph } from './graph.js';
import { gradients } from './autodiff.js';
import { evaluate, type Value } from './evaluate.js';
import { convTransposeKernelGrad } from './conv-subpixel.js';
import type { ConvTransposeOptions } from './conv-shape.js';
import { Rng } from '../util/rng.js';
import { assertClose } from '../../test/helpers/close.js';

const random = (r: Rng, shape: number[]): Value => ({
  shape,
  data: Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => r.uniform(-1, 1)),
});

interface Case {
  x: number[];
  k: [number, number];
  m: number;
  o: ConvTransposeOptions;
}

const CASES: Case[] = [
  { x: [2, 3, 5, 4], k: [3, 3], m: 2, o: { strides: [2, 2], autoPad: 'SAME_UPPER' } },
  {
    x: [2, 3, 5, 4],
    k: [3, 3],
    m: 2,
    o: { strides: [2, 2], pads: [1, 1, 1, 1], outputPadding: [1, 1] },
  },
  { x: [1, 2, 4, 5], k: [4, 4], m: 3, o: { strides: [2, 2], pads: [1, 1, 1, 1] } },
  {
    x: [2, 2, 3, 3],
    k: [5, 3],
    m: 2,
    o: { strides: [2, 2], pads: [2, 0, 1, 1], outputPadding: [1, 0] },
  },
  { x: [1, 3, 4, 3], k: [3, 3], m: 2, o: { strides: [3, 3], outputPadding: [2, 1] } },
  { x: [2, 2, 3, 4], k: [2, 2], m: 4, o: { strides: [2, 2] } },
  { x: [1, 2, 3, 3], k: [1, 1], m: 2, o: { strides: [2, 2], outputPadding: [1, 1] } },
  { x: [2, 1, 4, 4], k: [3, 2], m: 1, o: { strides: [3, 3], pads: [2, 1, 2, 1] } },
];

for (const [i, c] of CASES.entries()) {
  test(`case ${i}: x ${c.x.join('x')}, kernel ${c.k.join('x')}, ${JSON.stringify(c.o)}: d w equals the swapped-axes route's (rtol 1e-12)`, () => {
    const r = new Rng(100 + i);
    const x = random(r, c.x);
    const w = random(r, [c.x[1], c.m, ...c.k]);
    let t: Value | undefined;
    const grads = (channels: number | string): Value[] => {
      const g = new Graph();
      const xi = g.input('x', [c.x[0], channels, c.x[2], c.x[3]]);
      const wi = g.input('w', [channels, c.m, ...c.k]);
      const y = g.convTranspose(xi, wi, undefined, c.o);
      const ti = g.input('t', y.shape);
      t ??= random(new Rng(200 + i), y.shape as number[]);
      const loss = g.reduceSum(g.mul(g.tanh(y), ti), [], false);
      return evaluate(g, { x, w, t }, gradients(g, loss, [xi, wi]));
    };
    const sub = grads(c.x[1]);
    const swapped = grads('c');
    assertClose(sub[0].data, swapped[0].data, { rtol: 1e-12, atol: 1e-12, what: 'd x' });
    assertClose(sub[1].data, swapped[1].data, { rtol: 1e-12, atol: 1e-12, what: 'd w' });
  });
}

test('the static-channel graph does take the sub-pixel route (no ConvTranspose-window unfold of gy)', () => {
  const g = new Graph();
  const x = g.input('x', [2, 3, 5, 4]);
  const w = g.input('w', [3, 2, 3, 3]);
  const y = g.convTranspose(x, w, undefined, { strides: [2, 2], autoPad: 'SAME_UPPER' });
  const before = g.nodes.length;
  gradients(g, g.reduceSum(y, [], false), [w]);
  const added = g.nodes.slice(before);
  // The route's signature: the phase split.
  assert.ok(added.some((n) => n.op === 'SpaceToDepth'));
});

test('declines stride 1, unequal strides, dilation and symbolic channels', () => {
  const g = new Graph();
  const attrs = (s: number[], d = [1, 1]) => ({ strides: s, pads: [0, 0, 0, 0], dilations: d });
  const unfold = (): never => {
    throw new Error('not reached');
  };
  const x = g.input('x', [1, 2, 4, 4]);
  const gy = g.input('gy', [1, 3, 6, 6]);
  assert.equal(convTransposeKernelGrad(g, x, gy, [3, 3], attrs([1, 1]), unfold), undefined);
  assert.equal(convTransposeKernelGrad(g, x, gy, [3, 3], attrs([2, 3]), unfold), undefined);
  assert.equal(convTransposeKernelGrad(g, x, gy, [3, 3], attrs([2, 2], [2, 2]), unfold), undefined);
  const xs = g.input('xs', [1, 'c', 4, 4]);
  assert.equal(convTransposeKernelGrad(g, xs, gy, [3, 3], attrs([2, 2]), unfold), undefined);
});
