import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClose } from '../../test/helpers/close.js';
import { ShapeError } from '../errors.js';
import { stackSpec } from '../nn/autoencoder-spec.js';
import { groupMeans } from '../linalg/scatter.js';
import { matrix } from '../util/matrix.js';
import { Rng } from '../util/rng.js';
import { AutoencoderModel } from './model.js';
import { fit } from './trainer.js';

// 50 rows x 6 columns in 0..255; column 0 is always 0 (an always-background pixel).
const rng = new Rng(5);
const x = matrix(
  50,
  6,
  Float32Array.from({ length: 300 }, (_, i) => (i % 6 === 0 ? 0 : Math.round(rng.uniform(0, 255)))),
);
const colMeans = Array.from({ length: 6 }, (_, j) => {
  let s = 0;
  for (let i = 0; i < 50; i++) s += x.data[i * 6 + j];
  return s / 50;
});
const zeros = matrix(1, 2, new Float32Array(2));

test('outputBiasMean: a one-layer decoder maps the zero code to the mean row (data units)', async () => {
  // decode(0) = act(b) unscaled; relu: exactly the column means (float32 rounding).
  const relu = AutoencoderModel.create(stackSpec(6, [2], { outputActivation: 'relu' }), {
    scaling: { kind: 'divide255' },
    outputBiasMean: groupMeans(x).means.data,
  });
  assertClose(Array.from((await relu.decode(zeros)).data), colMeans, { rtol: 1e-5, atol: 1e-4 });
  assert.equal(relu.outputBiasInit, 'mean');
  // sigmoid: the same, except the always-0 column starts at the 0.01 clamp (2.55 in data units).
  const sig = AutoencoderModel.create(stackSpec(6, [2], { outputActivation: 'sigmoid' }), {
    scaling: { kind: 'divide255' },
    outputBiasMean: groupMeans(x).means.data,
  });
  assertClose(Array.from((await sig.decode(zeros)).data), [2.55, ...colMeans.slice(1)], {
    rtol: 1e-5,
  });
  // Without it: Keras' zero bias, relu(0) = 0 everywhere; the kernels are the same draw.
  const keras = AutoencoderModel.create(stackSpec(6, [2], { outputActivation: 'relu' }), {
    scaling: { kind: 'divide255' },
  });
  assert.deepEqual(Array.from((await keras.decode(zeros)).data), new Array(6).fill(0));
  assert.deepEqual(keras.params[0], relu.params[0]);
  assert.equal(keras.outputBiasInit, 'zero');
  await Promise.all([relu.dispose(), sig.dispose(), keras.dispose()]);
});

test('outputBiasMean is recorded in the training config', async () => {
  const m = AutoencoderModel.create(stackSpec(6, [2]), {
    scaling: { kind: 'divide255' },
    outputBiasMean: groupMeans(x).means.data,
  });
  await fit(m, x, { epochs: 1, batchSize: 10, threads: 1 });
  assert.equal(m.training?.outputBias, 'mean');
  await m.dispose();
});

test('outputBiasMean of the wrong length is a ShapeError naming it', () => {
  assert.throws(
    () =>
      AutoencoderModel.create(stackSpec(6, [2]), {
        outputBiasMean: new Float64Array(5),
      }),
    { name: ShapeError.name, message: /outputBiasMean must have 6 values \(inputDim\), got 5/ },
  );
});
