import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, ShapeError } from '../errors.js';
import { writeNpy } from '../data/npy.js';
import { NpySource } from '../data/stream/npy-source.js';
import { fitScalingStream } from '../data/stream/stream-stats.js';
import { fitScaling } from '../data/scaling.js';
import { stackSpec } from '../nn/autoencoder-spec.js';
import { matrix, type Matrix32 } from '../util/matrix.js';
import { Rng } from '../util/rng.js';
import { fitStream } from './fit-stream.js';
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
    const opts = {
      epochs: 4,
      optimizer: {
        name: 'adam' as const,
        learningRate: 0.02,
        beta1: 0.9,
        beta2: 0.999,
        epsilon: 1e-7,
      },
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
    // 500 rows in batches of 32: 15 full steps and one of 20.
    assert.equal(ra[0].steps, 16);
    assert.ok(ra[3].trainLoss < ra[0].trainLoss, `${ra[3].trainLoss} < ${ra[0].trainLoss}`);
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

test('fitStream misuse: another width, a batch larger than the data, a bad epoch count', async () => {
  const m = AutoencoderModel.create(stackSpec(5, [2]), { seed: 1 });
  await assert.rejects(
    fitStream(m, src),
    (e: unknown) =>
      e instanceof ShapeError && /has 6 values per row, the model takes 5/.test(e.message),
  );
  await m.dispose();
  const k = AutoencoderModel.create(stackSpec(6, [2]), { seed: 1 });
  await assert.rejects(
    fitStream(k, src, { batchSize: 501 }),
    (e: unknown) =>
      e instanceof ConfigError && /batchSize 501 exceeds the 500 rows/.test(e.message),
  );
  await assert.rejects(
    fitStream(k, src, { epochs: 0 }),
    (e: unknown) =>
      e instanceof ConfigError && /epochs must be a positive integer, got 0/.test(e.message),
  );
  await k.dispose();
});
