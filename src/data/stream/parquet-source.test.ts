import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, DataError } from '../../errors.js';
import { listColumn, parquetBytes, table } from '../../../test/helpers/arrow-tables.js';
import { withoutPageIndex } from '../../../test/helpers/parquet-no-page-index.js';
import { ParquetSource } from './parquet-source.js';
import { readAllRows } from './source.js';

const dir = mkdtempSync(join(tmpdir(), 'aedr-parquet-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

async function rejectsData(p: Promise<unknown>, re: RegExp, row?: number) {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof DataError, `expected DataError, got ${String(e)}`);
    assert.match(e.message, re);
    assert.equal(e.row, row);
    return true;
  });
}

const ROWS = Array.from({ length: 7 }, (_, i) => [i, -i, i / 4]);

test('a list<float> column: row groups become rows; blocks may span groups', async () => {
  for (const fixed of [undefined, 3]) {
    const p = file(
      `emb-${fixed ?? 'list'}.parquet`,
      parquetBytes(table({ id: Int32Array.from(ROWS.keys()), emb: listColumn(ROWS, fixed) }), 3),
    );
    const s = await ParquetSource.open(p);
    assert.deepEqual([s.rows, s.cols, s.groupRows], [7, 3, [3, 3, 1]]);
    assert.deepEqual(Array.from((await readAllRows(s)).data), ROWS.flat());
    assert.deepEqual(Array.from(await s.readBlock(2, 3)), ROWS.slice(2, 5).flat());
    assert.deepEqual(Array.from(await s.readBlock(6, 1)), ROWS[6]);
    await s.close();
  }
});

test('reads in slices of sliceRows rows give the same rows, across groups and slices', async () => {
  const rows = Array.from({ length: 23 }, (_, i) => [i, i / 8, -i]);
  for (const fixed of [undefined, 3]) {
    const p = file(
      `slices-${fixed ?? 'list'}.parquet`,
      parquetBytes(table({ emb: listColumn(rows, fixed) }), 10),
    );
    for (const sliceRows of [1, 3, 4, 10, 100]) {
      const s = await ParquetSource.open(p, { sliceRows });
      assert.equal(s.sliceRows, sliceRows);
      assert.deepEqual(
        Array.from((await readAllRows(s)).data),
        rows.flat(),
        `sliceRows ${sliceRows}`,
      );
      // Ranges that start and end inside slices and groups, out of order.
      for (const [a, n] of [
        [7, 9],
        [0, 1],
        [19, 4],
        [9, 2],
        [3, 17],
      ]) {
        assert.deepEqual(
          Array.from(await s.readBlock(a, n)),
          rows.slice(a, a + n).flat(),
          `sliceRows ${sliceRows}: rows ${a}+${n}`,
        );
      }
      await s.close();
    }
  }
  const cols = file(
    'slices-cols.parquet',
    parquetBytes(
      table({ a: Float64Array.from(rows, (r) => r[1]), b: Int32Array.from(rows, (r) => r[0]) }),
      10,
    ),
  );
  const s = await ParquetSource.open(cols, { columns: ['b', 'a'], sliceRows: 4 });
  assert.deepEqual(
    Array.from(await s.readBlock(5, 13)),
    rows.slice(5, 18).flatMap((r) => [r[0], r[1]]),
  );
  await s.close();
  for (const bad of [0, -1, 1.5, NaN]) {
    await assert.rejects(
      ParquetSource.open(cols, { sliceRows: bad }),
      (e: unknown) =>
        e instanceof ConfigError &&
        e.message === `sliceRows: expected a positive integer, got ${bad}`,
    );
  }
});

test('without a page index, groups are read as streams of batches: same rows, any order', async () => {
  const rows = Array.from({ length: 23 }, (_, i) => [i, i / 8, -i]);
  const bytes = parquetBytes(table({ emb: listColumn(rows, 3) }), 10);
  const p = file('no-index.parquet', withoutPageIndex(bytes));
  for (const sliceRows of [1, 3, 4, 10, 100]) {
    const s = await ParquetSource.open(p, { sliceRows });
    assert.deepEqual(s.pageIndexed, [false, false, false]);
    assert.deepEqual(
      Array.from((await readAllRows(s)).data),
      rows.flat(),
      `sliceRows ${sliceRows}`,
    );
    // Forwards within a batch and a group, backwards (a new stream), across groups.
    for (const [a, n] of [
      [7, 9],
      [8, 1],
      [0, 1],
      [19, 4],
      [9, 2],
      [2, 2],
      [3, 17],
    ]) {
      assert.deepEqual(
        Array.from(await s.readBlock(a, n)),
        rows.slice(a, a + n).flat(),
        `sliceRows ${sliceRows}: rows ${a}+${n}`,
      );
    }
    await s.close();
  }
  const indexed = await ParquetSource.open(file('index.parquet', bytes));
  assert.deepEqual(indexed.pageIndexed, [true, true, true]);
  await indexed.close();
  const ragged = await ParquetSource.open(
    file(
      'ragged-no-index.parquet',
      withoutPageIndex(parquetBytes(table({ emb: listColumn([[1, 2], [3, 4], [5, 6], [7]]) }), 2)),
    ),
    { sliceRows: 1 },
  );
  assert.deepEqual(Array.from(await ragged.readBlock(0, 3)), [1, 2, 3, 4, 5, 6]);
  await rejectsData(
    ragged.readBlock(3, 1),
    /row 4, field emb: the list in column 'emb' has 1 values, expected 2/,
    4,
  );
  await ragged.close();
});

test('numeric columns by name, in the order named; int64 and float64 convert', async () => {
  const t = table({
    a: Float64Array.from([1.5, 2.5, 3.5]),
    name: ['x', 'y', 'z'],
    b: BigInt64Array.from([10n, 20n, 30n]),
    c: Int32Array.from([-1, -2, -3]),
  });
  const p = file('cols.parquet', parquetBytes(t, 2));
  const s = await ParquetSource.open(p, { columns: ['c', 'a', 'b'] });
  assert.equal(s.cols, 3);
  assert.deepEqual(Array.from(await s.readBlock(0, 3)), [-1, 1.5, 10, -2, 2.5, 20, -3, 3.5, 30]);
  await s.close();
  await assert.rejects(
    ParquetSource.open(p),
    /cannot tell which columns hold the data \(a \(Float64\), name \(.*Utf8>?\), b \(Int64\)/,
  );
  await assert.rejects(
    ParquetSource.open(p, { columns: ['a', 'nope'] }),
    (e: unknown) =>
      e instanceof ConfigError &&
      /columns: "nope" not found in .*cols\.parquet \(it has a \(Float64\)/.test(e.message),
  );
  await rejectsData(
    ParquetSource.open(p, { columns: ['a', 'name'] }),
    /field name: column 'name' is .*Utf8>?; expected a numeric column/,
  );
});

test('nulls, ragged lists, NaN and corrupt files are DataErrors with the row', async () => {
  const ragged = file(
    'ragged.parquet',
    parquetBytes(table({ emb: listColumn([[1, 2], [3, 4], [5, 6], [7]]) }), 2),
  );
  const r = await ParquetSource.open(ragged, { sliceRows: 1 });
  assert.deepEqual(Array.from(await r.readBlock(0, 2)), [1, 2, 3, 4]);
  await rejectsData(
    r.readBlock(2, 2),
    /ragged\.parquet: row 4, field emb: the list in column 'emb' has 1 values, expected 2/,
    4,
  );
  await r.close();
  const nul = await ParquetSource.open(
    file('null.parquet', parquetBytes(table({ emb: listColumn([[1, 2], null]) }), 2)),
  );
  await rejectsData(nul.readBlock(0, 2), /row 2, field emb: null in column 'emb'/, 2);
  await nul.close();
  const nan = await ParquetSource.open(
    file('nan.parquet', parquetBytes(table({ v: Float32Array.from([1, 2, NaN]) }), 2)),
  );
  await rejectsData(nan.readBlock(0, 3), /row 3, field 1: NaN in the data/, 3);
  await nan.close();
  const good = parquetBytes(table({ v: Float32Array.from([1, 2, 3]) }), 2);
  await rejectsData(
    ParquetSource.open(file('cut.parquet', good.subarray(0, good.length - 20))),
    /cut\.parquet: not a readable Parquet file: /,
  );
  await rejectsData(
    ParquetSource.open(file('text.parquet', Buffer.from('hello, world'))),
    /not a readable Parquet file/,
  );
  await rejectsData(
    ParquetSource.open(join(dir, 'absent.parquet')),
    /absent\.parquet: file not found/,
  );
});

test('a Parquet file cut anywhere is a DataError, never a hang or a short read', async () => {
  const bytes = parquetBytes(table({ emb: listColumn(ROWS) }), 3);
  for (let cut = 0; cut < bytes.length; cut += 53) {
    const p = file('cut-any.parquet', bytes.subarray(0, cut));
    await assert.rejects((async () => readAllRows(await ParquetSource.open(p)))(), (e: unknown) => {
      assert.ok(
        e instanceof DataError && /cut-any\.parquet: /.test(e.message),
        `cut ${cut}: ${String(e)}`,
      );
      return true;
    });
  }
});

test('a corrupt row group is a DataError naming the group and its rows', async () => {
  const rows = Array.from({ length: 40 }, (_, i) => [i, i + 0.5, -i]);
  const bytes = parquetBytes(table({ emb: listColumn(rows, 3) }), 20).slice();
  // Overwrite the start of the first column chunk's pages (after the 4-byte magic).
  bytes.fill(0xff, 4, 40);
  const s = await ParquetSource.open(file('corrupt.parquet', bytes));
  await rejectsData(
    s.readBlock(0, 1),
    /corrupt\.parquet: cannot read row group 1 of 2 \(rows 1-20\): .*the file is corrupt/,
  );
  assert.deepEqual(Array.from(await s.readBlock(20, 1)), rows[20], 'the other group still reads');
  await s.close();
  const t = await ParquetSource.open(file('corrupt-no-index.parquet', withoutPageIndex(bytes)));
  assert.deepEqual(t.pageIndexed, [false, false]);
  await rejectsData(
    t.readBlock(0, 1),
    /corrupt-no-index\.parquet: cannot read row group 1 of 2 \(rows 1-20\): .*the file is corrupt/,
  );
  assert.deepEqual(Array.from(await t.readBlock(21, 1)), rows[21], 'the other group still reads');
  await t.close();
});

test('a flipped byte anywhere reads or gives a DataError, never a hang or another error', async () => {
  // Parquet pages carry no checksum here, so a flip inside the values may decode to other numbers.
  const rows = Array.from({ length: 40 }, (_, i) => [i, i + 0.5, -i]);
  const good = parquetBytes(table({ emb: listColumn(rows, 3) }), 20);
  for (let at = 0; at < good.length; at += 97) {
    const bytes = good.slice();
    bytes[at] ^= 0x5a;
    const p = file('flip.parquet', bytes);
    try {
      const s = await ParquetSource.open(p);
      try {
        await readAllRows(s);
      } finally {
        await s.close();
      }
    } catch (e) {
      assert.ok(e instanceof DataError, `flip at byte ${at}: ${String(e)}`);
    }
  }
});
