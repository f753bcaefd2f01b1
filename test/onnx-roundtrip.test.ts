// Every op case emitted to ONNX and run by onnxruntime equals the float64 reference
// interpreter (float32 tolerance), forward values and gradients alike.
import { test } from 'node:test';
import { Graph } from '../src/graph/graph.js';
import { gradients } from '../src/graph/autodiff.js';
import { evaluate, type Value } from '../src/graph/evaluate.js';
import { decodeModel, makeModel } from '../src/onnx/emit.js';
import { RtTensor, Session } from '../src/runtime/session.js';
import { Rng } from '../src/util/rng.js';
import { CASES, WINDOW_MODEL_SHAPES, windowModel } from './helpers/op-cases.js';
import assert from 'node:assert/strict';
import { assertClose } from './helpers/close.js';

for (const c of CASES) {
  test(`ONNX emission of ${c.name} (forward and gradients) matches the reference interpreter (atol 1e-5, rtol 1e-4)`, async () => {
    const r = new Rng(21);
    const g = new Graph();
    const xs = c.shapes.map((s, i) => g.input(`x${i}`, s));
    const y = c.build(g, xs);
    const loss = g.reduceSum(g.mul(y, y), [], false);
    const wrt = (c.wrt ?? xs.map((_, i) => i)).map((i) => xs[i]);
    const grads = gradients(g, loss, wrt);
    const outs: Record<string, typeof y> = { y };
    grads.forEach((t, i) => (outs[`g${i}`] = t));
    g.setOutputs(outs);
    const feeds: Record<string, Value> = {};
    const rt: Record<string, RtTensor> = {};
    xs.forEach((x, i) => {
      const n = c.shapes[i].reduce((a, b) => a * b, 1);
      const data = Float32Array.from({ length: n }, () => (c.init ? c.init(r) : r.uniform(-1, 1)));
      feeds[x.name] = { shape: c.shapes[i], data: Float64Array.from(data) };
      rt[x.name] = new RtTensor(data, c.shapes[i]);
    });
    const expected = evaluate(g, feeds, g.outputs);
    const s = await Session.create(makeModel(g), { threads: 1 });
    try {
      const got = await s.run(rt);
      g.outputs.forEach((o, i) =>
        assertClose(got[o.name].data as Float32Array, expected[i].data, {
          atol: 1e-5,
          rtol: 1e-4,
          what: o.name,
        }),
      );
    } finally {
      await s.dispose();
    }
  });
}

test('a window-op model with a symbolic batch runs at batch 3 and matches the interpreter (atol 1e-5, rtol 1e-4)', async () => {
  const r = new Rng(8);
  const { g, y, loss, params } = windowModel('batch');
  const grads = gradients(g, loss, params);
  g.setOutputs({ y, loss, ...Object.fromEntries(grads.map((t, i) => [`g${i}`, t])) });
  const feeds: Record<string, Value> = {};
  const rt: Record<string, RtTensor> = {};
  for (const [name, shape] of Object.entries({ x: [3, 1, 8, 8], ...WINDOW_MODEL_SHAPES })) {
    const n = shape.reduce((a, b) => a * b, 1);
    const data = Float32Array.from({ length: n }, () => r.uniform(-1, 1));
    feeds[name] = { shape, data: Float64Array.from(data) };
    rt[name] = new RtTensor(data, shape);
  }
  const expected = evaluate(g, feeds, g.outputs);
  const s = await Session.create(makeModel(g), { threads: 1 });
  try {
    const got = await s.run(rt);
    g.outputs.forEach((o, i) =>
      assertClose(got[o.name].data as Float32Array, expected[i].data, {
        atol: 1e-5,
        rtol: 1e-4,
        what: o.name,
      }),
    );
  } finally {
    await s.dispose();
  }
});

test("MaxPool's Indices output is emitted only where a gradient reads it", () => {
  const indexOutputs = (bytes: Uint8Array): number[] =>
    (decodeModel(bytes).graph?.node ?? [])
      .filter((n) => n.opType === 'MaxPool')
      .map((n) => n.output?.length ?? 0);
  const fwd = windowModel('batch');
  fwd.g.setOutputs({ y: fwd.y });
  assert.deepEqual(indexOutputs(makeModel(fwd.g)), [1]);
  const train = windowModel('batch');
  const grads = gradients(train.g, train.loss, train.params);
  train.g.setOutputs({ g0: grads[0] });
  assert.deepEqual(indexOutputs(makeModel(train.g)), [2]);
});
