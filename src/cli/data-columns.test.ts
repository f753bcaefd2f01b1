import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { loadDataset } from '../data/load.js';
import type { TrainingConfig } from '../train/model.js';
import {
  columnFlagsText,
  columnListArg,
  dataColumnsOf,
  loadForModel,
  rememberedColumns,
} from './data-columns.js';

const dir = mkdtempSync(join(tmpdir(), 'aedr-data-columns-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const training = (extra: Record<string, unknown>): TrainingConfig =>
  ({
    epochs: 1,
    batchSize: 1,
    loss: 'mse',
    optimizer: { name: 'adam', learningRate: 0.001 },
    seed: 0,
    trainSize: 1,
    ...extra,
  }) as TrainingConfig;

test('columnListArg reads names and 0-based indices; an empty entry is a usage error', () => {
  assert.deepEqual(columnListArg('id, name,0,-1'), ['id', 'name', 0, -1]);
  assert.throws(
    () => columnListArg('id,,x'),
    (e: unknown) =>
      e instanceof InvalidArgumentError &&
      /Expected comma-separated column names or 0-based indices/.test(e.message),
  );
});

test('the record of how a CSV was read round-trips through model.json; malformed records are ignored', () => {
  const p = join(dir, 'a.csv');
  writeFileSync(p, 'id,x,y,kind\nr0,1,2,a\nr1,3,4,b\n');
  const opts = { ignoreColumns: ['id'], labelColumn: 'kind' };
  const d = loadDataset(p, opts);
  const rec = dataColumnsOf(d, opts);
  assert.deepEqual(rec, { labelColumn: 'kind', ignoreColumns: ['id'], columns: ['x', 'y'] });
  assert.equal(dataColumnsOf(d, {}), undefined);
  const back = rememberedColumns(training({ dataColumns: JSON.parse(JSON.stringify(rec)) }));
  assert.deepEqual(back, rec);
  assert.equal(columnFlagsText(back!), '--label-column kind --ignore-columns id');
  assert.equal(rememberedColumns(undefined), undefined);
  assert.equal(rememberedColumns(training({ dataColumns: 'id' })), undefined);
  assert.equal(rememberedColumns(training({ dataColumns: { ignoreColumns: [{}] } })), undefined);
});

test('loadForModel applies remembered columns to a CSV without flags, and reads a file without them as it is', () => {
  const train = join(dir, 't.csv');
  writeFileSync(train, 'id,x,y,kind\nr0,1,2,a\nr1,3,4,b\n');
  const remembered = { labelColumn: 'kind', ignoreColumns: ['id'] };
  const notes: string[] = [];
  const d = loadForModel(train, {}, remembered, (l) => void notes.push(l));
  assert.deepEqual([d.x.cols, d.labelNames], [2, ['a', 'b']]);
  assert.match(
    notes[0],
    /as the model's training data was: --label-column kind --ignore-columns id/,
  );
  // A codes-like file without those columns: read as it is, no note.
  const plain = join(dir, 'p.csv');
  writeFileSync(plain, 'x,y\n1,2\n');
  assert.equal(loadForModel(plain, {}, remembered, (l) => void notes.push(l)).x.cols, 2);
  assert.equal(notes.length, 1);
  // Flags given by the user win over the record.
  assert.equal(
    loadForModel(train, { ignoreColumns: ['id', 'kind'] }, remembered).labels,
    undefined,
  );
  // A data error in the file is not hidden by the fallback.
  const bad = join(dir, 'bad.csv');
  writeFileSync(bad, 'id,x,y,kind\nr0,1,n/a,a\nr1,3,4,b\n');
  assert.throws(() => loadForModel(bad, {}, remembered), /row 2, field 3: expected a number/);
});
