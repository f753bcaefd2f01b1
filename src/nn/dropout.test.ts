// Dropout masks: values, rate (5 binomial standard errors), mean preserved, seeded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dropoutMask } from './dropout.js';
import { Rng } from '../util/rng.js';
import { ConfigError } from '../errors.js';

test('a dropout mask drops at the rate and keeps the expected value at 1', () => {
  const n = 40000;
  const rate = 0.25;
  const m = dropoutMask(new Rng(1), n, rate);
  const dropped = m.filter((v) => v === 0).length;
  assert.equal(dropped + m.filter((v) => v === Math.fround(1 / 0.75)).length, n);
  assert.ok(
    Math.abs(dropped / n - rate) < 5 * Math.sqrt((rate * (1 - rate)) / n),
    `${dropped / n}`,
  );
  assert.deepEqual(dropoutMask(new Rng(7), 100, 0.5), dropoutMask(new Rng(7), 100, 0.5));
  assert.ok(dropoutMask(new Rng(1), 10, 0).every((v) => v === 1));
});

test('dropoutMask refuses a rate outside [0, 1) and a wrong buffer', () => {
  assert.throws(
    () => dropoutMask(new Rng(1), 4, 1),
    (e: unknown) =>
      e instanceof ConfigError && /dropout rate must be in \[0, 1\), got 1/.test(e.message),
  );
  assert.throws(
    () => dropoutMask(new Rng(1), 4, 0.1, new Float32Array(3)),
    /dropoutMask: out has 3 values, expected 4/,
  );
});
