// Every gradient rule against float64 central differences, through the reference interpreter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Graph } from './graph.js';
import { gradients } from './autodiff.js';
import { evaluate, type Value } from './evaluate.js';
import { GRAD_RULES, NON_DIFFERENTIABLE } from './grad-rules.js';
import { OP_TYPES, type Tensor } from './tensor.js';
import { Rng } from '../util/rng.js';
import { assertClose } from '../../test/helpers/close.js';
import { GraphError } from '../errors.js';

interface Case {
  name: string;
  shapes: number[][];
  build: (g: Graph, xs: Tensor[]) => Tensor;
  /** keeps inputs away from kinks and poles (Relu at 0, Log at <= 0) */
  init?: (r: Rng) => number;
  /** inputs to differentiate (default all); a Where condition has no gradient */
  wrt?: number[];
}

const away = (r: Rng): number => (r.random() < 0.5 ? -1 : 1) * r.uniform(0.2, 1.5);
const positive = (r: Rng): number => r.uniform(0.3, 2);

const CASES: Case[] = [
  { name: 'Add broadcast row', shapes: [[3, 4], [4]], build: (g, [a, b]) => g.add(a, b) },
  {
    name: 'Add broadcast col',
    shapes: [
      [3, 4],
      [3, 1],
    ],
    build: (g, [a, b]) => g.add(a, b),
  },
  { name: 'Sub scalar', shapes: [[3, 4], []], build: (g, [a, b]) => g.sub(a, b) },
  {
    name: 'Mul broadcast',
    shapes: [
      [2, 3],
      [1, 3],
    ],
    build: (g, [a, b]) => g.mul(a, b),
  },
  { name: 'Mul square (same input twice)', shapes: [[2, 3]], build: (g, [a]) => g.mul(a, a) },
  {
    name: 'Div',
    shapes: [
      [2, 3],
      [2, 3],
    ],
    build: (g, [a, b]) => g.div(a, b),
    init: positive,
  },
  { name: 'Neg', shapes: [[5]], build: (g, [a]) => g.neg(a) },
  {
    name: 'MatMul',
    shapes: [
      [3, 4],
      [4, 2],
    ],
    build: (g, [a, b]) => g.matmul(a, b),
  },
  {
    name: 'Gemm plain + C',
    shapes: [[3, 4], [4, 2], [2]],
    build: (g, [a, b, c]) => g.gemm(a, b, { c, alpha: 0.7, beta: 1.3 }),
  },
  {
    name: 'Gemm transA',
    shapes: [
      [4, 3],
      [4, 2],
    ],
    build: (g, [a, b]) => g.gemm(a, b, { transA: 1 }),
  },
  {
    name: 'Gemm transB',
    shapes: [
      [3, 4],
      [2, 4],
    ],
    build: (g, [a, b]) => g.gemm(a, b, { transB: 1 }),
  },
  {
    name: 'Gemm transA transB',
    shapes: [
      [4, 3],
      [2, 4],
    ],
    build: (g, [a, b]) => g.gemm(a, b, { transA: 1, transB: 1, alpha: 2 }),
  },
  { name: 'Relu', shapes: [[4, 3]], build: (g, [a]) => g.relu(a), init: away },
  { name: 'LeakyRelu', shapes: [[4, 3]], build: (g, [a]) => g.leakyRelu(a, 0.2), init: away },
  { name: 'Sigmoid', shapes: [[4, 3]], build: (g, [a]) => g.sigmoid(a) },
  { name: 'Tanh', shapes: [[4, 3]], build: (g, [a]) => g.tanh(a) },
  { name: 'Exp', shapes: [[4]], build: (g, [a]) => g.exp(a) },
  { name: 'Log', shapes: [[4]], build: (g, [a]) => g.log(a), init: positive },
  { name: 'Sqrt', shapes: [[4]], build: (g, [a]) => g.sqrt(a), init: positive },
  { name: 'Abs', shapes: [[6]], build: (g, [a]) => g.abs(a), init: away },
  { name: 'Softplus', shapes: [[6]], build: (g, [a]) => g.softplus(a) },
  {
    name: 'Clip',
    shapes: [[8]],
    build: (g, [a]) => g.clip(a, -0.5, 0.6),
    init: (r) => [-1.2, -0.3, 0.1, 0.4, 0.9, 1.4][r.int(6)],
  },
  {
    name: 'ReduceSum axis 0 keepdims',
    shapes: [[3, 4]],
    build: (g, [a]) => g.reduceSum(a, [0], true),
  },
  {
    name: 'ReduceSum axis 1 no keepdims',
    shapes: [[3, 4]],
    build: (g, [a]) => g.reduceSum(a, [1], false),
  },
  { name: 'ReduceMean all', shapes: [[3, 4]], build: (g, [a]) => g.reduceMean(a, [], false) },
  {
    name: 'ReduceMean axis -1',
    shapes: [[2, 3, 4]],
    build: (g, [a]) => g.reduceMean(a, [-1], true),
  },
  { name: 'Transpose', shapes: [[2, 3, 4]], build: (g, [a]) => g.transpose(a, [2, 0, 1]) },
  { name: 'Reshape', shapes: [[2, 6]], build: (g, [a]) => g.reshape(a, [3, -1], [3, 4]) },
  { name: 'Identity', shapes: [[3]], build: (g, [a]) => g.identity(a) },
  {
    name: 'Expand',
    shapes: [
      [1, 4],
      [3, 4],
    ],
    build: (g, [a, b]) => g.mul(g.expand(a, b), b),
  },
  {
    name: 'Where',
    shapes: [[3, 4], [3, 4], [4]],
    build: (g, [c, a, b]) => g.where(g.greater(c, g.scalar(0)), a, b),
    wrt: [1, 2],
  },
  {
    name: 'shared input (sum of paths)',
    shapes: [[3, 3]],
    build: (g, [a]) => g.mul(g.matmul(a, a), g.tanh(a)),
  },
];

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
