// The threaded all-pairs Dijkstra equals the single-thread one bit for bit on a seeded random
// geometric graph above the parallel threshold; misuse of threads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../util/rng.js';
import { allPairsShortestPaths, undirectedKnnGraph } from './shortest-paths.js';
import { allPairsShortestPathsParallel } from './shortest-paths-parallel.js';

function ringGraph(n: number, k: number) {
  // Points on a noisy circle; neighbours by index offset 1..k with their Euclidean lengths.
  const rng = new Rng(5);
  const ang = Float64Array.from(
    { length: n },
    (_, i) => (2 * Math.PI * i) / n + 1e-4 * rng.normal(),
  );
  const idx = new Int32Array(n * k);
  const dist = new Float64Array(n * k);
  for (let i = 0; i < n; i++)
    for (let t = 0; t < k; t++) {
      const j = (i + t + 1) % n;
      idx[i * k + t] = j;
      dist[i * k + t] = Math.hypot(
        Math.cos(ang[i]) - Math.cos(ang[j]),
        Math.sin(ang[i]) - Math.sin(ang[j]),
      );
    }
  return undirectedKnnGraph(n, k, idx, dist);
}

test('allPairsShortestPathsParallel equals allPairsShortestPaths exactly (2 threads, n = 1200)', async () => {
  const g = ringGraph(1200, 3);
  const want = allPairsShortestPaths(g);
  const got = await allPairsShortestPathsParallel(g, 2);
  assert.equal(got.length, want.length);
  let diff = 0;
  for (let i = 0; i < want.length; i++) if (got[i] !== want[i]) diff++;
  assert.equal(diff, 0);
  // One thread and small graphs take the serial path.
  assert.deepEqual(
    await allPairsShortestPathsParallel(ringGraph(50, 2), 1),
    allPairsShortestPaths(ringGraph(50, 2)),
  );
});

test('allPairsShortestPathsParallel rejects a bad thread count', async () => {
  await assert.rejects(allPairsShortestPathsParallel(ringGraph(10, 2), 0), {
    name: 'ConfigError',
    message: /threads must be an integer >= 1, got 0/,
  });
});
