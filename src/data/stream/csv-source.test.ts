import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DataError } from '../../errors.js';
import { readCsv } from '../csv.js';
import { CsvSource } from './csv-source.js';
import { readAllRows } from './source.js';

const dir = mkdtempSync(join(tmpdir(), 'aedr-csv-stream-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string | Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

async function drain(s: CsvSource, blockRows = 2): Promise<number[]> {
  const out: number[] = [];
  for await (const b of s.blocks(blockRows)) out.push(...b.data);
  return out;
}

async function rejectsData(p: Promise<unknown>, re: RegExp, row?: number, field?: number) {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof DataError, `expected DataError, got ${String(e)}`);
    assert.match(e.message, re);
    assert.equal(e.row, row);
    assert.equal(e.field, field);
    return true;
  });
}

test('streamed CSV, TSV, TXT and .gz equal readCsv on the same files', async () => {
  const cases: [string, string | Uint8Array][] = [
    ['h.csv', '\ufeffa,b,"c"\r\n1,2,3\r\n4,5.5,-6\r\n7,8,9\r\n\r\n'],
    ['n.csv', '\n1,2\n3,4\n5,6\n'],
    ['q.csv', '"1", 2\n" 3",4\n'],
    ['t.tsv', 'x\ty\n1\t2\n3\t4\n'],
    ['w.txt', '  1  2\t3\n4 5 6\n'],
    ['z.csv.gz', gzipSync(Buffer.from('p,q\n1,2\n3,4\n5,6\n7,8\n9,10\n'))],
  ];
  for (const [name, text] of cases) {
    const p = file(name, text);
    const s = await CsvSource.open(p);
    assert.equal(s.rows, undefined, 'rows unknown before a pass');
    const want = readCsv(p).x;
    assert.equal(s.cols, want.cols, name);
    assert.deepEqual(await drain(s), Array.from(want.data), name);
    assert.equal(s.rows, want.rows, 'rows known after a pass');
    assert.deepEqual((await readAllRows(s)).data, want.data, name);
    await s.close();
  }
  const h = await CsvSource.open(join(dir, 'h.csv'));
  assert.deepEqual(h.columnNames, ['a', 'b', 'c']);
  const forced = await CsvSource.open(file('f.csv', '1,2\n3,4\n'), { header: true });
  assert.deepEqual(await drain(forced), [3, 4]);
});

test('blocks are full except the last; breaking early stops the read', async () => {
  const rows = Array.from({ length: 7 }, (_, i) => `${i},${-i}`).join('\n');
  const s = await CsvSource.open(file('seven.csv', rows));
  const sizes: number[] = [];
  for await (const b of s.blocks(3)) sizes.push(b.rows);
  assert.deepEqual(sizes, [3, 3, 1]);
  for await (const b of s.blocks(2)) {
    assert.equal(b.start, 0);
    break;
  }
  assert.deepEqual(await drain(s, 100), Array.from(readCsv(join(dir, 'seven.csv')).x.data));
});

test('bad rows give the DataErrors readCsv gives, at the same line and field', async () => {
  const open = (name: string, text: string) => CsvSource.open(file(name, text));
  await rejectsData(
    drain(await open('blank.csv', 'a,b\n1,2\n\n3,4\n')),
    /blank line inside the data; expected 2 fields/,
    3,
  );
  await rejectsData(
    drain(await open('ragged.csv', '1,2\n3\n')),
    /expected 2 fields \(as in row 1\), found 1/,
    2,
  );
  await rejectsData(
    drain(await open('text.csv', 'a,b\n1,2\n3,x\n')),
    /expected a number, got "x"/,
    3,
    2,
  );
  await rejectsData(drain(await open('nan.csv', '1,2\n3,nan\n')), /NaN in the data/, 2, 2);
  await rejectsData(
    drain(await open('huge.csv', '1,2\n3,1e39\n')),
    /outside the float32 range/,
    2,
    2,
  );
  await rejectsData(drain(await open('quote.csv', '1,2\n1,"2\n')), /unclosed quote/, 2, 2);
  await rejectsData(drain(await open('head.csv', 'a,b\n')), /no data rows/);
  await rejectsData(
    CsvSource.open(file('empty.csv', '\n\n')),
    /empty file; expected rows of numbers/,
  );
  await rejectsData(CsvSource.open(join(dir, 'absent.csv')), /absent\.csv: file not found/);
  const gz = gzipSync(Buffer.from('1,2\n'.repeat(20000)));
  await rejectsData(
    drain(await CsvSource.open(file('cut.csv.gz', gz.subarray(0, gz.length - 9))), 1000),
    /cut\.csv\.gz: .*(gzip|cannot read)/,
  );
  await rejectsData(
    CsvSource.open(file('junk.csv.gz', 'not gzip at all')),
    /not a valid gzip stream/,
  );
});
