// CSR assembly, product and RCM ordering, checked against dense arithmetic by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csrFromTriplets, csrMatvec, reverseCuthillMcKee } from './sparse.js';
import { Rng } from '../util/rng.js';

test('csrFromTriplets sums duplicates and sorts columns; csrMatvec multiplies', () => {
  const a = csrFromTriplets(2, 3, [1, 0, 0, 1, 0], [2, 1, 0, 2, 1], [1, 2, 3, 4, 5]);
  assert.deepEqual(Array.from(a.indptr), [0, 2, 3]);
  assert.deepEqual(Array.from(a.indices), [0, 1, 2]);
  assert.deepEqual(Array.from(a.values), [3, 7, 5]);
  const y = new Float64Array(2);
  csrMatvec(a, [1, 1, 2], y);
  assert.deepEqual(Array.from(y), [10, 10]);
});

test('reverseCuthillMcKee returns a permutation that restores a shuffled path to bandwidth 1', () => {
  const n = 40;
  const shuffle = new Rng(3).permutation(n);
  const r: number[] = [];
  const c: number[] = [];
  for (let i = 0; i + 1 < n; i++) {
    r.push(shuffle[i], shuffle[i + 1]);
    c.push(shuffle[i + 1], shuffle[i]);
  }
  for (let i = 0; i < n; i++) {
    r.push(i);
    c.push(i);
  }
  const a = csrFromTriplets(n, n, r, c, new Array(r.length).fill(1));
  const perm = reverseCuthillMcKee(a);
  assert.deepEqual(
    Array.from(perm).sort((x, y) => x - y),
    Array.from({ length: n }, (_, i) => i),
  );
  const inv = new Int32Array(n);
  perm.forEach((old, i) => (inv[old] = i));
  let band = 0;
  for (let i = 0; i < n; i++)
    for (let p = a.indptr[i]; p < a.indptr[i + 1]; p++)
      band = Math.max(band, Math.abs(inv[i] - inv[a.indices[p]]));
  assert.equal(band, 1);
});

test('csrFromTriplets and csrMatvec reject bad shapes', () => {
  assert.throws(() => csrFromTriplets(2, 2, [0], [0, 1], [1]), {
    name: 'ShapeError',
    message: /1 rows, 2 cols, 1 values/,
  });
  assert.throws(() => csrFromTriplets(2, 2, [2], [0], [1]), {
    name: 'ShapeError',
    message: /entry 0 at \(2, 0\) outside 2 x 2/,
  });
  const a = csrFromTriplets(2, 2, [0], [0], [1]);
  assert.throws(() => csrMatvec(a, [1], new Float64Array(2)), {
    name: 'ShapeError',
    message: /A is 2 x 2, x has 1/,
  });
});
