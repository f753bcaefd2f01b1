import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ConfigError, DataError } from '../errors.js';
import { matrix } from '../util/matrix.js';
import { writeCsv } from './csv.js';
import { encodeIdx, writeIdx } from './idx.js';
import { formatOf, loadDataset, readLabels } from './load.js';
import { encodeNpy, writeNpy } from './npy.js';

const dir = mkdtempSync(join(tmpdir(), 'aedr-load-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const p = (name: string): string => join(dir, name);

const X = matrix(3, 2, new Float32Array([1, 2, 3, 4, 5, 6]));

test('the extension picks the reader; every format gives the same matrix', () => {
  writeCsv(p('x.csv'), X);
  writeCsv(p('x.tsv'), X);
  writeNpy(p('x.npy'), X);
  writeFileSync(
    p('x.json'),
    JSON.stringify([
      [1, 2],
      [3, 4],
      [5, 6],
    ]),
  );
  writeIdx(p('x.idx'), [3, 2], X.data);
  for (const name of ['x.csv', 'x.tsv', 'x.npy', 'x.json', 'x.idx']) {
    const d = loadDataset(p(name));
    assert.deepEqual([d.x.rows, d.x.cols], [3, 2], name);
    assert.deepEqual(Array.from(d.x.data), [1, 2, 3, 4, 5, 6], name);
    assert.equal(d.source, p(name));
  }
  assert.deepEqual(
    [
      'a.CSV',
      'a.txt',
      'b.npy',
      'c.json',
      'train-images-idx3-ubyte',
      'd.idx3',
      'e.idx.gz',
      'f.bin',
    ].map(formatOf),
    ['csv', 'csv', 'npy', 'json', 'idx', 'idx', 'idx', undefined],
  );
});

test('IDX images [n, h, w] flatten to [n, h*w]; .gz is unpacked', () => {
  const img = encodeIdx(
    [2, 2, 3],
    Uint8Array.from({ length: 12 }, (_, i) => i * 20),
  );
  writeFileSync(p('img-images-idx3-ubyte.gz'), gzipSync(img));
  const d = loadDataset(p('img-images-idx3-ubyte.gz'));
  assert.deepEqual([d.x.rows, d.x.cols], [2, 6]);
  assert.equal(d.x.data[11], 220);
});

test('label files in every format attach one label per row', () => {
  writeCsv(p('data.csv'), X);
  writeFileSync(p('y.npy'), encodeNpy([3], new Float64Array([0, 2, 1])));
  writeFileSync(p('y.txt'), 'label\n0\n2\n1\n\n');
  writeFileSync(p('y.csv'), '0\n2\n1\n');
  writeFileSync(p('y.json'), '[0, 2, 1]');
  writeIdx(p('y.idx1-ubyte'), [3], new Uint8Array([0, 2, 1]));
  for (const f of ['y.npy', 'y.txt', 'y.csv', 'y.json', 'y.idx1-ubyte']) {
    const d = loadDataset(p('data.csv'), { labels: p(f) });
    assert.deepEqual(Array.from(d.labels ?? []), [0, 2, 1], f);
  }
  writeFileSync(p('names.txt'), 'dog\ncat\ndog\n');
  const d = loadDataset(p('data.csv'), { labels: p('names.txt') });
  assert.deepEqual(d.labelNames, ['cat', 'dog']);
  assert.deepEqual(Array.from(d.labels ?? []), [1, 0, 1]);
});

test('a label count mismatch names the label file and both counts', () => {
  writeFileSync(p('short.json'), '[0, 1]');
  assert.throws(
    () => loadDataset(p('data.csv'), { labels: p('short.json') }),
    (e: unknown) =>
      e instanceof DataError &&
      e.file === p('short.json') &&
      /has 2 labels but the data \(.*data\.csv\) has 3 rows/.test(e.message),
  );
  writeFileSync(p('two.csv'), '1,2\n3,4\n');
  assert.throws(
    () => readLabels(p('two.csv')),
    /row 1: expected one label per line, found several fields/,
  );
  writeNpy(p('y2.npy'), X);
  assert.throws(
    () => readLabels(p('y2.npy')),
    /labels must have shape \(n,\) or \(n, 1\), got \(3, 2\)/,
  );
  writeFileSync(p('empty.txt'), '\n');
  assert.throws(() => readLabels(p('empty.txt')), /empty label file/);
});

test('mnist specs and limit', () => {
  const t = loadDataset('mnist:test', { limit: 3 });
  assert.equal(t.source, 'mnist:test');
  assert.deepEqual(Array.from(t.labels ?? []), [7, 2, 1]);
  assert.equal(loadDataset('mnist', { limit: 1 }).labels?.[0], 5);
  assert.equal(loadDataset('mnist:train', { limit: 1 }).source, 'mnist:train');
  writeCsv(p('lab.csv'), X, { labels: [4, 5, 6] });
  const d = loadDataset(p('lab.csv'), { labelColumn: -1, limit: 2 });
  assert.deepEqual([d.x.rows, Array.from(d.labels ?? [])], [2, [4, 5]]);
  assert.deepEqual(Array.from(d.x.data), [1, 2, 3, 4]);
});

test('misuse: unknown format, missing file, conflicting options', () => {
  assert.throws(
    () => loadDataset(p('x.bin')),
    (e: unknown) =>
      e instanceof DataError &&
      /x\.bin: unknown data format; expected \.csv, \.tsv/.test(e.message),
  );
  assert.throws(() => loadDataset(p('gone.csv')), /gone\.csv: file not found/);
  assert.throws(
    () => loadDataset('mnist', { labels: p('y.npy') }),
    (e: unknown) => e instanceof ConfigError && /mnist has its own labels/.test(e.message),
  );
  assert.throws(
    () => loadDataset(p('x.csv'), { labels: p('y.npy'), labelColumn: 0 }),
    (e: unknown) =>
      e instanceof ConfigError &&
      /give either --label-column or --labels \(a label file\), not both/.test(e.message),
  );
  assert.throws(
    () => loadDataset(p('x.npy'), { labelColumn: 0 }),
    (e: unknown) =>
      e instanceof ConfigError &&
      /--label-column applies to CSV\/TSV\/TXT files only/.test(e.message),
  );
  assert.throws(
    () => loadDataset(p('x.npy'), { ignoreColumns: ['id'] }),
    (e: unknown) =>
      e instanceof ConfigError &&
      /--ignore-columns applies to CSV\/TSV\/TXT files only/.test(e.message),
  );
  assert.throws(
    () => loadDataset('mnist', { ignoreColumns: [0] }),
    /--label-column, --labels and --ignore-columns do not apply/,
  );
  assert.throws(
    () => loadDataset(p('x.csv'), { limit: 0 }),
    (e: unknown) =>
      e instanceof ConfigError && /limit must be an integer >= 1, got 0/.test(e.message),
  );
  assert.throws(() => readLabels(p('y.bin')), /y\.bin: unknown label file format/);
});

test('a misspelt data set name suggests the nearest one', () => {
  for (const [typo, want] of [
    ['mnsit', 'mnist'],
    ['MNIST:tset', 'mnist:test'],
    ['mnist:trian', 'mnist:train'],
  ]) {
    assert.throws(
      () => loadDataset(typo),
      (e: unknown) =>
        e instanceof DataError &&
        e.message === `${typo}: not a file or a data set name; did you mean ${want}?`,
      typo,
    );
  }
  // A file path far from any name keeps the format message.
  assert.throws(() => loadDataset(p('emb.bin')), /unknown data format/);
});

test('ignoreColumns and text labels pass through loadDataset; limit keeps the names', () => {
  writeFileSync(p('ids.csv'), 'id,a,b,kind\nr0,1,2,dog\nr1,3,4,bird\nr2,5,6,dog\n');
  const d = loadDataset(p('ids.csv'), { ignoreColumns: ['id'], labelColumn: 'kind', limit: 2 });
  assert.deepEqual([d.x.rows, d.x.cols], [2, 2]);
  assert.deepEqual(d.columns, ['a', 'b']);
  assert.deepEqual(d.labelNames, ['bird', 'dog']);
  assert.deepEqual(Array.from(d.labels ?? []), [1, 0]);
  // A label file replaces the column's names with its own.
  writeFileSync(p('kinds.txt'), 'x\ny\nx\n');
  const f = loadDataset(p('ids.csv'), { ignoreColumns: ['id', 'kind'], labels: p('kinds.txt') });
  assert.deepEqual(f.labelNames, ['x', 'y']);
  writeFileSync(p('codes.txt'), '1\n0\n1\n');
  const c = loadDataset(p('ids.csv'), { ignoreColumns: ['id', 'kind'], labels: p('codes.txt') });
  assert.equal(c.labelNames, undefined);
});
