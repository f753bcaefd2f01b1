import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matrix, type Matrix } from '../util/matrix.js';
import { Rng } from '../util/rng.js';
import { mleIntrinsicDim, twoNN } from './intrinsic-dim.js';

/** n points of a d-dimensional standard Gaussian on a random linear subspace of R^D. */
function subspaceGaussian(n: number, d: number, D: number, seed: number): Matrix {
  const rng = new Rng(seed);
  const basis = Float64Array.from({ length: d * D }, () => rng.normal());
  const out = new Float64Array(n * D);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) {
      const z = rng.normal();
      for (let c = 0; c < D; c++) out[i * D + c] += z * basis[a * D + c];
    }
  }
  return matrix(n, D, out);
}

test('MLE and TwoNN recover d = 3 of a Gaussian in a 3-d subspace of R^10 (n 2000, ±0.5)', async () => {
  const x = subspaceGaussian(2000, 3, 10, 11);
  const mle = await mleIntrinsicDim(x);
  assert.ok(Math.abs(mle.value - 3) < 0.5, `MLE ${mle.value}`);
  assert.equal(mle.perK.length, 11);
  assert.equal(mle.skipped, 0);
  const two = await twoNN(x);
  assert.ok(Math.abs(two.value - 3) < 0.5, `TwoNN ${two.value}`);
  assert.equal(two.used, 1800);
  assert.equal(two.logMu.length, 1800);
});

test('MLE and TwoNN on a 1-d line in R^5 (n 500, ±0.5), duplicates skipped', async () => {
  const x = subspaceGaussian(500, 1, 5, 12);
  const dup = matrix(502, 5, new Float64Array(502 * 5));
  dup.data.set(x.data);
  dup.data.set(x.data.subarray(0, 10), 500 * 5);
  const mle = await mleIntrinsicDim(dup, { k1: 5, k2: 10 });
  assert.ok(Math.abs(mle.value - 1) < 0.5, `MLE ${mle.value}`);
  assert.equal(mle.skipped, 4);
  assert.ok(Number.isNaN(mle.perPoint[0]));
  const two = await twoNN(dup, { discardFraction: 0 });
  assert.ok(Math.abs(two.value - 1) < 0.5, `TwoNN ${two.value}`);
  assert.equal(two.skipped, 4);
  assert.equal(two.used, 497);
});

test('intrinsic dimension misuse: k range, discardFraction, NaN, all duplicates', async () => {
  const x = subspaceGaussian(30, 2, 4, 13);
  await assert.rejects(mleIntrinsicDim(x, { k1: 1 }), {
    name: 'ConfigError',
    message: /mleIntrinsicDim k1 must be an integer in 2\.\.29, got 1/,
  });
  await assert.rejects(mleIntrinsicDim(x, { k1: 5, k2: 30 }), {
    name: 'ConfigError',
    message: /mleIntrinsicDim k2 must be an integer in 2\.\.29, got 30/,
  });
  await assert.rejects(mleIntrinsicDim(x, { k1: 8, k2: 6 }), {
    name: 'ConfigError',
    message: /mleIntrinsicDim k2 must be >= k1 \(8\), got 6/,
  });
  await assert.rejects(twoNN(x, { discardFraction: 1 }), {
    name: 'ConfigError',
    message: /twoNN discardFraction must be < 1, got 1/,
  });
  const bad = subspaceGaussian(30, 2, 4, 14);
  bad.data[5] = NaN;
  await assert.rejects(twoNN(bad), {
    name: 'DataError',
    message: /twoNN X must be finite, found NaN at row 1, column 1/,
  });
  const same = matrix(6, 2, new Float64Array(12).fill(1));
  await assert.rejects(mleIntrinsicDim(same, { k1: 2, k2: 3 }), {
    name: 'NumericalError',
    message: /every one of the 6 points has a duplicate/,
  });
  await assert.rejects(twoNN(same), { name: 'NumericalError', message: /twoNN: no slope to fit/ });
});
