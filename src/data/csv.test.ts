import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, ShapeError } from '../errors.js';
import { matrix } from '../util/matrix.js';
import { formatNumber, readCsv, splitLine, writeCsv } from './csv.js';
import { assertDataError } from '../../test/helpers/data-error.js';

const dir = mkdtempSync(join(tmpdir(), 'aedr-csv-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

test('writeCsv -> readCsv round-trips float32 values exactly, with header and labels', () => {
  const x = matrix(3, 2, new Float32Array([0.1, -2.5, 1e-7, 3.4e38, 255, 1 / 3]));
  const p = join(dir, 'rt.csv');
  writeCsv(p, x, { header: ['a', 'b'], labels: [3, 1, 2] });
  assert.equal(readFileSync(p, 'utf8').split('\n')[0], 'a,b,label');
  assert.equal(readFileSync(p, 'utf8').split('\n')[1], '0.1,-2.5,3');
  const d = readCsv(p, { labelColumn: 'label' });
  assert.deepEqual(Array.from(d.x.data), Array.from(x.data));
  assert.deepEqual(Array.from(d.labels ?? []), [3, 1, 2]);
  assert.equal(d.x.cols, 2);
});

test('float64 matrices are written with full precision; TSV and TXT use their separators', () => {
  const x = matrix(2, 2, new Float64Array([Math.PI, 1, -0.5, 2e-9]));
  const tsv = join(dir, 'rt.tsv');
  writeCsv(tsv, x);
  assert.equal(readFileSync(tsv, 'utf8'), `${Math.PI}\t1\n-0.5\t2e-9\n`);
  const d = readCsv(tsv);
  assert.deepEqual(Array.from(d.x.data), Array.from(Float32Array.from(x.data)));
  const txt = join(dir, 'rt.txt');
  writeCsv(txt, x);
  assert.deepEqual(Array.from(readCsv(txt).x.data), Array.from(d.x.data));
  assert.equal(readCsv(file('ws.txt', '  1   2\t3\n4 5 6\n\n')).x.cols, 3);
});

test('header auto-detection, quoted fields, CRLF and trailing blank lines', () => {
  const p = file('h.csv', 'x,"y, quoted",class\r\n1,2,cat\r\n"3",4.5,dog\r\n5,6,cat\r\n\r\n\r\n');
  const d = readCsv(p, { labelColumn: -1 });
  assert.deepEqual([d.x.rows, d.x.cols], [3, 2]);
  assert.deepEqual(Array.from(d.x.data), [1, 2, 3, 4.5, 5, 6]);
  assert.deepEqual(d.labelNames, ['cat', 'dog']);
  assert.deepEqual(Array.from(d.labels ?? []), [0, 1, 0]);
  assert.equal(readCsv(p, { labelColumn: 'class' }).labels?.[1], 1);
  const noHeader = file('nh.csv', '7,1\n8,0\n');
  const n = readCsv(noHeader, { labelColumn: 0 });
  assert.deepEqual(Array.from(n.labels ?? []), [7, 8]);
  assert.deepEqual(Array.from(n.x.data), [1, 0]);
  assert.equal(readCsv(noHeader, { header: true }).x.rows, 1);
  assert.deepEqual(splitLine('"a ""q""",b,', ',', 'f', 1), ['a "q"', 'b', '']);
});

test('text in a numeric field names the line and 1-based field', () => {
  const lines = ['a,b,c', '1,2,3', '4,n/a,6'];
  const p = file('bad.csv', lines.join('\n'));
  assertDataError(
    () => readCsv(p),
    /bad\.csv: row 3, field 2: expected a number, got "n\/a"/,
    3,
    2,
  );
});

test('NaN, infinities, empty fields and float32 overflow are DataErrors with position', () => {
  assertDataError(
    () => readCsv(file('nan.csv', '1,2\n3,nan\n')),
    /nan\.csv: row 2, field 2: NaN in the data/,
    2,
    2,
  );
  assertDataError(
    () => readCsv(file('inf.csv', '1,-Infinity\n')),
    /an infinite value in the data, got "-Infinity"/,
    1,
    2,
  );
  assertDataError(() => readCsv(file('inf2.csv', 'inf,1\n')), /an infinite value/, 1, 1);
  assertDataError(
    () => readCsv(file('empty-field.csv', '1,2\n3,\n')),
    /row 2, field 2: expected a number, got an empty field/,
    2,
    2,
  );
  assertDataError(
    () => readCsv(file('big.csv', '1,1e39\n')),
    /value 1e\+39 is outside the float32 range/,
    1,
    2,
  );
});

test('ragged rows, blank inner lines, unclosed quotes and empty files', () => {
  assertDataError(
    () => readCsv(file('rag.csv', 'a,b\n1,2\n3,4,5\n')),
    /row 3: expected 2 fields \(as in row 1\), found 3/,
    3,
  );
  assertDataError(
    () => readCsv(file('blank.csv', '1,2\n\n3,4\n')),
    /row 2: blank line inside the data; expected 2 fields/,
    2,
  );
  assertDataError(() => readCsv(file('q.csv', '1,"2\n')), /unclosed quote/, 1, 2);
  assertDataError(
    () => readCsv(file('after.csv', '1,"2"x\n')),
    /text after a closing quote: "x"/,
    1,
    2,
  );
  assertDataError(
    () => readCsv(file('empty.csv', '')),
    /empty\.csv: empty file; expected rows of numbers/,
  );
  assertDataError(
    () => readCsv(file('only-header.csv', 'a,b\n\n')),
    /no data rows after the header/,
  );
  assertDataError(() => readCsv(join(dir, 'missing.csv')), /missing\.csv: file not found/);
});

test('labels must be integers or all text; labelColumn must exist', () => {
  assertDataError(
    () => readCsv(file('fl.csv', '1,0.5\n2,1\n'), { labelColumn: 1 }),
    /label must be an integer \(int32\), got "0\.5"/,
    1,
    2,
  );
  const p = file('ok.csv', 'a,b\n1,2\n');
  assert.throws(
    () => readCsv(p, { labelColumn: 'z' }),
    (e: unknown) =>
      e instanceof ConfigError &&
      /labelColumn "z" not found in .*ok\.csv \(header has "a", "b"\)/.test(e.message),
  );
  assert.throws(
    () => readCsv(p, { labelColumn: 2 }),
    (e: unknown) =>
      e instanceof ConfigError &&
      /labelColumn must be a column index in -2\.\.1 or a header name, got 2/.test(e.message),
  );
  assert.throws(
    () => readCsv(file('one.csv', '1\n2\n'), { labelColumn: 0 }),
    /has one column; no features would remain/,
  );
});

test('writeCsv rejects mismatched header or labels', () => {
  const x = matrix(2, 2, new Float32Array(4));
  assert.throws(
    () => writeCsv(join(dir, 'w.csv'), x, { header: ['a'] }),
    (e: unknown) => e instanceof ShapeError && /header has 1 names, expected 2/.test(e.message),
  );
  assert.throws(
    () => writeCsv(join(dir, 'w.csv'), x, { labels: [1] }),
    (e: unknown) => e instanceof ShapeError && /1 labels for 2 rows/.test(e.message),
  );
});

test('formatNumber gives the shortest text that reads back to the same float32', () => {
  for (const v of [0.1, 1 / 3, -2.5e-12, 123456.789, 3.4028234663852886e38]) {
    const f = Math.fround(v);
    assert.equal(Math.fround(Number(formatNumber(f, true))), f);
  }
  assert.equal(formatNumber(Math.fround(0.1), true), '0.1');
  assert.equal(formatNumber(0.1, false), '0.1');
});
