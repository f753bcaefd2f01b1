// Every gradient rule against float64 central differences, through the reference interpreter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Graph } from './graph.js';
import { gradients } from './autodiff.js';
import { evaluate, type Value } from './evaluate.js';
import { GRAD_RULES, NON_DIFFERENTIABLE } from './grad-rules.js';
import { OP_TYPES } from './tensor.js';
import { CASES } from '../../test/helpers/op-cases.js';
import { Rng } from '../util/rng.js';
import { assertClose } from '../../test/helpers/close.js';
import { GraphError } from '../errors.js';

function randomValue(shape: number[], r: Rng, init?: (r: Rng) => number): Value {
  const n = shape.reduce((a, b) => a * b, 1);
  return {
    shape,
    data: Float64Array.from({ length: n }, () => (init ? init(r) : r.uniform(-1, 1))),
  };
}

for (const c of CASES) {
  test(`gradient of ${c.name} matches central differences (float64, h = 1e-6, atol 1e-7, rtol 1e-6)`, () => {
    const r = new Rng(11);
    const g = new Graph();
    const xs = c.shapes.map((s, i) => g.input(`x${i}`, s));
    const y = c.build(g, xs);
    // A random weighting makes every output element count differently in the loss.
    const wShape = y.shape as number[];
    const w = g.constant(randomValue(wShape, r).data, wShape);
    const loss = g.reduceSum(g.mul(y, w), [], false);
    const wrt = (c.wrt ?? xs.map((_, i) => i)).map((i) => xs[i]);
    const grads = gradients(g, loss, wrt);
    const feeds: Record<string, Value> = {};
    xs.forEach((x, i) => (feeds[x.name] = randomValue(c.shapes[i], r, c.init)));
    const analytic = evaluate(g, feeds, grads);
    const h = 1e-6;
    wrt.forEach((x, i) => {
      const numeric = new Float64Array(feeds[x.name].data.length);
      for (let j = 0; j < numeric.length; j++) {
        const base = feeds[x.name].data[j];
        feeds[x.name].data[j] = base + h;
        const up = evaluate(g, feeds, [loss])[0].data[0];
        feeds[x.name].data[j] = base - h;
        const down = evaluate(g, feeds, [loss])[0].data[0];
        feeds[x.name].data[j] = base;
        numeric[j] = (up - down) / (2 * h);
      }
      assert.deepEqual(analytic[i].shape, x.shape, `gradient shape of ${x.name}`);
      assertClose(analytic[i].data, numeric, {
        atol: 1e-7,
        rtol: 1e-6,
        what: `d loss / d ${x.name}`,
      });
    });
  });
}

test('every op has a gradient rule or is marked non-differentiable', () => {
  const missing = OP_TYPES.filter((op) => !GRAD_RULES[op] && !NON_DIFFERENTIABLE.has(op));
  assert.deepEqual(missing, []);
});

test('every differentiable op is exercised by a gradient case', () => {
  const covered = new Set<string>();
  for (const c of CASES) {
    const g = new Graph();
    c.build(
      g,
      c.shapes.map((s, i) => g.input(`x${i}`, s)),
    );
    for (const n of g.nodes) covered.add(n.op);
  }
  const untested = Object.keys(GRAD_RULES).filter((op) => !covered.has(op));
  assert.deepEqual(untested, []);
});

test('gradients refuses a non-scalar loss and a loss that does not depend on the parameter', () => {
  const g = new Graph();
  const x = g.input('x', [2, 2]);
  const p = g.input('p', [2]);
  assert.throws(
    () => gradients(g, g.relu(x), [x]),
    (e: unknown) =>
      e instanceof GraphError && /loss must be a scalar, got shape \[2, 2\]/.test(e.message),
  );
  const loss = g.reduceSum(x, [], false);
  assert.throws(() => gradients(g, loss, [p]), /the loss does not depend on 'p'/);
});

test('shape errors name the op and both shapes', () => {
  const g = new Graph();
  const a = g.input('a', ['batch', 784]);
  const b = g.input('b', [10, 32]);
  assert.throws(
    () => g.matmul(a, b),
    /MatMul: expected \[m, k\] x \[k, n\], got \['batch', 784\] x \[10, 32\]/,
  );
  assert.throws(
    () => g.add(g.input('c', [3, 4]), g.input('d', [5])),
    /Add: shapes \[3, 4\] and \[5\] do not broadcast/,
  );
});
