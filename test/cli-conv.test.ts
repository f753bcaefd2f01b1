// End-to-end: a small convolutional (and denoising) autoencoder through the command line:
// train --conv / --spec on 8x8 images, then info, encode and decode on the saved folder.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readNpy, writeNpy } from '../src/data/npy.js';
import { loadModel } from '../src/train/persist.js';
import { aedr, failsWithError } from './helpers/cli.js';
import { barImages } from './helpers/tiny-images.js';

let dir = '';
let data = '';

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'aedr-cli-conv-'));
  data = join(dir, 'bars.npy');
  writeNpy(data, barImages(192, 8, 5));
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('train --conv 4,2 on 8x8 images, then info, encode and decode', async () => {
  const model = join(dir, 'conv');
  const t = await aedr(
    'train',
    '--data',
    data,
    '--input-shape',
    '8x8x1',
    '--conv',
    '4,2',
    '--epochs',
    '2',
    '--batch-size',
    '16',
    '--out',
    model,
    '--json',
  );
  assert.equal(t.code, 0, t.err);
  const summary = JSON.parse(t.out) as {
    architecture: string;
    parameters: number;
    latentDim: number;
  };
  assert.equal(summary.architecture, '8x8x1-4x4x4-2x2x2-4x4x2-8x8x4-8x8x1');
  // Conv 1->4 (40), Conv 4->2 (74), ConvT 2->2 (38), ConvT 2->4 (76), Conv 4->1 (37): 3x3 kernels.
  assert.equal(summary.parameters, 40 + 74 + 38 + 76 + 37);
  assert.equal(summary.latentDim, 8);
  assert.equal(loadModel(model).history.length, 2);

  const i = await aedr('info', '--model', model);
  assert.equal(i.code, 0, i.err);
  assert.match(i.out, /encoder 1: Conv2D relu -> \[4, 4, 4\], 40 params/);
  assert.match(i.out, /code \[2, 2, 2\] \(8 values\)/);
  assert.match(i.out, /decoder 3: Conv2D sigmoid -> \[8, 8, 1\], 37 params/);
  assert.match(i.out, /'input' \[batch, 64\]/);

  const codes = join(dir, 'codes.npy');
  const e = await aedr('encode', '--model', model, '--data', data, '--out', codes);
  assert.equal(e.code, 0, e.err);
  assert.deepEqual(readNpy(codes).shape, [192, 8]);
  const rec = join(dir, 'rec.npy');
  const d = await aedr('decode', '--model', model, '--codes', codes, '--out', rec);
  assert.equal(d.code, 0, d.err);
  const r = readNpy(rec);
  assert.deepEqual(r.shape, [192, 64]);
  assert.ok(
    r.data.every((v) => v >= 0 && v <= 1),
    'minmax-scaled sigmoid output stays in range',
  );
});

test('train --spec reads a Keras-like layer list; a bad layer is named', async () => {
  const spec = join(dir, 'ae.json');
  writeFileSync(
    spec,
    JSON.stringify({
      encoder: [
        { type: 'Conv2D', filters: 3, kernelSize: 3, padding: 'same', activation: 'relu' },
        { type: 'MaxPooling2D' },
        { type: 'Flatten' },
        { type: 'Dense', units: 4 },
      ],
      decoder: [
        { type: 'Dense', units: 48, activation: 'relu' },
        { type: 'Reshape', targetShape: [4, 4, 3] },
        { type: 'UpSampling2D' },
        { type: 'Conv2D', filters: 1, kernelSize: 3, padding: 'same', activation: 'sigmoid' },
      ],
    }),
  );
  const model = join(dir, 'spec');
  const t = await aedr(
    'train',
    '--data',
    data,
    '--input-shape',
    '8x8x1',
    '--spec',
    spec,
    '--epochs',
    '1',
    '--out',
    model,
    '--quiet',
  );
  assert.equal(t.code, 0, t.err);
  assert.equal(loadModel(model).latentDim, 4);

  const bad = join(dir, 'bad.json');
  writeFileSync(
    bad,
    JSON.stringify({
      inputShape: [8, 8, 1],
      encoder: [{ type: 'Dense', units: 4 }],
      decoder: [{ type: 'Dense', units: 64 }],
    }),
  );
  await failsWithError(
    1,
    /encoder layer 1 \(Dense\): needs a flat input \[units\], got \[8, 8, 1\]; add a Flatten before it/,
    'train',
    '--data',
    data,
    '--spec',
    bad,
    '--out',
    join(dir, 'bad'),
  );
  await failsWithError(
    2,
    /--conv needs the image shape of .*: give --input-shape HxWxC/,
    'train',
    '--data',
    data,
    '--conv',
    '4',
    '--out',
    join(dir, 'noshape'),
  );
});

test('train --noise: a denoising conv AE reports test MSE with clean and noisy input', async () => {
  const model = join(dir, 'denoise');
  const testData = join(dir, 'bars-test.npy');
  writeNpy(testData, barImages(48, 8, 6));
  const t = await aedr(
    'train',
    '--data',
    data,
    '--test-data',
    testData,
    '--input-shape',
    '8x8x1',
    '--conv',
    '4',
    '--noise',
    'gaussian:0.2',
    '--epochs',
    '1',
    '--out',
    model,
  );
  assert.equal(t.code, 0, t.err);
  assert.match(t.err, /test_mse [\d.e-]+ {2}test_mse_noisy [\d.e-]+/);
  const m = loadModel(model);
  assert.equal(m.training?.noise, 'gaussian:0.2');
  assert.ok(m.history[0].testMseNoisy !== undefined);
  await failsWithError(
    1,
    /noise/,
    'train',
    '--data',
    data,
    '--input-shape',
    '8x8x1',
    '--conv',
    '4',
    '--noise',
    'blur:1',
    '--out',
    join(dir, 'badnoise'),
  );
});
