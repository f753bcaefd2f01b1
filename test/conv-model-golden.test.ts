// The `--conv 4,2` model on 8x8x1 images built from a layer spec (nn/layer-spec.ts,
// nn/layer-graph.ts) against PyTorch 1.13 (test/golden/conv_model_torch.py): code, output,
// MSE and every parameter's gradient, by the float64 interpreter (atol 1e-12, rtol 1e-9) and
// by onnxruntime on the emitted model (float32: atol 1e-6, rtol 1e-4).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Graph } from '../src/graph/graph.js';
import { gradients } from '../src/graph/autodiff.js';
import { evaluate, type Value } from '../src/graph/evaluate.js';
import type { Tensor } from '../src/graph/tensor.js';
import { makeModel } from '../src/onnx/emit.js';
import { RtTensor, Session } from '../src/runtime/session.js';
import { convShorthand } from '../src/nn/layer-spec.js';
import { applyLayers, layerParamInfos, rowsToImages } from '../src/nn/layer-graph.js';
import { assertClose } from './helpers/close.js';

interface Golden {
  x: number[];
  shape: [number, number];
  params: Record<string, number[]>;
  code: number[];
  y: number[];
  loss: number;
  grads: Record<string, number[]>;
}
const golden = JSON.parse(readFileSync('test/golden/conv_model_torch.json', 'utf8')) as Golden;

test('the --conv 4,2 model matches PyTorch: code, output, loss and gradients', async () => {
  const spec = convShorthand('4,2', [8, 8, 1]);
  const infos = [
    ...layerParamInfos('encoder', spec.encoder),
    ...layerParamInfos('decoder', spec.decoder),
  ];
  assert.deepEqual(
    infos.map((p) => p.name),
    Object.keys(golden.params),
  );
  const g = new Graph();
  const x = g.input('x', golden.shape);
  const params = infos.map((p) => g.input(p.name, p.shape));
  const nEnc = layerParamInfos('encoder', spec.encoder).length;
  const code = applyLayers(
    g,
    rowsToImages(g, x, spec.inputShape),
    spec.encoder,
    params.slice(0, nEnc),
  ).y;
  const img = applyLayers(g, code, spec.decoder, params.slice(nEnc)).y;
  const y = g.flatten(img);
  const d = g.sub(y, x);
  const loss = g.reduceMean(g.mul(d, d), [], false);
  const grads = gradients(g, loss, params);
  const outs: Record<string, Tensor> = { code: g.flatten(code), y, loss };
  grads.forEach((t, i) => (outs[`g.${infos[i].name}`] = t));
  g.setOutputs(outs);
  const expected = [
    golden.code,
    golden.y,
    [golden.loss],
    ...infos.map((p) => golden.grads[p.name]),
  ];
  assert.ok(
    infos.every((p) => golden.grads[p.name].some((v) => Math.abs(v) > 1e-4)),
    'every parameter has a gradient (no dead layer in the fixture)',
  );

  const feeds: Record<string, Value> = {
    x: { shape: golden.shape, data: Float64Array.from(golden.x) },
  };
  const rt: Record<string, RtTensor> = {
    x: new RtTensor(Float32Array.from(golden.x), golden.shape),
  };
  for (const p of infos) {
    feeds[p.name] = { shape: p.shape, data: Float64Array.from(golden.params[p.name]) };
    rt[p.name] = new RtTensor(Float32Array.from(golden.params[p.name]), p.shape);
  }
  const ref = evaluate(g, feeds, g.outputs);
  g.outputs.forEach((o, i) =>
    assertClose(ref[i].data, expected[i], { atol: 1e-12, rtol: 1e-9, what: `reference ${o.name}` }),
  );
  const s = await Session.create(makeModel(g), { threads: 1 });
  try {
    const got = await s.run(rt);
    g.outputs.forEach((o, i) =>
      assertClose(got[o.name].data as Float32Array, expected[i], {
        atol: 1e-6,
        rtol: 1e-4,
        what: `onnxruntime ${o.name}`,
      }),
    );
  } finally {
    await s.dispose();
  }
});
