import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, ShapeError } from '../../errors.js';
import { matrix } from '../../util/matrix.js';
import { Rng } from '../../util/rng.js';
import { assertClose } from '../../../test/helpers/close.js';
import { fitGaussian, interpolateCodes, sampleGaussian } from './generate.js';

test('fitGaussian: mean and covariance of a small set match the hand computation, L·Lᵀ = cov', () => {
  // Rows (0,0), (2,0), (0,4), (2,4): mean (1, 2); cov diag (4/3, 16/3), off-diagonal 0.
  const g = fitGaussian(matrix(4, 2, Float32Array.of(0, 0, 2, 0, 0, 4, 2, 4)));
  assertClose(g.mean, [1, 2], { rtol: 1e-12, what: 'mean' });
  assertClose(g.cov.data, [4 / 3, 0, 0, 16 / 3], { rtol: 1e-12, what: 'cov' });
  assertClose(g.chol.data, [Math.sqrt(4 / 3), 0, 0, Math.sqrt(16 / 3)], { rtol: 1e-12, what: 'L' });
  assert.equal(g.ridge, 0);
});

test('sampleGaussian: 20,000 draws recover the mean and covariance they were drawn from (4 sigma)', () => {
  // Target: mean (1, -2, 0.5), cov [[2, 0.6, 0], [0.6, 1, -0.3], [0, -0.3, 0.5]].
  const cov = [2, 0.6, 0, 0.6, 1, -0.3, 0, -0.3, 0.5];
  const src = fitGaussian(matrix(2, 3, Float32Array.of(0, 0, 0, 1, 1, 1)));
  const target = { ...src, mean: Float64Array.of(1, -2, 0.5) };
  const chol = fitGaussianCholesky(cov);
  const draws = sampleGaussian({ ...target, chol: matrix(3, 3, chol) }, 20000, new Rng(5));
  const back = fitGaussian(draws);
  // Standard error of a mean is sqrt(var/n) <= 0.01; of a covariance about sqrt(2·2/n) = 0.014.
  assertClose(back.mean, [1, -2, 0.5], { atol: 0.04, what: 'mean' });
  assertClose(back.cov.data, cov, { atol: 0.06, what: 'cov' });
});

function fitGaussianCholesky(cov: number[]): Float64Array {
  // L of the 3x3 target, computed by the textbook recurrence.
  const l = new Float64Array(9);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j <= i; j++) {
      let s = cov[i * 3 + j];
      for (let k = 0; k < j; k++) s -= l[i * 3 + k] * l[j * 3 + k];
      l[i * 3 + j] = i === j ? Math.sqrt(s) : s / l[j * 3 + j];
    }
  }
  return l;
}

test('fitGaussian: a constant coordinate (a dead ReLU unit) gets a small ridge; clampMin keeps draws >= 0', () => {
  const codes = matrix(3, 2, Float32Array.of(0, 1, 0, 2, 0, 3));
  const g = fitGaussian(codes);
  assert.ok(g.ridge > 0 && g.ridge < 1e-6, `ridge ${g.ridge}`);
  const s = sampleGaussian(g, 100, new Rng(1), { clampMin: 0 });
  assert.ok(s.data.every((v) => v >= 0));
});

test('sampleGaussian: the same seed gives the same draws', () => {
  const g = fitGaussian(matrix(3, 2, Float32Array.of(0, 1, 1, 0, 2, 2)));
  assert.deepEqual(sampleGaussian(g, 5, new Rng(3)).data, sampleGaussian(g, 5, new Rng(3)).data);
});

test('interpolateCodes: ends equal the two codes, the middle is their mean', () => {
  const codes = matrix(3, 2, Float32Array.of(0, 0, 10, 20, 4, 4));
  const z = interpolateCodes(
    codes,
    [
      [0, 1],
      [2, 0],
    ],
    3,
  );
  assert.equal(z.rows, 6);
  assert.deepEqual(Array.from(z.data), [0, 0, 5, 10, 10, 20, 4, 4, 2, 2, 0, 0]);
});

test('misuse: too few rows, bad steps, bad row index, bad count', () => {
  assert.throws(
    () => fitGaussian(matrix(1, 2, Float32Array.of(1, 2))),
    (e: unknown) => e instanceof ShapeError && /at least 2 rows, got 1/.test(e.message),
  );
  const codes = matrix(2, 1, Float32Array.of(0, 1));
  assert.throws(
    () => interpolateCodes(codes, [[0, 1]], 1),
    (e: unknown) =>
      e instanceof ConfigError && /steps must be an integer >= 2, got 1/.test(e.message),
  );
  assert.throws(
    () => interpolateCodes(codes, [[0, 2]], 3),
    (e: unknown) => e instanceof ShapeError && /row 2 of pair 0 is outside 0..1/.test(e.message),
  );
  const g = fitGaussian(matrix(3, 1, Float32Array.of(0, 1, 3)));
  assert.throws(
    () => sampleGaussian(g, 0, new Rng(1)),
    (e: unknown) =>
      e instanceof ConfigError && /count must be an integer >= 1, got 0/.test(e.message),
  );
});
