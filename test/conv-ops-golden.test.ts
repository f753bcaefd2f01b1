// Conv, ConvTranspose, MaxPool and nearest Upsample against PyTorch 1.13 (golden file made by
// test/golden/conv_ops_torch.py): forward values and the gradients of sum(y * weighting), by
// the float64 reference interpreter (atol 1e-12, rtol 1e-10: both float64, sums in another
// order) and by onnxruntime on the emitted model (float32: atol 1e-5, rtol 1e-4).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Graph } from '../src/graph/graph.js';
import { gradients } from '../src/graph/autodiff.js';
import { evaluate, type Value } from '../src/graph/evaluate.js';
import type { Tensor } from '../src/graph/tensor.js';
import type { AutoPad } from '../src/graph/conv-shape.js';
import { makeModel } from '../src/onnx/emit.js';
import { RtTensor, Session } from '../src/runtime/session.js';
import { assertClose } from './helpers/close.js';

interface Attrs {
  strides?: number[];
  pads?: number[];
  autoPad?: AutoPad;
  outputPadding?: number[];
  kernelShape?: number[];
  scale?: [number, number];
}
interface GoldenCase {
  name: string;
  op: 'Conv' | 'ConvTranspose' | 'MaxPool' | 'Resize';
  attrs: Attrs;
  inputs: { shape: number[]; data: number[] }[];
  weighting: number[];
  y: { shape: number[]; data: number[] };
  grads: number[][];
}

const golden = JSON.parse(readFileSync('test/golden/conv_ops_torch.json', 'utf8')) as {
  cases: GoldenCase[];
};

function build(g: Graph, c: GoldenCase, [x, w, b]: Tensor[]): Tensor {
  const { kernelShape, scale, ...window } = c.attrs;
  switch (c.op) {
    case 'Conv':
      return g.conv(x, w, b, window);
    case 'ConvTranspose':
      return g.convTranspose(x, w, b, window);
    case 'MaxPool':
      return g.maxPool(x, { ...window, kernelShape: kernelShape ?? [] });
    case 'Resize':
      return g.upsample(x, scale ?? [1, 1]);
  }
}

for (const c of golden.cases) {
  test(`${c.name}: forward and gradients match PyTorch (float64 interpreter and onnxruntime)`, async () => {
    const g = new Graph();
    const xs = c.inputs.map((v, i) => g.input(`x${i}`, v.shape));
    const y = build(g, c, xs);
    assert.deepEqual(y.shape, c.y.shape, 'output shape');
    const loss = g.reduceSum(g.mul(y, g.constant(c.weighting, c.y.shape)), [], false);
    const grads = gradients(g, loss, xs);
    const outs: Record<string, Tensor> = { y };
    grads.forEach((t, i) => (outs[`g${i}`] = t));
    g.setOutputs(outs);
    const expected = [c.y.data, ...c.grads];

    const feeds: Record<string, Value> = {};
    const rt: Record<string, RtTensor> = {};
    xs.forEach((x, i) => {
      feeds[x.name] = { shape: c.inputs[i].shape, data: Float64Array.from(c.inputs[i].data) };
      rt[x.name] = new RtTensor(Float32Array.from(c.inputs[i].data), c.inputs[i].shape);
    });
    const ref = evaluate(g, feeds, g.outputs);
    g.outputs.forEach((o, i) =>
      assertClose(ref[i].data, expected[i], {
        atol: 1e-12,
        rtol: 1e-10,
        what: `reference ${o.name}`,
      }),
    );

    const s = await Session.create(makeModel(g), { threads: 1 });
    try {
      const got = await s.run(rt);
      g.outputs.forEach((o, i) =>
        assertClose(got[o.name].data as Float32Array, expected[i], {
          atol: 1e-5,
          rtol: 1e-4,
          what: `onnxruntime ${o.name}`,
        }),
      );
    } finally {
      await s.dispose();
    }
  });
}

test('the golden file holds every case the script writes, with ties in two MaxPool cases', () => {
  assert.equal(golden.cases.length, 11);
  const ties = golden.cases.filter((c) => c.op === 'MaxPool' && /ties/.test(c.name));
  for (const c of ties) {
    const zeros = c.inputs[0].data.filter((v) => v === 0).length;
    assert.ok(zeros > c.inputs[0].data.length / 4, `${c.name}: ${zeros} zeros`);
  }
  assert.equal(ties.length, 2);
});
