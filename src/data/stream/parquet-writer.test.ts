import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ParquetSource } from './parquet-source.js';
import { defaultGroupRows, GROUP_BYTES, ParquetStreamWriter } from './parquet-writer.js';
import { readAllRows } from './source.js';

const dir = mkdtempSync(join(tmpdir(), 'aedr-pq-writer-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const N = 2500;
const D = 3;
const X = Float32Array.from({ length: N * D }, (_, i) => Math.fround(Math.sin(i) * 100));

test('blocks become row groups of groupRows rows that ParquetSource reads back, both layouts', async () => {
  for (const layout of ['columns', 'list'] as const) {
    const path = join(dir, `${layout}.parquet`);
    const w = await ParquetStreamWriter.open(path, D, { layout, groupRows: 1000 });
    for (let r = 0; r < N; r += 700) await w.append(X.subarray(r * D, Math.min(N, r + 700) * D));
    assert.equal(w.rows, N);
    assert.equal(existsSync(path), false, 'nothing at the target before finish');
    await w.finish();
    const s = await ParquetSource.open(path);
    assert.deepEqual(s.groupRows, [1000, 1000, 500]);
    assert.deepEqual((await readAllRows(s)).data, X);
    await s.close();
  }
  const named = join(dir, 'named.parquet');
  const w = await ParquetStreamWriter.open(named, 2, { names: ['x', 'y'] });
  await w.append(new Float64Array([1, 2, 3, 4]));
  await w.finish();
  const s = await ParquetSource.open(named, { columns: ['y'] });
  assert.deepEqual(Array.from((await readAllRows(s)).data), [2, 4]);
  await s.close();
});

test('abort leaves no file; misuse is a ShapeError', async () => {
  const path = join(dir, 'gone.parquet');
  const w = await ParquetStreamWriter.open(path, 2);
  await w.append(new Float32Array([1, 2]));
  await w.abort();
  assert.equal(existsSync(path), false);
  assert.ok(!readdirSync(dir).some((n) => n.startsWith('.aedr-tmp')));
  await assert.rejects(ParquetStreamWriter.open(path, 0), /cols must be a positive integer, got 0/);
  await assert.rejects(
    ParquetStreamWriter.open(path, 2, { names: ['a'] }),
    /names must be 2 distinct names for layout 'columns', got 1/,
  );
  await assert.rejects(
    ParquetStreamWriter.open(path, 2, { groupRows: 0 }),
    /groupRows must be a positive integer/,
  );
  const v = await ParquetStreamWriter.open(path, 2);
  await assert.rejects(v.append(new Float32Array(3)), /3 values are not whole rows of 2/);
  await v.finish();
  const empty = await ParquetSource.open(path);
  assert.deepEqual(
    [empty.rows, empty.cols],
    [0, 2],
    'a writer that got no rows writes an empty table',
  );
  await empty.close();
  await assert.rejects(v.append(new Float32Array(2)), /already finished/);
  rmSync(path);
});

test('default row groups: 65,536 rows, fewer when that would pass GROUP_BYTES', () => {
  assert.equal(GROUP_BYTES, 64 * 2 ** 20);
  assert.equal(defaultGroupRows(32), 65536);
  assert.equal(defaultGroupRows(256), 65536);
  assert.equal(defaultGroupRows(768), 21845);
  assert.equal(defaultGroupRows(2 ** 26), 1);
});
