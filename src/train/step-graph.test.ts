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

test('packed state (one flat vector per parameter set and slot) gives the values of the per-tensor graph bit for bit, Adam and SGD with momentum', async () => {
  const spec = stackSpec(D, [3, 2], {
    activation: 'relu',
    codeActivation: 'linear',
    outputActivation: 'sigmoid',
  });
  for (const opt of [adam({ learningRate: 0.01 }), sgd({ learningRate: 0.1, momentum: 0.9 })]) {
    const run = async (pack: boolean) => {
      const g = buildTrainGraph(spec, opt, 'mse', B, { pack });
      // The packed form really has fewer nodes (its Split/Concat appear in the bytes).
      const text = Buffer.from(g.bytes).toString('latin1');
      assert.equal(text.includes('Split'), pack, `Split present: ${pack}`);
      const s = await Session.create(g.bytes, { threads: 1 });
      try {
        const params = g.params.map((p, i) =>
          Float32Array.from({ length: p.shape.reduce((a, b) => a * b, 1) }, (_, k) =>
            Math.sin(1 + i * 31 + k),
          ),
        );
        const slots = g.slotNames.map((names, i) =>
          names.map(() => new Float32Array(params[i].length)),
        );
        const data = new RtTensor(Float32Array.from(golden.x), [B, D]);
        const perm = Uint32Array.from({ length: B * 5 }, (_, i) => (i * 3) % B);
        return await runSteps(g, s, data, perm, 0, 5, B, 0, { params, slots }, opt);
      } finally {
        await s.dispose();
      }
    };
    const a = await run(true);
    const b = await run(false);
    assert.deepEqual(a.losses, b.losses);
    assert.deepEqual(a.next.params, b.next.params);
    assert.deepEqual(a.next.slots, b.next.slots);
    assert.ok(a.losses[4] < a.losses[0], 'the steps train');
  }
});
