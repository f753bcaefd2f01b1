import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../errors.js';
import { matrix } from '../util/matrix.js';
import { partLayers } from '../nn/autoencoder-spec.js';
import { clustered } from '../../test/helpers/clusters.js';
import { checkCodes } from './code-check.js';
import { prepareAutoencoder, scaledRange } from './setup.js';
import { fit } from './trainer.js';

const blobs = clustered(600, 32, 6, 7);

test('defaults: linear code, sigmoid output for minmax data, linear for standardized, mean output bias', async () => {
  const a = prepareAutoencoder(blobs.x, { layers: [4] });
  assert.equal(partLayers(a.model.spec, 'encoder')[0].activation, 'linear');
  assert.equal(partLayers(a.model.spec, 'decoder')[0].activation, 'sigmoid');
  assert.equal(a.model.outputBiasInit, 'mean');
  assert.deepEqual(a.warnings, []);
  const b = prepareAutoencoder(blobs.x, { layers: [4], scaling: 'standardize' });
  assert.equal(partLayers(b.model.spec, 'decoder')[0].activation, 'linear');
  await Promise.all([a.model.dispose(), b.model.dispose()]);
});

test('scaledRange maps each column through the scaling (minmax gives exactly [0, 1])', () => {
  const x = matrix(2, 2, Float32Array.from([0, 10, 100, 20]));
  assert.deepEqual(scaledRange({ kind: 'divide255' }, x), [0, 100 / 255]);
  assert.deepEqual(scaledRange({ kind: 'minmax', min: [0, 10], max: [100, 20] }, x), [0, 1]);
});

test('guards: an output activation that cannot reach the data, BCE outside [0, 1], a code as wide as the input', () => {
  assert.throws(
    () =>
      prepareAutoencoder(blobs.x, {
        layers: [4],
        scaling: 'standardize',
        outputActivation: 'sigmoid',
      }),
    (e: unknown) =>
      e instanceof ConfigError &&
      /^output activation sigmoid reaches \[0, 1\] but the training data scaled by standardize span \[-\d\.\d+, \d\.\d+\]; use output activation linear, or scaling minmax$/.test(
        e.message,
      ),
  );
  assert.throws(
    () => prepareAutoencoder(blobs.x, { layers: [4], scaling: 'standardize', loss: 'bce' }),
    (e: unknown) =>
      e instanceof ConfigError && /^loss bce needs targets in \[0, 1\]/.test(e.message),
  );
  const wide = prepareAutoencoder(blobs.x, { layers: [32] });
  assert.deepEqual(wide.warnings, [
    'the code has 32 values for 32 input columns: it is no reduction; give a smaller code size',
  ]);
  void wide.model.dispose();
});

// Issue: with a ReLU code (the study's Keras model) some seeds leave code units at 0 for every
// row. With the defaults none of 10 seeds may leave a dead or constant unit; the ReLU run over
// the same seeds shows the check can fail.
test('defaults leave no dead or constant code unit over 10 seeds; a ReLU code does', async () => {
  let reluBad = 0;
  for (let seed = 0; seed < 10; seed++) {
    for (const codeActivation of ['linear', 'relu'] as const) {
      const { model, optimizer, loss } = prepareAutoencoder(blobs.x, {
        layers: [4],
        seed,
        codeActivation: codeActivation === 'linear' ? undefined : codeActivation,
        threads: 1,
      });
      await fit(model, blobs.x, { epochs: 3, batchSize: 32, optimizer, loss, seed, threads: 1 });
      const c = checkCodes(await model.encode(blobs.x));
      await model.dispose();
      const bad = c.dead.length + c.constant.length;
      if (codeActivation === 'linear') assert.equal(bad, 0, `seed ${seed}: ${JSON.stringify(c)}`);
      else reluBad += bad;
    }
  }
  assert.ok(reluBad > 0, 'a ReLU code should leave some dead unit over 10 seeds');
});
