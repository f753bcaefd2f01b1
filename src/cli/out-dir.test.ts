import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from './context.js';
import { checkOutDir, defaultName } from './out-dir.js';

test('defaultName joins the data base name and the layer sizes', () => {
  assert.equal(defaultName('mnist', [50]), 'mnist-50');
  assert.equal(defaultName('MNIST:train', [128, 64, 12, 3]), 'mnist-128-64-12-3');
  assert.equal(defaultName('data/my points.csv.gz', [2]), 'my_points-2');
  assert.equal(defaultName('/x/train-images-idx3-ubyte', [8]), 'train-images-idx3-ubyte-8');
});

test('checkOutDir accepts a new, empty or model folder and refuses anything else', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aedr-out-'));
  try {
    assert.equal(checkOutDir(join(dir, 'new')), false);
    mkdirSync(join(dir, 'empty'));
    assert.equal(checkOutDir(join(dir, 'empty')), true);
    mkdirSync(join(dir, 'model'));
    writeFileSync(join(dir, 'model', 'model.json'), '{}');
    assert.equal(checkOutDir(join(dir, 'model')), true);
    mkdirSync(join(dir, 'other'));
    writeFileSync(join(dir, 'other', 'a.txt'), 'x');
    assert.throws(
      () => checkOutDir(join(dir, 'other')),
      (e: unknown) =>
        e instanceof UsageError && /other exists and is not an aedr model folder/.test(e.message),
    );
    assert.throws(
      () => checkOutDir(join(dir, 'other', 'a.txt')),
      /a\.txt is a file; expected a folder/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
