import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DataError } from '../errors.js';
import { checkFiniteValues, checkFloat32, readBytes, readText, toFloat32Checked } from './io.js';

const dir = mkdtempSync(join(tmpdir(), 'aedr-io-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('readText strips a byte-order mark and unpacks .gz', () => {
  writeFileSync(join(dir, 'a.csv.gz'), gzipSync(Buffer.from('\ufeff1,2\n', 'utf8')));
  assert.equal(readText(join(dir, 'a.csv.gz')), '1,2\n');
});

test('missing files and corrupt gzip are DataErrors naming the file', () => {
  const is = (re: RegExp) => (e: unknown) => e instanceof DataError && re.test(e.message);
  assert.throws(() => readBytes(join(dir, 'none.npy')), is(/none\.npy: file not found/));
  assert.throws(() => readBytes(dir), is(/cannot read file \(EISDIR\)/));
  writeFileSync(join(dir, 'bad.gz'), 'not gzip');
  assert.throws(() => readBytes(join(dir, 'bad.gz')), is(/bad\.gz: not a valid gzip file/));
});

test('the finite checks name the 1-based row and field of the first bad value', () => {
  assert.throws(
    () => checkFiniteValues(new Float64Array([1, 2, 3, -Infinity]), 2, 'f.npy'),
    (e: unknown) =>
      e instanceof DataError &&
      e.row === 2 &&
      e.field === 2 &&
      /f\.npy: row 2, field 2: non-finite value -Infinity in the data/.test(e.message),
  );
  checkFiniteValues(new Int32Array([1, 2]), 1, 'ints.npy');
  assert.throws(
    () => checkFloat32(NaN, 'j.json', 4, 1),
    /j\.json: row 4, field 1: NaN in the data/,
  );
  assert.equal(checkFloat32(3e38, 'j.json', 1, 1), 3e38);
  assert.throws(
    () => toFloat32Checked(new Float64Array([0, 0, -4e38]), 1, 'd.idx'),
    /d\.idx: row 3, field 1: value -4e\+38 is outside the float32 range/,
  );
  assert.deepEqual(Array.from(toFloat32Checked(new Uint8Array([1, 255]), 1, 'u.idx')), [1, 255]);
});
