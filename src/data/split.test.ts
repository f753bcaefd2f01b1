import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../errors.js';
import { matrix } from '../util/matrix.js';
import type { Dataset } from './dataset.js';
import { trainTestSplit } from './split.js';

// Row i holds (i, 10 i) and label i % 3, so every row can be traced after the split.
const n = 50;
const d: Dataset = {
  x: matrix(
    n,
    2,
    Float32Array.from({ length: 2 * n }, (_, k) => (k % 2 === 0 ? k / 2 : 5 * (k - 1))),
  ),
  labels: Int32Array.from({ length: n }, (_, i) => i % 3),
  source: 'toy',
};

test('sizes round(n * fraction); parts are disjoint, cover all rows, keep labels with rows', () => {
  const { train, test: te } = trainTestSplit(d, 0.25, 1);
  assert.equal(te.x.rows, 13); // round(12.5) = 13
  assert.equal(train.x.rows, 37);
  const seen = new Set<number>();
  for (const part of [train, te]) {
    for (let r = 0; r < part.x.rows; r++) {
      const id = part.x.data[2 * r];
      assert.equal(part.x.data[2 * r + 1], 10 * id);
      assert.equal(part.labels?.[r], id % 3);
      seen.add(id);
    }
  }
  assert.equal(seen.size, n);
  assert.equal(te.source, 'toy (test split)');
});

test('the same seed gives the same split, another seed another', () => {
  const a = trainTestSplit(d, 0.2, 7).test.x.data;
  assert.deepEqual(trainTestSplit(d, 0.2, 7).test.x.data, a);
  assert.notDeepEqual(trainTestSplit(d, 0.2, 8).test.x.data, a);
});

test('misuse: fractions outside (0, 1] or leaving an empty part are ConfigErrors', () => {
  const is = (re: RegExp) => (e: unknown) => e instanceof ConfigError && re.test(e.message);
  assert.throws(
    () => trainTestSplit(d, 0, 1),
    is(/testFraction must be a finite number > 0 and <= 1, got 0/),
  );
  assert.throws(
    () => trainTestSplit(d, 1.5, 1),
    is(/testFraction must be a finite number > 0 and <= 1, got 1\.5/),
  );
  assert.throws(
    () => trainTestSplit(d, 0.001, 1),
    is(/testFraction 0\.001 of 50 rows gives 0 test and 50 train rows; both need at least 1/),
  );
  assert.throws(() => trainTestSplit(d, 0.2, 1.5), is(/seed must be an integer/));
});
