// LDA against scikit-learn 1.2 (test/golden/reducers_sklearn.py: lda, lda_singular): transforms
// equal up to per-component sign (svd) or sign and scale (eigen), explained variance ratios,
// the saved form, and misuse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose } from '../../test/helpers/close.js';
import { matrix } from '../util/matrix.js';
import {
  aligned,
  column,
  expected64,
  input32,
  section,
} from '../../test/helpers/reducers-golden.js';
import { LDA, type LDAOptions } from './lda.js';
import { loadReducer } from './loader.js';

const g = section('lda');
const x = input32(g.x);
const y = Int32Array.from(g.y as number[]);

for (const [name, opts] of [
  ['svd', { solver: 'svd' }],
  ['eigen', { solver: 'eigen' }],
  ['eigen_auto', { solver: 'eigen', shrinkage: 'auto' }],
  ['eigen_0_3', { solver: 'eigen', shrinkage: 0.3 }],
] as [string, LDAOptions][]) {
  test(`LDA ${name} matches scikit-learn up to per-component sign and scale`, async () => {
    const ref = g[name] as Record<string, unknown>;
    const lda = new LDA(opts);
    const z = await lda.fitTransform(x, y);
    const e = expected64(ref.transform);
    assert.equal(z.cols, 2);
    for (let j = 0; j < 2; j++) {
      // svd: the same scalings up to sign; eigen: eigenvectors normalised alike (vᵀSwv = 1), so
      // sign only too; scale is allowed by the spec but not needed. float32 codes: 1e-5.
      assertClose(aligned(z, e, j), column(e, j), {
        atol: 1e-5,
        rtol: 1e-5,
        what: `${name} component ${j}`,
      });
    }
    assertClose(lda.explainedVarianceRatio, ref.explained_variance_ratio as number[], {
      rtol: 1e-8,
      atol: 1e-12,
      what: `${name} ratio`,
    });
    assert.deepEqual((await lda.transform(x)).data, z.data);
  });
}

test('LDA svd handles a singular within-class scatter (constant and duplicated features)', async () => {
  const s = section('lda_singular');
  const z = await new LDA().fitTransform(input32(s.x), Int32Array.from(s.y as number[]));
  const e = expected64(s.transform);
  for (let j = 0; j < 2; j++)
    assertClose(aligned(z, e, j), column(e, j), { atol: 1e-5, rtol: 1e-5, what: `component ${j}` });
  await assert.rejects(
    new LDA({ solver: 'eigen' }).fit(input32(s.x), Int32Array.from(s.y as number[])),
    {
      name: 'NumericalError',
      message: /within-class covariance is singular .* use solver 'svd' or set shrinkage/,
    },
  );
  const shrunk = await new LDA({ solver: 'eigen', shrinkage: 'auto' }).fitTransform(
    input32(s.x),
    Int32Array.from(s.y as number[]),
  );
  assert.equal(shrunk.cols, 2);
});

test('LDA with nComponents 1, custom priors, and saved form', async () => {
  const lda = await new LDA({ nComponents: 1, priors: [1, 1, 2] }).fit(x, y);
  assertClose(lda.priors, [0.25, 0.25, 0.5], { rtol: 1e-15 });
  const z = await lda.transform(x);
  assert.equal(z.cols, 1);
  const back = loadReducer(JSON.parse(JSON.stringify(lda.toJSON())));
  assert.deepEqual((await back.transform(x)).data, z.data);
  assert.deepEqual(Array.from(lda.classes), [0, 1, 2]);
});

test('LDA rejects missing labels, one class, too many components and bad options', async () => {
  await assert.rejects(new LDA().fit(x), {
    name: 'ConfigError',
    message: /LDA is supervised: fit\(x, y\) needs class labels y/,
  });
  await assert.rejects(new LDA().fit(x, new Int32Array(90)), {
    name: 'DataError',
    message: /at least 2 classes in y, got 1 \(label 0\)/,
  });
  await assert.rejects(new LDA().fit(x, new Int32Array(3)), {
    name: 'ShapeError',
    message: /one label per row of x \(90\), got 3/,
  });
  await assert.rejects(new LDA({ nComponents: 3 }).fit(x, y), {
    name: 'ConfigError',
    message: /nComponents must be <= min\(nClasses - 1, nFeatures\) = min\(2, 5\) = 2, got 3/,
  });
  await assert.rejects(new LDA({ priors: [1, 2] }).fit(x, y), {
    name: 'ConfigError',
    message: /priors must have one value per class \(3\), got 2/,
  });
  await assert.rejects(new LDA().fit(matrix(2, 1, Float32Array.of(1, 2)), Int32Array.of(0, 1)), {
    name: 'DataError',
    message: /more samples \(2\) than classes \(2\)/,
  });
  const bad = matrix(3, 1, Float32Array.of(1, Infinity, 2));
  await assert.rejects(new LDA().fit(bad, Int32Array.of(0, 1, 0)), {
    name: 'DataError',
    message: /LDA fit x must be finite, found Infinity at row 1/,
  });
  assert.throws(() => new LDA({ shrinkage: 'auto' }), {
    name: 'ConfigError',
    message: /shrinkage needs solver 'eigen'/,
  });
  assert.throws(() => new LDA({ solver: 'eigen', shrinkage: 2 }), {
    name: 'ConfigError',
    message: /shrinkage must be a finite number >= 0 and <= 1, got 2/,
  });
  assert.throws(() => new LDA({ solver: 'lsqr' as 'svd' }), {
    name: 'ConfigError',
    message: /solver must be one of svd, eigen, got "lsqr"/,
  });
  assert.throws(() => new LDA({ nComponents: 0 }), {
    name: 'ConfigError',
    message: /nComponents must be an integer >= 1, got 0/,
  });
  await assert.rejects(new LDA().transform(x), {
    name: 'NotFittedError',
    message: /LDA is not fitted/,
  });
  const lda = await new LDA().fit(x, y);
  await assert.rejects(lda.transform(matrix(1, 2, new Float32Array(2))), {
    name: 'ShapeError',
    message: /LDA transform x must have 5 columns/,
  });
  const json = lda.toJSON();
  assert.throws(
    () => loadReducer({ ...json, state: { ...json.state, nOut: 7 } }),
    (e: Error & { field?: unknown }) => e.name === 'DataError' && e.field === 'state.nOut',
  );
});
