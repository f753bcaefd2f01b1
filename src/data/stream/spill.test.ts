import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError } from '../../errors.js';
import { npyBytes } from '../../../test/helpers/npy-bytes.js';
import { CsvSource } from './csv-source.js';
import { NpySource } from './npy-source.js';
import { isRandomAccess } from './source.js';
import { spillToNpy } from './spill.js';

const dir = mkdtempSync(join(tmpdir(), 'aedr-spill-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a CSV source spilled to .npy reads rows at any position', async () => {
  const csv = join(dir, 'x.csv');
  writeFileSync(csv, 'a,b\n' + Array.from({ length: 10 }, (_, i) => `${i},${i / 2}`).join('\n'));
  const s = await CsvSource.open(csv);
  assert.equal(isRandomAccess(s), false);
  const r = await spillToNpy(s, join(dir, 'x.npy'), 3);
  assert.deepEqual([r.rows, r.cols], [10, 2]);
  assert.deepEqual(Array.from(await r.readBlock(7, 2)), [7, 3.5, 8, 4]);
  await r.close();
});

test('a random-access source is returned as is; a bad source leaves no file', async () => {
  const p = join(dir, 'y.npy');
  writeFileSync(p, npyBytes('<f4', [2, 1], [1, 2]));
  const s = await NpySource.open(p);
  assert.equal(await spillToNpy(s, join(dir, 'unused.npy')), s);
  await s.close();
  const bad = join(dir, 'bad.csv');
  writeFileSync(bad, '1,2\n3,x\n');
  const out = join(dir, 'bad.npy');
  await assert.rejects(
    spillToNpy(await CsvSource.open(bad), out),
    (e: unknown) =>
      e instanceof DataError && /row 2, field 2: expected a number, got "x"/.test(e.message),
  );
  assert.equal(existsSync(out), false);
});
