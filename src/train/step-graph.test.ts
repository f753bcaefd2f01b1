// The training graph against PyTorch (test/golden/train_step_torch.py): three steps of Adam
// (Keras form) and SGD with momentum, MSE and BCE, sigmoid and ReLU outputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { stackSpec } from '../nn/autoencoder-spec.js';
import type { Activation } from '../nn/activation.js';
import type { LossName } from '../nn/loss.js';
import { adam } from '../optim/adam.js';
import { sgd } from '../optim/sgd.js';
import { RtTensor, Session } from '../runtime/session.js';
import { buildTrainGraph } from './step-graph.js';
import { runSteps } from './trainer.js';
import { assertClose } from '../../test/helpers/close.js';

interface Golden {
  x: number[];
  shape: [number, number];
  init: Record<string, number[]>;
  steps: number;
  cases: {
    name: string;
    loss: LossName;
    output: Activation;
    optimizer: { name: 'adam' | 'sgd'; learningRate: number; momentum?: number };
    losses: number[];
    params: Record<string, number[]>;
    slots: Record<string, number[]>;
  }[];
}

const golden = JSON.parse(readFileSync('test/golden/train_step_torch.json', 'utf8')) as Golden;
const [B, D] = golden.shape;

for (const c of golden.cases) {
  test(`${c.name}: ${golden.steps} steps equal PyTorch's (loss, weights, slots; atol 1e-5, rtol 1e-5)`, async () => {
    const spec = stackSpec(D, [3], {
      activation: 'relu',
      codeActivation: 'relu',
      outputActivation: c.output,
    });
    const opt =
      c.optimizer.name === 'adam'
        ? adam({ learningRate: c.optimizer.learningRate })
        : sgd(c.optimizer);
    const g = buildTrainGraph(spec, opt, c.loss, B);
    const s = await Session.create(g.bytes, { threads: 1 });
    try {
      const params = g.params.map((p) => Float32Array.from(golden.init[p.name]));
      const slots = g.slotNames.map((names, i) =>
        names.map(() => new Float32Array(params[i].length)),
      );
      const data = new RtTensor(Float32Array.from(golden.x), [B, D]);
      // The same batch (rows 0..3) at every step.
      const perm = Uint32Array.from({ length: B * golden.steps }, (_, i) => i % B);
      const { next, losses } = await runSteps(
        g,
        s,
        data,
        perm,
        0,
        golden.steps,
        B,
        0,
        { params, slots },
        opt,
      );
      assertClose(losses, c.losses, { atol: 1e-6, rtol: 1e-5, what: 'losses' });
      g.params.forEach((p, i) => {
        assertClose(next.params[i], c.params[p.name], { atol: 1e-5, rtol: 1e-5, what: p.name });
        g.slotNames[i].forEach((n, k) =>
          assertClose(next.slots[i][k], c.slots[n], { atol: 1e-5, rtol: 1e-5, what: n }),
        );
      });
      assert.equal(Object.keys(c.slots).length, g.slotNames.flat().length, 'slot count');
    } finally {
      await s.dispose();
    }
  });
}
