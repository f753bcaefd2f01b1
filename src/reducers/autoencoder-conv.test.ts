// The Autoencoder reducer with convolutional models (conv / spec + inputShape) and denoising
// (noise): tiny 8x8 images, a few epochs, seconds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, ShapeError } from '../errors.js';
import { isLayerSpec } from '../nn/autoencoder-spec.js';
import { matrix, type Matrix32 } from '../util/matrix.js';
import { Rng } from '../util/rng.js';
import { Autoencoder } from './autoencoder.js';
import { loadReducer } from './loader.js';

/** n 8x8 images in [0, 1]: a bright 3x3 square at a seeded random place on a dark background. */
function squares(n: number): Matrix32 {
  const r = new Rng(14);
  const x = new Float32Array(n * 64);
  for (let i = 0; i < n; i++) {
    const top = r.int(6);
    const left = r.int(6);
    for (let y = 0; y < 3; y++)
      for (let c = 0; c < 3; c++) x[i * 64 + (top + y) * 8 + left + c] = 0.9;
  }
  return matrix(n, 64, x);
}

test("conv: the tutorial's family on 8x8x1 rows, denoising; codes of 2x2x2 values, reconstructions better than the mean image", async () => {
  const x = squares(240);
  const ae = new Autoencoder({
    conv: '4,2',
    inputShape: [8, 8, 1],
    noise: 'gaussian:0.1',
    epochs: 15,
    batchSize: 16,
    learningRate: 0.01,
    threads: 1,
  });
  const z = await ae.fitTransform(x);
  assert.equal(z.rows, 240);
  assert.equal(z.cols, 8, 'code 2 x 2 x 2 (8x8 -> 4x4 -> 2x2, two filters)');
  assert.ok(isLayerSpec(ae.trained.spec));
  assert.equal(ae.trained.training?.noise, 'gaussian:0.1');
  assert.equal(ae.history.length, 15);
  const rec = await ae.inverseTransform(z);
  assert.equal(rec.cols, 64);
  // The mean image's squared error is the data's total variance; a trained model must beat it.
  const mean = new Float64Array(64);
  for (let i = 0; i < x.rows; i++) for (let j = 0; j < 64; j++) mean[j] += x.data[i * 64 + j];
  let sse = 0;
  let sst = 0;
  for (let i = 0; i < x.data.length; i++) {
    sse += (rec.data[i] - x.data[i]) ** 2;
    sst += (x.data[i] - mean[i % 64] / x.rows) ** 2;
  }
  assert.ok(sse < 0.8 * sst, `SSE ${sse} vs the mean image's ${sst}`);
  // Saved through loadReducer: the same codes and reconstructions, to the bit.
  const back = loadReducer(JSON.parse(JSON.stringify(ae.toJSON())));
  assert.ok(back instanceof Autoencoder);
  assert.deepEqual(back.options.conv, '4,2');
  assert.deepEqual(Array.from((await back.transform(x)).data), Array.from(z.data));
  assert.deepEqual(Array.from((await back.inverseTransform(z)).data), Array.from(rec.data));
  await ae.dispose();
  await back.dispose();
});

test('spec: a layer list with a dense bottleneck; inputShape from the option; the code has the Dense layer width', async () => {
  const x = squares(64);
  const ae = new Autoencoder({
    spec: {
      encoder: [
        {
          type: 'Conv2D',
          filters: 4,
          kernelSize: 3,
          strides: 2,
          padding: 'same',
          activation: 'relu',
        },
        { type: 'Flatten' },
        { type: 'Dense', units: 3 },
      ],
      decoder: [
        { type: 'Dense', units: 64, activation: 'relu' },
        { type: 'Reshape', targetShape: [4, 4, 4] },
        {
          type: 'Conv2DTranspose',
          filters: 4,
          kernelSize: 3,
          strides: 2,
          padding: 'same',
          activation: 'relu',
        },
        { type: 'Conv2D', filters: 1, kernelSize: 3, padding: 'same', activation: 'sigmoid' },
      ],
    },
    inputShape: [8, 8, 1],
    epochs: 2,
    batchSize: 16,
    threads: 1,
  });
  const z = await ae.fitTransform(x);
  assert.equal(z.cols, 3);
  const back = loadReducer(JSON.parse(JSON.stringify(ae.toJSON())));
  assert.ok(back instanceof Autoencoder);
  assert.deepEqual(Array.from((await back.transform(x)).data), Array.from(z.data));
  await ae.dispose();
  await back.dispose();
});

test('misuse: conv and spec options are checked at construction and fit, each error naming the option', async () => {
  const cases: [ConstructorParameters<typeof Autoencoder>[0], RegExp][] = [
    [{ conv: '4,2' }, /^conv needs inputShape, the \[H, W, C\] of each row/],
    [
      { inputShape: [8, 8, 1] },
      /^inputShape applies to conv or spec models; give conv or spec too/,
    ],
    [
      { conv: '4', nComponents: 3, inputShape: [8, 8, 1] },
      /^nComponents does not apply to a conv model/,
    ],
    [
      { spec: { encoder: [{ type: 'Flatten' }], decoder: [{ type: 'Dense', units: 64 }] } },
      /^spec has no inputShape; add it to the spec or give inputShape/,
    ],
    [
      { conv: '4', spec: { encoder: [], decoder: [] }, inputShape: [8, 8, 1] },
      /^give conv or spec, not both/,
    ],
    [
      { conv: '4,x', inputShape: [8, 8, 1] },
      /^--conv: expected filter counts such as 16,8, got '4,x'/,
    ],
    [{ noise: 'blur:1' }, /^noise: unknown noise kind 'blur'/],
    [
      {
        spec: { encoder: [{ type: 'Dense', units: 3 }], decoder: [{ type: 'Dense', units: 64 }] },
        inputShape: [8, 8, 1],
      },
      /^spec: encoder layer 1 \(Dense\): needs a flat input \[units\], got \[8, 8, 1\]; add a Flatten before it/,
    ],
  ];
  for (const [o, re] of cases) {
    assert.throws(
      () => new Autoencoder(o),
      (e: unknown) => (e instanceof ConfigError || e instanceof ShapeError) && re.test(e.message),
      String(re),
    );
  }
  // An image shape that does not cover the rows is caught at fit.
  const ae = new Autoencoder({ conv: '4', inputShape: [4, 4, 1], epochs: 1, threads: 1 });
  await assert.rejects(
    ae.fit(squares(8)),
    (e: unknown) =>
      e instanceof ConfigError &&
      /the spec's input takes 16 values per row but the training data have 64 columns/.test(
        e.message,
      ),
  );
});
