import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { matrix, toFloat32 } from '../util/matrix.js';
import { explainedVariance, reconstructionMse } from './reconstruction.js';
import { assertClose } from '../../test/helpers/close.js';

interface Golden {
  reconstruction: {
    rows: number;
    cols: number;
    X: number[];
    Xhat: number[];
    mse: number;
    perSample: number[];
    explainedVariance: number;
  };
}
const g = (
  JSON.parse(
    readFileSync(new URL('../../test/golden/metrics_sklearn.json', import.meta.url), 'utf8'),
  ) as Golden
).reconstruction;
const X = matrix(g.rows, g.cols, Float64Array.from(g.X));
const Xhat = matrix(g.rows, g.cols, Float64Array.from(g.Xhat));

test('reconstructionMse and explainedVariance equal sklearn 1.2 (rtol 1e-12, metrics_sklearn.py)', () => {
  const r = reconstructionMse(X, Xhat);
  assertClose(r.mse, g.mse, { rtol: 1e-12 });
  assertClose(r.perSample, g.perSample, { rtol: 1e-12 });
  assertClose(explainedVariance(X, Xhat), g.explainedVariance, { rtol: 1e-12 });
  // float32 inputs hold the same (float32-exact) values.
  assertClose(reconstructionMse(toFloat32(X), toFloat32(Xhat)).mse, g.mse, { rtol: 1e-12 });
});

test('perfect reconstruction: mse 0, explained variance 1; column means: explained variance 0', () => {
  assert.equal(reconstructionMse(X, X).mse, 0);
  assert.equal(explainedVariance(X, X), 1);
  const means = matrix(g.rows, g.cols, new Float64Array(g.rows * g.cols));
  for (let j = 0; j < g.cols; j++) {
    let s = 0;
    for (let i = 0; i < g.rows; i++) s += X.data[i * g.cols + j];
    for (let i = 0; i < g.rows; i++) means.data[i * g.cols + j] = s / g.rows;
  }
  assertClose(explainedVariance(X, means), 0, { atol: 1e-12 });
});

test('reconstruction misuse: shape, NaN, constant X', () => {
  assert.throws(() => reconstructionMse(X, matrix(50, 5, new Float64Array(250))), {
    name: 'ShapeError',
    message: /reconstructionMse: Xhat must have the shape of X \(50 x 6\), got 50 x 5/,
  });
  const bad = matrix(2, 2, Float64Array.of(1, 2, NaN, 4));
  assert.throws(() => explainedVariance(matrix(2, 2, new Float64Array(4)), bad), {
    name: 'DataError',
    message: /explainedVariance Xhat must be finite, found NaN at row 1, column 0/,
  });
  assert.throws(
    () =>
      explainedVariance(matrix(2, 1, Float64Array.of(3, 3)), matrix(2, 1, Float64Array.of(3, 2))),
    {
      name: 'NumericalError',
      message: /explainedVariance: X has zero total variance/,
    },
  );
});
