/**
 * The graph builder: inputs, constants and ONNX-named ops, each checking shapes when called.
 * Op semantics follow the ONNX operator spec at opset 18 (onnx/docs/Operators.md, ONNX v1.13).
 * A graph is only a description; onnx/ turns it into bytes and runtime/ runs it.
 * Past 500 lines because every op's builder is a method of the one class (they share its
 * private naming and node bookkeeping); the window ops' shape rules live in conv-shape.ts.
 */
import { GraphError, ShapeError } from '../errors.js';
import {
  convShape,
  convTransposeShape,
  poolShape,
  type ConvOptions,
  type ConvTransposeOptions,
  type PoolOptions,
} from './conv-shape.js';
import { broadcastShapes, normalizeAxes, sameDim } from './shape.js';
import {
  formatShape,
  isStatic,
  sizeOf,
  Tensor,
  type Attrs,
  type Dim,
  type DType,
  type Node,
  type OpType,
  type Shape,
} from './tensor.js';

/** A symbolic computation graph. */
export class Graph {
  readonly nodes: Node[] = [];
  readonly inputs: Tensor[] = [];
  readonly constants: Tensor[] = [];
  /** Tensors of an enclosing graph this (body) graph reads by name. */
  readonly outerRefs: Tensor[] = [];
  outputs: Tensor[] = [];
  private nextId = 0;
  private readonly names = new Set<string>();

  constructor(readonly name = 'aedr') {}

  private newTensor(name: string, shape: Shape, dtype: DType): Tensor {
    let unique = name;
    for (let i = 1; this.names.has(unique); i++) unique = `${name}_${i}`;
    this.names.add(unique);
    return new Tensor(this.nextId++, unique, [...shape], dtype);
  }

  /** A graph input. @throws GraphError when the name is taken */
  input(name: string, shape: Shape, dtype: DType = 'float32'): Tensor {
    if (this.names.has(name)) throw new GraphError(`input name '${name}' is already used`);
    const t = this.newTensor(name, shape, dtype);
    this.inputs.push(t);
    return t;
  }

  /** A value of the enclosing graph, read by name inside this subgraph (ONNX outer-scope reference). */
  outer(t: Tensor): Tensor {
    const r = this.newTensor(t.name, t.shape, t.dtype);
    if (r.name !== t.name)
      throw new GraphError(`outer reference '${t.name}' collides with a name in the subgraph`);
    this.outerRefs.push(r);
    return r;
  }

  /** A constant tensor (an initializer). @throws ShapeError when values do not fill the shape */
  constant(
    values: ArrayLike<number>,
    shape: readonly number[] = [],
    dtype: DType = 'float32',
    name?: string,
  ): Tensor {
    const n = shape.reduce((a, b) => a * b, 1);
    if (values.length !== n) {
      throw new ShapeError(
        `constant of shape ${formatShape(shape)} needs ${n} values, got ${values.length}`,
      );
    }
    if (name !== undefined && this.names.has(name))
      throw new GraphError(`constant name '${name}' is already used`);
    const t = this.newTensor(name ?? `${this.name}/const`, shape, dtype);
    t.constant = {
      values:
        dtype === 'int64'
          ? BigInt64Array.from(Array.from(values, (v) => BigInt(v)))
          : Float64Array.from(values),
    };
    this.constants.push(t);
    return t;
  }

  /** A float32 scalar constant. */
  scalar(value: number): Tensor {
    return this.constant([value], []);
  }

  /** Marks tensors as graph outputs, optionally renaming them through Identity nodes. */
  setOutputs(outputs: Record<string, Tensor>): void {
    this.outputs = [];
    for (const [name, t] of Object.entries(outputs)) this.outputs.push(this.named(t, name));
  }

  /**
   * `t` under an exact name: a node output produced here is renamed in place (an Identity
   * would copy the data at run time); inputs, constants and outer values go through Identity.
   * @throws GraphError when the name is taken
   */
  named(t: Tensor, name: string): Tensor {
    if (t.name === name) return t;
    if (this.names.has(name)) throw new GraphError(`tensor name '${name}' is already used`);
    const isOutput = this.outputs.includes(t);
    if (t.producer && this.nodes.includes(t.producer) && !isOutput) {
      this.names.delete(t.name);
      this.names.add(name);
      t.name = name;
      return t;
    }
    const out = new Tensor(this.nextId++, name, t.shape, t.dtype);
    this.names.add(name);
    const node: Node = { op: 'Identity', inputs: [t], outputs: [out], attrs: {} };
    out.producer = node;
    this.nodes.push(node);
    return out;
  }

  /** Appends a node with one output of the given shape and type. */
  node(op: OpType, inputs: Tensor[], shape: Shape, dtype: DType, attrs: Attrs = {}): Tensor {
    const out = this.newTensor(`${this.name}/${op.toLowerCase()}`, shape, dtype);
    const n: Node = { op, inputs, outputs: [out], attrs };
    out.producer = n;
    this.nodes.push(n);
    return out;
  }

  private binary(op: OpType, a: Tensor, b: Tensor): Tensor {
    floatOnly(op, a, b);
    return this.node(op, [a, b], broadcastShapes(a.shape, b.shape, op), 'float32');
  }

  private unary(op: OpType, x: Tensor, attrs: Attrs = {}): Tensor {
    floatOnly(op, x);
    return this.node(op, [x], x.shape, 'float32', attrs);
  }

  add(a: Tensor, b: Tensor): Tensor {
    return this.binary('Add', a, b);
  }
  sub(a: Tensor, b: Tensor): Tensor {
    return this.binary('Sub', a, b);
  }
  mul(a: Tensor, b: Tensor): Tensor {
    return this.binary('Mul', a, b);
  }
  div(a: Tensor, b: Tensor): Tensor {
    return this.binary('Div', a, b);
  }
  neg(x: Tensor): Tensor {
    return this.unary('Neg', x);
  }
  relu(x: Tensor): Tensor {
    return this.unary('Relu', x);
  }
  leakyRelu(x: Tensor, alpha = 0.01): Tensor {
    return this.unary('LeakyRelu', x, { alpha });
  }
  sigmoid(x: Tensor): Tensor {
    return this.unary('Sigmoid', x);
  }
  tanh(x: Tensor): Tensor {
    return this.unary('Tanh', x);
  }
  exp(x: Tensor): Tensor {
    return this.unary('Exp', x);
  }
  log(x: Tensor): Tensor {
    return this.unary('Log', x);
  }
  sqrt(x: Tensor): Tensor {
    return this.unary('Sqrt', x);
  }
  abs(x: Tensor): Tensor {
    return this.unary('Abs', x);
  }
  softplus(x: Tensor): Tensor {
    return this.unary('Softplus', x);
  }
  sign(x: Tensor): Tensor {
    return this.unary('Sign', x);
  }
  identity(x: Tensor): Tensor {
    return this.node('Identity', [x], x.shape, x.dtype);
  }
  /** Clip to [min, max] (emitted with constant min/max inputs). */
  clip(x: Tensor, min: number, max: number): Tensor {
    if (!(min <= max)) throw new GraphError(`Clip: min ${min} must be <= max ${max}`);
    return this.unary('Clip', x, { min, max });
  }

  /** 2-D matrix product [m, k] x [k, n]. @throws ShapeError */
  matmul(a: Tensor, b: Tensor): Tensor {
    floatOnly('MatMul', a, b);
    if (a.rank !== 2 || b.rank !== 2 || !sameDim(a.shape[1], b.shape[0])) {
      throw new ShapeError(
        `MatMul: expected [m, k] x [k, n], got ${formatShape(a.shape)} x ${formatShape(b.shape)}`,
      );
    }
    return this.node('MatMul', [a, b], [a.shape[0], b.shape[1]], 'float32');
  }

  /** Batched matrix product [batch, m, k] x [batch, k, n] (ONNX MatMul on 3-D inputs). @throws ShapeError */
  batchMatmul(a: Tensor, b: Tensor): Tensor {
    floatOnly('MatMul', a, b);
    if (
      a.rank !== 3 ||
      b.rank !== 3 ||
      !sameDim(a.shape[0], b.shape[0]) ||
      !sameDim(a.shape[2], b.shape[1])
    ) {
      throw new ShapeError(
        `MatMul: expected [batch, m, k] x [batch, k, n], got ${formatShape(a.shape)} x ${formatShape(b.shape)}`,
      );
    }
    return this.node('MatMul', [a, b], [a.shape[0], a.shape[1], b.shape[2]], 'float32');
  }

  /** alpha * op(A) * op(B) (+ beta * C), op = transpose when the flag is set. @throws ShapeError */
  gemm(
    a: Tensor,
    b: Tensor,
    {
      transA = 0,
      transB = 0,
      alpha = 1,
      beta = 1,
      c,
    }: { transA?: number; transB?: number; alpha?: number; beta?: number; c?: Tensor } = {},
  ): Tensor {
    floatOnly('Gemm', a, b);
    if (a.rank !== 2 || b.rank !== 2) {
      throw new ShapeError(
        `Gemm: expected 2-D inputs, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`,
      );
    }
    const [m, ka] = transA ? [a.shape[1], a.shape[0]] : [a.shape[0], a.shape[1]];
    const [kb, n] = transB ? [b.shape[1], b.shape[0]] : [b.shape[0], b.shape[1]];
    if (!sameDim(ka, kb)) {
      throw new ShapeError(
        `Gemm: inner dimensions differ: ${formatShape(a.shape)}${transA ? 'ᵀ' : ''} x ${formatShape(b.shape)}${transB ? 'ᵀ' : ''}`,
      );
    }
    const inputs = [a, b];
    if (c) {
      broadcastShapes(c.shape, [m, n], 'Gemm (C)');
      inputs.push(c);
    }
    return this.node('Gemm', inputs, [m, n], 'float32', { transA, transB, alpha, beta });
  }

  /** Sum over `axes` (all when empty). */
  reduceSum(x: Tensor, axes: number[] = [], keepdims = true): Tensor {
    return this.reduce('ReduceSum', x, axes, keepdims);
  }

  /** Mean over `axes` (all when empty). */
  reduceMean(x: Tensor, axes: number[] = [], keepdims = true): Tensor {
    return this.reduce('ReduceMean', x, axes, keepdims);
  }

  private reduce(op: OpType, x: Tensor, axes: number[], keepdims: boolean): Tensor {
    floatOnly(op, x);
    const ax = axes.length === 0 ? x.shape.map((_, i) => i) : normalizeAxes(axes, x.rank, op);
    const shape: Dim[] = [];
    x.shape.forEach((d, i) => {
      if (!ax.includes(i)) shape.push(d);
      else if (keepdims) shape.push(1);
    });
    return this.node(op, [x], shape, 'float32', { axes: ax, keepdims: keepdims ? 1 : 0 });
  }

  /** Permutes axes (reverses them by default). */
  transpose(x: Tensor, perm?: number[]): Tensor {
    const p = perm ?? x.shape.map((_, i) => x.rank - 1 - i);
    if (p.length !== x.rank || [...p].sort().some((v, i) => v !== i)) {
      throw new ShapeError(
        `Transpose: perm [${p.join(', ')}] is not a permutation of ${x.rank} axes`,
      );
    }
    return this.node(
      'Transpose',
      [x],
      p.map((i) => x.shape[i]),
      x.dtype,
      { perm: p },
    );
  }

  /** Reshape to a static shape (one -1 allowed) or to the runtime shape given by an int64 tensor. */
  reshape(x: Tensor, shape: readonly number[] | Tensor, outShape?: Shape): Tensor {
    if (shape instanceof Tensor) {
      if (shape.dtype !== 'int64')
        throw new GraphError(`Reshape: shape tensor must be int64, got ${shape.dtype}`);
      return this.node(
        'Reshape',
        [x, shape],
        outShape ?? shape.shape.map((_, i) => `reshape_${i}`),
        x.dtype,
      );
    }
    const target = this.constant(shape, [shape.length], 'int64');
    return this.node(
      'Reshape',
      [x, target],
      outShape ?? shape.map((d, i) => (d === -1 ? `reshape_${i}` : d)),
      x.dtype,
    );
  }

  /** The runtime shape of `x` as a 1-D int64 tensor. */
  shapeOf(x: Tensor): Tensor {
    return this.node('Shape', [x], [x.rank], 'int64');
  }

  /** Elements of a 1-D int64 tensor at the given constant indices. */
  gather(x: Tensor, indices: number[]): Tensor {
    const idx = this.constant(indices, [indices.length], 'int64');
    return this.node('Gather', [x, idx], [indices.length], x.dtype, { axis: 0 });
  }

  /** Slices of `x` along axis 0 at int64 `indices` (any rank; a scalar index drops the axis). */
  gatherRows(x: Tensor, indices: Tensor): Tensor {
    if (indices.dtype !== 'int64')
      throw new GraphError(`Gather: indices must be int64, got ${indices.dtype}`);
    return this.node('Gather', [x, indices], [...indices.shape, ...x.shape.slice(1)], x.dtype, {
      axis: 0,
    });
  }

  /**
   * ONNX Loop: runs `body` `tripCount` times or until its condition output is false.
   * body inputs: (iteration int64 [], condition bool [], ...carried); body outputs:
   * (condition, ...carried, ...scanned). Returns the final carried values, then each scanned
   * output stacked along a new first axis of symbolic length.
   */
  loop(tripCount: Tensor, cond: Tensor, carried: Tensor[], body: Graph): Tensor[] {
    if (body.inputs.length !== carried.length + 2) {
      throw new GraphError(
        `Loop: body has ${body.inputs.length} inputs, expected 2 + ${carried.length} carried`,
      );
    }
    const nScan = body.outputs.length - 1 - carried.length;
    if (nScan < 0) throw new GraphError(`Loop: body has too few outputs (${body.outputs.length})`);
    const outs = [
      ...carried.map((c) => this.newTensor(`${this.name}/loop_state`, c.shape, c.dtype)),
      ...body.outputs
        .slice(1 + carried.length)
        .map((o) =>
          this.newTensor(`${this.name}/loop_scan`, ['loop_iterations', ...o.shape], o.dtype),
        ),
    ];
    const n: Node = {
      op: 'Loop',
      inputs: [tripCount, cond, ...carried],
      outputs: outs,
      attrs: { body: { kind: 'subgraph', graph: body } },
    };
    for (const o of outs) o.producer = n;
    this.nodes.push(n);
    return outs;
  }

  /** Broadcasts `x` to `shape` (static numbers, or the runtime shape of `like`). */
  expand(x: Tensor, like: Tensor): Tensor {
    broadcastShapes(x.shape, like.shape, 'Expand');
    const target = isStatic(like.shape)
      ? this.constant(like.shape, [like.rank], 'int64')
      : this.shapeOf(like);
    return this.node(
      'Expand',
      [x, target],
      broadcastShapes(x.shape, like.shape, 'Expand'),
      x.dtype,
    );
  }

  greater(a: Tensor, b: Tensor): Tensor {
    return this.node('Greater', [a, b], broadcastShapes(a.shape, b.shape, 'Greater'), 'bool');
  }
  less(a: Tensor, b: Tensor): Tensor {
    return this.node('Less', [a, b], broadcastShapes(a.shape, b.shape, 'Less'), 'bool');
  }
  equal(a: Tensor, b: Tensor): Tensor {
    return this.node('Equal', [a, b], broadcastShapes(a.shape, b.shape, 'Equal'), 'bool');
  }
  isNaN(x: Tensor): Tensor {
    return this.node('IsNaN', [x], x.shape, 'bool');
  }
  not(x: Tensor): Tensor {
    if (x.dtype !== 'bool') throw new GraphError(`Not: expected a bool tensor, got ${x.dtype}`);
    return this.node('Not', [x], x.shape, 'bool');
  }
  /** Converts element type (ONNX Cast). */
  cast(x: Tensor, to: DType): Tensor {
    return this.node('Cast', [x], x.shape, to, { to });
  }
  /** Elementwise `cond ? a : b` with broadcasting. */
  where(cond: Tensor, a: Tensor, b: Tensor): Tensor {
    if (cond.dtype !== 'bool')
      throw new GraphError(`Where: condition must be bool, got ${cond.dtype}`);
    const shape = broadcastShapes(broadcastShapes(cond.shape, a.shape, 'Where'), b.shape, 'Where');
    return this.node('Where', [cond, a, b], shape, a.dtype);
  }
  /** 2-D convolution (ONNX Conv, NCHW, group 1): x [N, C, H, W], w [M, C, kH, kW], b [M]. @throws ShapeError, GraphError */
  conv(x: Tensor, w: Tensor, b?: Tensor, options: ConvOptions = {}): Tensor {
    floatOnly('Conv', x, w, ...(b ? [b] : []));
    const { shape, attrs } = convShape(x.shape, w.shape, b?.shape, options);
    return this.node('Conv', b ? [x, w, b] : [x, w], shape, 'float32', { ...attrs });
  }

  /** Transposed 2-D convolution (ONNX ConvTranspose): x [N, C, H, W], w [C, M, kH, kW], b [M]. @throws ShapeError, GraphError */
  convTranspose(x: Tensor, w: Tensor, b?: Tensor, options: ConvTransposeOptions = {}): Tensor {
    floatOnly('ConvTranspose', x, w, ...(b ? [b] : []));
    const { shape, attrs } = convTransposeShape(x.shape, w.shape, b?.shape, options);
    return this.node('ConvTranspose', b ? [x, w, b] : [x, w], shape, 'float32', { ...attrs });
  }

  /**
   * 2-D max pooling (ONNX MaxPool). The node's second output holds the argmax as flat indices
   * into x (first maximum in row-major order), which the gradient scatters back; the emitter
   * drops it where nothing reads it. @throws ShapeError, GraphError
   */
  maxPool(x: Tensor, options: PoolOptions): Tensor {
    floatOnly('MaxPool', x);
    const { shape, attrs } = poolShape(x.shape, options);
    const y = this.newTensor(`${this.name}/maxpool`, shape, 'float32');
    const idx = this.newTensor(`${this.name}/maxpool_indices`, shape, 'int64');
    const n: Node = { op: 'MaxPool', inputs: [x], outputs: [y, idx], attrs: { ...attrs } };
    y.producer = n;
    idx.producer = n;
    this.nodes.push(n);
    return y;
  }

  /**
   * Nearest-neighbour upsampling of an NCHW tensor by integer factors (ONNX Resize, mode
   * nearest, asymmetric coordinates, floor): each pixel becomes a block, as Keras UpSampling2D
   * and torch.nn.Upsample(mode='nearest'). @throws ShapeError, GraphError
   */
  upsample(x: Tensor, scale: number | readonly [number, number]): Tensor {
    floatOnly('Resize', x);
    const [sh, sw] = typeof scale === 'number' ? [scale, scale] : scale;
    if (![sh, sw].every((v) => Number.isInteger(v) && v >= 1)) {
      throw new GraphError(`Resize: scales must be integers >= 1, got [${sh}, ${sw}]`);
    }
    const [n, c, h, w] = x.shape;
    if (x.rank !== 4 || typeof h !== 'number' || typeof w !== 'number') {
      throw new ShapeError(
        `Resize: expected an NCHW input with static H and W, got ${formatShape(x.shape)}`,
      );
    }
    return this.node('Resize', [x], [n, c, h * sh, w * sw], 'float32', { scales: [1, 1, sh, sw] });
  }

  /**
   * Zero padding (ONNX Pad, constant mode): `pads` are [begin of each axis, end of each axis];
   * a negative pad removes that many elements (a crop). @throws ShapeError
   */
  pad(x: Tensor, pads: readonly number[]): Tensor {
    if (pads.length !== 2 * x.rank || !pads.every((v) => Number.isInteger(v))) {
      throw new ShapeError(
        `Pad: expected ${2 * x.rank} integer pads for ${formatShape(x.shape)}, got [${pads.join(', ')}]`,
      );
    }
    const shape = x.shape.map((d, i) => {
      const extra = pads[i] + pads[i + x.rank];
      if (extra === 0) return d;
      if (typeof d !== 'number' || d + extra < 0) {
        throw new ShapeError(
          `Pad: cannot pad axis ${i} of ${formatShape(x.shape)} by [${pads[i]}, ${pads[i + x.rank]}]`,
        );
      }
      return d + extra;
    });
    return this.node('Pad', [x], shape, x.dtype, { pads: [...pads] });
  }

  /**
   * Blocks of bs x bs pixels moved into channels (ONNX SpaceToDepth): x [N, C, H, W] ->
   * [N, bs bs C, H/bs, W/bs], channel (bh bs + bw) C + c holding x[n, c, i bs + bh, j bs + bw].
   * @throws ShapeError when H or W is not a static multiple of bs
   */
  spaceToDepth(x: Tensor, blocksize: number): Tensor {
    floatOnly('SpaceToDepth', x);
    const [n, c, h, w] = x.shape;
    if (
      x.rank !== 4 ||
      !Number.isInteger(blocksize) ||
      blocksize < 1 ||
      typeof c !== 'number' ||
      typeof h !== 'number' ||
      typeof w !== 'number' ||
      h % blocksize !== 0 ||
      w % blocksize !== 0
    ) {
      throw new ShapeError(
        `SpaceToDepth: expected NCHW with static C and H, W multiples of ${blocksize}, got ${formatShape(x.shape)}`,
      );
    }
    const b = blocksize;
    return this.node('SpaceToDepth', [x], [n, b * b * c, h / b, w / b], 'float32', {
      blocksize: b,
    });
  }

  /** Static 1-D float tensors joined end to end (ONNX Concat, axis 0). @throws ShapeError */
  concat1d(parts: readonly Tensor[]): Tensor {
    floatOnly('Concat', ...parts);
    if (parts.length === 0 || !parts.every((t) => t.rank === 1 && typeof t.shape[0] === 'number')) {
      throw new ShapeError(
        `Concat: expected one or more static 1-D tensors, got ${parts.map((t) => formatShape(t.shape)).join(', ')}`,
      );
    }
    const n = parts.reduce((a, t) => a + (t.shape[0] as number), 0);
    return this.node('Concat', [...parts], [n], 'float32', { axis: 0 });
  }

  /**
   * A static 1-D float tensor cut into consecutive pieces of the given sizes (ONNX Split, axis
   * 0). @throws ShapeError when the sizes do not add up to its length
   */
  split1d(x: Tensor, sizes: readonly number[]): Tensor[] {
    floatOnly('Split', x);
    const total = sizes.reduce((a, b) => a + b, 0);
    if (x.rank !== 1 || x.shape[0] !== total || !sizes.every((v) => Number.isInteger(v) && v > 0)) {
      throw new ShapeError(
        `Split: sizes [${sizes.join(', ')}] must be positive and add up to the length of ${formatShape(x.shape)}`,
      );
    }
    const outputs = sizes.map((v) => this.newTensor(`${this.name}/split`, [v], 'float32'));
    const n: Node = {
      op: 'Split',
      inputs: [x, this.constant(sizes, [sizes.length], 'int64')],
      outputs,
      attrs: { axis: 0 },
    };
    for (const o of outputs) o.producer = n;
    this.nodes.push(n);
    return outputs;
  }

  /** Flattens an [N, ...] tensor to [N, rest] (a Reshape; the batch may be symbolic). @throws ShapeError */
  flatten(x: Tensor): Tensor {
    const rest = x.shape.slice(1);
    if (x.rank < 2 || !isStatic(rest)) {
      throw new ShapeError(
        `Flatten: expected [N, ...] with static trailing dimensions, got ${formatShape(x.shape)}`,
      );
    }
    const n = sizeOf(rest);
    return this.reshape(x, [0, n], [x.shape[0], n]);
  }

  /**
   * Inverted dropout with a mask fed per training step (values 0 or 1 / (1 - rate), drawn by
   * nn/dropout.ts from the seeded Rng), so training is bit-reproducible from the seed; an
   * inference graph leaves the call out. @throws ShapeError
   */
  dropout(x: Tensor, mask: Tensor): Tensor {
    return this.binary('Mul', x, mask);
  }

  /** out = data with out[indices[i]] += updates[i] (ONNX ScatterElements, axis 0, reduction add, 1-D). @throws ShapeError */
  scatterAdd(data: Tensor, indices: Tensor, updates: Tensor): Tensor {
    floatOnly('ScatterElements', data, updates);
    if (indices.dtype !== 'int64')
      throw new GraphError(`ScatterElements: indices must be int64, got ${indices.dtype}`);
    if (
      data.rank !== 1 ||
      indices.rank !== 1 ||
      updates.rank !== 1 ||
      !sameDim(indices.shape[0], updates.shape[0])
    ) {
      throw new ShapeError(
        `ScatterElements: expected 1-D data, indices and updates of one length, got ${formatShape(data.shape)}, ${formatShape(indices.shape)}, ${formatShape(updates.shape)}`,
      );
    }
    return this.node('ScatterElements', [data, indices, updates], data.shape, 'float32', {
      axis: 0,
      reduction: 'add',
    });
  }

  /** out[i] = x[indices[i]] (ONNX GatherElements, axis 0, 1-D). @throws ShapeError */
  gatherElements(x: Tensor, indices: Tensor): Tensor {
    floatOnly('GatherElements', x);
    if (indices.dtype !== 'int64')
      throw new GraphError(`GatherElements: indices must be int64, got ${indices.dtype}`);
    if (x.rank !== 1 || indices.rank !== 1) {
      throw new ShapeError(
        `GatherElements: expected 1-D data and indices, got ${formatShape(x.shape)} and ${formatShape(indices.shape)}`,
      );
    }
    return this.node('GatherElements', [x, indices], indices.shape, 'float32', { axis: 0 });
  }
}

function floatOnly(op: string, ...xs: Tensor[]): void {
  for (const x of xs) {
    if (x.dtype !== 'float32')
      throw new GraphError(`${op}: expected float32 input, got ${x.dtype} ('${x.name}')`);
  }
}
