// Three Adam steps of a small VAE (12-8-(3, 3)-8-12, ReLU, sigmoid output) through aedr's
// training loss (train/step-graph.ts trainingLoss with a variational spec: BCE summed per row +
// KL, averaged over the batch) and the graph's gradient rules in the float64 interpreter, with
// Keras-form Adam written out here and eps given per step, against PyTorch 1.13 running
// pytorch/examples' loss_function / batch (test/golden/vae_train_steps_torch.py): loss, recon
// and KL at each step (rtol 1e-10) and the weights after three steps (atol 1e-10).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Graph } from '../src/graph/graph.js';
import { gradients } from '../src/graph/autodiff.js';
import { evaluate, type Value } from '../src/graph/evaluate.js';
import { paramInfos, paramInputs, stackSpec } from '../src/nn/autoencoder-spec.js';
import { trainingLoss } from '../src/train/step-graph.js';
import { assertClose } from './helpers/close.js';

interface Golden {
  steps: { loss: number; recon: number; kl: number }[];
  final: Record<string, number[]>;
}
const golden = JSON.parse(readFileSync('test/golden/vae_train_steps_torch.json', 'utf8')) as Golden;

test('three Adam steps of a small VAE match PyTorch (pytorch/examples loss / batch)', () => {
  const spec = stackSpec(12, [8, 3], { variational: true });
  const infos = paramInfos(spec);
  assert.deepEqual(
    infos.map((p) => p.name),
    Object.keys(golden.final),
  );
  const g = new Graph();
  const x = g.input('x', [5, 12]);
  const eps = g.input('eps', [5, 3]);
  const params = paramInputs(g, infos);
  const { loss, terms } = trainingLoss(g, spec, x, params, 'bce', x, { eps });
  const grads = gradients(g, loss, params);

  const feeds: Record<string, Value> = {};
  infos.forEach((p, j) => {
    const n = p.shape.reduce((a, b) => a * b, 1);
    const data = Float64Array.from({ length: n }, (_, i) =>
      Math.fround(
        p.shape.length > 1 ? 0.8 * Math.sin(0.37 * i + 1.3 * j + 0.1) : 0.1 * Math.cos(i + j),
      ),
    );
    feeds[p.name] = { shape: p.shape, data };
  });
  feeds.x = {
    shape: [5, 12],
    data: Float64Array.from({ length: 60 }, (_, i) =>
      Math.fround(0.5 + 0.45 * Math.sin(0.05 * i + 0.7 * Math.floor(i / 12))),
    ),
  };
  const [b1, b2, epsAdam, lr] = [0.9, 0.999, 1e-7, 1e-2];
  const m = infos.map((p) => new Float64Array(feeds[p.name].data.length));
  const v = infos.map((p) => new Float64Array(feeds[p.name].data.length));
  for (let t = 1; t <= 3; t++) {
    feeds.eps = {
      shape: [5, 3],
      data: Float64Array.from({ length: 15 }, (_, i) =>
        Math.fround(1.5 * Math.sin(1.7 * i + 0.9 * t + 0.2)),
      ),
    };
    const [l, recon, kl, ...gs] = evaluate(g, feeds, [loss, terms.recon, terms.kl, ...grads]);
    const want = golden.steps[t - 1];
    assertClose(l.data[0], want.loss, { rtol: 1e-10, what: `loss at step ${t}` });
    assertClose(recon.data[0], want.recon, { rtol: 1e-10, what: `recon at step ${t}` });
    assertClose(kl.data[0], want.kl, { rtol: 1e-10, what: `KL at step ${t}` });
    const lrT = (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
    infos.forEach((p, k) => {
      const gk = gs[k].data;
      const w = feeds[p.name].data;
      for (let i = 0; i < w.length; i++) {
        m[k][i] = b1 * m[k][i] + (1 - b1) * gk[i];
        v[k][i] = b2 * v[k][i] + (1 - b2) * gk[i] * gk[i];
        w[i] -= (lrT * m[k][i]) / (Math.sqrt(v[k][i]) + epsAdam);
      }
    });
  }
  for (const p of infos)
    assertClose(feeds[p.name].data, golden.final[p.name], {
      atol: 1e-10,
      what: `${p.name} after 3 steps`,
    });
});
