import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataError } from '../errors.js';
import { matrix } from '../util/matrix.js';
import { labelTexts, withLabels, type Dataset } from './dataset.js';

const d: Dataset = { x: matrix(3, 1, new Float32Array([1, 2, 3])), source: 'x.csv' };

test('labelTexts gives each row its label as written: the class name, or the integer', () => {
  const named = withLabels(d, Int32Array.from([1, 0, 1]), 'y.txt', ['bird', 'cat']);
  assert.deepEqual(labelTexts(named), ['cat', 'bird', 'cat']);
  const coded = withLabels(named, Int32Array.from([7, -1, 3]), 'y.npy');
  assert.equal(coded.labelNames, undefined); // new labels without names drop the old names
  assert.deepEqual(labelTexts(coded), ['7', '-1', '3']);
});

test('misuse: a label count that differs from the rows, labelTexts without labels', () => {
  assert.throws(
    () => withLabels(d, Int32Array.from([0, 1]), 'y.txt'),
    (e: unknown) =>
      e instanceof DataError &&
      e.message ===
        'y.txt: has 2 labels but the data (x.csv) has 3 rows; expected one label per row',
  );
  assert.throws(
    () => labelTexts(d),
    (e: unknown) => e instanceof DataError && e.message === 'x.csv: has no labels',
  );
});
