// PCA against scikit-learn 1.2 (test/golden/reducers_sklearn.py: pca_tall, pca_wide), the
// orthonormality invariant, randomized vs full, the saved form, and misuse.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose } from '../../test/helpers/close.js';
import { matrix, type Matrix32 } from '../util/matrix.js';
import { Rng } from '../util/rng.js';
import { expected64, input32, section } from '../../test/helpers/reducers-golden.js';
import { randomizedRoute } from '../linalg/randomized-svd.js';
import { createOrtBackend } from '../accel/ort-backend.js';
import { PCA } from './pca.js';
import { loadReducer } from './loader.js';

test('PCA full matches scikit-learn on 60 x 8 (components 1e-6, variances 1e-9 relative)', async () => {
  const g = section('pca_tall');
  const x = input32(g.x);
  const pca = new PCA({ nComponents: 3, svdSolver: 'full' });
  const z = await pca.fitTransform(x);
  // Same svd_flip rule, so the signs match without alignment.
  assertClose(pca.components.data, expected64(g.components).data, {
    atol: 1e-6,
    what: 'components',
  });
  assertClose(pca.explainedVariance, g.explained_variance as number[], {
    rtol: 1e-9,
    what: 'explainedVariance',
  });
  assertClose(pca.explainedVarianceRatio, g.explained_variance_ratio as number[], {
    rtol: 1e-9,
    what: 'ratio',
  });
  assertClose(pca.singularValues, g.singular_values as number[], {
    rtol: 1e-9,
    what: 'singularValues',
  });
  assertClose(pca.noiseVariance, g.noise_variance as number, { rtol: 1e-9, what: 'noiseVariance' });
  assertClose(pca.mean, g.mean as number[], { rtol: 1e-12, what: 'mean' });
  // Codes are float32: 1e-6 relative to their scale.
  assertClose(z.data, expected64(g.transform).data, { atol: 2e-5, rtol: 1e-6, what: 'transform' });
  const zw = await new PCA({ nComponents: 3, whiten: true, svdSolver: 'full' }).fitTransform(x);
  assertClose(zw.data, expected64(g.whiten_transform).data, {
    atol: 1e-5,
    what: 'whitened transform',
  });
  assert.equal((await new PCA({ nComponents: 0.9 }).fit(x)).nComponents, g.n_components_for_0_9);
});

test('PCA full matches scikit-learn when n < d (12 x 20)', async () => {
  const g = section('pca_wide');
  const pca = await new PCA({ nComponents: 5, svdSolver: 'full' }).fit(input32(g.x));
  const ref = expected64(g.components);
  const comps = pca.components;
  for (let t = 0; t < 5; t++) {
    let dot = 0;
    for (let j = 0; j < 20; j++) dot += comps.data[t * 20 + j] * ref.data[t * 20 + j];
    assertClose(dot, 1, { atol: 1e-9, what: `component ${t} · reference` });
  }
  assertClose(pca.explainedVariance, g.explained_variance as number[], { rtol: 1e-9 });
  assertClose(pca.explainedVarianceRatio, g.explained_variance_ratio as number[], { rtol: 1e-9 });
  assertClose(pca.noiseVariance, g.noise_variance as number, { rtol: 1e-9 });
});

function gaussian(n: number, d: number, seed: number): Matrix32 {
  const rng = new Rng(seed);
  const scales = Array.from({ length: d }, (_, j) => 10 / (j + 1));
  return matrix(
    n,
    d,
    Float32Array.from({ length: n * d }, (_, i) => rng.normal() * scales[i % d] + 1),
  );
}

test('PCA invariants: orthonormal components, exact reconstruction at full rank, transform = fitTransform', async () => {
  const x = gaussian(40, 6, 1);
  const pca = new PCA();
  const z = await pca.fitTransform(x);
  const c = pca.components;
  for (let a = 0; a < 6; a++) {
    for (let b = 0; b < 6; b++) {
      let dot = 0;
      for (let j = 0; j < 6; j++) dot += c.data[a * 6 + j] * c.data[b * 6 + j];
      assertClose(dot, a === b ? 1 : 0, { atol: 1e-12, what: `component ${a}·${b}` });
    }
  }
  const before = Float64Array.from(c.data);
  const again = await pca.transform(x);
  assert.deepEqual(again.data, z.data);
  assert.deepEqual(pca.components.data, before, 'transform must not change the model');
  assertClose((await pca.inverseTransform(z)).data, x.data, {
    atol: 1e-4,
    what: 'inverse ∘ transform',
  });
  const w = new PCA({ nComponents: 2, whiten: true });
  const zw = await w.fitTransform(x);
  const plain = await new PCA({ nComponents: 2 }).fit(x);
  const expected = await plain.inverseTransform(await plain.transform(x));
  assertClose((await w.inverseTransform(zw)).data, expected.data, {
    atol: 1e-4,
    what: 'whitened inverse',
  });
});

test('PCA randomized (auto above 500 rows) agrees with full on the leading components', async () => {
  const x = gaussian(600, 40, 2);
  const r = await new PCA({ nComponents: 4, seed: 3 }).fit(x);
  assert.equal(r.svdSolver, 'randomized');
  const f = await new PCA({ nComponents: 4, svdSolver: 'full' }).fit(x);
  assertClose(r.explainedVariance, f.explainedVariance, { rtol: 1e-4, what: 'explainedVariance' });
  assertClose(r.explainedVarianceRatio, f.explainedVarianceRatio, { rtol: 1e-4, what: 'ratio' });
  assertClose(r.components.data, f.components.data, {
    atol: 1e-3,
    what: 'components (same svd_flip signs)',
  });
  assertClose(r.noiseVariance, f.noiseVariance, { rtol: 1e-4, what: 'noiseVariance' });
});

const ort = createOrtBackend({ threads: 1 });
after(() => ort.dispose());

test('PCA randomized on the Gram route (5000 x 300: μ, variance and C from one onnxruntime call) agrees with full; NaN is still named', async () => {
  const x = gaussian(5000, 300, 4);
  assert.equal(randomizedRoute(5000, 300, 5), 'gram');
  const r = await new PCA({ nComponents: 5, seed: 1, backend: ort }).fit(x);
  const f = await new PCA({ nComponents: 5, svdSolver: 'full', backend: ort }).fit(x);
  // float32 Gram (μ, C and the trace in float32 accumulation): 1e-5 relative on the variances.
  assertClose(r.explainedVariance, f.explainedVariance, { rtol: 1e-5, what: 'explainedVariance' });
  assertClose(r.explainedVarianceRatio, f.explainedVarianceRatio, { rtol: 1e-5, what: 'ratio' });
  assertClose(r.mean, f.mean, { atol: 1e-5, what: 'mean' });
  assertClose(r.components.data, f.components.data, { atol: 1e-4, what: 'components' });
  const q = gaussian(50, 300, 5);
  assertClose((await r.transform(q)).data, (await f.transform(q)).data, {
    atol: 1e-3,
    rtol: 1e-4,
    what: 'transform',
  });
  const bad = matrix(5000, 300, x.data.slice());
  bad.data[4321 * 300 + 17] = Infinity;
  await assert.rejects(new PCA({ nComponents: 5, backend: ort }).fit(bad), {
    name: 'DataError',
    message: /PCA fit x must be finite, found Infinity at row 4321, column 17/,
  });
  const badQ = matrix(50, 300, q.data.slice());
  badQ.data[7 * 300 + 2] = NaN;
  await assert.rejects(r.transform(badQ), {
    name: 'DataError',
    message: /PCA transform x must be finite, found NaN at row 7, column 2/,
  });
});

test('PCA saved form round-trips through JSON text; the backend is not saved, the loader takes one', async () => {
  const x = gaussian(30, 5, 4);
  const pca = await new PCA({ nComponents: 2, whiten: true, backend: ort }).fit(x);
  assert.equal(pca.toJSON().options.backend, undefined);
  const back = loadReducer(JSON.parse(JSON.stringify(pca.toJSON())));
  assert.equal(back.name, 'pca');
  assert.equal((back as PCA).backend.name, 'js');
  assert.deepEqual((await back.transform(x)).data, (await pca.transform(x)).data);
  const onOrt = loadReducer(pca.toJSON(), { backend: ort }) as PCA;
  assert.equal(onOrt.backend, ort);
  assert.deepEqual((await onOrt.transform(x)).data, (await pca.transform(x)).data);
  assert.deepEqual(
    loadReducer(JSON.parse(JSON.stringify(new PCA().toJSON()))).toJSON().state,
    null,
  );
});

test('PCA rejects bad options, bad data and use before fit', async () => {
  assert.throws(() => new PCA({ nComponents: 0 }), {
    name: 'ConfigError',
    message: /nComponents must be a finite number > 0 and <= 1, got 0/,
  });
  assert.throws(() => new PCA({ nComponents: 2.5 }), {
    name: 'ConfigError',
    message: /nComponents must be a finite number > 0 and <= 1, got 2\.5/,
  });
  assert.throws(() => new PCA({ svdSolver: 'arpack' as 'full' }), {
    name: 'ConfigError',
    message: /svdSolver must be one of auto, full, randomized, got "arpack"/,
  });
  assert.throws(() => new PCA({ nComponents: 0.5, svdSolver: 'randomized' }), {
    name: 'ConfigError',
    message: /fraction \(0\.5\) needs svdSolver 'full'/,
  });
  const x = gaussian(10, 3, 5);
  await assert.rejects(new PCA({ nComponents: 4 }).fit(x), {
    name: 'ConfigError',
    message: /nComponents must be <= min\(nSamples, nFeatures\) = min\(10, 3\) = 3, got 4/,
  });
  const nan = matrix(3, 2, Float32Array.of(1, 2, 3, NaN, 5, 6));
  await assert.rejects(new PCA().fit(nan), {
    name: 'DataError',
    message: /PCA fit x must be finite, found NaN at row 1, column 1/,
  });
  await assert.rejects(new PCA().fit(matrix(1, 2, Float32Array.of(1, 2))), {
    name: 'ShapeError',
    message: /at least 2 rows, got 1/,
  });
  await assert.rejects(new PCA().fit(matrix(3, 2, Float32Array.of(1, 2, 1, 2, 1, 2))), {
    name: 'DataError',
    message: /zero variance in every column/,
  });
  const flat = matrix(4, 2, Float32Array.of(0, 1, 1, 1, 2, 1, 3, 1)); // second feature constant
  await assert.rejects(new PCA({ nComponents: 2, whiten: true }).fit(flat), {
    name: 'NumericalError',
    message: /component 1 has zero variance/,
  });
  await assert.rejects(new PCA().transform(x), {
    name: 'NotFittedError',
    message: /PCA is not fitted: call fit\(x\)/,
  });
  const fitted = await new PCA({ nComponents: 2 }).fit(x);
  await assert.rejects(fitted.transform(matrix(1, 4, new Float32Array(4))), {
    name: 'ShapeError',
    message: /PCA transform x must have 3 columns, got 1 x 4/,
  });
  await assert.rejects(fitted.inverseTransform(matrix(1, 3, new Float32Array(3))), {
    name: 'ShapeError',
    message: /inverseTransform z must have 2 columns/,
  });
  const json = fitted.toJSON();
  const broken = {
    ...json,
    state: { ...json.state, components: { dtype: 'float64', shape: [2, 4], base64: '' } },
  };
  assert.throws(
    () => loadReducer(broken),
    (e: Error & { field?: unknown }) =>
      e.name === 'DataError' &&
      e.field === 'state.components' &&
      /expected shape \[-1, 3\]/.test(e.message),
  );
});
