import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listColumn, parquetBytes, table } from '../../../test/helpers/arrow-tables.js';
import { dropPageIndex, withoutPageIndex } from '../../../test/helpers/parquet-no-page-index.js';
import { offsetIndexed, offsetIndexedGroups } from './parquet-footer.js';

test('parquet-wasm files have an offset index in every row group; stripped ones have none', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aedr-pq-footer-'));
  try {
    const rows = Array.from({ length: 7 }, (_, i) => [i, -i]);
    const bytes = parquetBytes(
      table({ id: Int32Array.from(rows.keys()), emb: listColumn(rows) }),
      3,
    );
    const with_ = join(dir, 'with.parquet');
    const without = join(dir, 'without.parquet');
    writeFileSync(with_, bytes);
    writeFileSync(without, withoutPageIndex(bytes));
    assert.deepEqual(offsetIndexed(with_), [true, true, true]);
    assert.deepEqual(offsetIndexed(without), [false, false, false]);
    dropPageIndex(with_);
    assert.deepEqual(readFileSync(with_), readFileSync(without), 'in place: the same bytes');
    writeFileSync(join(dir, 'text.parquet'), 'hello, world');
    assert.equal(offsetIndexed(join(dir, 'text.parquet')), undefined);
    writeFileSync(join(dir, 'cut.parquet'), bytes.subarray(0, bytes.length - 30));
    assert.equal(offsetIndexed(join(dir, 'cut.parquet')), undefined);
    assert.equal(offsetIndexed(join(dir, 'absent.parquet')), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the Thrift compact walk: hand-made FileMetaData, long field ids, skipped types', () => {
  // FileMetaData { 1: i32 version = 1, 4: list<RowGroup> [
  //   { 1: list<ColumnChunk> [ { 2: i64 0, 4: i64 100 }, { 2: i64 5 } ] },   -> false
  //   { 1: list<ColumnChunk> [ { 2: i64 7, 4: i64 200 } ], 2: i64 9 } ],     -> true
  //   6: map<binary, binary> {}, 7: double, field 200 (long header): bool true }
  const footer = Uint8Array.from([
    0x15,
    0x02, // field 1, i32, zigzag 1
    0x39,
    0x2c, // field 4 (+3), list of 2 structs
    0x19,
    0x2c, // RowGroup field 1, list of 2 ColumnChunks
    0x26,
    0x00,
    0x26,
    0xc8,
    0x01,
    0x00, // {2: 0, 4: 100}
    0x26,
    0x0a,
    0x00, // {2: 5}
    0x00,
    0x19,
    0x1c,
    0x26,
    0x0e,
    0x26,
    0x90,
    0x03,
    0x00, // {1: [{2: 7, 4: 200}]}
    0x16,
    0x12,
    0x00, // 2: i64 9, end of RowGroup
    0x2b,
    0x00, // field 6, empty map
    0x17,
    1,
    2,
    3,
    4,
    5,
    6,
    7,
    8, // field 7, double
    0x01,
    0x90,
    0x03, // field 200 by a long header (zigzag 400), bool true
    0x00,
  ]);
  assert.deepEqual(offsetIndexedGroups(footer), [false, true]);
  assert.throws(() => offsetIndexedGroups(footer.subarray(0, 20)), /footer ends early/);
});
