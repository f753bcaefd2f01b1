// The saved-array codec, the saved-form envelope and the shared checks of the classical reducers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matrix } from '../util/matrix.js';
import {
  checkData,
  decodeArray,
  decodeMatrix,
  encodeArray,
  encodeMatrix,
  fitted,
} from './common.js';
import { savedForm } from './reducer.js';

test('encodeArray/decodeArray round-trip float64, float32 and int32 exactly', () => {
  const f64 = Float64Array.of(Math.PI, -0, 1e-300, -Infinity);
  assert.deepEqual(decodeArray(JSON.parse(JSON.stringify(encodeArray(f64))), 'a', 'float64'), f64);
  const f32 = Float32Array.of(0.1, -2.5);
  assert.deepEqual(decodeArray(encodeArray(f32), 'b', 'float32', [2]), f32);
  const i32 = Int32Array.of(-7, 2 ** 31 - 1);
  assert.deepEqual(decodeArray(encodeArray(i32), 'c', 'int32'), i32);
  const m = matrix(2, 3, Float64Array.of(1, 2, 3, 4, 5, 6));
  assert.deepEqual(decodeMatrix(encodeMatrix(m), 'm', 'float64', [2, -1]), m);
  // A view into a larger buffer encodes only its own bytes.
  const view = new Float64Array([9, 8, 7]).subarray(1, 2);
  assert.deepEqual(Array.from(decodeArray(encodeArray(view), 'v', 'float64')), [8]);
});

test('decodeArray names the field for malformed values', () => {
  const good = encodeArray(Float64Array.of(1, 2));
  const field = (f: string) => (e: Error & { field?: unknown }) =>
    e.name === 'DataError' && e.field === f;
  assert.throws(() => decodeArray(42, 'state.x', 'float64'), field('state.x'));
  assert.throws(
    () => decodeArray(good, 'state.x', 'float32'),
    (e: Error) => /expected dtype float32, got "float64"/.test(e.message),
  );
  assert.throws(
    () => decodeArray(good, 'state.x', 'float64', [3]),
    (e: Error) => /expected shape \[3\], got \[2\]/.test(e.message),
  );
  assert.throws(
    () => decodeArray({ ...good, base64: 'AAAA' }, 'state.x', 'float64'),
    (e: Error) => /holds 3 bytes, shape \[2\] needs 16/.test(e.message),
  );
  assert.throws(
    () => decodeArray({ ...good, shape: [-2] }, 'state.x', 'float64'),
    field('state.x'),
  );
});

test('checkData and fitted raise typed errors', () => {
  assert.throws(() => checkData('x', { rows: 1, cols: 1, data: [1] } as never), {
    name: 'ShapeError',
    message: /x must be a Matrix32/,
  });
  assert.throws(() => checkData('PCA fit x', [[1, 2]] as never), {
    name: 'ShapeError',
    message:
      /PCA fit x must be a Matrix32 .*got \[\[1,2\]\]; build one from rows with matrixFromRows\(rows\)$/,
  });
  assert.throws(() => checkData('x', matrix(1, 1, Float32Array.of(NaN))), {
    name: 'DataError',
    message: /x must be finite, found NaN at row 0, column 0/,
  });
  assert.throws(() => fitted(undefined, 'Thing'), {
    name: 'NotFittedError',
    message: /Thing is not fitted/,
  });
  assert.equal(fitted(3, 'Thing'), 3);
});

test('savedForm writes { kind, version, options, state } and encodes only a fitted state', () => {
  const options = { nComponents: 2 };
  const unfitted = savedForm('pca', options, undefined, () => assert.fail('encode called'));
  assert.deepEqual(unfitted, { kind: 'pca', version: 1, options: { nComponents: 2 }, state: null });
  assert.notEqual(unfitted.options, options);
  const saved = savedForm('pca', options, 3, (s) => ({ twice: 2 * s }));
  assert.deepEqual(Object.keys(saved), ['kind', 'version', 'options', 'state']);
  assert.deepEqual(saved.state, { twice: 6 });
});
