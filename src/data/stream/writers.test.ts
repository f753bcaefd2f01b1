import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ShapeError } from '../../errors.js';
import { readCsv } from '../csv.js';
import { readNpy } from '../npy.js';
import { NpySource } from './npy-source.js';
import { CsvStreamWriter, NpyStreamWriter, npyHeader } from './writers.js';

const dir = mkdtempSync(join(tmpdir(), 'aedr-writers-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('npyHeader matches numpy: 64-byte aligned, shape as a tuple', () => {
  // np.save of a (2, 3) float32 array writes this dict padded to 128 bytes (numpy 1.24.2).
  const h = npyHeader('<f4', 2, 3);
  assert.equal(h.length, 128);
  assert.match(
    Buffer.from(h.subarray(10)).toString('latin1'),
    /^\{'descr': '<f4', 'fortran_order': False, 'shape': \(2, 3\), \} +\n$/,
  );
  assert.throws(() => npyHeader('<f4', 2 ** 52, 3, 64), /does not fit 64 bytes/);
});

test('NpyStreamWriter appends blocks and fixes the shape at finish; readers agree', async () => {
  const path = join(dir, 'codes.npy');
  const w = await NpyStreamWriter.open(path, 3);
  await w.append(new Float32Array([1, 2, 3, 4, 5, 6]));
  await w.append(new Float64Array([0.5, -1, 1e-3]));
  await w.append(new Float32Array(0));
  assert.equal(w.rows, 3);
  assert.equal(existsSync(path), false, 'nothing at the target before finish');
  await w.finish();
  const a = readNpy(path);
  assert.deepEqual(a.shape, [3, 3]);
  assert.deepEqual(Array.from(a.data), [1, 2, 3, 4, 5, 6, 0.5, -1, Math.fround(1e-3)]);
  const s = await NpySource.open(path);
  assert.deepEqual(Array.from(await s.readBlock(2, 1)), [0.5, -1, Math.fround(1e-3)]);
  await s.close();
  assert.deepEqual(readdirSync(dir), ['codes.npy'], 'no temporary file left');
});

test('NpyStreamWriter writes float64 when asked, and an empty array when nothing came', async () => {
  const p64 = join(dir, 'f8.npy');
  const w = await NpyStreamWriter.open(p64, 1, { dtype: 'f8' });
  await w.append(new Float64Array([Math.PI]));
  await w.append(new Float32Array([0.1]));
  await w.finish();
  const a = readNpy(p64);
  assert.ok(a.data instanceof Float64Array);
  assert.deepEqual(Array.from(a.data), [Math.PI, Math.fround(0.1)]);
  const p0 = join(dir, 'empty.npy');
  const e = await NpyStreamWriter.open(p0, 4);
  await e.finish();
  assert.deepEqual(readNpy(p0).shape, [0, 4]);
  rmSync(p64);
  rmSync(p0);
});

test('abort leaves the target untouched and removes the temporary file', async () => {
  const path = join(dir, 'keep.npy');
  const first = await NpyStreamWriter.open(path, 1);
  await first.append(new Float32Array([7]));
  await first.finish();
  const w = await NpyStreamWriter.open(path, 1);
  await w.append(new Float32Array([1, 2]));
  await w.abort();
  assert.deepEqual(Array.from(readNpy(path).data), [7]);
  assert.ok(!readdirSync(dir).some((n) => n.startsWith('.aedr-tmp')));
  rmSync(path);
});

test('CsvStreamWriter appends rows that readCsv reads back, with a header', async () => {
  const path = join(dir, 'codes.tsv');
  const w = await CsvStreamWriter.open(path, 2, { header: ['z1', 'z 2'] });
  await w.append(new Float32Array([0.1, 2, 3.5, -4]));
  await w.append(new Float32Array([1e-7, 6]));
  await w.finish();
  const d = readCsv(path);
  assert.deepEqual(d.x.data, new Float32Array([0.1, 2, 3.5, -4, 1e-7, 6]));
  rmSync(path);
});

test('misuse: bad widths, partial rows and writes after finish are ShapeErrors', async () => {
  await assert.rejects(
    NpyStreamWriter.open(join(dir, 'x.npy'), 0),
    /cols must be a positive integer, got 0/,
  );
  await assert.rejects(
    CsvStreamWriter.open(join(dir, 'x.csv'), 2, { header: ['a'] }),
    /header has 1 names, expected 2/,
  );
  const w = await NpyStreamWriter.open(join(dir, 'p.npy'), 3);
  await assert.rejects(
    w.append(new Float32Array(4)),
    (e: unknown) => e instanceof ShapeError && /4 values are not whole rows of 3/.test(e.message),
  );
  await w.finish();
  await assert.rejects(w.append(new Float32Array(3)), /already finished/);
  const c = await CsvStreamWriter.open(join(dir, 'p.csv'), 2);
  await assert.rejects(c.append(new Float32Array(3)), /3 values are not whole rows of 2/);
  await c.abort();
});
