import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, TrainingCancelledError } from '../errors.js';
import { writeNpy } from '../data/npy.js';
import { NpySource } from '../data/stream/npy-source.js';
import { fitScalingStream } from '../data/stream/stream-stats.js';
import { fitScaling } from '../data/scaling.js';
import { stackSpec } from '../nn/autoencoder-spec.js';
import { matrix, type Matrix32 } from '../util/matrix.js';
import { Rng } from '../util/rng.js';
import { adam } from '../optim/adam.js';
import { fit } from './trainer.js';
import { fitStream, type FitStreamOptions, type StreamProgress } from './fit-stream.js';
import { loadModel } from './persist.js';
import { AutoencoderModel } from './model.js';

// 500 rows of 6 values near a 2-d plane (offset 5): an autoencoder with a 2-d code fits them.
const rng = new Rng(5);
const basis = Array.from({ length: 12 }, () => rng.normal());
const x: Matrix32 = (() => {
  const out = new Float32Array(500 * 6);
  for (let i = 0; i < 500; i++) {
    const a = rng.normal();
    const b = rng.normal();
    for (let j = 0; j < 6; j++) out[i * 6 + j] = 5 + a * basis[j] + b * basis[6 + j];
  }
  return matrix(500, 6, out);
})();
let dir: string;
let src: NpySource;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aedr-fit-stream-'));
  writeNpy(join(dir, 'x.npy'), x);
  src = await NpySource.open(join(dir, 'x.npy'));
});
after(async () => {
  await src.close();
  rmSync(dir, { recursive: true, force: true });
});

async function mse(m: AutoencoderModel): Promise<number> {
  const y = await m.decode(await m.encode(x));
  let s = 0;
  for (let i = 0; i < y.data.length; i++) s += (y.data[i] - x.data[i]) ** 2;
  return s / y.data.length;
}

test('fitStream lowers the reconstruction error and is deterministic for a seed (Math.random unused)', async () => {
  const scaling = await fitScalingStream('standardize', src, 64);
  // The streamed scaling equals the in-memory one (rtol 1e-9: float64 sums, stream-stats.ts).
  const ref = fitScaling('standardize', x);
  assert.ok(scaling.kind === 'standardize' && ref.kind === 'standardize');
  scaling.mean.forEach((v, j) =>
    assert.ok(Math.abs(v - ref.mean[j]) <= 1e-9 * Math.abs(ref.mean[j]) + 1e-12),
  );
  const make = (): AutoencoderModel =>
    AutoencoderModel.create(stackSpec(6, [2], { outputActivation: 'linear' }), {
      seed: 2,
      scaling,
    });
  const a = make();
  const b = make();
  const before = await mse(a);
  const random = Math.random;
  Math.random = () => {
    throw new Error('Math.random used');
  };
  try {
    const opts: FitStreamOptions = {
      epochs: 4,
      optimizer: adam({ learningRate: 0.02 }),
      batchSize: 32,
      seed: 7,
      blockRows: 50,
      memoryBytes: 4 * 6 * 200,
      threads: 1,
      spin: false,
    };
    const ra = await fitStream(a, src, opts);
    const rb = await fitStream(b, src, opts);
    assert.equal(ra.length, 4);
    assert.ok(ra[3].trainLoss < ra[0].trainLoss, `${ra[3].trainLoss} < ${ra[0].trainLoss}`);
    // 500 rows are fewer than trainMseRows: trainMse covers every row.
    assert.ok(ra[3].trainMse > 0 && ra[3].trainMse < ra[0].trainLoss);
    assert.deepEqual(
      rb.map((r) => r.trainLoss),
      ra.map((r) => r.trainLoss),
    );
    a.params.forEach((p, i) => assert.deepEqual(b.params[i], p));
  } finally {
    Math.random = random;
  }
  const afterMse = await mse(a);
  assert.ok(afterMse < 0.5 * before, `MSE ${afterMse} should halve from ${before}`);
  await a.dispose();
  await b.dispose();
});

// Every piece of state at once: Adam moments and step, the block hold-out, plateau counters
// (patience 1, minDelta 1: the rate halves every epoch), early-stopping counters and best
// weights, and the position within an epoch (2 steps per call, a checkpoint every 64 rows).
const resumable = (): FitStreamOptions => ({
  epochs: 3,
  batchSize: 16,
  seed: 4,
  blockRows: 50,
  memoryBytes: 4 * 6 * 150,
  stepsPerCall: 2,
  threads: 1,
  spin: false,
  validationSplit: 0.2,
  earlyStopping: { patience: 50 },
  lrSchedule: { kind: 'plateau', patience: 1, factor: 0.5, minDelta: 1 },
  checkpointEvery: { rows: 64 },
});
const model0 = (): AutoencoderModel =>
  AutoencoderModel.create(stackSpec(6, [2], { activation: 'tanh', outputActivation: 'linear' }), {
    seed: 3,
    scaling: fitScaling('standardize', x),
    threads: 1,
  });
const bytes = (ps: readonly Float32Array[]): Buffer =>
  Buffer.concat(ps.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength)));

test('fitStream: block hold-out validation, plateau schedule, best weights kept, and resume mid-epoch and between epochs bit-identical', async () => {
  const full = join(dir, 'full');
  const m = model0();
  const h = await fitStream(m, src, { ...resumable(), checkpointDir: full });
  // 10 blocks of 50 rows, 2 held out: 400 training and 100 validation rows.
  assert.equal(m.training?.trainSize, 400);
  assert.deepEqual(m.training?.validation, { kind: 'split', fraction: 0.2, rows: 100 });
  assert.deepEqual(
    h.map((r) => r.lr),
    [0.001, 0.001, 0.0005],
    'the plateau schedule changed the rate (precondition)',
  );
  assert.ok(h.every((r) => r.valLoss !== undefined && r.valMse === r.valLoss));
  assert.equal(m.training?.stopReason, 'completed');
  const bestEpoch = m.training?.bestEpoch ?? 0;
  assert.ok(bestEpoch >= 1);
  // The model and the folder hold the best epoch's weights.
  assert.ok(bytes(loadModel(full).params).equals(bytes(m.params)));

  // Cancelled inside epoch 2 (after the call that reached row 192): the folder holds that position.
  const cut = join(dir, 'cut');
  const ac = new AbortController();
  await assert.rejects(
    fitStream(model0(), src, {
      ...resumable(),
      checkpointDir: cut,
      signal: ac.signal,
      callbacks: {
        onBatchEnd: (p) => {
          if (((p as Partial<StreamProgress>).position ?? 0) >= 192 && p.epoch === 2) ac.abort();
        },
      },
    }),
    TrainingCancelledError,
  );
  const ck = JSON.parse(readFileSync(join(cut, 'checkpoint.json'), 'utf8')) as {
    epochsDone: number;
    stream: { position: number };
  };
  assert.deepEqual([ck.epochsDone, ck.stream.position], [1, 192]);
  const r1 = loadModel(cut, { threads: 1 });
  await fitStream(r1, src, { resumeFrom: cut, checkpointDir: cut, spin: false });
  assert.ok(
    bytes(r1.params).equals(bytes(m.params)),
    'weights bit-identical after a mid-epoch resume',
  );
  assert.ok(
    readFileSync(join(cut, 'checkpoint.bin')).equals(readFileSync(join(full, 'checkpoint.bin'))),
  );
  assert.deepEqual(
    r1.history.map((r) => [r.trainLoss, r.valLoss, r.lr]),
    m.history.map((r) => [r.trainLoss, r.valLoss, r.lr]),
  );

  // Stopped after epoch 1 by a callback, resumed between epochs.
  const ep = join(dir, 'ep');
  await fitStream(model0(), src, {
    ...resumable(),
    checkpointDir: ep,
    callbacks: { onEpochEnd: (r, c) => (r.epoch === 1 ? c.stop() : undefined) },
  });
  assert.equal(loadModel(ep).training?.stopReason, 'callback');
  const r2 = loadModel(ep, { threads: 1 });
  await fitStream(r2, src, { resumeFrom: ep, checkpointDir: ep, spin: false });
  assert.ok(bytes(r2.params).equals(bytes(m.params)), 'weights bit-identical after resume');
  assert.equal(r2.training?.bestEpoch, bestEpoch);
  for (const mm of [m, r1, r2]) await mm.dispose();
});

test('fitStream misuse: another width, a batch larger than the data, a bad epoch count, resume conflicts', async () => {
  const m = AutoencoderModel.create(stackSpec(5, [2]), { seed: 1 });
  await assert.rejects(
    fitStream(m, src),
    (e: unknown) =>
      e instanceof ConfigError && /has 6 values per row, the model takes 5/.test(e.message),
  );
  await m.dispose();
  const k = AutoencoderModel.create(stackSpec(6, [2]), { seed: 1 });
  await assert.rejects(
    fitStream(k, src, { batchSize: 501 }),
    (e: unknown) =>
      e instanceof ConfigError && /batchSize 501 exceeds the 500 training rows/.test(e.message),
  );
  await assert.rejects(
    fitStream(k, src, { epochs: 0 }),
    (e: unknown) => e instanceof ConfigError && /epochs/.test(e.message),
  );
  await assert.rejects(
    fitStream(k, src, { validationSplit: 0.05, blockRows: 500 }),
    (e: unknown) => e instanceof ConfigError && /holds out 1 blocks and keeps 0/.test(e.message),
  );
  const out = join(dir, 'misuse');
  await fitStream(k, src, { epochs: 1, batchSize: 100, checkpointDir: out, threads: 1 });
  await assert.rejects(
    fitStream(loadModel(out), src, { resumeFrom: out, batchSize: 50 }),
    (e: unknown) => e instanceof ConfigError && /leave out batchSize/.test(e.message),
  );
  await assert.rejects(
    fitStream(loadModel(out), src, { resumeFrom: out }),
    (e: unknown) => e instanceof ConfigError && /has finished its 1 epochs/.test(e.message),
  );
  const mem = join(dir, 'in-memory');
  await fit(k, x, { epochs: 1, checkpointDir: mem, threads: 1 });
  await assert.rejects(
    fitStream(loadModel(mem), src, { resumeFrom: mem, epochs: 2 }),
    (e: unknown) => e instanceof ConfigError && /checkpoint of an in-memory run/.test(e.message),
  );
  await k.dispose();
});
