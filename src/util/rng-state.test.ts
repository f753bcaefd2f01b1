import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from './rng.js';

test('setState(getState()) continues the stream draw for draw, the spare normal included', () => {
  const a = new Rng(17, 3);
  a.permutation(50);
  a.normal(); // leaves a cached spare
  const b = new Rng(999);
  b.setState(JSON.parse(JSON.stringify(a.getState())) as ReturnType<Rng['getState']>);
  assert.equal(b.normal(), a.normal(), 'the cached spare');
  assert.deepEqual(b.permutation(100), a.permutation(100));
  for (let i = 0; i < 1000; i++) assert.equal(b.nextU32(), a.nextU32());
});

test('setState rejects values that are not unsigned 32-bit integers', () => {
  const s = new Rng(1).getState();
  assert.throws(
    () => new Rng(1).setState({ ...s, hi: -1 }),
    /rng state hi must be an unsigned 32-bit integer, got -1/,
  );
  assert.throws(
    () => new Rng(1).setState({ ...s, incLo: 2 }),
    /rng state incLo must be odd, got 2/,
  );
});
