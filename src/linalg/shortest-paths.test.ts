// Dijkstra all-pairs against Floyd-Warshall on a seeded random kNN graph; components; misuse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose } from '../../test/helpers/close.js';
import { Rng } from '../util/rng.js';
import {
  allPairsShortestPaths,
  connectedComponents,
  undirectedKnnGraph,
} from './shortest-paths.js';

test('allPairsShortestPaths equals Floyd-Warshall on a random directed kNN list walked both ways', () => {
  const n = 60;
  const k = 3;
  const rng = new Rng(9);
  const indices = new Int32Array(n * k);
  const distances = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < k; t++) {
      indices[i * k + t] = (i + 1 + rng.int(n - 1)) % n;
      distances[i * k + t] = 0.1 + rng.random();
    }
  }
  const g = undirectedKnnGraph(n, k, indices, distances);
  const fw = new Float64Array(n * n).fill(Infinity);
  for (let i = 0; i < n; i++) fw[i * n + i] = 0;
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < k; t++) {
      const j = indices[i * k + t];
      const d = distances[i * k + t];
      fw[i * n + j] = Math.min(fw[i * n + j], d);
      fw[j * n + i] = Math.min(fw[j * n + i], d);
    }
  }
  for (let m = 0; m < n; m++)
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++)
        fw[i * n + j] = Math.min(fw[i * n + j], fw[i * n + m] + fw[m * n + j]);
  assertClose(allPairsShortestPaths(g), fw, { rtol: 1e-7, what: 'geodesic' });
});

test('allPairsShortestPaths on a path 0-1-2 with weights 1, 2', () => {
  const g = undirectedKnnGraph(3, 1, Int32Array.of(1, 2, 1), Float64Array.of(1, 2, 2));
  assert.deepEqual(Array.from(allPairsShortestPaths(g)), [0, 1, 3, 1, 0, 2, 3, 2, 0]);
});

test('connectedComponents labels two separate pairs', () => {
  const g = undirectedKnnGraph(4, 1, Int32Array.of(1, 0, 3, 2), Float64Array.of(1, 1, 1, 1));
  const { count, labels } = connectedComponents(g);
  assert.equal(count, 2);
  assert.deepEqual(Array.from(labels), [0, 0, 1, 1]);
});

test('undirectedKnnGraph rejects bad lists', () => {
  assert.throws(() => undirectedKnnGraph(3, 1, Int32Array.of(1, 2), Float64Array.of(1, 1)), {
    name: 'ShapeError',
    message: /expected 3·1 entries, got 2 indices/,
  });
  assert.throws(() => undirectedKnnGraph(2, 1, Int32Array.of(1, 5), Float64Array.of(1, 1)), {
    name: 'ShapeError',
    message: /neighbour index 5 out of range 0\.\.1/,
  });
});
