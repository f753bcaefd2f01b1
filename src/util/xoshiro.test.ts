// xoshiro128** against its reference: the expected words were printed by Blackman & Vigna's
// xoshiro128starstar.c (https://prng.di.unimi.it/xoshiro128starstar.c) compiled with gcc -O2,
// from the state {0x12345678, 0x9abcdef0, 0x0fedcba9, 0x87654321}. Exact equality.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from './rng.js';
import { Xoshiro128 } from './xoshiro.js';

test('the first six words and the 1001st equal the C reference', () => {
  const g = Xoshiro128.fromWords(0x12345678, 0x9abcdef0, 0x0fedcba9, 0x87654321);
  const first = Array.from({ length: 6 }, () => g.next());
  assert.deepEqual(first, [2576881682, 1717987682, 3549451600, 815578703, 110697649, 1324588845]);
  for (let i = 0; i < 994; i++) g.next();
  assert.equal(g.next(), 602888901);
});

test('seeded from an Rng: deterministic, four words taken, uniform draws in [0, 1)', () => {
  const r1 = new Rng(4);
  const r2 = new Rng(4);
  const a = Xoshiro128.fromRng(r1);
  const b = Xoshiro128.fromRng(r2);
  for (let i = 0; i < 100; i++) assert.equal(a.next(), b.next());
  const ref = new Rng(4);
  for (let i = 0; i < 4; i++) ref.nextU32();
  assert.equal(r1.nextU32(), ref.nextU32());
  const n = 100000;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const u = a.random();
    assert.ok(u >= 0 && u < 1);
    s += u;
  }
  // Mean 1/2 within 5 standard errors (sqrt(1/12/n)).
  assert.ok(Math.abs(s / n - 0.5) < 5 * Math.sqrt(1 / 12 / n), `mean ${s / n}`);
});

test('the all-zero state, the generator fixed point, is replaced', () => {
  const g = Xoshiro128.fromWords(0, 0, 0, 0);
  assert.ok(Array.from({ length: 4 }, () => g.next()).some((w) => w !== 0));
});
