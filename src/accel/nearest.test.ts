// knn on the onnxruntime candidates (TopK) against knn on the JS backend: the same neighbours.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { ComputeBackend } from '../linalg/backend.js';
import { jsBackend } from '../linalg/js-backend.js';
import { knn, type KnnOptions } from '../linalg/knn.js';
import { matrix, type Matrix32 } from '../util/matrix.js';
import { Rng } from '../util/rng.js';
import { ortNearest } from './nearest.js';
import { SessionPool } from './session-pool.js';

const pool = new SessionPool({ threads: 1, spin: false });
after(() => pool.dispose());
/** The JS backend with only the candidate kernel on onnxruntime. */
const candidates: ComputeBackend = { ...jsBackend, nearest: ortNearest(pool) };

/** knn with and without the onnxruntime candidates: must agree exactly (both exact in float64). */
async function both(x: Matrix32, k: number, opts: KnnOptions = {}) {
  return {
    js: await knn(x, k, { ...opts, backend: jsBackend }),
    ort: await knn(x, k, { ...opts, backend: candidates }),
  };
}

test('knn through onnxruntime TopK candidates equals the JS scan, with and without self exclusion', async () => {
  const r = new Rng(21);
  const [n, d] = [300, 12];
  // An offset of 20 makes the expansion's cancellation real; blockRows 64 crosses blocks.
  const x = matrix(
    n,
    d,
    Float32Array.from({ length: n * d }, () => 20 + r.normal()),
  );
  const q = matrix(
    70,
    d,
    Float32Array.from({ length: 70 * d }, () => 20 + r.normal()),
  );
  for (const [what, res] of [
    ['self', await both(x, 7, { blockRows: 64 })],
    ['query', await both(x, 7, { query: q, blockRows: 64 })],
    ['k = 1', await both(x, 1, { query: q })],
  ] as const) {
    assert.deepEqual(res.ort.indices, res.js.indices, `${what} indices`);
    assert.deepEqual(res.ort.distances, res.js.distances, `${what} distances`);
  }
});

test('rows the candidates cannot settle (more exact ties than candidates) fall back to the full scan', async () => {
  // 60 copies of one point, then 40 distinct ones: every copy's 5 nearest are other copies at
  // distance 0, ties broken by lower index, which 5 + 16 candidates cannot decide.
  const r = new Rng(22);
  const rows: number[] = [];
  for (let i = 0; i < 60; i++) rows.push(1, 2, 3);
  for (let i = 0; i < 40; i++) rows.push(r.normal() * 5, r.normal() * 5, r.normal() * 5);
  const x = matrix(100, 3, Float32Array.from(rows));
  const res = await both(x, 5);
  assert.deepEqual(res.ort.indices, res.js.indices);
  assert.deepEqual(res.ort.distances, res.js.distances);
  // Row 10's neighbours: the lowest-index copies other than itself.
  assert.deepEqual([...res.ort.indices.subarray(50, 55)], [0, 1, 2, 3, 4]);
  assert.deepEqual([...res.ort.distances.subarray(50, 55)], [0, 0, 0, 0, 0]);
});
