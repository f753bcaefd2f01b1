// Small graphs exercising every differentiable op (with broadcasting and attribute variants),
// shared by the gradient checks and the ONNX round-trip test.
import type { Graph } from '../../src/graph/graph.js';
import type { Tensor } from '../../src/graph/tensor.js';
import type { Rng } from '../../src/util/rng.js';

export interface Case {
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

export const CASES: Case[] = [
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
