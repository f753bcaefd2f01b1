// The VAE and the sparse penalties in the engine: the whole training loss's gradients against
// central differences (float64 interpreter, h = 1e-6, atol 1e-7, rtol 1e-6, ε fixed); seeded
// training runs (loss falls, parts add up, bit-reproducible, no Math.random); model.json
// round trip with μ and log σ²; prior samples; misuse errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Graph } from '../graph/graph.js';
import type { Value } from '../graph/evaluate.js';
import {
  initParams,
  paramInfos,
  paramInputs,
  stackSpec,
  type NetSpec,
} from '../nn/autoencoder-spec.js';
import { ConfigError } from '../errors.js';
import { Rng } from '../util/rng.js';
import { assertClose } from '../../test/helpers/close.js';
import { checkGradients } from '../../test/helpers/grad-check.js';
import { planeData } from '../../test/helpers/plane-data.js';
import { AutoencoderModel } from './model.js';
import { loadModel, saveModel } from './persist.js';
import { trainingLoss } from './step-graph.js';
import { fit } from './trainer.js';
import { sampleFromPrior } from './vae.js';

const vaeSpec = stackSpec(12, [6, 2], { variational: true });

function feedsFor(spec: NetSpec, r: Rng, x: Value): Record<string, Value> {
  const feeds: Record<string, Value> = { x };
  const init = initParams(spec, r);
  paramInfos(spec).forEach((p, i) => {
    // Non-zero biases, so every parameter's gradient is exercised.
    const data = Float64Array.from(init[i], (v) => v + r.uniform(-0.1, 0.1));
    feeds[p.name] = { shape: p.shape, data };
  });
  return feeds;
}

test('the VAE loss (BCE summed + beta KL) and its parts: gradients of every parameter match central differences, eps fixed', () => {
  const spec = stackSpec(5, [4, 2], { variational: true, activation: 'tanh' });
  const r = new Rng(7);
  const g = new Graph();
  const x = g.input('x', [3, 5]);
  const params = paramInputs(g, paramInfos(spec));
  const eps = g.input('eps', [3, 2]);
  const { loss, terms } = trainingLoss(g, spec, x, params, 'bce', x, { eps, beta: 0.7 });
  assert.deepEqual(Object.keys(terms), ['recon', 'kl']);
  const feeds = feedsFor(spec, r, {
    shape: [3, 5],
    data: Float64Array.from({ length: 15 }, () => r.random()),
  });
  feeds.eps = { shape: [3, 2], data: Float64Array.from({ length: 6 }, () => r.normal()) };
  checkGradients(g, loss, params, feeds);
});

test('activity L1 and KL sparsity in the training loss: gradients match central differences', () => {
  const spec = stackSpec(5, [3], { activation: 'tanh', codeActivation: 'sigmoid' });
  const r = new Rng(8);
  const g = new Graph();
  const x = g.input('x', [4, 5]);
  const params = paramInputs(g, paramInfos(spec));
  const { loss, terms } = trainingLoss(g, spec, x, params, 'mse', x, {
    activityL1: 0.01,
    sparsity: 0.1,
    sparsityWeight: 2,
  });
  assert.deepEqual(Object.keys(terms), ['penalty']);
  const feeds = feedsFor(spec, r, {
    shape: [4, 5],
    data: Float64Array.from({ length: 20 }, () => r.random()),
  });
  checkGradients(g, loss, params, feeds);
});

test('KL sparsity refuses a code that is not sigmoid', () => {
  const spec = stackSpec(5, [3]);
  const g = new Graph();
  const x = g.input('x', [4, 5]);
  assert.throws(
    () => trainingLoss(g, spec, x, paramInputs(g, paramInfos(spec)), 'mse', x, { sparsity: 0.05 }),
    (e: unknown) =>
      e instanceof ConfigError &&
      /KL sparsity needs a sigmoid code .* the code activation is linear; give code activation sigmoid/.test(
        e.message,
      ),
  );
});

async function trainVae(seed: number): Promise<AutoencoderModel> {
  const m = AutoencoderModel.create(vaeSpec, { seed, threads: 1 });
  await fit(m, planeData(240, 1), {
    epochs: 6,
    batchSize: 32,
    loss: 'bce',
    testData: planeData(60, 2),
    stepsPerCall: 3,
  });
  return m;
}

test('a seeded VAE run: the loss falls, recon + KL = loss, bit-reproducible, no Math.random', async () => {
  const random = Math.random;
  Math.random = () => {
    throw new Error('Math.random called');
  };
  let a: AutoencoderModel;
  let b: AutoencoderModel;
  try {
    a = await trainVae(3);
    b = await trainVae(3);
  } finally {
    Math.random = random;
  }
  const h = a.history;
  assert.equal(h.length, 6);
  assert.ok(h[5].trainLoss < h[0].trainLoss, `loss ${h[0].trainLoss} -> ${h[5].trainLoss}`);
  assert.ok(h[5].testLoss! < h[0].testLoss!, `test loss ${h[0].testLoss} -> ${h[5].testLoss}`);
  for (const r of h) {
    // Running means of float32 batch values: the parts add up to float32 rounding.
    assertClose(r.trainRecon! + r.trainKl!, r.trainLoss, { rtol: 1e-5, what: 'train parts' });
    assertClose(r.testRecon! + r.testKl!, r.testLoss!, { rtol: 1e-12, what: 'test parts' });
    assert.ok(r.trainKl! >= 0 && r.testKl! >= 0, 'KL is non-negative');
    assert.ok(Number.isFinite(r.testMse) && r.testMse! > 0);
  }
  assert.equal(a.training?.beta, 1);
  a.params.forEach((p, i) => assert.deepEqual(p, b.params[i], `param ${i} differs`));
  await Promise.all([a.dispose(), b.dispose()]);
});

test('a VAE saves and loads: variational and beta in model.json, the same mu and log sigma^2', async () => {
  const m = AutoencoderModel.create(vaeSpec, { seed: 1, threads: 1 });
  await fit(m, planeData(120, 1), { epochs: 2, batchSize: 30, loss: 'bce', beta: 0.5 });
  const dir = mkdtempSync(join(tmpdir(), 'aedr-vae-'));
  try {
    saveModel(m, join(dir, 'm'));
    const back = loadModel(join(dir, 'm'), { threads: 1 });
    assert.equal(back.variational, true);
    assert.equal(back.training?.beta, 0.5);
    const x = planeData(10, 5);
    assert.deepEqual((await back.encode(x)).data, (await m.encode(x)).data);
    const lv = await back.encodeLogvar(x);
    assert.deepEqual(lv.data, (await m.encodeLogvar(x)).data);
    assert.equal(lv.cols, 2);
    assert.notDeepEqual(lv.data, (await m.encode(x)).data);
    await back.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await m.dispose();
  }
});

test('sampleFromPrior: seeded N(0, I) codes decoded; a plain AE says its prior does not matter', async () => {
  const m = AutoencoderModel.create(vaeSpec, { seed: 1, threads: 1 });
  const s1 = await sampleFromPrior(m, { n: 5, seed: 2 });
  const s2 = await sampleFromPrior(m, { n: 5, seed: 2 });
  assert.equal(s1.samples.rows, 5);
  assert.equal(s1.samples.cols, 12);
  assert.equal(s1.codes.cols, 2);
  assert.equal(s1.priorMatters, true);
  assert.deepEqual(s1.samples.data, s2.samples.data);
  assert.deepEqual(s1.samples.data, (await m.decode(s1.codes)).data);
  const plain = AutoencoderModel.create(stackSpec(12, [2]), { seed: 1, threads: 1 });
  assert.equal((await sampleFromPrior(plain, { n: 2 })).priorMatters, false);
  await assert.rejects(
    () => sampleFromPrior(m, { n: 0 }),
    (e: unknown) => e instanceof ConfigError && /n must be an integer >= 1, got 0/.test(e.message),
  );
  await assert.rejects(
    () => plain.encodeLogvar(planeData(2, 1)),
    (e: unknown) =>
      e instanceof ConfigError && /encodeLogvar: this model is not variational/.test(e.message),
  );
  await Promise.all([m.dispose(), plain.dispose()]);
});

test('a sparse run records the penalty and the mean code activation; misuse errors', async () => {
  const spec = stackSpec(12, [4], { codeActivation: 'sigmoid' });
  const m = AutoencoderModel.create(spec, { seed: 1, threads: 1 });
  const h = await fit(m, planeData(120, 1), {
    epochs: 2,
    batchSize: 30,
    activityL1: 1e-3,
    sparsity: 0.05,
    sparsityWeight: 0.5,
  });
  for (const r of h) {
    assert.ok(r.trainPenalty! > 0, 'penalty recorded');
    assert.ok(r.codeMean! > 0 && r.codeMean! < 1, `codeMean ${r.codeMean}`);
  }
  assert.equal(m.training?.activityL1, 1e-3);
  assert.equal(m.training?.sparsityWeight, 0.5);
  const codes = await m.encode(planeData(120, 1));
  const mean = codes.data.reduce((a, v) => a + v, 0) / codes.data.length;
  // model.encode runs encoder.onnx, the eval graph runs its own copy: float32 sums.
  assertClose(h[1].codeMean!, mean, { rtol: 1e-5, what: 'codeMean vs encode' });
  const plain = AutoencoderModel.create(stackSpec(12, [2]), { seed: 1, threads: 1 });
  await assert.rejects(
    () => fit(plain, planeData(60, 1), { epochs: 1, beta: 2 }),
    (e: unknown) =>
      e instanceof ConfigError &&
      /beta weights a variational autoencoder's KL term, but this model is not variational/.test(
        e.message,
      ),
  );
  await assert.rejects(
    () => fit(plain, planeData(60, 1), { epochs: 1, sparsity: 0.05 }),
    (e: unknown) => e instanceof ConfigError && /KL sparsity needs a sigmoid code/.test(e.message),
  );
  assert.throws(
    () => stackSpec(12, [2], { variational: true, codeActivation: 'relu' }),
    (e: unknown) =>
      e instanceof ConfigError &&
      /code layer \(the mean μ\) must be linear, got relu/.test(e.message),
  );
  await Promise.all([m.dispose(), plain.dispose()]);
});

test('a VAE run stopped after epoch 1 and resumed ends bit-identical to the uninterrupted run (ε from seed and step)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'aedr-vae-resume-'));
  const x = planeData(100, 3);
  const opts = { epochs: 3, batchSize: 16, loss: 'bce' as const, beta: 0.8, threads: 1 };
  try {
    const full = AutoencoderModel.create(vaeSpec, { seed: 2, threads: 1 });
    await fit(full, x, { ...opts, checkpointDir: join(dir, 'full') });
    const out = join(dir, 'part');
    const first = AutoencoderModel.create(vaeSpec, { seed: 2, threads: 1 });
    await fit(first, x, {
      ...opts,
      checkpointDir: out,
      callbacks: { onEpochEnd: (r, c) => (r.epoch === 1 ? c.stop() : undefined) },
    });
    const resumed = loadModel(out, { threads: 1 });
    await fit(resumed, x, { resumeFrom: out, checkpointDir: out });
    assert.equal(resumed.history.length, 3);
    assert.equal(resumed.training?.beta, 0.8);
    resumed.params.forEach((p, i) => assert.deepEqual(p, full.params[i], `param ${i}`));
    assert.equal(resumed.history[2].trainKl, full.history[2].trainKl);
    await Promise.all([full.dispose(), first.dispose(), resumed.dispose()]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
