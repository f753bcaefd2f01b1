import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../util/rng.js';
import { matrix, type Matrix32 } from '../util/matrix.js';
import { pairwiseSqDistances, squaredNorms } from './distances.js';
import { assertClose } from '../../test/helpers/close.js';

function randomMatrix(rows: number, cols: number, seed: number): Matrix32 {
  const rng = new Rng(seed);
  const d = new Float32Array(rows * cols);
  for (let i = 0; i < d.length; i++) d[i] = rng.normal();
  return matrix(rows, cols, d);
}

test('squaredNorms: 3-4-5 triangle and zero row', () => {
  assert.deepEqual(Array.from(squaredNorms(matrix(2, 2, Float32Array.of(3, 4, 0, 0)))), [25, 0]);
});

test('pairwiseSqDistances matches direct float64 differences (rtol 1e-5, float32 expansion)', async () => {
  const a = randomMatrix(50, 13, 1);
  const b = randomMatrix(70, 13, 2);
  const d = await pairwiseSqDistances(a, b);
  assert.equal(d.rows, 50);
  assert.equal(d.cols, 70);
  const ref = new Float64Array(50 * 70);
  for (let i = 0; i < 50; i++) {
    for (let j = 0; j < 70; j++) {
      let s = 0;
      for (let c = 0; c < 13; c++) s += (a.data[i * 13 + c] - b.data[j * 13 + c]) ** 2;
      ref[i * 70 + j] = s;
    }
  }
  // Error bound of the expansion: about cols * 2^-24 * (|a|^2 + |b|^2) ~ 1e-5 absolute here.
  assertClose(d.data, ref, { rtol: 1e-5, atol: 1e-4 });
});

test('pairwiseSqDistances clamps at zero on identical rows', async () => {
  const a = matrix(1, 3, Float32Array.of(0.1, 0.2, 0.3));
  const d = await pairwiseSqDistances(a, a);
  assert.ok(d.data[0] >= 0 && d.data[0] < 1e-6);
});

test('pairwiseSqDistances misuse: column mismatch', async () => {
  await assert.rejects(pairwiseSqDistances(randomMatrix(2, 3, 1), randomMatrix(2, 4, 2)), {
    name: 'ShapeError',
    message: /pairwiseSqDistances needs equal column counts, got a 2 x 3 and b 2 x 4/,
  });
});
