import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from './rng.js';

test('same seed, same stream; different seeds differ', () => {
  const a = new Rng(42);
  const b = new Rng(42);
  const c = new Rng(43);
  const xs = Array.from({ length: 5 }, () => a.nextU32());
  assert.deepEqual(
    xs,
    Array.from({ length: 5 }, () => b.nextU32()),
  );
  assert.notDeepEqual(
    xs,
    Array.from({ length: 5 }, () => c.nextU32()),
  );
});

test('uniform draws have mean 1/2 and variance 1/12 (n = 20000, 4 sigma)', () => {
  const r = new Rng(1);
  const n = 20000;
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const x = r.random();
    assert.ok(x >= 0 && x < 1);
    s += x;
    s2 += x * x;
  }
  const mean = s / n;
  assert.ok(Math.abs(mean - 0.5) < 4 * Math.sqrt(1 / 12 / n), `mean ${mean}`);
  assert.ok(Math.abs(s2 / n - mean * mean - 1 / 12) < 0.005);
});

test('normal draws have mean 0 and variance 1 (n = 20000)', () => {
  const r = new Rng(7);
  const n = 20000;
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const x = r.normal();
    s += x;
    s2 += x * x;
  }
  assert.ok(Math.abs(s / n) < 4 / Math.sqrt(n));
  assert.ok(Math.abs(s2 / n - 1) < 0.05);
});

test('permutation holds each index once', () => {
  const p = new Rng(3).permutation(1000);
  const seen = new Uint8Array(1000);
  for (const i of p) seen[i]++;
  assert.ok(seen.every((c) => c === 1));
  assert.notDeepEqual(Array.from(p.subarray(0, 10)), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

test('int(n) rejects n outside 1..2^32', () => {
  assert.throws(() => new Rng(1).int(0), /int\(n\) needs 0 < n <= 2\^32, got 0/);
});

/** PCG32 in BigInt, as O'Neill's reference pcg32_random_r and pcg32_srandom_r write it. */
function referencePcg32(seed: number, stream: number, count: number): number[] {
  const mask = (1n << 64n) - 1n;
  const mult = 6364136223846793005n;
  const inc = ((BigInt(stream) << 1n) | 1n) & mask;
  let state = 0n;
  const next = (): number => {
    const old = state;
    state = (old * mult + inc) & mask;
    const xorshifted = Number(((old >> 18n) ^ old) >> 27n) >>> 0;
    const rot = Number(old >> 59n);
    return ((xorshifted >>> rot) | (xorshifted << (-rot & 31))) >>> 0;
  };
  next();
  state = (state + (BigInt(Math.trunc(seed)) & mask)) & mask;
  next();
  return Array.from({ length: count }, next);
}

test('the 32-bit-halves generator equals PCG32 in BigInt draw for draw', () => {
  for (const [seed, stream] of [
    [0, 54],
    [42, 54],
    [-7, 54],
    [2 ** 53 - 1, 1],
    [123456789, 0xdeadbeef],
  ]) {
    const r = new Rng(seed, stream);
    const got = Array.from({ length: 20_000 }, () => r.nextU32());
    assert.deepEqual(got, referencePcg32(seed, stream, 20_000), `seed ${seed}, stream ${stream}`);
  }
  // O'Neill's pcg32-demo with seed 42, stream 54 starts 0xa15c02b7, 0x7b47f409.
  const demo = new Rng(42, 54);
  assert.deepEqual([demo.nextU32(), demo.nextU32()], [0xa15c02b7, 0x7b47f409]);
});
