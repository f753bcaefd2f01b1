import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableToIPC } from 'apache-arrow';
import { ConfigError, DataError, ShapeError } from '../../errors.js';
import { listColumn, parquetBytes, table } from '../../../test/helpers/arrow-tables.js';
import { npyBytes } from '../../../test/helpers/npy-bytes.js';
import { loadSourceDataset, openSource, sourceFormatOf } from './open.js';

const dir = mkdtempSync(join(tmpdir(), 'aedr-open-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const ROWS = [
  [1, 2],
  [3, 4],
  [5, 6],
];
const FLAT = ROWS.flat();

test('every format opens by extension (or folder/glob) and loads the same matrix', async () => {
  mkdirSync(join(dir, 'shards'));
  writeFileSync(join(dir, 'shards', 'a.npy'), npyBytes('<f4', [1, 2], FLAT.slice(0, 2)));
  writeFileSync(join(dir, 'shards', 'b.npy'), npyBytes('<f4', [2, 2], FLAT.slice(2)));
  const files: [string, Uint8Array | string, string][] = [
    ['x.npy', npyBytes('<f8', [3, 2], FLAT), 'npy'],
    ['x.csv', 'a,b\n1,2\n3,4\n5,6\n', 'csv'],
    ['x.tsv', '1\t2\n3\t4\n5\t6\n', 'csv'],
    ['x.parquet', parquetBytes(table({ emb: listColumn(ROWS) }), 2), 'parquet'],
    ['x.arrow', tableToIPC(table({ emb: listColumn(ROWS, 2) }), 'file'), 'arrow'],
    ['x.feather', tableToIPC(table({ emb: listColumn(ROWS, 2) }), 'file'), 'arrow'],
  ];
  for (const [name, bytes] of files) writeFileSync(join(dir, name), bytes);
  for (const [name, , format] of [
    ...files,
    ['shards', '', 'npy-shards'],
    ['shards/*.npy', '', 'npy-shards'],
  ]) {
    const p = join(dir, name);
    assert.equal(sourceFormatOf(p), format, name);
    const s = await openSource(p);
    assert.equal(s.cols, 2, name);
    await s.close();
    const d = await loadSourceDataset(p);
    assert.deepEqual([d.x.rows, d.x.cols], [3, 2], name);
    assert.deepEqual(Array.from(d.x.data), FLAT, name);
    assert.equal(d.source, p);
  }
});

test('options that do not apply, unknown formats and row limits are refused', async () => {
  const npy = join(dir, 'x.npy');
  await assert.rejects(
    openSource(npy, { columns: ['a'] }),
    (e: unknown) =>
      e instanceof ConfigError && /columns applies to Parquet and Arrow files only/.test(e.message),
  );
  await assert.rejects(
    openSource(join(dir, 'x.parquet'), { header: true }),
    /header and delimiter apply to CSV\/TSV\/TXT files only/,
  );
  await assert.rejects(
    openSource(join(dir, 'x.xlsx')),
    (e: unknown) =>
      e instanceof DataError &&
      /x\.xlsx: unknown data format; expected \.npy, a folder/.test(e.message),
  );
  await assert.rejects(
    loadSourceDataset(npy, { maxRows: 2 }),
    (e: unknown) =>
      e instanceof ShapeError && /has 3 rows, more than the 2 allowed/.test(e.message),
  );
  await assert.rejects(
    loadSourceDataset(join(dir, 'x.csv'), { maxRows: 2 }),
    /more than the 2 rows allowed/,
  );
});
