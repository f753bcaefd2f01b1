// Scatter matrices: the three routes (sparse, dense, product backend) against a direct float64
// sum of centred outer products, with one group and with per-class means.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose } from '../../test/helpers/close.js';
import { matrix, type Matrix32 } from '../util/matrix.js';
import { Rng } from '../util/rng.js';
import { groupMeans, scatterMatrix } from './scatter.js';

function reference(x: Matrix32, groups: Int32Array | undefined, nGroups: number): Float64Array {
  const d = x.cols;
  const { means } = groupMeans(x, groups, nGroups);
  const out = new Float64Array(d * d);
  for (let r = 0; r < x.rows; r++) {
    const g = groups === undefined ? 0 : groups[r];
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        out[i * d + j] +=
          (x.data[r * d + i] - means.data[g * d + i]) * (x.data[r * d + j] - means.data[g * d + j]);
      }
    }
  }
  return out;
}

test('scatterMatrix routes agree with the direct sum (sparse data, 3 groups)', async () => {
  const rng = new Rng(21);
  const n = 50;
  const d = 7;
  const x = matrix(
    n,
    d,
    Float32Array.from({ length: n * d }, () => (rng.random() < 0.2 ? rng.int(256) : 0)),
  );
  const groups = Int32Array.from({ length: n }, () => rng.int(3));
  const ref = reference(x, groups, 3);
  for (const route of ['sparse', 'dense', 'product', 'gemm'] as const) {
    const s = await scatterMatrix(x, { groups, route });
    // float32 products (product route) lose about 1e-7 of the largest entry.
    assertClose(s.data, ref, {
      atol: route === 'product' ? 1e-6 * Math.max(...ref) : 1e-9,
      what: route,
    });
  }
  const auto = await scatterMatrix(x);
  assertClose(auto.data, reference(x, undefined, 1), {
    atol: 1e-8,
    what: 'auto (sparse) one group',
  });
});

test('groupMeans averages per group; 1-column scatter of [1, 3] is [2]', async () => {
  const x = matrix(4, 1, Float32Array.of(1, 2, 3, 6));
  const gm = groupMeans(x, Int32Array.of(0, 1, 0, 1), 2);
  assert.deepEqual(Array.from(gm.means.data), [2, 4]);
  assert.deepEqual(Array.from(gm.counts), [2, 2]);
  assert.deepEqual(
    Array.from((await scatterMatrix(matrix(2, 1, Float32Array.of(1, 3)))).data),
    [2],
  );
});

test('groupMeans and scatterMatrix reject bad groups', async () => {
  const x = matrix(2, 1, Float32Array.of(1, 2));
  assert.throws(() => groupMeans(x, Int32Array.of(0), 1), {
    name: 'ShapeError',
    message: /one entry per row \(2\), got 1/,
  });
  assert.throws(() => groupMeans(x, Int32Array.of(0, 3), 2), {
    name: 'ShapeError',
    message: /groups\[1\] = 3 not in 0\.\.1/,
  });
  await assert.rejects(
    scatterMatrix(x, { means: groupMeans(matrix(1, 2, Float32Array.of(1, 2))) }),
    { name: 'ShapeError', message: /means must have 1 columns, got 2/ },
  );
});
