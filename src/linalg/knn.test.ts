import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, ShapeError } from '../errors.js';
import { Rng } from '../util/rng.js';
import { matrix, toFloat64, type Matrix32 } from '../util/matrix.js';
import { knn } from './knn.js';
import { assertClose } from '../../test/helpers/close.js';

function randomMatrix(rows: number, cols: number, seed: number, scale = 1): Matrix32 {
  const rng = new Rng(seed);
  const d = new Float32Array(rows * cols);
  for (let i = 0; i < d.length; i++) d[i] = scale * rng.normal();
  return matrix(rows, cols, d);
}

/** Brute force: every distance in float64, full sort by (distance, index). */
function bruteForce(
  data: Matrix32,
  query: Matrix32,
  k: number,
  exclude: boolean,
): { idx: number[]; dist: number[] } {
  const idx: number[] = [];
  const dist: number[] = [];
  for (let i = 0; i < query.rows; i++) {
    const all: [number, number][] = [];
    for (let j = 0; j < data.rows; j++) {
      if (exclude && i === j) continue;
      let s = 0;
      for (let c = 0; c < data.cols; c++) {
        const t = query.data[i * query.cols + c] - data.data[j * data.cols + c];
        s += t * t;
      }
      all.push([s, j]);
    }
    all.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    for (let t = 0; t < k; t++) {
      idx.push(all[t][1]);
      dist.push(Math.sqrt(all[t][0]));
    }
  }
  return { idx, dist };
}

test('knn equals brute force (self excluded, small blocks, offset data)', async () => {
  // An offset of 100 makes norms large next to distances: the float32 expansion alone would misorder.
  const x = randomMatrix(300, 17, 1);
  for (let i = 0; i < x.data.length; i++) x.data[i] += 100;
  for (const k of [1, 5, 12]) {
    const nb = await knn(x, k, { blockRows: 37 });
    const ref = bruteForce(x, x, k, true);
    assert.deepEqual(Array.from(nb.indices), ref.idx, `k=${k}`);
    // Same float64 arithmetic on the same float32 values: equal to rounding.
    assertClose(nb.distances, ref.dist, { rtol: 1e-12, what: `distances k=${k}` });
    assert.equal(nb.rows, 300);
    assert.equal(nb.k, k);
  }
});

test('knn with a query set equals brute force; float64 data gives the same answer', async () => {
  const data = randomMatrix(250, 9, 2);
  const query = randomMatrix(40, 9, 3);
  const nb = await knn(data, 7, { query });
  const ref = bruteForce(data, query, 7, false);
  assert.deepEqual(Array.from(nb.indices), ref.idx);
  assertClose(nb.distances, ref.dist, { rtol: 1e-12 });
  const nb64 = await knn(toFloat64(data), 7, { query: toFloat64(query) });
  assert.deepEqual(Array.from(nb64.indices), ref.idx);
});

test('knn breaks ties by lower index and handles duplicates', async () => {
  // Points on a line: 0, 1, 1 (duplicate), 2, 3. Row 0's two nearest are the two 1s (index 1, 2).
  const x = matrix(5, 1, Float32Array.of(0, 1, 1, 2, 3));
  const nb = await knn(x, 2);
  assert.deepEqual(Array.from(nb.indices), [1, 2, 2, 0, 1, 0, 1, 2, 3, 1]);
  assertClose(nb.distances, [1, 1, 0, 1, 0, 1, 1, 1, 1, 2], { atol: 0 });
});

test('knn doc example: 1-d points 0, 1, 3', async () => {
  const nb = await knn(matrix(3, 1, Float32Array.of(0, 1, 3)), 1);
  assert.deepEqual(Array.from(nb.indices), [1, 0, 1]);
  assert.deepEqual(Array.from(nb.distances), [1, 1, 2]);
});

test('knn queryIndex excludes the stated data row', async () => {
  const data = randomMatrix(60, 4, 5);
  const pick = [3, 17, 42];
  const q = matrix(3, 4, new Float32Array(12));
  pick.forEach((r, i) => q.data.set(data.data.subarray(r * 4, r * 4 + 4), i * 4));
  const nb = await knn(data, 3, { query: q, excludeSelf: true, queryIndex: pick });
  const full = await knn(data, 3);
  pick.forEach((r, i) => {
    assert.deepEqual(
      Array.from(nb.indices.subarray(i * 3, i * 3 + 3)),
      Array.from(full.indices.subarray(r * 3, r * 3 + 3)),
    );
  });
});

test('knn misuse: k range, shapes, NaN, blockRows, queryIndex', async () => {
  const x = randomMatrix(10, 3, 6);
  await assert.rejects(knn(x, 10), {
    name: 'ConfigError',
    message: /knn k must be an integer in 1\.\.9 \(data has 10 rows, self excluded\), got 10/,
  });
  await assert.rejects(knn(x, 0), ConfigError);
  await assert.rejects(knn(x, 2, { query: randomMatrix(2, 4, 7) }), {
    name: 'ShapeError',
    message: /knn query must have 3 columns, got 2 x 4/,
  });
  const bad = randomMatrix(10, 3, 8);
  bad.data[7] = NaN;
  await assert.rejects(knn(bad, 2), {
    name: 'DataError',
    message: /knn data must be finite, found NaN at row 2, column 1/,
  });
  await assert.rejects(knn(x, 2, { blockRows: 0 }), /knn blockRows must be an integer >= 1, got 0/);
  await assert.rejects(
    knn(x, 2, { query: x, excludeSelf: true, queryIndex: [1] }),
    (e: unknown) =>
      e instanceof ShapeError && /one entry per query row \(10\), got 1/.test(e.message),
  );
  await assert.rejects(
    knn(x, 2, { query: matrix(1, 3, new Float32Array(3)), excludeSelf: true, queryIndex: [10] }),
    /queryIndex\[0\] must be a data row index in 0\.\.9, got 10/,
  );
});
