/**
 * Gradient rules of the 2-D window ops, written with forward ops onnxruntime runs on its CPU
 * provider (no training-only kernels such as com.microsoft ConvGrad). With stride s, dilation
 * d and pads (pb, pe) on each spatial axis, following the derivations of Dumoulin & Visin, "A
 * guide to convolution arithmetic for deep learning" (arXiv:1603.07285) and PyTorch's
 * convolution_backward:
 * - Conv, input: ConvTranspose of the output gradient with the same kernel, strides, dilations
 *   and pads; output padding restores the rows a strided window never reached.
 * - Conv, kernel: im2col as a Conv with one-hot kernels (each output channel copies one
 *   kernel tap), then a batched MatMul with the output gradient summed over the batch. At
 *   stride 1 with fewer output than input channels the output gradient is unfolded instead
 *   (flipped one-hot kernels), the smaller tensor: for the tutorial's last layer (16 -> 1
 *   channel, 28x28, batch 32) 0.35 ms against 4.6 ms CPU for a Conv with the output gradient as
 *   a 28x28 kernel (onnxruntime 1.30, one thread). With symbolic channel counts: that Conv,
 *   batch and channel axes swapped, stride d and dilation s.
 * - ConvTranspose, input: a Conv of the output gradient with the same kernel.
 * - ConvTranspose, kernel: with equal strides above 1, the sub-pixel form (conv-subpixel.ts):
 *   the input unfolded, times the output gradient's phase planes; otherwise the output gradient
 *   unfolded with the forward window, times the input, summed over the batch.
 * - MaxPool: the output gradient scattered (ScatterElements, reduction add) to the argmax
 *   indices of the pooling node's second output, so ties and overlapping windows route each
 *   gradient to one input as PyTorch does.
 * - Resize (nearest, integer scales): the sum of each block.
 * - SpaceToDepth: the inverse shuffle (DepthToSpace, DCR order).
 */
import { GraphError } from '../errors.js';
import type { ConvOptions } from './conv-shape.js';
import { convTransposeKernelGrad } from './conv-subpixel.js';
import type { Graph } from './graph.js';
import { formatShape, isStatic, sizeOf, type Dim, type Node, type Tensor } from './tensor.js';

type Grads = (Tensor | undefined)[];

const NCHW_SWAP = [1, 0, 2, 3];

function ints(n: Node, key: string): number[] {
  return n.attrs[key] as number[];
}

function spatial(t: Tensor): number[] {
  return t.shape.slice(2) as number[];
}

/** Checks a rule's result has the shape of what it is the gradient of. */
function sameShape(op: string, gx: Tensor, x: Tensor): Tensor {
  if (gx.shape.length !== x.shape.length || gx.shape.some((d, i) => d !== x.shape[i])) {
    throw new GraphError(
      `${op} gradient: built ${formatShape(gx.shape)} for ${formatShape(x.shape)} (a shape rule is inconsistent)`,
    );
  }
  return gx;
}

/** Crops `t`'s last `crop[i]` rows/columns of spatial axis i (a Pad with negative ends). */
function cropEnd(g: Graph, t: Tensor, crop: number[]): Tensor {
  return crop.some((c) => c > 0) ? g.pad(t, [0, 0, 0, 0, 0, 0, -crop[0], -crop[1]]) : t;
}

/**
 * Whether Conv's input gradient needs ConvTranspose: with stride 1, pads within the dilated
 * kernel and a static kernel it is a plain Conv with the flipped kernel, which onnxruntime's
 * CPU provider runs several times faster than ConvTranspose's GEMM and col2im.
 */
function stridedOrPadded(s: number[], p: number[], k: number[], d: number[], w: Tensor): boolean {
  return (
    s.some((v) => v !== 1) || p.some((v, j) => v > (k[j % 2] - 1) * d[j % 2]) || !isStatic(w.shape)
  );
}

/** w [M, C, kH, kW] -> [C, M, kH, kW] with both spatial axes reversed (a MatMul by the exchange matrix). */
function flippedKernel(g: Graph, w: Tensor): Tensor {
  const [m, c, kh, kw] = w.shape as number[];
  const kk = kh * kw;
  const exchange = new Array<number>(kk * kk).fill(0);
  for (let a = 0; a < kk; a++) exchange[a * kk + (kk - 1 - a)] = 1;
  const flat = g.matmul(g.reshape(w, [m * c, kk]), g.constant(exchange, [kk, kk]));
  return g.transpose(g.reshape(flat, [m, c, kh, kw]), NCHW_SWAP);
}

/** One-hot kernels [kH kW, 1, kH, kW]: output channel t copies tap t (tap kHkW - 1 - t when flipped). */
function oneHot(g: Graph, kh: number, kw: number, flip: boolean): Tensor {
  const kk = kh * kw;
  const e = new Array<number>(kk * kk).fill(0);
  for (let t = 0; t < kk; t++) e[t * kk + (flip ? kk - 1 - t : t)] = 1;
  return g.constant(e, [kk, 1, kh, kw]);
}

/**
 * im2col of t [N, C, H, W] under a window: [N, C kH kW, H' W'], each row the values one kernel
 * tap of one channel sees at every output position (a Conv with one-hot kernels).
 */
function unfold(g: Graph, t: Tensor, k: number[], o: ConvOptions, flip = false): Tensor {
  const [n, c, h, w] = t.shape as [Dim, number, number, number];
  const nc = typeof n === 'number' ? n * c : `${n}*${c}`;
  const u = g.conv(
    g.reshape(t, [-1, 1, h, w], [nc, 1, h, w]),
    oneHot(g, k[0], k[1], flip),
    undefined,
    o,
  );
  const [ho, wo] = spatial(u);
  return g.reshape(u, [-1, c * k[0] * k[1], ho * wo], [n, c * k[0] * k[1], ho * wo]);
}

/** t [N, C, H, W] as [N, C, H W]. */
function rows(g: Graph, t: Tensor): Tensor {
  const [n, c, h, w] = t.shape as [Dim, number, number, number];
  return g.reshape(t, [0, c, h * w], [n, c, h * w]);
}

/** Whether a tensor's channel count is static (the unfold routes need it). */
const staticChannels = (...ts: Tensor[]): boolean =>
  ts.every((t) => typeof t.shape[1] === 'number');

/** Conv: [d x, d w, d b]. */
export function convGrads(g: Graph, n: Node, gy: Tensor): Grads {
  const [x, w, b] = n.inputs;
  const k = ints(n, 'kernel_shape');
  const s = ints(n, 'strides');
  const p = ints(n, 'pads');
  const d = ints(n, 'dilations');
  const h = spatial(x);
  const ho = spatial(gy);
  // Rows at the input's end that no window reached (0 <= leftover < stride).
  const left = [0, 1].map(
    (i) => h[i] + p[i] + p[i + 2] - (k[i] - 1) * d[i] - 1 - (ho[i] - 1) * s[i],
  );
  const gx = stridedOrPadded(s, p, k, d, w)
    ? g.convTranspose(gy, w, undefined, { strides: s, pads: p, dilations: d, outputPadding: left })
    : g.conv(gy, flippedKernel(g, w), undefined, {
        dilations: d,
        pads: [0, 1, 0, 1].map((axis, j) => (k[axis] - 1) * d[axis] - p[j]),
      });
  let gw: Tensor;
  const [m, c] = w.shape as number[];
  if (!staticChannels(x, gy)) {
    const endPad = [0, 1].map((i) => Math.max(p[i + 2] - left[i], 0));
    const crop = [0, 1].map((i) => Math.max(left[i] - p[i + 2], 0));
    const xt = g.transpose(cropEnd(g, x, crop), NCHW_SWAP);
    const gwt = g.conv(xt, g.transpose(gy, NCHW_SWAP), undefined, {
      strides: d,
      dilations: s,
      pads: [p[0], p[1], ...endPad],
    });
    gw = g.transpose(gwt, NCHW_SWAP);
  } else if (!stridedOrPadded(s, p, k, d, w) && m < c) {
    // gy unfolded at the input's resolution: u[n, (m, tap), q] = gy[n, m, q + p - tap d].
    const u = unfold(
      g,
      gy,
      k,
      { dilations: d, pads: [0, 1, 0, 1].map((a, j) => (k[a] - 1) * d[a] - p[j]) },
      true,
    );
    const cm = g.reduceSum(g.batchMatmul(rows(g, x), g.transpose(u, [0, 2, 1])), [0], false);
    gw = g.transpose(g.reshape(cm, [c, m, k[0], k[1]]), NCHW_SWAP);
  } else {
    const u = unfold(g, x, k, { strides: s, dilations: d, pads: p });
    const cm = g.reduceSum(g.batchMatmul(u, g.transpose(rows(g, gy), [0, 2, 1])), [0], false);
    gw = g.reshape(g.transpose(cm, [1, 0]), [m, c, k[0], k[1]]);
  }
  return [
    sameShape('Conv', gx, x),
    sameShape('Conv', gw, w),
    b ? g.reduceSum(gy, [0, 2, 3], false) : undefined,
  ];
}

/** ConvTranspose: [d x, d w, d b]. */
export function convTransposeGrads(g: Graph, n: Node, gy: Tensor): Grads {
  const [x, w, b] = n.inputs;
  const s = ints(n, 'strides');
  const p = ints(n, 'pads');
  const d = ints(n, 'dilations');
  const op = ints(n, 'output_padding');
  const endPad = [0, 1].map((i) => Math.max(p[i + 2] - op[i], 0));
  const pads = [p[0], p[1], ...endPad];
  const gx = g.conv(gy, w, undefined, { strides: s, dilations: d, pads });
  let gw: Tensor;
  if (!staticChannels(x, gy)) {
    // Output-padding rows past the last kernel tap do not depend on the kernel.
    const crop = [0, 1].map((i) => Math.max(op[i] - p[i + 2], 0));
    const gyt = g.transpose(cropEnd(g, gy, crop), NCHW_SWAP);
    const gwt = g.conv(gyt, g.transpose(x, NCHW_SWAP), undefined, {
      strides: d,
      dilations: s,
      pads,
    });
    gw = g.transpose(gwt, NCHW_SWAP);
  } else {
    const k = ints(n, 'kernel_shape');
    const sub = convTransposeKernelGrad(
      g,
      x,
      gy,
      [k[0], k[1]],
      { strides: s, pads: p, dilations: d },
      (t, kk, o) => unfold(g, t, kk, o),
    );
    if (sub) gw = sub;
    else {
      // The windows of the input-gradient Conv over gy, times x: [N, C, M kH kW] summed over N.
      const u = unfold(g, gy, k, { strides: s, dilations: d, pads });
      const cm = g.reduceSum(g.batchMatmul(rows(g, x), g.transpose(u, [0, 2, 1])), [0], false);
      gw = g.reshape(cm, w.shape as number[]);
    }
  }
  return [
    sameShape('ConvTranspose', gx, x),
    sameShape('ConvTranspose', gw, w),
    b ? g.reduceSum(gy, [0, 2, 3], false) : undefined,
  ];
}

/** MaxPool: the output gradient added at the argmax of each window. */
export function maxPoolGrads(g: Graph, n: Node, gy: Tensor): Grads {
  const x = n.inputs[0];
  const flat = (t: Tensor, symbol: string): Tensor =>
    g.reshape(t, [-1], [isStatic(t.shape) ? sizeOf(t.shape) : `${symbol}_${n.outputs[0].id}`]);
  const flatIdx = flat(n.outputs[1], 'maxpool_numel');
  const flatGy = flat(gy, 'maxpool_numel');
  const zeros = g.expand(g.scalar(0), flat(x, 'maxpool_input_numel'));
  const gx = g.scatterAdd(zeros, flatIdx, flatGy);
  return [isStatic(x.shape) ? g.reshape(gx, x.shape) : g.reshape(gx, g.shapeOf(x), x.shape)];
}

/** Resize (nearest, integer scales): each input pixel collects the gradient of its block. */
export function upsampleGrads(g: Graph, n: Node, gy: Tensor): Grads {
  const x = n.inputs[0];
  const [, , sh, sw] = ints(n, 'scales');
  const [nb, c, h, w] = x.shape as [string | number, number, number, number];
  const blocks = g.reshape(gy, [0, c, h, sh, w, sw], [nb, c, h, sh, w, sw]);
  return [g.reduceSum(blocks, [3, 5], false)];
}

/** SpaceToDepth: the blocks moved back (its inverse, DepthToSpace in DCR order, as Reshape and Transpose). */
export function spaceToDepthGrads(g: Graph, n: Node, gy: Tensor): Grads {
  const x = n.inputs[0];
  const b = n.attrs.blocksize as number;
  const [nb, c, h, w] = x.shape as [Dim, number, number, number];
  const blocks = g.reshape(gy, [0, b, b, c, h / b, w / b], [nb, b, b, c, h / b, w / b]);
  return [g.reshape(g.transpose(blocks, [0, 3, 4, 1, 5, 2]), [0, c, h, w], [nb, c, h, w])];
}
