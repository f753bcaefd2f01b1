import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError, ShapeError } from '../errors.js';
import { encodeIdx, parseIdx, readIdx, writeIdx } from './idx.js';

const dir = mkdtempSync(join(tmpdir(), 'aedr-idx-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('writeIdx -> readIdx round-trips every dtype exactly', () => {
  const cases = [
    new Uint8Array([0, 1, 254, 255, 7, 9]),
    new Int8Array([-128, -1, 0, 1, 127, 5]),
    new Int16Array([-32768, -2, 0, 3, 32767, 300]),
    new Int32Array([-2147483648, -5, 0, 6, 2147483647, 70000]),
    new Float32Array([-1.5, 0, 3.25, 1e-30, 3e38, 0.1]),
    new Float64Array([-1.5, 0, Math.PI, 1e-300, 1e300, 0.1]),
  ];
  for (const data of cases) {
    const p = join(dir, `rt-${data.constructor.name}.idx`);
    writeIdx(p, [2, 3], data);
    const back = readIdx(p);
    assert.deepEqual(back.dims, [2, 3]);
    assert.equal(back.data.constructor, data.constructor);
    assert.deepEqual(Array.from(back.data), Array.from(data));
  }
});

test('header is big-endian as in the MNIST spec (magic 0x00000803, dims 2,1,2)', () => {
  const bytes = encodeIdx([2, 1, 2], new Uint8Array([1, 2, 3, 4]));
  assert.deepEqual(Array.from(bytes), [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2, 1, 2, 3, 4]);
  const f = encodeIdx([1], new Float32Array([1]));
  // 1.0f is 0x3f800000; big-endian puts 0x3f first.
  assert.deepEqual(Array.from(f.subarray(8)), [0x3f, 0x80, 0, 0]);
});

test('truncated and oversized files name the file and expected vs found bytes', () => {
  const good = encodeIdx([2, 2], new Uint8Array([1, 2, 3, 4]));
  const p = join(dir, 'short.idx');
  writeFileSync(p, good.subarray(0, good.length - 1));
  assert.throws(
    () => readIdx(p),
    (e: unknown) =>
      e instanceof DataError &&
      e.file === p &&
      /truncated IDX file: expected 16 bytes \(12-byte header \+ 2x2 ubyte values of 1 byte\(s\)\), found 15/.test(
        e.message,
      ),
  );
  const big = new Uint8Array(good.length + 3);
  big.set(good);
  assert.throws(
    () => parseIdx(big, 'big.idx'),
    /big\.idx.*oversized IDX file: expected 16 bytes.*found 19/,
  );
  assert.throws(
    () => parseIdx(good.subarray(0, 6), 'h.idx'),
    /truncated IDX header: expected 12 bytes for 2 dimensions, found 6/,
  );
  assert.throws(
    () => parseIdx(new Uint8Array(2), 'tiny.idx'),
    /tiny\.idx.*shorter than the 4-byte magic/,
  );
});

test('a bad magic or dtype code is rejected', () => {
  const bad = encodeIdx([1], new Uint8Array([1]));
  bad[2] = 0x0a;
  assert.throws(
    () => parseIdx(bad, 'x.idx'),
    (e: unknown) =>
      e instanceof DataError && /x\.idx.*not an IDX file: magic 0x00000a01/.test(e.message),
  );
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]);
  assert.throws(() => parseIdx(png, 'img.png'), /not an IDX file: magic 0x89504e47/);
});

test('NaN in float IDX data is a DataError with 1-based sample and column', () => {
  const p = join(dir, 'nan.idx');
  writeIdx(p, [2, 3], new Float32Array([1, 2, 3, 4, NaN, 6]));
  assert.throws(
    () => readIdx(p),
    (e: unknown) =>
      e instanceof DataError &&
      e.row === 2 &&
      e.field === 2 &&
      /row 2, field 2: NaN in the data/.test(e.message),
  );
});

test('readIdx of a missing file is a DataError naming it', () => {
  assert.throws(
    () => readIdx(join(dir, 'nope.idx')),
    (e: unknown) => e instanceof DataError && /nope\.idx: file not found/.test(e.message),
  );
});

test('writeIdx rejects dims that do not match the data', () => {
  assert.throws(
    () => writeIdx(join(dir, 'w.idx'), [2, 2], new Uint8Array(3)),
    (e: unknown) =>
      e instanceof ShapeError && /dims \[2, 2\] hold 4 values but data has 3/.test(e.message),
  );
  assert.throws(() => encodeIdx([], new Uint8Array(0)), /dims must have 1\.\.255 entries, got 0/);
  assert.throws(() => encodeIdx([1.5], new Uint8Array(1)), /dims must be integers/);
  assert.equal(readFileSync(join(dir, 'rt-Uint8Array.idx')).length, 4 + 8 + 6);
});
