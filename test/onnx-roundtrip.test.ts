// Every op case emitted to ONNX and run by onnxruntime equals the float64 reference
// interpreter (float32 tolerance), forward values and gradients alike.
import { test } from 'node:test';
import { Graph } from '../src/graph/graph.js';
import { gradients } from '../src/graph/autodiff.js';
import { evaluate, type Value } from '../src/graph/evaluate.js';
import { makeModel } from '../src/onnx/emit.js';
import { RtTensor, Session } from '../src/runtime/session.js';
import { Rng } from '../src/util/rng.js';
import { CASES } from './helpers/op-cases.js';
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
