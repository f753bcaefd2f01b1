// Sparsity penalties: forward values against the formulas written out in float64 (Keras'
// l1 activity regulariser divided by the batch size; Ng's CS294A notes, section 2.3, for the
// KL), gradients against central differences (float64 interpreter, h = 1e-6, atol 1e-7,
// rtol 1e-6), and the settings' errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Graph } from '../graph/graph.js';
import { evaluate, type Value } from '../graph/evaluate.js';
import { Rng } from '../util/rng.js';
import { ConfigError } from '../errors.js';
import { assertClose } from '../../test/helpers/close.js';
import { checkGradients } from '../../test/helpers/grad-check.js';
import { activityL1, checkSparsity, klSparsity } from './sparsity.js';

const B = 4;
const K = 3;
const value = (r: Rng, lo: number, hi: number): Value => ({
  shape: [B, K],
  data: Float64Array.from({ length: B * K }, () => r.uniform(lo, hi)),
});

test('activityL1 is lambda * sum |h| / batch; klSparsity is beta * sum KL(rho || mean activation) (rtol 1e-12)', () => {
  const r = new Rng(1);
  const g = new Graph();
  const h = g.input('h', [B, K]);
  const feeds = { h: value(r, 0.05, 0.95) };
  const [l1, kl] = evaluate(g, feeds, [activityL1(g, h, 0.1), klSparsity(g, h, 0.2, 3)]);
  const d = feeds.h.data;
  assertClose(l1.data[0], (0.1 * d.reduce((a, v) => a + Math.abs(v), 0)) / B, {
    rtol: 1e-12,
    what: 'L1',
  });
  let expected = 0;
  for (let j = 0; j < K; j++) {
    let m = 0;
    for (let i = 0; i < B; i++) m += d[i * K + j] / B;
    expected += 0.2 * Math.log(0.2 / m) + 0.8 * Math.log(0.8 / (1 - m));
  }
  assertClose(kl.data[0], 3 * expected, { rtol: 1e-12, what: 'KL sparsity' });
});

test('sparsity penalties: gradients match central differences', () => {
  const r = new Rng(2);
  const g = new Graph();
  const x = g.input('x', [B, K]);
  const h = g.sigmoid(x);
  // Away from 0, so |x| is differentiable at every point checked.
  const feeds = { x: value(r, 0.2, 2) };
  feeds.x.data.forEach((v, i) => (feeds.x.data[i] = i % 2 ? -v : v));
  checkGradients(g, g.add(activityL1(g, x, 0.3), klSparsity(g, h, 0.1, 2)), [x], feeds);
});

test('checkSparsity: defaults and errors name the setting and the fix', () => {
  assert.deepEqual(checkSparsity({}), {});
  assert.deepEqual(checkSparsity({ sparsity: 0.05 }), { sparsity: 0.05, sparsityWeight: 1 });
  const bad: [object, RegExp][] = [
    [{ activityL1: 0 }, /activityL1 must be a number > 0, got 0/],
    [{ sparsity: 1 }, /sparsity must lie in \(0, 1\), got 1/],
    [{ sparsity: 0.1, sparsityWeight: -1 }, /sparsityWeight must be a number > 0, got -1/],
    [{ sparsityWeight: 3 }, /sparsityWeight needs sparsity/],
  ];
  for (const [o, re] of bad)
    assert.throws(
      () => checkSparsity(o),
      (e: unknown) => e instanceof ConfigError && re.test(e.message),
    );
});
