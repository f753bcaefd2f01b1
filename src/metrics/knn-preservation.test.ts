import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matrix, type Matrix } from '../util/matrix.js';
import { Rng } from '../util/rng.js';
import { knnPreservation } from './knn-preservation.js';

function gaussian(rows: number, cols: number, seed: number): Matrix {
  const rng = new Rng(seed);
  return matrix(
    rows,
    cols,
    Float64Array.from({ length: rows * cols }, () => rng.normal()),
  );
}

test('knnPreservation: 1 for a scaled copy, hand-counted value on a line', async () => {
  const x = gaussian(60, 4, 1);
  const scaled = matrix(
    60,
    4,
    x.data.map((v) => 3 * v - 1),
  );
  assert.deepEqual(await knnPreservation(x, scaled, 5), { value: 1, exact: true, n: 60 });
  // X on a line at 0,1,2,3; Z swaps the last two points: 0,1,3,2.
  // k=1: X nbrs 1,0,1,2 ; Z nbrs 1,0,3,2 -> hits 1,1,0,0 -> 0.5.
  const lx = matrix(4, 1, Float64Array.of(0, 1, 2, 3));
  const lz = matrix(4, 1, Float64Array.of(0, 1, 3, 2));
  assert.equal((await knnPreservation(lx, lz, 1)).value, 0.5);
});

test('knnPreservation subsampled: flagged and within 4 standard errors of the exact value', async () => {
  const x = gaussian(400, 6, 2);
  const z = matrix(400, 2, new Float64Array(800));
  for (let i = 0; i < 400; i++) z.data.set(x.data.subarray(i * 6, i * 6 + 2), i * 2);
  const exact = await knnPreservation(x, z, 8);
  const est = await knnPreservation(x, z, 8, { maxExact: 100, sampleSize: 150, seed: 9 });
  assert.equal(est.exact, false);
  assert.equal(est.sampleSize, 150);
  const se = est.standardError ?? 0;
  assert.ok(se > 0 && Math.abs(est.value - exact.value) < 4 * se, `${est.value} vs ${exact.value}`);
});

test('knnPreservation misuse: rows, k, NaN', async () => {
  const x = gaussian(10, 3, 3);
  await assert.rejects(knnPreservation(x, gaussian(11, 2, 4), 2), {
    name: 'ShapeError',
    message: /knnPreservation: X and Z must have the same number of rows, got 10 and 11/,
  });
  await assert.rejects(knnPreservation(x, x, 10), {
    name: 'ConfigError',
    message: /knnPreservation k must be an integer in 1\.\.9 \(n - 1\), got 10/,
  });
  const bad = gaussian(10, 3, 5);
  bad.data[0] = NaN;
  await assert.rejects(knnPreservation(bad, x, 2), {
    name: 'DataError',
    message: /knnPreservation X must be finite, found NaN at row 0, column 0/,
  });
});
