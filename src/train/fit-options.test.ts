// fit's validation, early stopping, learning-rate schedules and callbacks on small seeded data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../errors.js';
import { stackSpec } from '../nn/autoencoder-spec.js';
import { adam } from '../optim/adam.js';
import { planeData } from '../../test/helpers/plane-data.js';
import { AutoencoderModel } from './model.js';
import { fit } from './trainer.js';

const spec = stackSpec(12, [6, 2], { activation: 'tanh', outputActivation: 'linear' });
const model = (): AutoencoderModel => AutoencoderModel.create(spec, { seed: 3, threads: 1 });

test('validationSplit holds out ceil(f*n) seeded rows; history gains valLoss, valMse and lr', async () => {
  const x = planeData(100, 1);
  const m = model();
  const h = await fit(m, x, { epochs: 2, batchSize: 16, validationSplit: 0.25 });
  assert.deepEqual(m.training?.validation, { kind: 'split', fraction: 0.25, rows: 25 });
  assert.equal(m.training?.trainSize, 75);
  for (const r of h) {
    for (const k of [
      'epoch',
      'trainLoss',
      'trainMse',
      'seconds',
      'evalSeconds',
      'valLoss',
      'valMse',
      'lr',
    ] as const)
      assert.ok(Number.isFinite(r[k]), `${k} is finite`);
    assert.equal(r.valLoss, r.valMse, 'with the mse loss, valLoss is valMse');
    assert.equal(r.lr, 0.001);
  }
  assert.equal(m.training?.stopReason, 'completed');
  assert.equal(m.training?.epochsRun, 2);
});

test('validationData: valMse equals the MSE of reconstruct() on it (rtol 1e-4, float32 sums)', async () => {
  const x = planeData(80, 2);
  const v = planeData(30, 3);
  const m = model();
  const h = await fit(m, x, { epochs: 2, batchSize: 16, validationData: v, loss: 'mse' });
  const rec = await m.reconstruct(v);
  let sse = 0;
  for (let i = 0; i < v.data.length; i++) sse += (rec.data[i] - v.data[i]) ** 2;
  const want = sse / v.data.length;
  assert.ok(Math.abs(h[1].valMse! - want) <= 1e-4 * want, `${h[1].valMse} vs ${want}`);
  await m.dispose();
});

test('early stopping stops after patience epochs and the model holds the best epoch weights', async () => {
  const x = planeData(100, 4, 0.05);
  const m = model();
  const snaps = new Map<number, Float32Array[]>();
  const h = await fit(m, x, {
    epochs: 30,
    batchSize: 10,
    validationSplit: 0.2,
    optimizer: adam({ learningRate: 0.05 }),
    // A minDelta no decrease reaches: the run stops after 1 + patience epochs.
    earlyStopping: { patience: 4, minDelta: 10 },
    onEpochEnd: (r, mm) =>
      void snaps.set(
        r.epoch,
        mm.params.map((p) => p.slice()),
      ),
  });
  assert.equal(h.length, 5);
  assert.equal(m.training?.stopReason, 'early-stopped');
  const vals = h.map((r) => r.valLoss!);
  const bestEpoch = h[vals.indexOf(Math.min(...vals))].epoch;
  assert.equal(m.training?.bestEpoch, bestEpoch);
  assert.deepEqual(m.params, snaps.get(bestEpoch));
});

test('the best weights are restored also when the epoch limit comes before the patience runs out', async () => {
  const x = planeData(60, 5, 0.1);
  const m = model();
  const snaps = new Map<number, Float32Array[]>();
  const h = await fit(m, x, {
    epochs: 7,
    batchSize: 6,
    validationSplit: 0.3,
    // A high rate makes the validation loss jump about, so the last epoch is not the best one.
    optimizer: adam({ learningRate: 0.3 }),
    earlyStopping: { patience: 100 },
    onEpochEnd: (r, mm) =>
      void snaps.set(
        r.epoch,
        mm.params.map((p) => p.slice()),
      ),
  });
  assert.equal(m.training?.stopReason, 'completed');
  const vals = h.map((r) => r.valLoss!);
  const bestEpoch = h[vals.indexOf(Math.min(...vals))].epoch;
  assert.ok(
    bestEpoch < 8,
    `precondition: the best epoch (${bestEpoch}) is not the last; valLoss ${vals.join(', ')}`,
  );
  assert.equal(m.training?.bestEpoch, bestEpoch);
  assert.deepEqual(m.params, snaps.get(bestEpoch));
});

test('the schedule rate reaches the graph: gamma 1e-30 after epoch 1 freezes the weights', async () => {
  const x = planeData(64, 6);
  const m = model();
  const snaps: Float32Array[][] = [];
  const h = await fit(m, x, {
    epochs: 3,
    batchSize: 16,
    lrSchedule: { kind: 'step', stepSize: 1, gamma: 1e-30 },
    onEpochEnd: (_r, mm) => void snaps.push(mm.params.map((p) => p.slice())),
  });
  assert.deepEqual(
    h.map((r) => r.lr),
    [0.001, 0.001 * 1e-30, 0.001 * 1e-30 ** 2],
  );
  // Adam's step is lr_t * m / (sqrt(v) + eps) <= about lr_t * 1e3 here: far below float32 resolution.
  assert.deepEqual(snaps[2], snaps[0]);
  assert.notDeepEqual(snaps[0], AutoencoderModel.create(spec, { seed: 3 }).params);
});

test('a callback stops training: from onEpochEnd after that epoch, from onBatchEnd after those batches', async () => {
  const x = planeData(64, 7);
  let m = model();
  let h = await fit(m, x, {
    epochs: 5,
    batchSize: 8,
    callbacks: { onEpochEnd: (r, c) => (r.epoch === 2 ? c.stop() : undefined) },
  });
  assert.equal(h.length, 2);
  assert.equal(m.training?.stopReason, 'callback');
  m = model();
  const batches: number[] = [];
  h = await fit(m, x, {
    epochs: 5,
    batchSize: 8,
    stepsPerCall: 2,
    callbacks: {
      onBatchEnd: (p, c) => {
        batches.push(p.batch);
        if (p.batch === 4) c.stop();
      },
    },
  });
  assert.deepEqual(batches, [2, 4]);
  assert.equal(h.length, 1, 'the interrupted epoch is evaluated and recorded');
  assert.equal(m.training?.stopReason, 'callback');
});

test('fit rejects conflicting validation and monitor settings with ConfigError', async () => {
  const x = planeData(20, 1);
  const m = model();
  await assert.rejects(
    fit(m, x, { validationSplit: 0.2, validationData: x }),
    (e: unknown) =>
      e instanceof ConfigError &&
      /give validationSplit or validationData, not both/.test(e.message),
  );
  await assert.rejects(
    fit(m, x, { validationSplit: 1 }),
    /validationSplit must be a finite number > 0 and <= 0.999999, got 1/,
  );
  await assert.rejects(
    fit(m, x, { earlyStopping: { monitor: 'val_loss' } }),
    /earlyStopping.monitor 'val_loss' needs validation data/,
  );
  await assert.rejects(
    fit(m, x, { validationSplit: 0.5, batchSize: 16 }),
    /batchSize 16 exceeds the 10 training rows left after the validation split/,
  );
});
