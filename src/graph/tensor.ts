/**
 * Symbolic tensors and nodes of the graph builder. A dimension is a number or a symbolic name
 * (e.g. 'batch'); shapes are checked when a node is built, so a wrong shape fails at the line
 * that made it rather than inside onnxruntime.
 */

/** Element types the builder emits (ONNX TensorProto.DataType names in lower case). */
export type DType = 'float32' | 'int64' | 'bool';

/** A static size or a symbolic name shared by dimensions known to be equal. */
export type Dim = number | string;

/** A tensor shape; `[]` is a scalar. */
export type Shape = readonly Dim[];

/** ONNX operator names the builder knows (opset 18). */
export const OP_TYPES = [
  'MatMul',
  'Gemm',
  'Add',
  'Sub',
  'Mul',
  'Div',
  'Neg',
  'Relu',
  'LeakyRelu',
  'Sigmoid',
  'Tanh',
  'Exp',
  'Log',
  'Sqrt',
  'Abs',
  'Softplus',
  'Clip',
  'ReduceSum',
  'ReduceMean',
  'Transpose',
  'Reshape',
  'Identity',
  'Greater',
  'Less',
  'Equal',
  'Cast',
  'Where',
  'Sign',
  'Shape',
  'Gather',
  'Loop',
  'Expand',
  'IsNaN',
  'Not',
  'Conv',
  'ConvTranspose',
  'MaxPool',
  'Resize',
  'Pad',
  'ScatterElements',
  'GatherElements',
  'SpaceToDepth',
  'Concat',
  'Split',
] as const;

/** One of OP_TYPES. */
export type OpType = (typeof OP_TYPES)[number];

/** Attribute values a node may carry. */
export type AttrValue = number | number[] | string | DType | SubgraphRef;

/** A graph used as an attribute (the body of a Loop); structurally typed to avoid a cycle. */
export interface SubgraphRef {
  readonly kind: 'subgraph';
  readonly graph: unknown;
}

/** A node's attributes by name. */
export type Attrs = Readonly<Record<string, AttrValue>>;

/** One operator application. */
export interface Node {
  readonly op: OpType;
  readonly inputs: readonly Tensor[];
  readonly outputs: readonly Tensor[];
  readonly attrs: Attrs;
}

/** Constant data held by the graph (emitted as an initializer). */
export interface ConstantData {
  readonly values: Float64Array | BigInt64Array;
}

/** A symbolic tensor: the output of a node, a graph input, or a constant. */
export class Tensor {
  /** The node that produces this tensor; undefined for inputs and constants. */
  producer: Node | undefined;
  /** Set for constants. */
  constant: ConstantData | undefined;

  constructor(
    readonly id: number,
    public name: string,
    readonly shape: Shape,
    readonly dtype: DType,
  ) {}

  /** Number of dimensions. */
  get rank(): number {
    return this.shape.length;
  }
}

/** Whether every dimension of `shape` is a number. */
export function isStatic(shape: Shape): shape is readonly number[] {
  return shape.every((d) => typeof d === 'number');
}

/** Element count of a static shape. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** `[2, 'batch']` style text for messages. */
export function formatShape(shape: Shape): string {
  return `[${shape.map((d) => (typeof d === 'number' ? String(d) : `'${d}'`)).join(', ')}]`;
}
