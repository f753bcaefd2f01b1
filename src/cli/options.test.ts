import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidArgumentError } from 'commander';
import { parseLatentDims } from '../experiments/study/config.js';
import { intArg, labelColumnArg, layersArg, listArg, numberArg } from './options.js';

test('intArg accepts integers in range and rejects the rest with the range in the message', () => {
  assert.equal(intArg(1)('12'), 12);
  assert.equal(intArg(0)(' 0 '), 0);
  for (const bad of ['abc', '1.5', '0', '', '1e3', '99999999999999999999']) {
    assert.throws(
      () => intArg(1)(bad),
      (e: unknown) => {
        assert.ok(e instanceof InvalidArgumentError);
        assert.match(e.message, /^Expected an integer >= 1\.$/);
        return true;
      },
    );
  }
  assert.throws(() => intArg(1, 64)('65'), /Expected an integer in 1\.\.64\./);
});

test('numberArg honours exclusive minimum and maximum', () => {
  assert.equal(numberArg(0, { exclusiveMin: true })('0.005'), 0.005);
  assert.equal(numberArg(0, { exclusiveMin: true })('1e-3'), 0.001);
  assert.throws(() => numberArg(0, { exclusiveMin: true })('0'), /Expected a finite number > 0\./);
  assert.throws(() => numberArg(0)('NaN'), /Expected a finite number >= 0\./);
  assert.throws(
    () => numberArg(0, { max: 0.9 })('1'),
    /Expected a finite number >= 0 and <= 0\.9\./,
  );
  assert.throws(() => numberArg()('x'), InvalidArgumentError);
});

test('layersArg parses comma lists of positive integers', () => {
  assert.deepEqual(layersArg('128,64,12,3'), [128, 64, 12, 3]);
  assert.deepEqual(layersArg(' 50 '), [50]);
  for (const bad of ['', '128,,3', '128,0', 'a,b', '1.5', '-3']) {
    assert.throws(() => layersArg(bad), /Expected comma-separated positive integers/, bad);
  }
});

test('labelColumnArg gives numbers for indices and strings for names', () => {
  assert.equal(labelColumnArg('3'), 3);
  assert.equal(labelColumnArg('-1'), -1);
  assert.equal(labelColumnArg('label'), 'label');
  assert.throws(() => labelColumnArg('  '), /Expected a column index or a header name\./);
});

test('listArg returns the parsed value, turns ConfigError into the expected text, passes others', () => {
  const latent = listArg(parseLatentDims, 'Expected start:stop:step (1:14:1) or a list (1,2,4,8).');
  assert.deepEqual(latent('1:4:1'), [1, 2, 3, 4]);
  assert.deepEqual(latent('2,8'), [2, 8]);
  assert.throws(
    () => latent('0:3:1'),
    (e: unknown) => {
      assert.ok(e instanceof InvalidArgumentError);
      assert.match(e.message, /^Expected start:stop:step \(1:14:1\) or a list \(1,2,4,8\)\.$/);
      return true;
    },
  );
  const failing = listArg((): number => {
    throw new RangeError('not a ConfigError');
  }, 'unused');
  assert.throws(() => failing('x'), RangeError);
});
