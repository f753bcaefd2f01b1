import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError, ShapeError } from '../errors.js';
import { matrix } from '../util/matrix.js';
import { encodeNpy, npyToMatrix, parseNpy, readNpy, writeNpy } from './npy.js';

const dir = mkdtempSync(join(tmpdir(), 'aedr-npy-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A .npy file as numpy writes it: header dict padded with spaces to a 64-byte boundary. */
function npy(
  descr: string,
  shape: string,
  body: Uint8Array,
  { major = 1, fortran = 'False' } = {},
): Uint8Array {
  const lenSize = major === 1 ? 2 : 4;
  let h = `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }`;
  h += ' '.repeat((64 - ((8 + lenSize + h.length + 1) % 64)) % 64) + '\n';
  const out = new Uint8Array(8 + lenSize + h.length + body.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  const v = new DataView(out.buffer);
  if (major === 1) v.setUint16(8, h.length, true);
  else v.setUint32(8, h.length, true);
  out.set(Buffer.from(h, 'latin1'), 8 + lenSize);
  out.set(body, 8 + lenSize + h.length);
  return out;
}

function bytesOf(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

test('writeNpy -> readNpy round-trips float32 and float64 matrices', () => {
  const m32 = matrix(2, 3, new Float32Array([0.1, -1, 2, 3.5, 1e-20, 7]));
  const m64 = matrix(3, 1, new Float64Array([Math.PI, -0, 1e300]));
  writeNpy(join(dir, 'a.npy'), m32);
  writeNpy(join(dir, 'b.npy'), m64);
  const a = readNpy(join(dir, 'a.npy'));
  const b = readNpy(join(dir, 'b.npy'));
  assert.deepEqual(a.shape, [2, 3]);
  assert.ok(a.data instanceof Float32Array);
  assert.deepEqual(Array.from(a.data), Array.from(m32.data));
  assert.deepEqual(b.shape, [3, 1]);
  assert.ok(b.data instanceof Float64Array);
  assert.deepEqual(Array.from(b.data), Array.from(m64.data));
});

test('encodeNpy writes the header numpy writes (data offset a multiple of 64)', () => {
  // Byte-identical to np.save('a.npy', np.zeros((2, 3), np.float32)) (numpy 1.24.2, compared once by hand).
  const bytes = encodeNpy([2, 3], new Float32Array(6));
  const head = Buffer.from(bytes.subarray(10, 128)).toString('latin1');
  assert.match(head, /^\{'descr': '<f4', 'fortran_order': False, 'shape': \(2, 3\), \} +\n$/);
  assert.equal(bytes.length, 128 + 24);
  assert.equal(new DataView(bytes.buffer).getUint16(8, true), 118);
  assert.match(
    Buffer.from(encodeNpy([4], new Float64Array(4))).toString('latin1'),
    /'shape': \(4,\), \}/,
  );
});

test('reads v2.0 headers, integer, bool, big-endian dtypes and n-d shapes', () => {
  const i8 = new BigInt64Array([5n, -1n, 0n]);
  const a = parseNpy(npy('<i8', '(3,)', bytesOf(i8), { major: 2 }), 'l.npy');
  assert.deepEqual(a.shape, [3]);
  assert.deepEqual(Array.from(a.data), [5, -1, 0]);
  const be = new Uint8Array(16);
  new DataView(be.buffer).setFloat64(0, 1.5, false);
  new DataView(be.buffer).setFloat64(8, -2, false);
  assert.deepEqual(Array.from(parseNpy(npy('>f8', '(2,)', be), 'be.npy').data), [1.5, -2]);
  assert.deepEqual(
    Array.from(parseNpy(npy('|b1', '(2,)', new Uint8Array([1, 0])), 'b.npy').data),
    [1, 0],
  );
  const u1 = parseNpy(
    npy('|u1', '(2, 2, 2)', new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), { major: 3 }),
    'img.npy',
  );
  const m = npyToMatrix(u1, 'img.npy');
  assert.deepEqual([m.rows, m.cols], [2, 4]);
  assert.deepEqual(Array.from(m.data), [1, 2, 3, 4, 5, 6, 7, 8]);
  const i4 = parseNpy(npy('<i4', '(2,)', bytesOf(new Int32Array([-7, 9]))), 'i4.npy');
  assert.ok(i4.data instanceof Int32Array);
  assert.deepEqual(npyToMatrix(i4, 'i4.npy').cols, 1);
});

test('fortran order, unsupported dtypes, bad magic and versions are DataErrors', () => {
  const body = new Uint8Array(8);
  const is = (re: RegExp) => (e: unknown) => e instanceof DataError && re.test(e.message);
  assert.throws(
    () => parseNpy(npy('<f4', '(2,)', body, { fortran: 'True' }), 'f.npy'),
    is(/f\.npy: fortran_order is True; expected C order/),
  );
  assert.throws(
    () => parseNpy(npy('<c8', '(1,)', body), 'c.npy'),
    is(/c\.npy: unsupported dtype '<c8'; expected one of <f4, <f8, \|u1/),
  );
  assert.throws(() => parseNpy(npy('<f2', '(4,)', body), 'h.npy'), is(/unsupported dtype '<f2'/));
  assert.throws(() => parseNpy(npy('<U3', '(1,)', body), 's.npy'), is(/unsupported dtype '<U3'/));
  assert.throws(() => parseNpy(new Uint8Array(20), 'z.npy'), is(/z\.npy: not a \.npy file/));
  const v4 = npy('<f4', '(2,)', body);
  v4[6] = 4;
  assert.throws(
    () => parseNpy(v4, 'v4.npy'),
    is(/unsupported \.npy version 4\.0; expected 1\.0, 2\.0 or 3\.0/),
  );
  assert.throws(
    () => parseNpy(npy('<f4', '(-1,)', body), 'neg.npy'),
    is(/npy shape \(-1,\) is not a tuple/),
  );
});

test('truncated and oversized files report expected vs found bytes', () => {
  const full = encodeNpy([2, 2], new Float32Array([1, 2, 3, 4]));
  const p = join(dir, 't.npy');
  writeFileSync(p, full.subarray(0, full.length - 3));
  assert.throws(
    () => readNpy(p),
    (e: unknown) =>
      e instanceof DataError &&
      e.file === p &&
      /truncated \.npy file: expected 144 bytes \(128-byte header \+ shape \(2, 2\) of '<f4'\), found 141/.test(
        e.message,
      ),
  );
  assert.throws(
    () => parseNpy(full.subarray(0, 40), 'h.npy'),
    /truncated \.npy header: expected 128 bytes, found 40/,
  );
  const big = new Uint8Array(full.length + 4);
  big.set(full);
  assert.throws(
    () => parseNpy(big, 'o.npy'),
    /oversized \.npy file: expected 144 bytes.*found 148/,
  );
});

test('NaN in npy float data names sample and column; 0-d arrays are not matrices', () => {
  writeNpy(join(dir, 'nan.npy'), matrix(2, 2, new Float64Array([1, 2, Infinity, 4])));
  assert.throws(
    () => readNpy(join(dir, 'nan.npy')),
    (e: unknown) =>
      e instanceof DataError &&
      e.row === 2 &&
      e.field === 1 &&
      /non-finite value Infinity in the data/.test(e.message),
  );
  const scalar = parseNpy(npy('<f8', '()', bytesOf(new Float64Array([3]))), 's.npy');
  assert.deepEqual(scalar.shape, []);
  assert.throws(
    () => npyToMatrix(scalar, 's.npy'),
    (e: unknown) =>
      e instanceof DataError && /0-d \(scalar\) array cannot be a data matrix/.test(e.message),
  );
  const huge = { shape: [1, 1], data: new Float64Array([1e300]) };
  assert.throws(() => npyToMatrix(huge, 'h.npy'), /value 1e\+300 is outside the float32 range/);
});

test('encodeNpy rejects a shape that does not fit the data', () => {
  assert.throws(
    () => encodeNpy([2, 2], new Float32Array(3)),
    (e: unknown) =>
      e instanceof ShapeError && /shape \(2, 2\) does not hold 3 values/.test(e.message),
  );
  assert.equal(readFileSync(join(dir, 'a.npy')).length, 128 + 24);
});
