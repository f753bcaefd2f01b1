import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { assertClose } from '../../test/helpers/close.js';
import { Rng } from '../util/rng.js';
import { prAuc, rocAuc, rocCurve, thresholdMetrics } from './roc.js';

interface Curve {
  fpr: number[];
  tpr: number[];
  thresholds: number[];
}
interface Case {
  name: string;
  scores: number[];
  labels: number[];
  roc_auc: number;
  ap: number;
  roc_full: Curve;
  roc_drop: Curve;
  at: { threshold: number; precision: number; recall: number; f1: number }[];
  mean_std3: number;
  quantiles: [number, number][];
}
const golden = JSON.parse(
  readFileSync(new URL('../../test/golden/roc_sklearn.json', import.meta.url), 'utf8'),
) as { cases: Case[] };

for (const c of golden.cases) {
  test(`${c.name}: rocAuc, prAuc, rocCurve, thresholdMetrics equal sklearn 1.2 (rtol 1e-12, roc_sklearn.py)`, () => {
    assertClose(rocAuc(c.scores, c.labels), c.roc_auc, { rtol: 1e-12, what: 'roc_auc' });
    assertClose(prAuc(c.scores, c.labels), c.ap, { rtol: 1e-12, what: 'ap' });
    for (const [key, drop] of [
      ['roc_full', false],
      ['roc_drop', true],
    ] as const) {
      const r = rocCurve(c.scores, c.labels, { dropIntermediate: drop });
      const e = c[key];
      assertClose(r.fpr, e.fpr, { rtol: 1e-12, what: `${key} fpr` });
      assertClose(r.tpr, e.tpr, { rtol: 1e-12, what: `${key} tpr` });
      assert.equal(r.thresholds[0], Infinity);
      assert.deepEqual(Array.from(r.thresholds.subarray(1)), e.thresholds);
    }
    for (const a of c.at) {
      const m = thresholdMetrics(c.scores, c.labels, a.threshold);
      assertClose([m.precision, m.recall, m.f1], [a.precision, a.recall, a.f1], {
        rtol: 1e-12,
        what: `at ${a.threshold}`,
      });
      assert.equal(m.tp + m.fp + m.tn + m.fn, c.scores.length);
    }
  });
}

test('identities: perfect separation 1, reversed 0, all scores tied 0.5', () => {
  const s = [0.1, 0.2, 0.3, 0.7, 0.8, 0.9];
  const y = [0, 0, 0, 1, 1, 1];
  assert.equal(rocAuc(s, y), 1);
  assert.equal(prAuc(s, y), 1);
  assert.equal(
    rocAuc(
      s.map((v) => -v),
      y,
    ),
    0,
  );
  assert.equal(rocAuc([5, 5, 5, 5, 5, 5], y), 0.5);
  // AP with every score tied is the positive share.
  assert.equal(prAuc([5, 5, 5, 5, 5, 5], y), 0.5);
  // Booleans are labels too.
  assert.equal(
    rocAuc(
      s,
      y.map((v) => v === 1),
    ),
    1,
  );
});

test('random scores independent of the labels: rocAuc near 0.5; swapping the classes gives 1 - AUC', () => {
  // 20,000 rows, ties on 10 score values; the standard error of the AUC is about 0.004, so a
  // 0.02 tolerance fails only on a real bias. Exact complement: U(neg) = P·N - U(pos).
  const rng = new Rng(11);
  const n = 20_000;
  const s = Array.from({ length: n }, () => Math.floor(rng.uniform(0, 10)));
  const y = Array.from({ length: n }, () => (rng.uniform(0, 1) < 0.3 ? 1 : 0));
  const auc = rocAuc(s, y);
  assertClose(auc, 0.5, { atol: 0.02 });
  assertClose(
    rocAuc(
      s,
      y.map((v) => 1 - v),
    ),
    1 - auc,
    { atol: 1e-15 },
  );
  // The ROC curve's trapezoidal area equals rocAuc (atol 1e-12: float sums of n terms).
  const r = rocCurve(s, y);
  let area = 0;
  for (let i = 1; i < r.fpr.length; i++)
    area += ((r.fpr[i] - r.fpr[i - 1]) * (r.tpr[i] + r.tpr[i - 1])) / 2;
  assertClose(area, auc, { atol: 1e-12 });
  assert.equal(r.fpr[r.fpr.length - 1], 1);
  assert.equal(r.tpr[r.tpr.length - 1], 1);
  assert.equal(r.fpr.length, 11);
});

test('thresholdMetrics: counts, and zero precision when nothing is flagged', () => {
  const m = thresholdMetrics([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1], 0.3);
  assert.deepEqual({ tp: m.tp, fp: m.fp, tn: m.tn, fn: m.fn }, { tp: 2, fp: 1, tn: 1, fn: 0 });
  assertClose([m.precision, m.recall, m.f1], [2 / 3, 1, 0.8], { rtol: 1e-15 });
  const none = thresholdMetrics([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1], 0.8);
  assert.deepEqual([none.precision, none.recall, none.f1], [0, 0, 0]);
});

test('misuse: length mismatch, empty, single class, NaN score, non-binary label', () => {
  for (const [name, f] of [
    ['rocAuc', rocAuc],
    ['prAuc', prAuc],
    ['rocCurve', rocCurve],
  ] as const) {
    assert.throws(() => f([1, 2, 3], [0, 1]), {
      name: 'ShapeError',
      message: `${name}: scores and labels must have the same length, got 3 and 2`,
    });
    assert.throws(() => f([], []), {
      name: 'ShapeError',
      message: `${name}: scores must not be empty`,
    });
    assert.throws(() => f([1, 2, 3], [1, 1, 1]), {
      name: 'DataError',
      message: `${name}: only one class present in labels (all 3 positive (1)); it needs both positives and negatives`,
    });
    assert.throws(() => f([1, NaN, 3], [0, 1, 0]), {
      name: 'DataError',
      message: `${name} scores must be finite, got NaN at index 1; check the data for NaN/Inf`,
    });
    assert.throws(() => f([1, 2, 3], [0, 2, 1]), {
      name: 'DataError',
      message: `${name} labels must be 0/1 or booleans (1 = positive), got 2 at index 1`,
    });
  }
  assert.throws(() => thresholdMetrics([1, 2], [0, 1], NaN), {
    name: 'DataError',
    message: 'thresholdMetrics: threshold is NaN',
  });
  assert.throws(() => thresholdMetrics([1, 2], [0, 0], 1), {
    name: 'DataError',
    message: /thresholdMetrics: only one class present in labels \(all 2 negative \(0\)\)/,
  });
});
