/**
 * Every gradient rule of the builder, one entry per op: given the node and the gradient of its
 * output, the gradients of its inputs (undefined where an input takes none). Broadcasting is
 * undone by `unbroadcast`. Ops listed in NON_DIFFERENTIABLE have no rule on purpose; a test
 * fails when an op has neither. Rules follow the textbook derivatives (e.g. Griewank & Walther,
 * Evaluating Derivatives, 2nd ed., 2008) and micrograd's one-rule-per-op table.
 */
import { GraphError } from '../errors.js';
import {
  convGrads,
  convTransposeGrads,
  maxPoolGrads,
  spaceToDepthGrads,
  upsampleGrads,
} from './conv-grads.js';
import type { Graph } from './graph.js';
import { broadcastAxes } from './shape.js';
import { isStatic, sizeOf, type Node, type OpType, type Tensor } from './tensor.js';

/** The gradient of each input of `node` given the gradient `gy` of its output. */
export type GradRule = (g: Graph, node: Node, gy: Tensor) => (Tensor | undefined)[];

/** Sums `gy` over the axes broadcasting added, giving `x`'s shape. */
export function unbroadcast(g: Graph, gy: Tensor, x: Tensor): Tensor {
  const axes = broadcastAxes(x.shape, gy.shape);
  if (axes.length === 0) return gy;
  const s = g.reduceSum(gy, axes, true);
  if (s.rank === x.rank) return s;
  return isStatic(x.shape) ? g.reshape(s, x.shape) : g.reshape(s, g.shapeOf(x), x.shape);
}

const ins = (n: Node, i: number): Tensor => n.inputs[i];
const out = (n: Node): Tensor => n.outputs[0];
const num = (n: Node, key: string): number => n.attrs[key] as number;

function gemmGrads(g: Graph, n: Node, gy: Tensor): (Tensor | undefined)[] {
  const [a, b, c] = n.inputs;
  const tA = num(n, 'transA');
  const tB = num(n, 'transB');
  const alpha = num(n, 'alpha');
  const beta = num(n, 'beta');
  const ga = tA
    ? g.gemm(b, gy, { transA: tB, transB: 1, alpha })
    : g.gemm(gy, b, { transA: 0, transB: 1 - tB, alpha });
  const gb = tB
    ? g.gemm(gy, a, { transA: 1, transB: tA, alpha })
    : g.gemm(a, gy, { transA: 1 - tA, transB: 0, alpha });
  const gc = c ? unbroadcast(g, beta === 1 ? gy : g.mul(gy, g.scalar(beta)), c) : undefined;
  return [ga, gb, gc];
}

function reduceGrad(g: Graph, n: Node, gy: Tensor, mean: boolean): Tensor[] {
  const x = ins(n, 0);
  const axes = n.attrs.axes as number[];
  let gk = gy;
  if (num(n, 'keepdims') === 0) {
    const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    gk = isStatic(kept)
      ? g.reshape(gy, kept)
      : g.reshape(gy, g.shapeOf(g.reduceSum(x, axes, true)), kept);
  }
  let gx = g.expand(gk, x);
  if (mean) {
    const reduced = axes.map((i) => x.shape[i]);
    if (!isStatic(reduced)) {
      throw new GraphError(
        `ReduceMean gradient needs static reduced dimensions, got ${JSON.stringify(reduced)}`,
      );
    }
    gx = g.mul(gx, g.scalar(1 / sizeOf(reduced)));
  }
  return [gx];
}

/** The gradient-rule table. */
export const GRAD_RULES: Partial<Record<OpType, GradRule>> = {
  Add: (g, n, gy) => [unbroadcast(g, gy, ins(n, 0)), unbroadcast(g, gy, ins(n, 1))],
  Sub: (g, n, gy) => [unbroadcast(g, gy, ins(n, 0)), unbroadcast(g, g.neg(gy), ins(n, 1))],
  Mul: (g, n, gy) =>
    // x * x (a square, as in MSE): one 2*gy*x instead of two products and a sum.
    ins(n, 0) === ins(n, 1)
      ? [g.mul(g.mul(gy, ins(n, 0)), g.scalar(2)), undefined]
      : [
          unbroadcast(g, g.mul(gy, ins(n, 1)), ins(n, 0)),
          unbroadcast(g, g.mul(gy, ins(n, 0)), ins(n, 1)),
        ],
  Div: (g, n, gy) => [
    unbroadcast(g, g.div(gy, ins(n, 1)), ins(n, 0)),
    unbroadcast(g, g.neg(g.div(g.mul(gy, out(n)), ins(n, 1))), ins(n, 1)),
  ],
  Neg: (g, _n, gy) => [g.neg(gy)],
  MatMul: (g, n, gy) =>
    ins(n, 0).rank === 3
      ? [
          g.batchMatmul(gy, g.transpose(ins(n, 1), [0, 2, 1])),
          g.batchMatmul(g.transpose(ins(n, 0), [0, 2, 1]), gy),
        ]
      : [g.gemm(gy, ins(n, 1), { transB: 1 }), g.gemm(ins(n, 0), gy, { transA: 1 })],
  Gemm: gemmGrads,
  Relu: (g, n, gy) => [g.where(g.greater(ins(n, 0), g.scalar(0)), gy, g.scalar(0))],
  LeakyRelu: (g, n, gy) => [
    g.where(g.greater(ins(n, 0), g.scalar(0)), gy, g.mul(gy, g.scalar(num(n, 'alpha')))),
  ],
  Sigmoid: (g, n, gy) => [g.mul(gy, g.mul(out(n), g.sub(g.scalar(1), out(n))))],
  Tanh: (g, n, gy) => [g.mul(gy, g.sub(g.scalar(1), g.mul(out(n), out(n))))],
  Exp: (g, n, gy) => [g.mul(gy, out(n))],
  Log: (g, n, gy) => [g.div(gy, ins(n, 0))],
  Sqrt: (g, n, gy) => [g.div(gy, g.mul(g.scalar(2), out(n)))],
  Abs: (g, n, gy) => [g.mul(gy, g.sign(ins(n, 0)))],
  Softplus: (g, n, gy) => [g.mul(gy, g.sigmoid(ins(n, 0)))],
  Clip: (g, n, gy) => {
    const x = ins(n, 0);
    const inside = g.where(
      g.less(x, g.scalar(num(n, 'min'))),
      g.scalar(0),
      g.where(g.greater(x, g.scalar(num(n, 'max'))), g.scalar(0), g.scalar(1)),
    );
    return [g.mul(gy, inside)];
  },
  ReduceSum: (g, n, gy) => reduceGrad(g, n, gy, false),
  ReduceMean: (g, n, gy) => reduceGrad(g, n, gy, true),
  Transpose: (g, n, gy) => {
    const perm = n.attrs.perm as number[];
    const inv = perm.map((_, i) => perm.indexOf(i));
    return [g.transpose(gy, inv)];
  },
  Reshape: (g, n, gy) => {
    const x = ins(n, 0);
    return [
      isStatic(x.shape) ? g.reshape(gy, x.shape) : g.reshape(gy, g.shapeOf(x), x.shape),
      undefined,
    ];
  },
  Identity: (_g, _n, gy) => [gy],
  Expand: (g, n, gy) => [unbroadcast(g, gy, ins(n, 0)), undefined],
  Where: (g, n, gy) => {
    const zero = g.scalar(0);
    return [
      undefined,
      unbroadcast(g, g.where(ins(n, 0), gy, zero), ins(n, 1)),
      unbroadcast(g, g.where(ins(n, 0), zero, gy), ins(n, 2)),
    ];
  },
  Conv: convGrads,
  ConvTranspose: convTransposeGrads,
  MaxPool: maxPoolGrads,
  Resize: upsampleGrads,
  SpaceToDepth: spaceToDepthGrads,
  Pad: (g, n, gy) => [
    g.pad(
      gy,
      (n.attrs.pads as number[]).map((v) => -v),
    ),
  ],
  ScatterElements: (g, n, gy) => [gy, undefined, g.gatherElements(gy, ins(n, 1))],
  GatherElements: (g, n, gy) => {
    const x = ins(n, 0);
    return [g.scatterAdd(g.expand(g.scalar(0), x), ins(n, 1), gy), undefined];
  },
};

/** Ops with no gradient by nature (comparisons, casts to masks, shape queries). */
export const NON_DIFFERENTIABLE: ReadonlySet<OpType> = new Set<OpType>([
  'Greater',
  'Less',
  'Equal',
  'Cast',
  'Sign',
  'Shape',
  'Gather',
  'Loop',
  'IsNaN',
  'Not',
  // Concat and Split pack parameters and gradients into flat vectors around the optimiser
  // (train/step-graph.ts); no loss is differentiated through them.
  'Concat',
  'Split',
]);
