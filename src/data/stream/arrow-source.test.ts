import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableToIPC } from 'apache-arrow';
import { DataError } from '../../errors.js';
import { listColumn, table } from '../../../test/helpers/arrow-tables.js';
import { ArrowSource } from './arrow-source.js';
import { readAllRows } from './source.js';

const dir = mkdtempSync(join(tmpdir(), 'aedr-arrow-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

const A = [
  [1, 2],
  [3, 4],
  [5, 6],
];
const B = [
  [7, 8],
  [9, 10],
];
// Two record batches: the second table's rows follow the first's.
const TWO = table({ emb: listColumn(A) }).concat(table({ emb: listColumn(B) }));

test('file and stream formats read batch by batch; blocks split large batches', async () => {
  for (const [name, fmt] of [
    ['two.arrow', 'file'],
    ['two.arrows', 'stream'],
  ] as const) {
    const s = await ArrowSource.open(file(name, tableToIPC(TWO, fmt)));
    assert.equal(s.cols, 2);
    assert.equal(s.rows, undefined);
    const got: [number, number][] = [];
    const values: number[] = [];
    for await (const b of s.blocks(2)) {
      got.push([b.start, b.rows]);
      values.push(...b.data);
    }
    assert.deepEqual(got, [
      [0, 2],
      [2, 1],
      [3, 2],
    ]);
    assert.deepEqual(values, [...A, ...B].flat());
    assert.equal(s.rows, 5);
    assert.deepEqual(Array.from((await readAllRows(s)).data), values);
  }
});

test('numeric columns by name; a column that is not numeric is named', async () => {
  const t = table({ x: Float64Array.from([1, 2]), y: Int32Array.from([3, 4]), s: ['a', 'b'] });
  const p = file('cols.arrow', tableToIPC(t, 'file'));
  const s = await ArrowSource.open(p, { columns: ['y', 'x'] });
  assert.deepEqual(Array.from((await readAllRows(s)).data), [3, 1, 4, 2]);
  await assert.rejects(ArrowSource.open(p, { columns: ['s'] }), /column 's' is .*Utf8.*; expected/);
});

test('corrupt, truncated and ragged files are DataErrors naming the file', async () => {
  const bytes = tableToIPC(TWO, 'stream');
  const cut = await ArrowSource.open(file('cut.arrows', bytes.subarray(0, bytes.length - 30)));
  await assert.rejects(
    readAllRows(cut),
    (e: unknown) => e instanceof DataError && /cut\.arrows: /.test(e.message),
  );
  await assert.rejects(
    ArrowSource.open(file('junk.arrow', Buffer.from('definitely not arrow'))),
    (e: unknown) =>
      e instanceof DataError && /junk\.arrow: not a readable Arrow IPC file/.test(e.message),
  );
  const ragged = await ArrowSource.open(
    file('ragged.arrow', tableToIPC(table({ emb: listColumn([[1, 2], [3]]) }), 'file')),
  );
  await assert.rejects(
    readAllRows(ragged),
    /row 2, field emb: the list in column 'emb' has 1 values, expected 2/,
  );
  await assert.rejects(
    ArrowSource.open(join(dir, 'absent.arrow')),
    /absent\.arrow: file not found/,
  );
});

test('an Arrow file cut anywhere is a DataError, never a hang or a short read', async () => {
  const bytes = tableToIPC(TWO, 'file');
  for (let cut = 0; cut < bytes.length; cut += 37) {
    const p = file('cut.arrow', bytes.subarray(0, cut));
    await assert.rejects((async () => readAllRows(await ArrowSource.open(p)))(), (e: unknown) => {
      assert.ok(
        e instanceof DataError && /cut\.arrow: /.test(e.message),
        `cut ${cut}: ${String(e)}`,
      );
      return true;
    });
  }
});
