// Small graphs exercising every differentiable op (with broadcasting and attribute variants),
// shared by the gradient checks and the ONNX round-trip test.
import { Graph } from '../../src/graph/graph.js';
import type { Dim, Tensor } from '../../src/graph/tensor.js';
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
    name: 'MatMul batched [2, 3, 4] x [2, 4, 2]',
    shapes: [
      [2, 3, 4],
      [2, 4, 2],
    ],
    build: (g, [a, b]) => g.batchMatmul(a, b),
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
  {
    name: 'Conv 3x3 stride 1, asymmetric explicit pads, bias',
    shapes: [[2, 3, 5, 5], [4, 3, 3, 3], [4]],
    build: (g, [x, w, b]) => g.conv(x, w, b, { pads: [1, 0, 1, 2] }),
  },
  {
    name: 'Conv 3x3 stride 2 SAME_UPPER (Keras same; odd pad at the end)',
    shapes: [
      [2, 2, 6, 6],
      [3, 2, 3, 3],
    ],
    build: (g, [x, w]) => g.conv(x, w, undefined, { strides: [2, 2], autoPad: 'SAME_UPPER' }),
  },
  {
    name: 'Conv 3x3 stride 2 VALID (last input row unreached)',
    shapes: [[1, 2, 6, 7], [2, 2, 3, 3], [2]],
    build: (g, [x, w, b]) => g.conv(x, w, b, { strides: [2, 2], autoPad: 'VALID' }),
  },
  {
    name: 'Conv 2x3 kernel, strides [2, 1], dilations [2, 1], pads [0, 1, 1, 0]',
    shapes: [
      [1, 2, 7, 6],
      [2, 2, 2, 3],
    ],
    build: (g, [x, w]) =>
      g.conv(x, w, undefined, { strides: [2, 1], dilations: [2, 1], pads: [0, 1, 1, 0] }),
  },
  {
    name: 'Conv 3x3 stride 1 dilations [2, 2] pads [2, 1, 0, 2] (flipped-kernel input gradient)',
    shapes: [
      [1, 2, 6, 5],
      [3, 2, 3, 3],
    ],
    build: (g, [x, w]) => g.conv(x, w, undefined, { dilations: [2, 2], pads: [2, 1, 0, 2] }),
  },
  {
    name: 'Conv 3x3 stride 1 dilations [1, 2] pads [0, 2, 2, 1], 3 -> 2 channels (output gradient unfolded)',
    shapes: [[2, 3, 5, 6], [2, 3, 3, 3], [2]],
    build: (g, [x, w, b]) => g.conv(x, w, b, { dilations: [1, 2], pads: [0, 2, 2, 1] }),
  },
  {
    name: 'Conv 2x2 stride 1 pads [2, 0, 0, 1] (pad wider than the kernel: ConvTranspose route)',
    shapes: [
      [1, 2, 4, 4],
      [2, 2, 2, 2],
    ],
    build: (g, [x, w]) => g.conv(x, w, undefined, { pads: [2, 0, 0, 1] }),
  },
  {
    name: 'ConvTranspose 3x3 stride 2 SAME_UPPER (Keras Conv2DTranspose same), bias',
    shapes: [[2, 3, 4, 4], [3, 2, 3, 3], [2]],
    build: (g, [x, w, b]) => g.convTranspose(x, w, b, { strides: [2, 2], autoPad: 'SAME_UPPER' }),
  },
  {
    name: 'ConvTranspose 3x3 stride 2 pads 1 outputPadding 1 (PyTorch form)',
    shapes: [
      [1, 2, 3, 4],
      [2, 3, 3, 3],
    ],
    build: (g, [x, w]) =>
      g.convTranspose(x, w, undefined, {
        strides: [2, 2],
        pads: [1, 1, 1, 1],
        outputPadding: [1, 1],
      }),
  },
  {
    name: 'ConvTranspose stride [2, 3], no pads, outputPadding [1, 2] (past the last tap)',
    shapes: [
      [1, 2, 3, 3],
      [2, 2, 2, 2],
    ],
    build: (g, [x, w]) =>
      g.convTranspose(x, w, undefined, { strides: [2, 3], outputPadding: [1, 2] }),
  },
  {
    name: 'ConvTranspose strides [2, 1], dilations [1, 2], pads [1, 0, 0, 1], outputPadding [1, 0]',
    shapes: [
      [1, 2, 3, 4],
      [2, 2, 3, 2],
    ],
    build: (g, [x, w]) =>
      g.convTranspose(x, w, undefined, {
        strides: [2, 1],
        dilations: [1, 2],
        pads: [1, 0, 0, 1],
        outputPadding: [1, 0],
      }),
  },
  {
    name: 'MaxPool 2x2 stride 2 (odd input: last row dropped)',
    shapes: [[2, 3, 5, 6]],
    build: (g, [x]) => g.maxPool(x, { kernelShape: [2, 2], strides: [2, 2] }),
  },
  {
    name: 'MaxPool 3x3 stride 2 SAME_UPPER (overlapping windows share maxima)',
    shapes: [[1, 2, 5, 5]],
    build: (g, [x]) =>
      g.maxPool(x, { kernelShape: [3, 3], strides: [2, 2], autoPad: 'SAME_UPPER' }),
  },
  {
    name: 'Resize nearest x2',
    shapes: [[2, 3, 3, 3]],
    build: (g, [x]) => g.upsample(x, 2),
  },
  {
    name: 'Resize nearest [2, 3]',
    shapes: [[1, 2, 2, 3]],
    build: (g, [x]) => g.upsample(x, [2, 3]),
  },
  {
    name: 'SpaceToDepth blocks of 2',
    shapes: [[2, 3, 4, 6]],
    build: (g, [x]) => g.spaceToDepth(x, 2),
  },
  {
    name: 'Pad with a crop (negative pad) and zeros',
    shapes: [[2, 3, 4]],
    build: (g, [x]) => g.pad(x, [1, 0, -1, 0, 2, 1]),
  },
  {
    name: 'ScatterElements add (repeated index)',
    shapes: [[5], [4]],
    build: (g, [d, u]) => g.scatterAdd(d, g.constant([0, 2, 2, 4], [4], 'int64'), u),
  },
  {
    name: 'GatherElements (repeated index)',
    shapes: [[5]],
    build: (g, [x]) => g.gatherElements(x, g.constant([1, 1, 3, 0], [4], 'int64')),
  },
  {
    name: 'Conv -> Flatten -> MatMul (conv to dense)',
    shapes: [
      [2, 1, 4, 4],
      [2, 1, 3, 3],
      [8, 3],
    ],
    build: (g, [x, w, d]) =>
      g.matmul(g.flatten(g.conv(x, w, undefined, { strides: [2, 2], autoPad: 'SAME_UPPER' })), d),
  },
  {
    name: 'MatMul -> Reshape -> ConvTranspose (dense to conv)',
    shapes: [
      [2, 3],
      [3, 8],
      [2, 1, 3, 3],
    ],
    build: (g, [x, d, w]) =>
      g.convTranspose(g.reshape(g.matmul(x, d), [-1, 2, 2, 2], [2, 2, 2, 2]), w, undefined, {
        strides: [2, 2],
        autoPad: 'SAME_UPPER',
      }),
  },
  {
    name: 'Dropout with a fed mask (0 or 1 / (1 - rate))',
    shapes: [[3, 4]],
    build: (g, [x]) => g.dropout(x, g.constant([2, 0, 2, 2, 0, 0, 2, 2, 2, 0, 2, 0], [3, 4])),
  },
  {
    name: 'tutorial-style conv autoencoder (Conv s2 same, ConvTranspose s2 same, Conv 1)',
    shapes: [[2, 1, 8, 8], [3, 1, 3, 3], [3], [3, 2, 3, 3], [2], [1, 2, 3, 3], [1]],
    build: (g, [x, w1, b1, w2, b2, w3, b3]) => {
      const same = { strides: [2, 2], autoPad: 'SAME_UPPER' } as const;
      const h = g.tanh(g.conv(x, w1, b1, same));
      const u = g.tanh(g.convTranspose(h, w2, b2, same));
      return g.sigmoid(g.conv(u, w3, b3, { autoPad: 'SAME_UPPER' }));
    },
  },
  {
    name: 'MaxPool -> Resize (Keras-blog style pooling and upsampling)',
    shapes: [
      [1, 2, 4, 4],
      [2, 2, 3, 3],
    ],
    build: (g, [x, w]) =>
      g.upsample(
        g.maxPool(g.conv(x, w, undefined, { pads: [1, 1, 1, 1] }), {
          kernelShape: [2, 2],
          strides: [2, 2],
        }),
        2,
      ),
  },
];

/** Parameter shapes of `windowModel`. */
export const WINDOW_MODEL_SHAPES: Record<string, number[]> = {
  w1: [3, 1, 3, 3],
  w2: [3, 2, 3, 3],
  w3: [1, 2, 3, 3],
};

/**
 * Conv s2 same -> MaxPool -> Upsample -> ConvTranspose s2 same -> Conv on [batch, 1, 8, 8]
 * with a squared-error loss: every window op once, for symbolic-batch checks.
 */
export function windowModel(batch: Dim): { g: Graph; y: Tensor; loss: Tensor; params: Tensor[] } {
  const g = new Graph();
  const x = g.input('x', [batch, 1, 8, 8]);
  const params = Object.entries(WINDOW_MODEL_SHAPES).map(([k, s]) => g.input(k, s));
  const [w1, w2, w3] = params;
  const same = { strides: [2, 2], autoPad: 'SAME_UPPER' } as const;
  const h = g.tanh(g.conv(x, w1, undefined, same));
  const p = g.upsample(g.maxPool(h, { kernelShape: [2, 2], strides: [2, 2] }), 2);
  const u = g.tanh(g.convTranspose(p, w2, undefined, same));
  const y = g.sigmoid(g.conv(u, w3, undefined, { autoPad: 'SAME_UPPER' }));
  const loss = g.reduceSum(g.mul(g.sub(y, x), g.sub(y, x)), [], false);
  return { g, y, loss, params };
}
