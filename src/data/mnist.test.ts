import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors.js';
import { loadMnist, mnistFiles } from './mnist.js';

// Expected values are read from the raw IDX bytes here (header 16 bytes for images, 8 for labels),
// independently of the parser; the pixel sums were also checked with Python:
// sum(open(f,'rb').read()[16:16+784]) = 27525 (train), 18454 (t10k).
test('MNIST train: 60000 x 784 raw pixels, first label 5, sums match the raw bytes', () => {
  const d = loadMnist('train');
  assert.equal(d.x.rows, 60000);
  assert.equal(d.x.cols, 784);
  assert.equal(d.source, 'mnist:train');
  assert.equal(d.labels?.[0], 5);
  let max = 0;
  for (const v of d.x.data) if (v > max) max = v;
  assert.equal(max, 255);
  let sum = 0;
  for (let i = 0; i < 784; i++) sum += d.x.data[i];
  assert.equal(sum, 27525);
  const raw = readFileSync(mnistFiles('train').images);
  for (const i of [0, 12345, 784 * 59999 + 400]) assert.equal(d.x.data[i], raw[16 + i]);
  // Class counts of the MNIST training set (LeCun's distribution).
  const counts = new Array<number>(10).fill(0);
  for (const l of d.labels ?? []) counts[l]++;
  assert.deepEqual(counts, [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
});

test('MNIST test: 10000 rows, first labels 7 2 1, first image sum 18454', () => {
  const d = loadMnist('test');
  assert.equal(d.x.rows, 10000);
  assert.deepEqual(Array.from(d.labels?.subarray(0, 3) ?? []), [7, 2, 1]);
  let sum = 0;
  for (let i = 0; i < 784; i++) sum += d.x.data[i];
  assert.equal(sum, 18454);
  const rawLabels = readFileSync(mnistFiles('test').labels);
  assert.deepEqual(Array.from(d.labels ?? []), Array.from(rawLabels.subarray(8)));
});

test('limit keeps the first samples', () => {
  const d = loadMnist('test', { limit: 5 });
  assert.equal(d.x.rows, 5);
  assert.equal(d.x.data.length, 5 * 784);
  assert.deepEqual(Array.from(d.labels ?? []), [7, 2, 1, 0, 4]);
  assert.equal(loadMnist('test', { limit: 20000 }).x.rows, 10000);
});

test('misuse: unknown split or bad limit is a ConfigError', () => {
  assert.throws(
    () => loadMnist('val' as 'train'),
    (e: unknown) =>
      e instanceof ConfigError && /split must be one of train, test, got "val"/.test(e.message),
  );
  assert.throws(
    () => loadMnist('train', { limit: 0 }),
    (e: unknown) =>
      e instanceof ConfigError && /limit must be an integer >= 1, got 0/.test(e.message),
  );
});
