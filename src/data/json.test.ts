import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jsonLabels, readJsonMatrix } from './json.js';
import { assertDataError } from '../../test/helpers/data-error.js';

const dir = mkdtempSync(join(tmpdir(), 'aedr-json-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

test('reads an array of rows, the {x, labels} form and a flat array', () => {
  const a = readJsonMatrix(file('a.json', '[[1, 2.5], [-3, 4e2]]'));
  assert.deepEqual([a.x.rows, a.x.cols], [2, 2]);
  assert.deepEqual(Array.from(a.x.data), [1, 2.5, -3, 400]);
  assert.equal(a.labels, undefined);
  const b = readJsonMatrix(file('b.json', '{"x": [[1], [2], [3]], "labels": [2, 0, 2]}'));
  assert.deepEqual(Array.from(b.labels ?? []), [2, 0, 2]);
  const c = readJsonMatrix(file('c.json', '{"x": [[1], [2]], "labels": ["b", "a"]}'));
  assert.deepEqual(c.labelNames, ['a', 'b']);
  assert.deepEqual(Array.from(c.labels ?? []), [1, 0]);
  const flat = readJsonMatrix(file('f.json', '[1, 2, 3]'));
  assert.deepEqual([flat.x.rows, flat.x.cols], [3, 1]);
});

test('ragged rows and non-numbers name the 1-based row and field', () => {
  assertDataError(
    () => readJsonMatrix(file('r.json', '[[1,2],[3]]')),
    /r\.json: row 2: expected 2 fields \(as in row 1\), found 1/,
    2,
  );
  assertDataError(
    () => readJsonMatrix(file('s.json', '[[1,2],[3,"x"]]')),
    /row 2, field 2: expected a number, got "x"/,
    2,
    2,
  );
  assertDataError(
    () => readJsonMatrix(file('n.json', '[[1,null]]')),
    /row 1, field 2: expected a number, got null \(a NaN or missing value\?\)/,
    1,
    2,
  );
  assertDataError(
    () => readJsonMatrix(file('m.json', '[[1,2],3]')),
    /row 2: expected an array of 2 numbers, got 3/,
    2,
  );
  assertDataError(
    () => readJsonMatrix(file('i.json', '[[1e999]]')),
    /row 1, field 1: non-finite value Infinity in the data/,
    1,
    1,
  );
});

test('invalid JSON, empty data and wrong top-level shapes are DataErrors', () => {
  assertDataError(() => readJsonMatrix(file('bad.json', '[[1,2]')), /bad\.json: invalid JSON/);
  assertDataError(
    () => readJsonMatrix(file('e.json', '[]')),
    /expected a non-empty array of rows, got an empty array/,
  );
  assertDataError(
    () => readJsonMatrix(file('o.json', '{"data": []}')),
    /expected an array of rows or an object with "x", got an object with keys data/,
  );
  assertDataError(
    () => readJsonMatrix(file('str.json', '"hello"')),
    /expected a non-empty array of rows, got "hello"/,
  );
  assertDataError(() => readJsonMatrix(join(dir, 'none.json')), /none\.json: file not found/);
});

test('labels must be integers or all strings', () => {
  assertDataError(
    () => readJsonMatrix(file('l.json', '{"x": [[1],[2]], "labels": [1, 1.5]}')),
    /row 2: label must be an integer \(int32\), got 1\.5/,
    2,
  );
  assertDataError(
    () => jsonLabels({ a: 1 }, 'k.json'),
    /k\.json: labels must be an array, got an object/,
  );
  assertDataError(
    () => jsonLabels([1, 'a'], 'k.json'),
    /row 2: label must be an integer or every label a string, got "a"/,
    2,
  );
});
