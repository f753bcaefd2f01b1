import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../errors.js';
import { formatNumber, formatValue } from './format.js';
import { markdownTable } from './markdown.js';

test('formatNumber: 4 significant digits, trailing zeros dropped, exponent below 1e-3', () => {
  const cases: [number, string][] = [
    [0.0123456, '0.01235'],
    [2.5, '2.5'],
    [12.3456, '12.35'],
    [0.5, '0.5'],
    [0.001, '0.001'],
    [0.00001234, '1.234e-5'],
    [-0.0002, '-2e-4'],
    [123456.7, '123457'],
    [9999.6, '10000'],
    [42, '42'],
    [0, '0'],
    [NaN, 'NaN'],
    [-Infinity, '-Infinity'],
  ];
  for (const [v, s] of cases) assert.equal(formatNumber(v), s, `formatNumber(${v})`);
  assert.equal(formatNumber(Math.PI, 2), '3.1');
});

test('formatValue: empty for null/undefined, JSON for objects', () => {
  assert.deepEqual([null, undefined, 'x', true, 3n, [1, 2]].map(formatValue), [
    '',
    '',
    'x',
    'true',
    '3',
    '[1,2]',
  ]);
});

test('markdownTable: header, alignment row, one line per row; pipes and newlines escaped', () => {
  const rows = [
    { model: 'relu', d: 2, mse: 0.0412345 },
    { model: 'a|b\nc', d: 10, mse: undefined },
  ];
  const md = markdownTable(
    [
      { key: 'model', title: 'Model' },
      { key: 'd', title: 'dim' },
      {
        key: 'mse',
        title: 'Test MSE',
        format: (v) => (typeof v === 'number' ? v.toFixed(3) : '–'),
      },
    ],
    rows,
  );
  assert.equal(
    md,
    [
      '| Model | dim | Test MSE |',
      '| :-- | --: | --: |',
      '| relu | 2 | 0.041 |',
      '| a\\|b c | 10 | – |',
      '',
    ].join('\n'),
  );
});

test('markdownTable: explicit align wins; an empty row list gives header and rule only', () => {
  const md = markdownTable<{ n: number }>([{ key: 'n', title: 'n', align: 'left' }], []);
  assert.equal(md, '| n |\n| :-- |\n');
});

test('markdownTable: misuse', () => {
  assert.throws(
    () => markdownTable([], [{}]),
    (e: unknown) =>
      e instanceof ConfigError &&
      /markdownTable: columns must be a non-empty array/.test(e.message),
  );
  assert.throws(
    () => markdownTable([{ key: 'a', title: 'A' }], 'rows' as unknown as { a: number }[]),
    (e: unknown) =>
      e instanceof ConfigError &&
      /markdownTable: rows must be an array, got string/.test(e.message),
  );
  assert.throws(
    () => markdownTable([{ key: 'a' } as never], [{ a: 1 }]),
    (e: unknown) =>
      e instanceof ConfigError &&
      /columns\[0\] needs string key and title, got \{"key":"a"\}/.test(e.message),
  );
});
