// Three Adam steps of the TensorFlow tutorial's convolutional autoencoder (`--conv 16,8`,
// 28x28x1, 3,217 parameters) built from the layer spec, with gradients from the graph's rules
// in the float64 interpreter and Keras-form Adam written out here, against PyTorch 1.13
// (test/golden/conv_train_steps_torch.py): losses (rtol 1e-10), each parameter's gradient
// norm at every step (rtol 1e-8) and the weights after three steps (atol 1e-10).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Graph } from '../src/graph/graph.js';
import { gradients } from '../src/graph/autodiff.js';
import { evaluate, type Value } from '../src/graph/evaluate.js';
import { convShorthand } from '../src/nn/layer-spec.js';
import { applyLayers, layerParamInfos, rowsToImages } from '../src/nn/layer-graph.js';
import { assertClose } from './helpers/close.js';

interface Golden {
  params: { name: string; shape: number[]; fanIn: number; fanOut: number }[];
  losses: number[];
  gradNorms: Record<string, number>[];
  final: Record<string, number[]>;
}
const golden = JSON.parse(
  readFileSync('test/golden/conv_train_steps_torch.json', 'utf8'),
) as Golden;

test('three Adam steps of the tutorial conv autoencoder match PyTorch', () => {
  const spec = convShorthand('16,8', [28, 28, 1]);
  assert.equal(spec.params, 3217);
  const encInfos = layerParamInfos('encoder', spec.encoder);
  const infos = [...encInfos, ...layerParamInfos('decoder', spec.decoder)];
  assert.deepEqual(
    infos.map((p) => [p.name, p.shape, ...(p.shape.length > 1 ? [p.fanIn, p.fanOut] : [])]),
    golden.params.map((p) => [p.name, p.shape, ...(p.shape.length > 1 ? [p.fanIn, p.fanOut] : [])]),
  );
  const g = new Graph();
  const x = g.input('x', [4, 784]);
  const params = infos.map((p) => g.input(p.name, p.shape));
  const code = applyLayers(
    g,
    rowsToImages(g, x, spec.inputShape),
    spec.encoder,
    params.slice(0, encInfos.length),
  ).y;
  const y = g.flatten(applyLayers(g, code, spec.decoder, params.slice(encInfos.length)).y);
  const d = g.sub(y, x);
  const loss = g.reduceMean(g.mul(d, d), [], false);
  const grads = gradients(g, loss, params);

  // The start both sides compute (see the script), rounded to float32.
  const feeds: Record<string, Value> = {};
  golden.params.forEach((p, j) => {
    const n = p.shape.reduce((a, b) => a * b, 1);
    const limit = Math.sqrt(6 / (p.fanIn + p.fanOut));
    const data = Float64Array.from({ length: n }, (_, i) =>
      Math.fround(
        p.shape.length > 1 ? limit * Math.sin(0.37 * i + 1.3 * j + 0.1) : 0.01 * Math.cos(i + j),
      ),
    );
    feeds[p.name] = { shape: p.shape, data };
  });
  feeds.x = {
    shape: [4, 784],
    data: Float64Array.from({ length: 4 * 784 }, (_, i) =>
      Math.fround(0.5 + 0.5 * Math.sin(0.05 * i + 0.7 * Math.floor(i / 784))),
    ),
  };
  const [b1, b2, eps, lr] = [0.9, 0.999, 1e-7, 1e-3];
  const m = infos.map((p) => new Float64Array(feeds[p.name].data.length));
  const v = infos.map((p) => new Float64Array(feeds[p.name].data.length));
  for (let t = 1; t <= 3; t++) {
    const [l, ...gs] = evaluate(g, feeds, [loss, ...grads]);
    assertClose(l.data[0], golden.losses[t - 1], { rtol: 1e-10, what: `loss at step ${t}` });
    const lrT = (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
    infos.forEach((p, k) => {
      const gk = gs[k].data;
      assertClose(Math.hypot(...gk), golden.gradNorms[t - 1][p.name], {
        rtol: 1e-8,
        what: `|d loss / d ${p.name}| at step ${t}`,
      });
      const w = feeds[p.name].data;
      for (let i = 0; i < w.length; i++) {
        m[k][i] = b1 * m[k][i] + (1 - b1) * gk[i];
        v[k][i] = b2 * v[k][i] + (1 - b2) * gk[i] * gk[i];
        w[i] -= (lrT * m[k][i]) / (Math.sqrt(v[k][i]) + eps);
      }
    });
  }
  for (const p of infos) {
    assertClose(feeds[p.name].data, golden.final[p.name], {
      atol: 1e-10,
      what: `${p.name} after 3 steps`,
    });
  }
});
