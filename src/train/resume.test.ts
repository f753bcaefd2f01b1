// Exact resume in process: a run stopped after epoch 2 (by a callback, or cancelled inside
// epoch 3) and resumed from its checkpoint ends bit-identical to the uninterrupted run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, ModelFormatError } from '../errors.js';
import { stackSpec } from '../nn/autoencoder-spec.js';
import { planeData } from '../../test/helpers/plane-data.js';
import { AutoencoderModel, type EpochRecord } from './model.js';
import { loadModel } from './persist.js';
import { fit, type FitOptions } from './trainer.js';
import { TrainingCancelledError } from '../errors.js';

const dir = mkdtempSync(join(tmpdir(), 'aedr-resume-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

const spec = stackSpec(12, [6, 2], { activation: 'tanh', outputActivation: 'linear' });
const x = planeData(90, 11, 0.02);
// Every piece of state at once: Adam moments and step, the shuffling RNG, the validation split,
// plateau counters (patience 1 so the rate changes), early-stopping counters and best weights.
const settings: FitOptions = {
  epochs: 4,
  batchSize: 16,
  threads: 1,
  validationSplit: 0.2,
  earlyStopping: { patience: 50 },
  lrSchedule: { kind: 'plateau', patience: 1, factor: 0.5, minDelta: 1 },
};

const bytes = (ps: readonly Float32Array[]): Buffer =>
  Buffer.concat(ps.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength)));
const numbers = (h: EpochRecord[]): unknown =>
  h.map(({ seconds: _s, evalSeconds: _e, ...rest }) => rest);

async function uninterrupted(): Promise<{ model: AutoencoderModel; out: string }> {
  const out = join(dir, 'full');
  const model = AutoencoderModel.create(spec, { seed: 5, threads: 1 });
  await fit(model, x, { ...settings, checkpointDir: out });
  return { model, out };
}

test('stopped after epoch 2 and resumed: weights, checkpoint and history bit-identical to the 4-epoch run', async () => {
  const full = await uninterrupted();
  assert.deepEqual(
    full.model.history.map((r) => r.lr),
    [0.001, 0.001, 0.0005, 0.00025],
    'the plateau schedule changed the rate (precondition)',
  );
  const out = join(dir, 'stopped');
  const first = AutoencoderModel.create(spec, { seed: 5, threads: 1 });
  await fit(first, x, {
    ...settings,
    checkpointDir: out,
    callbacks: { onEpochEnd: (r, c) => (r.epoch === 2 ? c.stop() : undefined) },
  });
  assert.equal(loadModel(out).training?.stopReason, 'callback');
  const model = loadModel(out, { threads: 1 });
  const h = await fit(model, x, { resumeFrom: out, checkpointDir: out });
  assert.deepEqual(
    h.map((r) => r.epoch),
    [3, 4],
  );
  assert.ok(bytes(model.params).equals(bytes(full.model.params)), 'final weights bit-identical');
  assert.deepEqual(numbers(model.history), numbers(full.model.history));
  assert.ok(
    readFileSync(join(out, 'checkpoint.bin')).equals(
      readFileSync(join(full.out, 'checkpoint.bin')),
    ),
    'checkpoint.bin (weights, Adam moments, best weights) bit-identical',
  );
  const saved = loadModel(out);
  assert.ok(bytes(saved.params).equals(bytes(full.model.params)), 'saved folder holds the same');
  assert.equal(saved.training?.stopReason, 'completed');
  assert.equal(saved.training?.bestEpoch, full.model.training?.bestEpoch);
});

test('cancelled inside epoch 3 and resumed: bit-identical; more epochs can follow a finished run', async () => {
  const full = await uninterrupted();
  const out = join(dir, 'cancelled');
  const ac = new AbortController();
  const first = AutoencoderModel.create(spec, { seed: 5, threads: 1 });
  await assert.rejects(
    fit(first, x, {
      ...settings,
      stepsPerCall: 2,
      checkpointDir: out,
      signal: ac.signal,
      onProgress: (p) => (p.epoch === 3 && p.batch >= 2 ? ac.abort() : undefined),
    }),
    TrainingCancelledError,
  );
  assert.equal(loadModel(out).training?.stopReason, 'cancelled');
  assert.equal(loadModel(out).history.length, 2);
  const model = loadModel(out, { threads: 1 });
  await fit(model, x, { resumeFrom: out, checkpointDir: out });
  assert.ok(bytes(model.params).equals(bytes(full.model.params)), 'final weights bit-identical');

  // Raising the limit of the finished run continues it: 4 + 2 epochs equal a 6-epoch run.
  const six = AutoencoderModel.create(spec, { seed: 5, threads: 1 });
  await fit(six, x, { ...settings, epochs: 6 });
  await fit(model, x, { resumeFrom: out, checkpointDir: out, epochs: 6 });
  assert.ok(bytes(model.params).equals(bytes(six.params)), '4 + 2 epochs equal 6');
});

test('resumeFrom misuse: changed settings, other data, a finished run, no checkpoint', async () => {
  const { out } = await uninterrupted();
  const m = loadModel(out, { threads: 1 });
  await assert.rejects(
    fit(m, x, { resumeFrom: out, batchSize: 8 }),
    (e: unknown) =>
      e instanceof ConfigError &&
      /resumeFrom continues with the checkpoint's settings; leave out batchSize \(it was 16\)/.test(
        e.message,
      ),
  );
  await assert.rejects(
    fit(m, planeData(90, 12), { resumeFrom: out }),
    /resumeFrom: the training data differ from the checkpointed run's \(90 x 12, sha256 [0-9a-f]{12}\.\.\.\); give the same data/,
  );
  await assert.rejects(
    fit(m, x, { resumeFrom: out }),
    /resumeFrom: the run has finished its 4 epochs; give epochs above 4 to train on/,
  );
  await assert.rejects(
    fit(m, x, { resumeFrom: join(dir, 'nowhere') }),
    /checkpoint.json is missing: .* holds no training checkpoint/,
  );
});

test('validation split, schedule, early stopping, checkpoint and resume never call Math.random', async () => {
  const saved = Math.random;
  Math.random = () => {
    throw new Error('Math.random used');
  };
  try {
    const out = join(dir, 'no-random');
    const m = AutoencoderModel.create(spec, { seed: 2, threads: 1 });
    await fit(m, x, {
      ...settings,
      epochs: 2,
      lrSchedule: { kind: 'cosine' },
      checkpointDir: out,
    });
    await fit(loadModel(out, { threads: 1 }), x, { resumeFrom: out, epochs: 3 });
  } finally {
    Math.random = saved;
  }
});

test('a corrupt checkpoint.bin is a ModelFormatError naming the file', async () => {
  const out = join(dir, 'corrupt');
  await fit(AutoencoderModel.create(spec, { seed: 5, threads: 1 }), x, {
    ...settings,
    epochs: 1,
    checkpointDir: out,
  });
  const bin = readFileSync(join(out, 'checkpoint.bin'));
  bin[0] ^= 1;
  writeFileSync(join(out, 'checkpoint.bin'), bin);
  await assert.rejects(
    fit(loadModel(out, { threads: 1 }), x, { resumeFrom: out, epochs: 2 }),
    (e: unknown) =>
      e instanceof ModelFormatError &&
      /sha256 does not match checkpoint.json's bin.sha256/.test(e.message) &&
      e.file === join(out, 'checkpoint.bin'),
  );
});
