// The public entry: every documented name is exported; importing it installs nothing (a reducer
// runs on the pure-JS backend unless given one), and PCA gives the same answer on either backend.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as aedr from '../src/index.js';
import { assertClose } from './helpers/close.js';

test('the public entry exports the documented API', () => {
  for (const name of [
    'AutoencoderModel',
    'fit',
    'saveModel',
    'loadModel',
    'stackSpec',
    'parseModelSpec',
    'convShorthand',
    'parseNoise',
    'adam',
    'sgd',
    'loadMnist',
    'loadDataset',
    'PCA',
    'LDA',
    'LLE',
    'Isomap',
    'Autoencoder',
    'loadReducer',
    'trustworthiness',
    'knnAccuracy',
    'mleIntrinsicDim',
    'twoNN',
    'Graph',
    'gradients',
    'makeModel',
    'Session',
    'renderChart',
    'HtmlReport',
    'runStudy',
    'runCompare',
    'runCurvesExperiment',
    'runIntrinsicDimExperiment',
    'AedrError',
    'DataError',
    'matrixFromRows',
    'labelTexts',
    'jsBackend',
    'createJsBackend',
    'createOrtBackend',
  ]) {
    assert.ok(name in aedr, `${name} is exported`);
  }
});

test('PCA through the public entry, on the default JS backend and on onnxruntime, reproduces a known 2-d answer (atol 1e-5)', async () => {
  // Points on the line y = x: one component explains everything; codes are ±sqrt(2) * offsets.
  const x = aedr.matrix(3, 2, Float32Array.of(0, 0, 1, 1, 2, 2));
  const ort = aedr.createOrtBackend({ threads: 1 });
  try {
    for (const pca of [
      new aedr.PCA({ nComponents: 1 }),
      new aedr.PCA({ nComponents: 1, backend: ort }),
    ]) {
      const z = await pca.fitTransform(x);
      const sign = Math.sign(z.data[2]);
      assertClose(
        Array.from(z.data, (v) => v * sign),
        [-Math.SQRT2, 0, Math.SQRT2],
        { atol: 1e-5, what: `codes on ${pca.backend.name}` },
      );
    }
    assert.equal(new aedr.PCA().backend, aedr.jsBackend);
  } finally {
    await ort.dispose();
  }
});

test('plain number[][] rows become a matrix the reducers take, through matrixFromRows', async () => {
  // The same points as above: the one component's codes are ±sqrt(2) (atol 1e-5, sign aligned).
  const x = aedr.matrixFromRows([
    [0, 0],
    [1, 1],
    [2, 2],
  ]);
  const z = await new aedr.PCA({ nComponents: 1 }).fitTransform(x);
  const s = Math.sign(z.data[0]);
  assertClose(
    Array.from(z.data, (v) => v * s),
    [Math.SQRT2, 0, -Math.SQRT2],
    { atol: 1e-5 },
  );
  assert.throws(() => aedr.matrixFromRows([[1, 2], [3]]), aedr.ShapeError);
});
