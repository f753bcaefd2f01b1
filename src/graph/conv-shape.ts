/**
 * Shape rules of the 2-D window ops (Conv, ConvTranspose, MaxPool) in NCHW layout, after the
 * ONNX operator spec at opset 18 (onnx/docs/Operators.md, ONNX v1.13). `autoPad` is resolved
 * to explicit pads when the node is built, so every emitted node carries explicit `pads`:
 * SAME_UPPER puts the odd pad at the end (TensorFlow/Keras 'same'), VALID pads nothing.
 * Batch and channel dimensions may be symbolic; spatial dimensions and kernels must be static.
 */
import { GraphError, ShapeError } from '../errors.js';
import { sameDim } from './shape.js';
import { formatShape, type Dim, type Shape } from './tensor.js';

/** How pads are chosen: explicit `pads`, TensorFlow 'same' (odd pad at the end), or none. */
export type AutoPad = 'NOTSET' | 'SAME_UPPER' | 'VALID';

/** Options of Conv (ONNX attribute names in camelCase). */
export interface ConvOptions {
  /** Step per spatial axis (default [1, 1]). */
  strides?: readonly number[];
  /** [top, left, bottom, right] (default zeros); not with autoPad SAME_UPPER or VALID. */
  pads?: readonly number[];
  /** Pads computed from the input size (default NOTSET: use `pads`). */
  autoPad?: AutoPad;
  /** Kernel dilation per spatial axis (default [1, 1]). */
  dilations?: readonly number[];
}

/** Options of ConvTranspose: Conv's, plus the extra rows/columns added at the output's end. */
export interface ConvTransposeOptions extends ConvOptions {
  /** Added to the end of each spatial output axis, each below its stride (default [0, 0]). */
  outputPadding?: readonly number[];
}

/** Options of MaxPool. */
export interface PoolOptions {
  /** Window size [kH, kW]. */
  kernelShape: readonly number[];
  /** Step per spatial axis (default [1, 1] as in ONNX; Keras defaults to the pool size). */
  strides?: readonly number[];
  /** [top, left, bottom, right] (default zeros), each below the kernel. */
  pads?: readonly number[];
  /** Pads computed from the input size (default NOTSET). */
  autoPad?: AutoPad;
}

/** The resolved window of a node, as ONNX attributes. */
export interface WindowAttrs {
  kernel_shape: number[];
  strides: number[];
  pads: number[];
  dilations: number[];
}

/** The result of a shape rule: the output shape and the node's attributes. */
export interface WindowShape {
  shape: Dim[];
  attrs: WindowAttrs & { output_padding?: number[] };
}

/** Output length of a convolution or pooling window along one axis (ceil_mode 0). */
export function convOutSize(
  n: number,
  k: number,
  s: number,
  pb: number,
  pe: number,
  d = 1,
): number {
  return Math.floor((n + pb + pe - ((k - 1) * d + 1)) / s) + 1;
}

/** Output length of a transposed convolution along one axis. */
export function convTransposeOutSize(
  n: number,
  k: number,
  s: number,
  pb: number,
  pe: number,
  d: number,
  outputPadding: number,
): number {
  return (n - 1) * s + (k - 1) * d + 1 - pb - pe + outputPadding;
}

/** TensorFlow 'same' pads [begin, end] for a window: output ceil(n / s), odd pad at the end. */
export function samePads(n: number, k: number, s: number, d = 1): [number, number] {
  const total = Math.max((Math.ceil(n / s) - 1) * s + (k - 1) * d + 1 - n, 0);
  const begin = Math.floor(total / 2);
  return [begin, total - begin];
}

function pair(op: string, name: string, v: readonly number[] | undefined, dflt: number): number[] {
  const r = v ?? [dflt, dflt];
  if (r.length !== 2 || !r.every((x) => Number.isInteger(x))) {
    throw new GraphError(`${op}: ${name} must be 2 integers, got [${r.join(', ')}]`);
  }
  return [...r];
}

function positive(op: string, name: string, v: number[]): void {
  if (!v.every((x) => x >= 1))
    throw new GraphError(`${op}: ${name} must be >= 1, got [${v.join(', ')}]`);
}

/** Checks an NCHW input and returns its static spatial size. @throws ShapeError */
function spatial(op: string, x: Shape): [number, number] {
  const [h, w] = x.slice(2);
  if (x.length !== 4 || typeof h !== 'number' || typeof w !== 'number') {
    throw new ShapeError(
      `${op}: expected an NCHW input [N, C, H, W] with static H and W, got ${formatShape(x)}`,
    );
  }
  return [h, w];
}

function resolvePads(
  op: string,
  hw: number[],
  k: number[],
  s: number[],
  d: number[],
  o: ConvOptions,
): number[] {
  const mode = o.autoPad ?? 'NOTSET';
  if (mode !== 'NOTSET' && o.pads) {
    throw new GraphError(`${op}: give either pads or autoPad ${mode}, not both`);
  }
  if (mode === 'VALID') return [0, 0, 0, 0];
  if (mode === 'SAME_UPPER') {
    const [t, b] = samePads(hw[0], k[0], s[0], d[0]);
    const [l, r] = samePads(hw[1], k[1], s[1], d[1]);
    return [t, l, b, r];
  }
  if (mode !== 'NOTSET')
    throw new GraphError(
      `${op}: autoPad must be NOTSET, SAME_UPPER or VALID, got '${String(mode)}'`,
    );
  const p = o.pads ? [...o.pads] : [0, 0, 0, 0];
  if (p.length !== 4 || !p.every((v) => Number.isInteger(v) && v >= 0)) {
    throw new GraphError(
      `${op}: pads must be 4 integers >= 0 [top, left, bottom, right], got [${p.join(', ')}]`,
    );
  }
  return p;
}

function checkOut(op: string, x: Shape, out: number[]): void {
  if (!out.every((v) => v >= 1)) {
    throw new ShapeError(
      `${op}: input ${formatShape(x)} is too small for the window (output ${out.join('x')})`,
    );
  }
}

/** Conv: x [N, C, H, W], w [M, C, kH, kW], b [M]. @throws ShapeError, GraphError */
export function convShape(x: Shape, w: Shape, b: Shape | undefined, o: ConvOptions): WindowShape {
  const hw = spatial('Conv', x);
  const [kh, kw] = w.slice(2);
  if (w.length !== 4 || typeof kh !== 'number' || typeof kw !== 'number' || !sameDim(w[1], x[1])) {
    throw new ShapeError(
      `Conv: weight must be [M, C, kH, kW] with C = ${String(x[1])} (the input's channels) and static kH, kW, got ${formatShape(w)}`,
    );
  }
  if (b && (b.length !== 1 || !sameDim(b[0], w[0]))) {
    throw new ShapeError(`Conv: bias must be [${String(w[0])}], got ${formatShape(b)}`);
  }
  const k = [kh, kw];
  const s = pair('Conv', 'strides', o.strides, 1);
  const d = pair('Conv', 'dilations', o.dilations, 1);
  positive('Conv', 'strides', s);
  positive('Conv', 'dilations', d);
  const p = resolvePads('Conv', hw, k, s, d, o);
  const out = [0, 1].map((i) => convOutSize(hw[i], k[i], s[i], p[i], p[i + 2], d[i]));
  checkOut('Conv', x, out);
  return {
    shape: [x[0], w[0], ...out],
    attrs: { kernel_shape: k, strides: s, pads: p, dilations: d },
  };
}

/**
 * ConvTranspose: x [N, C, H, W], w [C, M, kH, kW], b [M]. With autoPad SAME_UPPER the output
 * is the input times the stride (Keras Conv2DTranspose 'same'), the odd pad at the end.
 * @throws ShapeError, GraphError
 */
export function convTransposeShape(
  x: Shape,
  w: Shape,
  b: Shape | undefined,
  o: ConvTransposeOptions,
): WindowShape {
  const hw = spatial('ConvTranspose', x);
  const [kh, kw] = w.slice(2);
  if (w.length !== 4 || typeof kh !== 'number' || typeof kw !== 'number' || !sameDim(w[0], x[1])) {
    throw new ShapeError(
      `ConvTranspose: weight must be [C, M, kH, kW] with C = ${String(x[1])} (the input's channels) and static kH, kW, got ${formatShape(w)}`,
    );
  }
  if (b && (b.length !== 1 || !sameDim(b[0], w[1]))) {
    throw new ShapeError(`ConvTranspose: bias must be [${String(w[1])}], got ${formatShape(b)}`);
  }
  const k = [kh, kw];
  const s = pair('ConvTranspose', 'strides', o.strides, 1);
  const d = pair('ConvTranspose', 'dilations', o.dilations, 1);
  positive('ConvTranspose', 'strides', s);
  positive('ConvTranspose', 'dilations', d);
  let op = pair('ConvTranspose', 'outputPadding', o.outputPadding, 0);
  let p: number[];
  if ((o.autoPad ?? 'NOTSET') === 'SAME_UPPER') {
    if (o.outputPadding || o.pads) {
      throw new GraphError(
        'ConvTranspose: autoPad SAME_UPPER sets pads and outputPadding itself; give neither',
      );
    }
    // Output n * s: total = (n - 1) s + (k - 1) d + 1 - n s; a negative total is output padding.
    const total = [0, 1].map((i) => (hw[i] - 1) * s[i] + (k[i] - 1) * d[i] + 1 - hw[i] * s[i]);
    const begin = total.map((t) => Math.max(Math.floor(t / 2), 0));
    p = [begin[0], begin[1], Math.max(total[0] - begin[0], 0), Math.max(total[1] - begin[1], 0)];
    op = total.map((t) => Math.max(-t, 0));
  } else {
    p = resolvePads('ConvTranspose', hw, k, s, d, o);
  }
  if (!op.every((v, i) => v >= 0 && v < s[i])) {
    throw new GraphError(
      `ConvTranspose: outputPadding must be >= 0 and below the stride [${s.join(', ')}], got [${op.join(', ')}]`,
    );
  }
  const out = [0, 1].map((i) =>
    convTransposeOutSize(hw[i], k[i], s[i], p[i], p[i + 2], d[i], op[i]),
  );
  checkOut('ConvTranspose', x, out);
  return {
    shape: [x[0], w[1], ...out],
    attrs: { kernel_shape: k, strides: s, pads: p, dilations: d, output_padding: op },
  };
}

/** MaxPool: x [N, C, H, W] -> [N, C, H', W']. @throws ShapeError, GraphError */
export function poolShape(x: Shape, o: PoolOptions): WindowShape {
  const hw = spatial('MaxPool', x);
  const k = pair('MaxPool', 'kernelShape', o.kernelShape, 1);
  const s = pair('MaxPool', 'strides', o.strides, 1);
  positive('MaxPool', 'kernelShape', k);
  positive('MaxPool', 'strides', s);
  const d = [1, 1];
  const p = resolvePads('MaxPool', hw, k, s, d, o);
  if (!p.every((v, i) => v < k[i % 2])) {
    throw new GraphError(
      `MaxPool: pads [${p.join(', ')}] must each be below the kernel [${k.join(', ')}]`,
    );
  }
  const out = [0, 1].map((i) => convOutSize(hw[i], k[i], s[i], p[i], p[i + 2]));
  checkOut('MaxPool', x, out);
  return {
    shape: [x[0], x[1], ...out],
    attrs: { kernel_shape: k, strides: s, pads: p, dilations: d },
  };
}
