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
      /^--label-column "z": no such column in .*ok\.csv; the header has "a", "b"$/.test(e.message),
  );
  assert.throws(
    () => readCsv(p, { labelColumn: 2 }),
    (e: unknown) =>
      e instanceof ConfigError &&
      /--label-column 2: .*ok\.csv has 2 columns; expected a 0-based index in -2\.\.1 or a header name/.test(
        e.message,
      ),
  );
  assert.throws(
    () => readCsv(file('one.csv', '1\n2\n'), { labelColumn: 0 }),
    /one\.csv has 1 column and none is left as a feature after --label-column and --ignore-columns/,
  );
  assert.throws(
    () => readCsv(file('nohead.csv', '1,2\n3,4\n'), { labelColumn: 'b' }),
    /--label-column "b": .*nohead\.csv has no header row; give a 0-based column index \(0\.\.1\)/,
  );
});

test('a misspelt label column gets one suggestion, not the whole header', () => {
  const names = ['id', ...Array.from({ length: 128 }, (_, j) => `feature_${j}`), 'species'];
  const row = ['item0', ...Array.from({ length: 128 }, () => '0.5'), 'cat'];
  const p = file('wide.csv', `${names.join(',')}\n${row.join(',')}\n`);
  assert.throws(
    () => readCsv(p, { labelColumn: 'specis', ignoreColumns: ['id'] }),
    (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.match(
        e.message,
        /^--label-column "specis": no such column in .*wide\.csv; did you mean species\?$/,
      );
      assert.ok(e.message.length < 200, `message is ${e.message.length} characters`);
      return true;
    },
  );
  // Nothing close: a short list of the first names and a count of the rest.
  assert.throws(
    () => readCsv(p, { labelColumn: 'qqqqqqqq' }),
    /the header has "id", "feature_0", "feature_1", "feature_2", "feature_3", "feature_4" and 124 more$/,
  );
});

test('ignoreColumns skips columns by name or index; the kept names are reported', () => {
  const p = file('ids.csv', 'id,x1,x2,species\nitem0,1,2,cat\nitem1,3,4,dog\n"item,2",5,6,cat\n');
  const d = readCsv(p, { ignoreColumns: ['id'], labelColumn: 'species' });
  assert.deepEqual([d.x.rows, d.x.cols], [3, 2]);
  assert.deepEqual(Array.from(d.x.data), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(d.columns, ['x1', 'x2']);
  assert.deepEqual(d.labelNames, ['cat', 'dog']);
  assert.deepEqual(Array.from(d.labels ?? []), [0, 1, 0]);
  const byIndex = readCsv(p, { ignoreColumns: [0, -1] });
  assert.deepEqual(Array.from(byIndex.x.data), [1, 2, 3, 4, 5, 6]);
  assert.equal(byIndex.labels, undefined);
  assert.throws(
    () => readCsv(p, { ignoreColumns: ['ID_'] }),
    (e: unknown) =>
      e instanceof ConfigError &&
      /^--ignore-columns "ID_": no such column in .*ids\.csv; did you mean id\?$/.test(e.message),
  );
  assert.throws(
    () => readCsv(p, { ignoreColumns: ['species'], labelColumn: 'species' }),
    (e: unknown) =>
      e instanceof ConfigError &&
      /column "species" is both the --label-column and in --ignore-columns/.test(e.message),
  );
  assert.throws(
    () => readCsv(p, { ignoreColumns: [0, 1, 2, 3] }),
    /has 4 columns and none is left as a feature/,
  );
});

test('a text column among the features is named, with the flags that fix it', () => {
  const p = file('emb.csv', 'id,a,b,label\nitem0,1,2,bird\nitem1,3,4,cat\n');
  assertDataError(
    () => readCsv(p),
    /emb\.csv: row 2, field 1: columns "id" \("item0"\), "label" \("bird"\) hold text, not numbers; skip them with --ignore-columns id,label$/,
    2,
    1,
  );
  assertDataError(
    () => readCsv(p, { labelColumn: 'label' }),
    /row 2, field 1: column "id" \("item0"\) holds text, not numbers; skip it with --ignore-columns id, or read it as labels with --label-column id$/,
    2,
    1,
  );
  // Without a header the column is named by its 0-based index, as the flags take it.
  const q = file('emb2.csv', '1,2,x\n3,4,y\n');
  assertDataError(
    () => readCsv(q, { header: false }),
    /row 1, field 3: column at index 2 \("x"\) holds text, not numbers; skip it with --ignore-columns 2/,
    1,
    3,
  );
  // A missing-value marker in the first row is a data problem, reported where it is.
  assertDataError(
    () => readCsv(file('na.csv', 'a,b\n1,n/a\n3,4\n')),
    /row 2, field 2: expected a number, got "n\/a"/,
    2,
    2,
  );
});

test('writeCsv writes class names in the label column and quotes what needs it', () => {
  const x = matrix(3, 1, new Float32Array([0.5, 1, 2]));
  const p = join(dir, 'names.csv');
  writeCsv(p, x, {
    header: ['z0'],
    labels: [2, 0, 1],
    labelNames: ['bird', 'cat, large', 'dog'],
  });
  assert.equal(readFileSync(p, 'utf8'), 'z0,label\n0.5,dog\n1,bird\n2,"cat, large"\n');
  const back = readCsv(p, { labelColumn: 'label' });
  assert.deepEqual(back.labelNames, ['bird', 'cat, large', 'dog']);
  assert.deepEqual(Array.from(back.labels ?? []), [2, 0, 1]);
  assert.throws(
    () => writeCsv(p, x, { labels: [0, 1, 5], labelNames: ['a', 'b'] }),
    (e: unknown) =>
      e instanceof ShapeError && /label code 5 has no name; labelNames has 2/.test(e.message),
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
