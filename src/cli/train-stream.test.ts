// When `aedr train` streams (streamReason), the --memory size parser, and a streamed run from a
// folder of .npy shards, in-process: the summary says why it streamed, history[] has the
// validation metrics of --validation-data, and the model folder loads.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { writeNpy } from '../data/npy.js';
import { loadModel } from '../train/persist.js';
import { matrix, type Matrix32 } from '../util/matrix.js';
import { Rng } from '../util/rng.js';
import { aedr } from '../../test/helpers/cli.js';
import type { TrainFlags } from './train-settings.js';
import { inMemoryLimit, memoryArg, streamBlockRows, streamReason } from './train-stream.js';

let dir: string;
const rng = new Rng(3);
const rows = (n: number): Matrix32 =>
  matrix(
    n,
    5,
    Float32Array.from({ length: n * 5 }, () => rng.normal()),
  );
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'aedr-train-stream-'));
  mkdirSync(join(dir, 'shards'));
  writeNpy(join(dir, 'shards', 'part-1.npy'), rows(300));
  writeNpy(join(dir, 'shards', 'part-2.npy'), rows(212));
  writeNpy(join(dir, 'val.npy'), rows(90));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const flags = (f: Partial<TrainFlags>): TrainFlags => f as TrainFlags;

test('streamReason: shards, globs and --memory stream; a small .npy and mnist do not', () => {
  assert.match(streamReason(flags({ data: join(dir, 'shards') }))!, /a set of \.npy shards/);
  assert.match(streamReason(flags({ data: join(dir, 'shards', '*.npy') }))!, /shards/);
  assert.equal(streamReason(flags({ data: join(dir, 'val.npy') })), undefined);
  assert.match(
    streamReason(flags({ data: join(dir, 'val.npy'), memory: 2e6 }))!,
    /--memory 2,000,000 bytes/,
  );
  assert.equal(streamReason(flags({ data: 'mnist', memory: 2e6 })), undefined);
  assert.equal(inMemoryLimit(8 * 2 ** 30), 2 ** 31 - 1);
  assert.equal(inMemoryLimit(4e9), 1e9);
  assert.deepEqual(
    [streamBlockRows(1e7), streamBlockRows(3000), streamBlockRows(10)],
    [4096, 46, 1],
  );
});

test('memoryArg reads sizes in SI and binary units and refuses others', () => {
  assert.equal(memoryArg('1GB'), 1e9);
  assert.equal(memoryArg('512MiB'), 2 ** 29);
  assert.equal(memoryArg('1.5g'), 1.5e9);
  assert.equal(memoryArg('800000'), 800000);
  for (const bad of ['1KB', 'lots', '1XB', '-5MB'])
    assert.throws(
      () => memoryArg(bad),
      (e: unknown) => e instanceof InvalidArgumentError && /at least 4KB/.test(e.message),
    );
});

test('aedr train on a folder of .npy shards streams, validates on --validation-data, and saves a loadable folder', async () => {
  const out = join(dir, 'model');
  const r = await aedr(
    'train',
    '--data',
    join(dir, 'shards'),
    '--latent',
    '2',
    '--epochs',
    '2',
    '--batch-size',
    '32',
    '--validation-data',
    join(dir, 'val.npy'),
    '--early-stopping',
    '--threads',
    '1',
    '--no-spin',
    '--json',
    '--out',
    out,
  );
  assert.equal(r.code, 0, r.err);
  const s = JSON.parse(r.out) as {
    streamed: string;
    trainRows: number;
    validationRows: number;
    history: { valLoss?: number }[];
  };
  assert.match(s.streamed, /a set of \.npy shards/);
  assert.deepEqual([s.trainRows, s.validationRows, s.history.length], [512, 90, 2]);
  assert.ok(s.history.every((h) => typeof h.valLoss === 'number'));
  const m = loadModel(out);
  assert.equal(m.training?.stopReason, 'completed');
  assert.ok(m.training?.bestEpoch !== undefined);
  await m.dispose();
});
