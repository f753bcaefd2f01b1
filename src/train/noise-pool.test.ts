// Denoising input drawn ahead in the worker against the same draws on the calling thread, and
// a denoising fit whose chunks take the worker's input against one whose chunks do not differ
// (bit for bit: the draws depend only on the seed and the step, step-draws.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NoisePool } from './noise-pool.js';
import { corruptSteps, gatherRows } from './step-draws.js';
import { parseNoise } from '../nn/noise.js';
import { Rng } from '../util/rng.js';
import { prepareAutoencoder } from './setup.js';
import { fit } from './trainer.js';
import { convShorthand } from '../nn/layer-spec.js';
import { AedrError } from '../errors.js';

const job = {
  count: 3,
  size: 4,
  d: 5,
  seed: 7,
  stepBefore: 10,
  noise: parseNoise('masking:0.2,gaussian:0.3'),
  range: { min: 0, max: 1 },
};

test('the worker corrupts a chunk exactly as corruptSteps does here', async () => {
  const r = new Rng(1);
  const x = Float32Array.from({ length: 50 * job.d }, () => r.random());
  const perm = r.permutation(50);
  const clean = gatherRows(x, job.d, perm, 6, job.count * job.size);
  const here = corruptSteps(clean, job);
  const pool = new NoisePool();
  try {
    const [a, b] = await Promise.all([
      pool.corrupt(clean.slice(), job),
      pool.corrupt(clean.slice(), { ...job, stepBefore: 11 }),
    ]);
    assert.deepEqual(a, here);
    assert.notDeepEqual(b, here);
    // The chunk's first batch takes the draws of its own global step.
    const n = job.size * job.d;
    assert.deepEqual(
      b.subarray(0, n),
      corruptSteps(clean.subarray(0, n), { ...job, count: 1, stepBefore: 11 }),
    );
    assert.ok(
      here.some((v, i) => v !== clean[i]),
      'the noise changes values',
    );
  } finally {
    await pool.close();
  }
});

test('a failing job rejects with an AedrError naming the worker', async () => {
  const pool = new NoisePool();
  try {
    await assert.rejects(
      pool.corrupt(new Float32Array(3), { ...job, range: { min: 1, max: 0 } }),
      (e: unknown) =>
        e instanceof AedrError && /denoising worker failed: corrupt: range/.test(e.message),
    );
  } finally {
    await pool.close();
  }
});

test('a denoising fit gives the same weights whatever the chunking (the worker draws ahead for every chunk but the first)', async () => {
  const r = new Rng(3);
  const x = {
    rows: 96,
    cols: 64,
    data: Float32Array.from({ length: 96 * 64 }, () => Math.round(r.random() * 255)),
  };
  const run = async (stepsPerCall: number): Promise<Float32Array[]> => {
    const { model, optimizer } = prepareAutoencoder(x, {
      spec: convShorthand('4', [8, 8, 1]),
      scaling: { kind: 'divide255' },
      learningRate: 0.01,
      seed: 2,
      threads: 1,
    });
    try {
      await fit(model, x, {
        epochs: 2,
        batchSize: 8,
        optimizer,
        seed: 2,
        threads: 1,
        noise: 'gaussian:0.2',
        stepsPerCall,
      });
      return model.params.map((p) => p.slice());
    } finally {
      await model.dispose();
    }
  };
  const one = await run(100);
  const many = await run(5);
  assert.deepEqual(many, one);
});
