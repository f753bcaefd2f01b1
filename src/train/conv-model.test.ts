import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../errors.js';
import { paramInfos } from '../nn/autoencoder-spec.js';
import { convShorthand, parseModelSpec } from '../nn/layer-spec.js';
import { barImages } from '../../test/helpers/tiny-images.js';
import { assertClose } from '../../test/helpers/close.js';
import { adam } from '../optim/adam.js';
import { decodeModel } from '../onnx/emit.js';
import { AutoencoderModel, type EpochRecord } from './model.js';
import { buildTrainGraph } from './step-graph.js';
import { loadModel, saveModel } from './persist.js';
import { prepareAutoencoder } from './setup.js';
import { fit } from './trainer.js';

const x = barImages(256, 8, 3);

test('conv AE from a layer spec: flat rows in and out, trains, and round-trips through the model folder', async () => {
  const spec = convShorthand('4', [8, 8, 1]);
  const { model, optimizer, loss } = prepareAutoencoder(x, { spec, scaling: 'none', seed: 1 });
  assert.equal(model.inputDim, 64);
  assert.equal(model.latentDim, 4 * 4 * 4);
  assert.deepEqual(
    paramInfos(spec).map((p) => `${p.name} ${p.shape.join('x')}`),
    [
      'encoder.0.weight 4x1x3x3',
      'encoder.0.bias 4',
      'decoder.0.weight 4x4x3x3',
      'decoder.0.bias 4',
      'decoder.1.weight 1x4x3x3',
      'decoder.1.bias 1',
    ],
  );
  const history = await fit(model, x, { optimizer, loss, epochs: 4, batchSize: 16, seed: 1 });
  assert.equal(history.length, 4);
  // Training lowers the loss: a structural check, any working optimiser passes it.
  assert.ok(history[3].trainMse < history[0].trainMse, JSON.stringify(history));
  const codes = await model.encode(x);
  assert.deepEqual([codes.rows, codes.cols], [256, 64]);
  const rec = await model.decode(codes);
  assert.deepEqual([rec.rows, rec.cols], [256, 64]);
  // The evaluation graph (history's trainMse) and the saved encoder+decoder compute the same
  // reconstruction: float32 sums of 16,384 terms, rtol 1e-4.
  let sse = 0;
  for (let i = 0; i < rec.data.length; i++) sse += (rec.data[i] - x.data[i]) ** 2;
  assertClose([sse / rec.data.length], [history[3].trainMse], { rtol: 1e-4 });

  const dir = mkdtempSync(join(tmpdir(), 'aedr-conv-'));
  try {
    saveModel(model, dir);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as {
      architecture: { inputShape: number[]; encoder: { type: string }[] };
      latentDim: number;
    };
    assert.deepEqual(json.architecture.inputShape, [8, 8, 1]);
    assert.equal(json.architecture.encoder[0].type, 'Conv2D');
    assert.equal(json.latentDim, 64);
    const back = loadModel(dir);
    // Same ONNX graphs, same weights: bit-identical codes.
    assert.deepEqual((await back.encode(x)).data, codes.data);
    await back.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await model.dispose();
  }
});

test('conv output bias starts at the mean pixel through the sigmoid inverse, one value per channel', async () => {
  const spec = convShorthand('2', [8, 8, 1]);
  const mean = new Float64Array(64).fill(0.25);
  mean[0] = 0.75; // the channel mean is (63 * 0.25 + 0.75) / 64
  const m = AutoencoderModel.create(spec, { outputBiasMean: mean });
  const p = (63 * 0.25 + 0.75) / 64;
  const b = m.params[m.params.length - 1];
  assert.equal(b.length, 1);
  assertClose([b[0]], [Math.log(p / (1 - p))], { rtol: 1e-6 });
  assert.equal(m.outputBiasInit, 'mean');
  await m.dispose();
});

test('a mixed spec: conv encoder to a dense code, dense decoder back to the image', async () => {
  const spec = parseModelSpec({
    inputShape: [8, 8, 1],
    encoder: [
      {
        type: 'Conv2D',
        filters: 2,
        kernelSize: 3,
        strides: 2,
        padding: 'same',
        activation: 'relu',
      },
      { type: 'Flatten' },
      { type: 'Dense', units: 3 },
    ],
    decoder: [
      { type: 'Dense', units: 32, activation: 'relu' },
      { type: 'Dropout', rate: 0.1 },
      { type: 'Reshape', targetShape: [4, 4, 2] },
      { type: 'UpSampling2D' },
      { type: 'Conv2D', filters: 1, kernelSize: 3, padding: 'same', activation: 'sigmoid' },
    ],
  });
  const { model, optimizer, loss } = prepareAutoencoder(x, { spec, scaling: 'none' });
  assert.equal(model.latentDim, 3);
  await fit(model, x, { optimizer, loss, epochs: 1, batchSize: 32 });
  const codes = await model.encode(x);
  assert.deepEqual([codes.rows, codes.cols], [256, 3]);
  assert.ok(codes.data.every(Number.isFinite));
  await model.dispose();
});

test('a spec whose input size differs from the data is refused by name', () => {
  assert.throws(
    () => prepareAutoencoder(x, { spec: convShorthand('4', [4, 4, 1]) }),
    (e: unknown) =>
      e instanceof ConfigError &&
      /the spec's input takes 16 values per row but the training data have 64 columns/.test(
        e.message,
      ),
  );
});

test('denoising: seeded noise on the input only; history has test MSE with clean and noisy input', async () => {
  const spec = convShorthand('4', [8, 8, 1]);
  const test = barImages(64, 8, 9);
  const run = async (noise?: string): Promise<{ h: EpochRecord[]; w: Float32Array[] }> => {
    const { model, optimizer, loss } = prepareAutoencoder(x, { spec, scaling: 'none', seed: 2 });
    const h = await fit(model, x, {
      optimizer,
      loss,
      epochs: 2,
      batchSize: 16,
      seed: 2,
      testData: test,
      ...(noise ? { noise } : {}),
    });
    const w = model.params.map((p) => p.slice());
    assert.equal(model.training?.noise, noise);
    await model.dispose();
    return { h, w };
  };
  const a = await run('gaussian:0.2,masking:0.1');
  const b = await run('gaussian:0.2,masking:0.1');
  const clean = await run();
  // Same seed, same draws: bit-identical weights.
  assert.deepEqual(a.w, b.w);
  assert.notDeepEqual(a.w, clean.w, 'the noise reaches the training input');
  for (const r of a.h) {
    assert.ok(r.testMse !== undefined && r.testMseNoisy !== undefined, JSON.stringify(r));
    // Corrupted input reconstructs the clean rows worse than the clean input does.
    assert.ok(r.testMseNoisy > r.testMse, JSON.stringify(r));
  }
  assert.equal(clean.h[0].testMseNoisy, undefined);
});

test('dropout layers get a fed mask in the step graph and none in the saved graphs', () => {
  const spec = parseModelSpec({
    inputShape: [8, 8, 1],
    encoder: [{ type: 'Flatten' }, { type: 'Dropout', rate: 0.5 }, { type: 'Dense', units: 3 }],
    decoder: [
      { type: 'Dense', units: 64, activation: 'sigmoid' },
      { type: 'Reshape', targetShape: [8, 8, 1] },
    ],
  });
  const g = buildTrainGraph(spec, adam(), 'mse', 16, { noisy: true });
  assert.deepEqual(g.masks, [{ name: 'mask.encoder.1', shape: [16, 64], rate: 0.5 }]);
  assert.equal(g.noisy, true);
  const inputs = (bytes: Uint8Array): string[] =>
    (decodeModel(bytes).graph?.input ?? []).map((i) => i.name ?? '');
  assert.ok(inputs(g.bytes).includes('mask.encoder.1'));
  assert.ok(inputs(g.bytes).includes('noisy'));
  const m = AutoencoderModel.create(spec);
  assert.deepEqual(inputs(m.encoderOnnx()), ['input']);
});

test('a denoising conv run stopped after epoch 1 and resumed ends bit-identical to the 2-epoch run', async () => {
  const spec = convShorthand('3', [8, 8, 1]);
  const dir = mkdtempSync(join(tmpdir(), 'aedr-conv-resume-'));
  const opts = { epochs: 2, batchSize: 16, threads: 1, noise: 'gaussian:0.1,salt-pepper:0.05' };
  try {
    const full = AutoencoderModel.create(spec, { seed: 4, threads: 1 });
    await fit(full, x, { ...opts, checkpointDir: join(dir, 'full') });
    const first = AutoencoderModel.create(spec, { seed: 4, threads: 1 });
    const out = join(dir, 'stopped');
    await fit(first, x, {
      ...opts,
      checkpointDir: out,
      callbacks: { onEpochEnd: (r, c) => (r.epoch === 1 ? c.stop() : undefined) },
    });
    const resumed = loadModel(out, { threads: 1 });
    await fit(resumed, x, { resumeFrom: out, checkpointDir: out });
    assert.equal(resumed.training?.noise, 'gaussian:0.1,salt-pepper:0.05');
    assert.deepEqual(resumed.params, full.params);
    await Promise.all([full.dispose(), first.dispose(), resumed.dispose()]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
