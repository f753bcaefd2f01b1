/**
 * A float64 reference interpreter for graphs: slow and simple, it runs every op of the builder
 * in plain TypeScript so gradient rules can be checked against central differences without
 * onnxruntime, and emitted ONNX can be checked against it. Not for production use.
 */
import { GraphError, ShapeError } from '../errors.js';
import { broadcastShapes } from './shape.js';
import type { Graph } from './graph.js';
import type { Node, Tensor } from './tensor.js';
import {
  conv2d,
  convTranspose2d,
  spaceToDepth,
  maxPool2d,
  upsampleNearest,
  type Value,
  type Window,
} from './evaluate-window.js';

export type { Value } from './evaluate-window.js';

const size = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

function strides(shape: readonly number[]): number[] {
  const st = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) st[i] = st[i + 1] * shape[i + 1];
  return st;
}

/** Index into `v` for each element of `outShape` under broadcasting. */
function broadcastIndex(v: Value, outShape: number[]): Int32Array {
  const n = size(outShape);
  const idx = new Int32Array(n);
  const lead = outShape.length - v.shape.length;
  const vs = strides(v.shape);
  const os = strides(outShape);
  for (let i = 0; i < n; i++) {
    let rem = i;
    let j = 0;
    for (let d = 0; d < outShape.length; d++) {
      const c = Math.floor(rem / os[d]);
      rem -= c * os[d];
      if (d >= lead && v.shape[d - lead] !== 1) j += c * vs[d - lead];
    }
    idx[i] = j;
  }
  return idx;
}

function elementwise(vals: Value[], f: (...x: number[]) => number): Value {
  let shape: number[] = vals[0].shape;
  for (const v of vals.slice(1)) shape = broadcastShapes(shape, v.shape, 'evaluate') as number[];
  const idx = vals.map((v) => broadcastIndex(v, shape));
  const out = new Float64Array(size(shape));
  const args = new Array<number>(vals.length);
  for (let i = 0; i < out.length; i++) {
    for (let k = 0; k < vals.length; k++) args[k] = vals[k].data[idx[k][i]];
    out[i] = f(...args);
  }
  return { shape, data: out };
}

function gemm(a: Value, b: Value, tA: number, tB: number, alpha: number): Value {
  const [m, k] = tA ? [a.shape[1], a.shape[0]] : a.shape;
  const n = tB ? b.shape[0] : b.shape[1];
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) {
        const av = tA ? a.data[p * a.shape[1] + i] : a.data[i * a.shape[1] + p];
        const bv = tB ? b.data[j * b.shape[1] + p] : b.data[p * b.shape[1] + j];
        s += av * bv;
      }
      out[i * n + j] = alpha * s;
    }
  }
  return { shape: [m, n], data: out };
}

/** [b, m, k] x [b, k, n] as b plain products. */
function batchGemm(a: Value, b: Value): Value {
  const [nb, m, k] = a.shape;
  const n = b.shape[2];
  const out = new Float64Array(nb * m * n);
  for (let i = 0; i < nb; i++) {
    const ai = { shape: [m, k], data: a.data.subarray(i * m * k, (i + 1) * m * k) };
    const bi = { shape: [k, n], data: b.data.subarray(i * k * n, (i + 1) * k * n) };
    out.set(gemm(ai, bi, 0, 0, 1).data, i * m * n);
  }
  return { shape: [nb, m, n], data: out };
}

function reduce(x: Value, axes: number[], keepdims: boolean, mean: boolean): Value {
  const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const out = new Float64Array(size(kept));
  const xs = strides(x.shape);
  const ks = strides(kept);
  for (let i = 0; i < x.data.length; i++) {
    let rem = i;
    let j = 0;
    for (let d = 0; d < x.shape.length; d++) {
      const c = Math.floor(rem / xs[d]);
      rem -= c * xs[d];
      if (!axes.includes(d)) j += c * ks[d];
    }
    out[j] += x.data[i];
  }
  if (mean) {
    const count = x.data.length / out.length;
    for (let i = 0; i < out.length; i++) out[i] /= count;
  }
  return { shape: keepdims ? kept : x.shape.filter((_, i) => !axes.includes(i)), data: out };
}

function transpose(x: Value, perm: number[]): Value {
  const shape = perm.map((p) => x.shape[p]);
  const xs = strides(x.shape);
  const os = strides(shape);
  const out = new Float64Array(x.data.length);
  for (let i = 0; i < out.length; i++) {
    let rem = i;
    let j = 0;
    for (let d = 0; d < shape.length; d++) {
      const c = Math.floor(rem / os[d]);
      rem -= c * os[d];
      j += c * xs[perm[d]];
    }
    out[i] = x.data[j];
  }
  return { shape, data: out };
}

function reshapeTo(x: Value, spec: number[]): number[] {
  const known = spec.reduce((a, d, i) => (d === -1 ? a : a * (d === 0 ? x.shape[i] : d)), 1);
  return spec.map((d, i) => (d === -1 ? x.data.length / known : d === 0 ? x.shape[i] : d));
}

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));
const softplus = (v: number): number => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));

/** Zero padding of every axis by pads [begins..., ends...]; negative pads crop. */
function pad(x: Value, pads: number[]): Value {
  const r = x.shape.length;
  const shape = x.shape.map((d, i) => d + pads[i] + pads[i + r]);
  const xs = strides(x.shape);
  const os = strides(shape);
  const out = new Float64Array(size(shape));
  for (let i = 0; i < out.length; i++) {
    let rem = i;
    let j = 0;
    let inside = true;
    for (let d = 0; d < r; d++) {
      const c = Math.floor(rem / os[d]) - pads[d];
      rem %= os[d];
      if (c < 0 || c >= x.shape[d]) inside = false;
      j += c * xs[d];
    }
    if (inside) out[i] = x.data[j];
  }
  return { shape, data: out };
}

function run(node: Node, v: Value[]): Value | Value[] {
  const a = node.attrs;
  const spatialOut = (): number[] => node.outputs[0].shape.slice(2) as number[];
  const f1 = (f: (x: number) => number): Value => elementwise([v[0]], f);
  switch (node.op) {
    case 'Add':
      return elementwise(v, (x, y) => x + y);
    case 'Sub':
      return elementwise(v, (x, y) => x - y);
    case 'Mul':
      return elementwise(v, (x, y) => x * y);
    case 'Div':
      return elementwise(v, (x, y) => x / y);
    case 'Neg':
      return f1((x) => -x);
    case 'Relu':
      return f1((x) => Math.max(x, 0));
    case 'LeakyRelu':
      return f1((x) => (x > 0 ? x : (a.alpha as number) * x));
    case 'Sigmoid':
      return f1(sigmoid);
    case 'Tanh':
      return f1(Math.tanh);
    case 'Exp':
      return f1(Math.exp);
    case 'Log':
      return f1(Math.log);
    case 'Sqrt':
      return f1(Math.sqrt);
    case 'Abs':
      return f1(Math.abs);
    case 'Softplus':
      return f1(softplus);
    case 'Sign':
      return f1(Math.sign);
    case 'Identity':
      return v[0];
    case 'Clip':
      return f1((x) => Math.min(Math.max(x, a.min as number), a.max as number));
    case 'MatMul':
      return v[0].shape.length === 3 ? batchGemm(v[0], v[1]) : gemm(v[0], v[1], 0, 0, 1);
    case 'Gemm': {
      const p = gemm(v[0], v[1], a.transA as number, a.transB as number, a.alpha as number);
      return v[2] ? elementwise([p, v[2]], (x, c) => x + (a.beta as number) * c) : p;
    }
    case 'ReduceSum':
      return reduce(v[0], a.axes as number[], a.keepdims === 1, false);
    case 'ReduceMean':
      return reduce(v[0], a.axes as number[], a.keepdims === 1, true);
    case 'Transpose':
      return transpose(v[0], a.perm as number[]);
    case 'Reshape':
      return { shape: reshapeTo(v[0], Array.from(v[1].data)), data: v[0].data };
    case 'Expand': {
      const shape = broadcastShapes(v[0].shape, Array.from(v[1].data), 'Expand') as number[];
      const idx = broadcastIndex(v[0], shape);
      return { shape, data: Float64Array.from(idx, (i) => v[0].data[i]) };
    }
    case 'Shape':
      return { shape: [v[0].shape.length], data: Float64Array.from(v[0].shape) };
    case 'Loop':
      throw new GraphError('evaluate: Loop is not supported by the reference interpreter');
    case 'Gather':
      return { shape: [v[1].data.length], data: Float64Array.from(v[1].data, (i) => v[0].data[i]) };
    case 'Greater':
      return elementwise(v, (x, y) => Number(x > y));
    case 'Less':
      return elementwise(v, (x, y) => Number(x < y));
    case 'Equal':
      return elementwise(v, (x, y) => Number(x === y));
    case 'IsNaN':
      return f1((x) => Number(Number.isNaN(x)));
    case 'Not':
      return f1((x) => Number(!x));
    case 'Cast':
      return a.to === 'bool'
        ? f1((x) => Number(x !== 0))
        : a.to === 'int64'
          ? f1(Math.trunc)
          : v[0];
    case 'Where':
      return elementwise(v, (c, x, y) => (c ? x : y));
    case 'Conv':
      return conv2d(v[0], v[1], v[2], a as unknown as Window, spatialOut());
    case 'ConvTranspose':
      return convTranspose2d(v[0], v[1], v[2], a as unknown as Window, spatialOut());
    case 'MaxPool':
      return maxPool2d(v[0], a.kernel_shape as number[], a as unknown as Window, spatialOut());
    case 'Resize':
      return upsampleNearest(v[0], a.scales as number[]);
    case 'Pad':
      return pad(v[0], a.pads as number[]);
    case 'ScatterElements': {
      const out = Float64Array.from(v[0].data);
      v[1].data.forEach((at, i) => (out[at] += v[2].data[i]));
      return { shape: v[0].shape, data: out };
    }
    case 'GatherElements':
      return { shape: v[1].shape, data: Float64Array.from(v[1].data, (i) => v[0].data[i]) };
    case 'Concat': {
      const data = new Float64Array(v.reduce((a, p) => a + p.data.length, 0));
      let at = 0;
      for (const p of v) {
        data.set(p.data, at);
        at += p.data.length;
      }
      return { shape: [data.length], data };
    }
    case 'Split': {
      let at = 0;
      return Array.from(v[1].data, (size) => {
        const part = { shape: [size], data: v[0].data.slice(at, at + size) };
        at += size;
        return part;
      });
    }
    case 'SpaceToDepth':
      return spaceToDepth(v[0], a.blocksize as number);
  }
}

/** Evaluates `outputs` of `g` in float64 given values for its inputs by name. @throws GraphError */
export function evaluate(
  g: Graph,
  feeds: Record<string, Value>,
  outputs: readonly Tensor[],
): Value[] {
  const env = new Map<number, Value>();
  for (const t of g.inputs) {
    const v = feeds[t.name];
    if (!v) throw new GraphError(`evaluate: input '${t.name}' is missing`);
    if (
      v.shape.length !== t.rank ||
      v.shape.some((d, i) => typeof t.shape[i] === 'number' && t.shape[i] !== d)
    ) {
      throw new ShapeError(
        `evaluate: input '${t.name}' has shape [${v.shape.join(', ')}], graph expects [${t.shape.join(', ')}]`,
      );
    }
    env.set(t.id, v);
  }
  for (const c of g.constants) {
    env.set(c.id, {
      shape: c.shape as number[],
      data: Float64Array.from(c.constant?.values ?? [], Number),
    });
  }
  for (const n of g.nodes) {
    const vals = n.inputs.map((t) => {
      const val = env.get(t.id);
      if (!val) throw new GraphError(`evaluate: '${t.name}' has no value before node ${n.op}`);
      return val;
    });
    const res = run(n, vals);
    (Array.isArray(res) ? res : [res]).forEach((val, i) => env.set(n.outputs[i].id, val));
  }
  return outputs.map((t) => {
    const val = env.get(t.id);
    if (!val) throw new GraphError(`evaluate: output '${t.name}' was not computed`);
    return val;
  });
}
