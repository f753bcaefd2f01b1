import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataError } from '../errors.js';
import { labelsFromText, toLabels } from './labels.js';

test('integer text becomes codes; any non-number makes all of them class names, sorted', () => {
  assert.deepEqual(labelsFromText(['3', '-1', '0'], 'y.txt'), {
    labels: Int32Array.from([3, -1, 0]),
  });
  const l = labelsFromText(['versicolor', 'setosa', 'virginica', 'setosa', '1'], 'y.txt');
  assert.deepEqual(l.names, ['1', 'setosa', 'versicolor', 'virginica']);
  assert.deepEqual(Array.from(l.labels), [2, 1, 3, 1, 0]);
});

test('toLabels accepts integral floats and bigints, rejects fractions and int32 overflow', () => {
  assert.deepEqual(Array.from(toLabels(new Float32Array([5, 0, 9]), 'l.npy')), [5, 0, 9]);
  assert.deepEqual(Array.from(toLabels([7n, -2n], 'l.npy')), [7, -2]);
  assert.throws(
    () => toLabels([1, 2.5], 'l.npy', 10),
    (e: unknown) =>
      e instanceof DataError &&
      e.row === 11 &&
      /l\.npy: row 11: label must be an integer \(int32\), got 2\.5/.test(e.message),
  );
  assert.throws(() => toLabels([2 ** 31], 'l.npy'), /got 2147483648/);
});

test('empty labels and non-integer numbers are DataErrors naming the row and field', () => {
  assert.throws(
    () => labelsFromText(['1', ''], 'y.csv', 2, 3),
    (e: unknown) => e instanceof DataError && /y\.csv: row 3, field 3: empty label/.test(e.message),
  );
  assert.throws(
    () => labelsFromText(['1', '2.5'], 'y.csv', 1),
    /row 2: label must be an integer \(int32\), got "2\.5"/,
  );
});
