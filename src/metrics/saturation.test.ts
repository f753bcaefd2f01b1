import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, DataError } from '../errors.js';
import { assertClose } from '../../test/helpers/close.js';
import { flatteningPoint, kneedle } from './saturation.js';

// kneed's DataGenerator.convex_decreasing (kneed 0.8, tests/test_sample.py expects knee 2).
const X10 = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
const CONVEX_DEC = [100, 40, 20, 15, 10, 5, 4, 3, 2, 1];

// The blog post's Keras ReLU sweep: test loss against latent dim.
const STUDY_DIMS = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
const STUDY_TEST = [0.0338, 0.022, 0.0179, 0.0128, 0.0112, 0.0107, 0.0094, 0.0082, 0.0071, 0.0077];

test('kneedle: kneed test_convex_decreasing (knee 2) and its truncated form (knee 0.2)', () => {
  assert.equal(kneedle(X10, CONVEX_DEC).x, 2);
  const xt = X10.slice(0, -3).map((x) => x / 10);
  const yt = CONVEX_DEC.slice(0, -3).map((y) => y / 10);
  assert.equal(kneedle(xt, yt).x, 0.2);
});

test('kneedle: kneed test_flat_maxima (S = 0 gives 1, S = 1 gives 8)', () => {
  const x = Array.from({ length: 18 }, (_, i) => i);
  const y = [
    1, 0.787701317715959, 0.7437774524158126, 0.6559297218155198, 0.5065885797950219,
    0.36749633967789164, 0.2547584187408492, 0.16251830161054173, 0.10395314787701318,
    0.06734992679355783, 0.043923865300146414, 0.027818448023426062, 0.01903367496339678,
    0.013177159590043924, 0.010248901903367497, 0.007320644216691069, 0.005856515373352855,
    0.004392386530014641,
  ];
  assert.equal(kneedle(x, y, { sensitivity: 0 }).x, 1);
  assert.equal(kneedle(x, y, { sensitivity: 1 }).x, 8);
});

test('kneedle: kneed test_y_no_knee (3 points of exp(-x/10)) finds none', () => {
  const r = kneedle([1, 2, 3], [0.90483742, 0.81873075, 0.74081822]);
  assert.equal(r.x, null);
  assert.equal(r.index, null);
});

test('kneedle: y = 1/x on 10..100 (step 1) has its knee where the normalised slope is 1, x = sqrt(1000)', () => {
  // d/dx of the normalised curve: (1/x²)/(0.1 - 0.01) per 1/90 of x, equal to 1 at x² = 1000.
  const xs = Array.from({ length: 91 }, (_, i) => 10 + i);
  const r = kneedle(
    xs,
    xs.map((x) => 1 / x),
  );
  assertClose(r.x ?? NaN, Math.sqrt(1000), { atol: 1, what: 'knee' });
});

test('kneedle: the difference curve is reported and the study table gives 40 (hand-computed: max 0.454 at 40)', () => {
  const r = kneedle(STUDY_DIMS, STUDY_TEST);
  assert.equal(r.x, 40);
  assertClose(r.scores[3], 0.4541, { atol: 1e-3, what: 'difference at 40' });
  assert.match(r.rule, /Kneedle.*S = 1/);
});

test('flatteningPoint: a broken line, steep until 50 and flat after, saturates at 50', () => {
  const xs = STUDY_DIMS;
  const ys = xs.map((x) => (x < 50 ? 100 - x : 50 - 0.01 * (x - 50)));
  const r = flatteningPoint(xs, ys);
  assert.equal(r.x, 50);
  assert.equal(r.index, 4);
});

test('flatteningPoint: the study table gives 50 at fraction 0.5 and 40 at fraction 1', () => {
  // Normalised segment slopes (hand-computed): 3.98, 1.39, 1.72, 0.54, 0.17, 0.44, 0.40, 0.37, -0.20.
  const r = flatteningPoint(STUDY_DIMS, STUDY_TEST);
  assert.equal(r.x, 50);
  assertClose(r.scores.slice(0, 4), [3.978, 1.382, 1.719, 0.539], { atol: 2e-3, what: 'slopes' });
  assert.equal(flatteningPoint(STUDY_DIMS, STUDY_TEST, { fraction: 1 }).x, 40);
  assert.match(r.rule, /slope < 0.5/);
});

test('flatteningPoint: y = x^-0.727 on 10..100 (step 10) saturates at 50 (segment slope 0.60 then 0.42)', () => {
  const ys = STUDY_DIMS.map((x) => x ** -0.727);
  assert.equal(flatteningPoint(STUDY_DIMS, ys).x, 50);
});

test('flatteningPoint: a rise at the end counts as flat; a flat curve or one point gives null', () => {
  assert.equal(flatteningPoint([1, 2, 3, 4], [10, 2, 1, 5]).x, 2);
  assert.equal(flatteningPoint([1, 2, 3], [1, 1, 1]).x, null);
  assert.equal(flatteningPoint([1], [1]).x, null);
});

test("envelope: a late bump (this project's ReLU sweep, seed 0: latent 90 above 80) no longer hides the saturation", () => {
  // Test MSE of the ReLU decoder measured by `aedr study` (seed 0), latent 10..100.
  const relu = [
    0.0357, 0.02189, 0.01586, 0.01337, 0.0113, 0.009222, 0.009558, 0.008402, 0.009853, 0.007646,
  ];
  assert.equal(flatteningPoint(STUDY_DIMS, relu).x, 100);
  // Running minimum: ..., 0.009222, 0.009222, 0.008402, 0.008402, 0.007646; the last real drop
  // steeper than 0.5 is 50 -> 60 (normalised slope 0.667), so the curve is flat from 60.
  const r = flatteningPoint(STUDY_DIMS, relu, { envelope: true });
  assert.equal(r.x, 60);
  assertClose(r.scores[4], 0.6668, { atol: 1e-3, what: 'slope 50 -> 60' });
  assert.match(r.rule, /running-minimum/);
  // On a curve that never rises the envelope changes nothing.
  assert.equal(
    flatteningPoint(STUDY_DIMS, STUDY_TEST.slice(0, 9).concat([0.007]), { envelope: true }).x,
    50,
  );
  assert.equal(kneedle(STUDY_DIMS, relu, { envelope: true }).x, kneedle(STUDY_DIMS, relu).x);
});

test('misuse: mismatched lengths, unsorted x, non-finite y, bad parameters', () => {
  assert.throws(
    () => flatteningPoint([1, 2], [1]),
    (e: unknown) => e instanceof ConfigError && /same length, got 2 and 1/.test(e.message),
  );
  assert.throws(
    () => kneedle([1, 3, 2], [3, 2, 1]),
    (e: unknown) =>
      e instanceof ConfigError && /increase strictly, got 3 then 2 at index 2/.test(e.message),
  );
  assert.throws(
    () => kneedle([1, 2, 3], [3, NaN, 1]),
    (e: unknown) => e instanceof DataError && /point 1 is \(2, NaN\)/.test(e.message),
  );
  assert.throws(
    () => flatteningPoint([1, 2, 3], [3, 2, 1], { fraction: 0 }),
    (e: unknown) =>
      e instanceof ConfigError && /fraction must be a finite number > 0/.test(e.message),
  );
  assert.throws(
    () => kneedle([1, 2, 3], [3, 2, 1], { sensitivity: -1 }),
    (e: unknown) =>
      e instanceof ConfigError && /sensitivity must be a finite number >= 0/.test(e.message),
  );
});
