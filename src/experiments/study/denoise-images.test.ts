import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../errors.js';
import { convShorthand } from '../../nn/layer-spec.js';
import { prepareAutoencoder } from '../../train/setup.js';
import { fit } from '../../train/trainer.js';
import { MNIST_SHAPE } from './config.js';
import { noisyTestRows } from './denoise-images.js';
import { loadStudyData } from './runs.js';

test('noisyTestRows: the denoising picture gets the same input as fit() measured testMseNoisy on', async () => {
  const data = loadStudyData(200, 40);
  const noise = 'gaussian:0.2';
  const seed = 3;
  const { model, optimizer } = prepareAutoencoder(data.train, {
    spec: convShorthand('4', MNIST_SHAPE),
    scaling: { kind: 'divide255' },
    trainMean: data.trainMean,
    learningRate: 0.01,
    seed,
    threads: 1,
  });
  try {
    const records = await fit(model, data.train, {
      epochs: 2,
      batchSize: 10,
      optimizer,
      seed,
      threads: 1,
      testData: data.test,
      noise,
    });
    const noisy = noisyTestRows(data, noise, seed);
    assert.equal(noisy.rows, data.test.rows);
    let changed = 0;
    for (let i = 0; i < noisy.data.length; i++) {
      assert.ok(noisy.data[i] >= 0 && noisy.data[i] <= 255, `value ${i}: ${noisy.data[i]}`);
      if (Math.abs(noisy.data[i] - data.test.data[i]) > 1e-3) changed++;
    }
    // Gaussian noise of 0.2 moves every pixel except those clipped back to 0 or 1 (about half of
    // MNIST's zeros): well over a third of them.
    assert.ok(changed > noisy.data.length / 3, `${changed} of ${noisy.data.length} changed`);
    const mseOf = async (input: typeof noisy): Promise<number> => {
      const recon = await model.reconstruct(input);
      let sse = 0;
      for (let i = 0; i < recon.data.length; i++)
        sse += ((recon.data[i] - data.test.data[i]) / 255) ** 2;
      return sse / recon.data.length;
    };
    // Same corruption, same weights: only float32 rounding of the /255 scaling (in JS here, in the
    // graph during fit) separates the two, 1e-4 relative at most.
    const expected = records[records.length - 1].testMseNoisy ?? NaN;
    const mse = await mseOf(noisy);
    assert.ok(Math.abs(mse - expected) <= 1e-4 * expected, `MSE ${mse} vs fit's ${expected}`);
    // The check has teeth: another draw of the noise moves the MSE by several times that (on
    // 40 test images two draws' MSEs differ by about 1e-3 relative; 3e-4 leaves room).
    const other = await mseOf(noisyTestRows(data, noise, seed + 1));
    assert.ok(Math.abs(other - expected) > 3e-4 * expected, `other draw ${other} vs ${expected}`);
  } finally {
    await model.dispose();
  }
});

test('noisyTestRows: a bad noise text is a ConfigError naming it', () => {
  const data = loadStudyData(10, 10);
  assert.throws(
    () => noisyTestRows(data, 'gauss:0.2', 0),
    (e: unknown) =>
      e instanceof ConfigError && /^conv noise: unknown noise kind 'gauss'/.test(e.message),
  );
});
