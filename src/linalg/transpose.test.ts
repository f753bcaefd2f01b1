// transposeBlocked against the plain transpose on shapes that straddle the tile size.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matrix, transpose } from '../util/matrix.js';
import { transposeBlocked } from './transpose.js';

test('transposeBlocked equals transpose (exact copies) on ragged shapes, both element types', () => {
  for (const [r, c] of [
    [1, 1],
    [3, 70],
    [65, 33],
    [0, 4],
  ]) {
    const f32 = matrix(
      r,
      c,
      Float32Array.from({ length: r * c }, (_, i) => i * 0.5 - 7),
    );
    const t = transposeBlocked(f32);
    assert.equal(t.rows, c);
    assert.equal(t.cols, r);
    assert.ok(t.data instanceof Float32Array);
    assert.deepEqual(t.data, transpose(f32).data);
    const f64 = matrix(r, c, Float64Array.from(f32.data));
    assert.deepEqual(transposeBlocked(f64).data, transpose(f64).data);
  }
});
