import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../errors.js';
import { matrix } from '../../util/matrix.js';
import { dataModelDir, dataModelLayers, ensureDataModel } from './default-model.js';

test('the default model of a data file: a 3-d code, one hidden layer for wide data, cached per file', () => {
  assert.deepEqual(dataModelLayers(128), [64, 3]);
  assert.deepEqual(dataModelLayers(16), [8, 3]);
  assert.deepEqual(dataModelLayers(6), [3]);
  assert.equal(dataModelDir('data/emb.npy'), 'runs/explorer-emb');
  assert.equal(dataModelDir('/x/My Data.csv.gz'), 'runs/explorer-My_Data');
});

test('data that cannot be reduced to 3-d is refused before any training', async () => {
  const d = { x: matrix(5, 3, new Float32Array(15)), source: 'three.csv' };
  await assert.rejects(
    ensureDataModel('/nonexistent/never-written', d),
    (e: unknown) =>
      e instanceof ConfigError &&
      /^three\.csv has 3 columns; .*nothing was trained\. Train a model with `aedr train --data three\.csv --latent N` \(N < 3\) and pass it with --model$/.test(
        e.message,
      ),
  );
  const one = { x: matrix(1, 8, new Float32Array(8)), source: 'one.csv' };
  await assert.rejects(
    ensureDataModel('/nonexistent/x', one),
    /one\.csv has 1 row; .*at least 2 rows/,
  );
});
