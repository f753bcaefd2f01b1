// The ziggurat's draws against N(0, 1). Sources of the expected values: the normal CDF
// (Abramowitz & Stegun 26.2.17, absolute error < 7.5e-8) and its moments. Tolerances: 5
// standard errors for moments and tail counts, and the Kolmogorov-Smirnov distance at
// significance 1e-6 (sqrt(ln(2/α) / 2n)), so a correct sampler fails with probability below
// about 1e-6 per check, while a scale off by 1% or a missing tail fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from './rng.js';
import { Xoshiro128 } from './xoshiro.js';
import { fillZiggurat } from './ziggurat.js';

/** Φ(x) by Abramowitz & Stegun 26.2.17. */
function phi(x: number): number {
  const t = 1 / (1 + 0.2316419 * Math.abs(x));
  const poly =
    t *
    (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  const upper = (Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI)) * poly;
  return x >= 0 ? 1 - upper : upper;
}

const N = 1_000_000;
const draws = fillZiggurat(Xoshiro128.fromRng(new Rng(11)), new Float64Array(N));

test('moments: mean 0, variance 1, skewness 0, kurtosis 3 (5 standard errors)', () => {
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let s4 = 0;
  for (const v of draws) {
    s1 += v;
    s2 += v * v;
    s3 += v ** 3;
    s4 += v ** 4;
  }
  const se = (varOfTerm: number): number => 5 * Math.sqrt(varOfTerm / N);
  assert.ok(Math.abs(s1 / N) < se(1), `mean ${s1 / N}`);
  assert.ok(Math.abs(s2 / N - 1) < se(2), `variance ${s2 / N}`);
  assert.ok(Math.abs(s3 / N) < se(15), `third moment ${s3 / N}`);
  assert.ok(Math.abs(s4 / N - 3) < se(96), `fourth moment ${s4 / N}`);
});

test('Kolmogorov-Smirnov distance to N(0, 1) below the 1e-6 critical value', () => {
  const sorted = Float64Array.from(draws).sort();
  let d = 0;
  for (let i = 0; i < N; i++) {
    const f = phi(sorted[i]);
    d = Math.max(d, Math.abs(f - i / N), Math.abs((i + 1) / N - f));
  }
  const critical = Math.sqrt(Math.log(2 / 1e-6) / (2 * N));
  assert.ok(d < critical, `D = ${d}, critical ${critical}`);
});

test('tails: the frequency beyond the base layer (3.4426) and beyond 4 match the normal', () => {
  for (const edge of [3.442619855899, 4]) {
    const p = 2 * (1 - phi(edge));
    const count = draws.reduce((c, v) => c + (Math.abs(v) > edge ? 1 : 0), 0);
    const sd = Math.sqrt(N * p * (1 - p));
    assert.ok(Math.abs(count - N * p) < 5 * sd, `beyond ${edge}: ${count}, expected ${N * p}`);
  }
  // Both signs of the tail occur.
  assert.ok(draws.some((v) => v > 3.5) && draws.some((v) => v < -3.5));
});

test('deterministic in the seeding Rng state, scaled by std; seeding takes four words', () => {
  const a = fillZiggurat(Xoshiro128.fromRng(new Rng(5, 9)), new Float32Array(1000), 0.2);
  const b = fillZiggurat(Xoshiro128.fromRng(new Rng(5, 9)), new Float32Array(1000), 0.2);
  assert.deepEqual(a, b);
  const unit = fillZiggurat(Xoshiro128.fromRng(new Rng(5, 9)), new Float64Array(1000));
  for (let i = 0; i < 1000; i++) assert.equal(a[i], Math.fround(unit[i] * 0.2));
  const r = new Rng(5, 9);
  fillZiggurat(Xoshiro128.fromRng(r), new Float32Array(1000));
  const ref = new Rng(5, 9);
  for (let i = 0; i < 4; i++) ref.nextU32();
  assert.equal(r.nextU32(), ref.nextU32());
  assert.notDeepEqual(
    fillZiggurat(Xoshiro128.fromRng(new Rng(6, 9)), new Float32Array(1000), 0.2),
    a,
  );
});
