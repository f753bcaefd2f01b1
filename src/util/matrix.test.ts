import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataError, ShapeError } from '../errors.js';
import { matrixFromRows } from './matrix.js';

test('matrixFromRows copies rows into a row-major float32 matrix, or float64 on request', () => {
  const rows = [
    [1, 2],
    [3, 4.5],
    [-5, 6],
  ];
  const m = matrixFromRows(rows);
  assert.deepEqual([m.rows, m.cols], [3, 2]);
  assert.ok(m.data instanceof Float32Array);
  assert.deepEqual(Array.from(m.data), [1, 2, 3, 4.5, -5, 6]);
  rows[0][0] = 99; // a copy: later edits to the rows do not reach the matrix
  assert.equal(m.data[0], 1);
  const d = matrixFromRows([[0.1, 0.2]], { dtype: 'float64' });
  assert.ok(d.data instanceof Float64Array);
  assert.deepEqual(Array.from(d.data), [0.1, 0.2]); // exact in float64
  const e = matrixFromRows([]);
  assert.deepEqual([e.rows, e.cols, e.data.length], [0, 0, 0]);
});

test('matrixFromRows names the ragged row, the flat array and the bad value', () => {
  assert.throws(
    () => matrixFromRows([[1, 2], [3]]),
    (e: unknown) =>
      e instanceof ShapeError &&
      /row 2 has 1 values, expected 2 as row 1 has; rows must all be the same length/.test(
        e.message,
      ),
  );
  assert.throws(
    () => matrixFromRows([1, 2, 3] as unknown as number[][]),
    (e: unknown) =>
      e instanceof ShapeError &&
      /row 1 is 1, expected an array of numbers \(for one sample, pass \[\[\.\.\.\]\]\)/.test(
        e.message,
      ),
  );
  assert.throws(
    () => matrixFromRows('1,2' as unknown as number[][]),
    (e: unknown) =>
      e instanceof ShapeError && /expected an array of rows, got "1,2"/.test(e.message),
  );
  assert.throws(
    () =>
      matrixFromRows([
        [1, 2],
        [3, NaN],
      ]),
    (e: unknown) =>
      e instanceof DataError &&
      e.row === 2 &&
      e.field === 2 &&
      /row 2, field 2: matrixFromRows: expected a finite number, got NaN/.test(e.message),
  );
  assert.throws(
    () => matrixFromRows([['1', 2]] as unknown as number[][]),
    /expected a finite number, got "1"/,
  );
  assert.throws(() => matrixFromRows([[1e39]]), /1e\+39 is outside the float32 range/);
  assert.equal(matrixFromRows([[1e39]], { dtype: 'float64' }).data[0], 1e39);
});
