/**
 * The small pieces of the models that accel/'s kernels write as onnx-proto messages by hand:
 * value infos, INT64 Constant nodes, typed attributes, and the ModelProto bytes at aedr's pinned
 * opset and IR version (emit.ts). Those models bypass the graph builder because it has no Slice,
 * Concat, TopK, ReduceMin, ReduceMax or EyeLike, no float64 or int32 tensors (its Gather takes
 * int64 indices only), and emit.ts's helpers take builder tensors and name every node; these
 * write exactly the fields given, so a kernel's model is the graph its code spells out. Field
 * meanings: ONNX IR (onnx/docs/IR.md), opset 18.
 */
import onnxProto from 'onnx-proto';
import { GraphError } from '../errors.js';
import { IR_VERSION, OPSET } from './emit.js';

const { onnx } = onnxProto;
const T = onnx.AttributeProto.AttributeType;

/** A hand-written node. */
export type ProtoNode = onnxProto.onnx.INodeProto;
/** A graph input's or output's name, element type and shape. */
export type ProtoValueInfo = onnxProto.onnx.IValueInfoProto;
/** A node attribute. */
export type ProtoAttribute = onnxProto.onnx.IAttributeProto;

function checkInteger(what: string, v: number, min = -Infinity): void {
  if (!Number.isSafeInteger(v) || v < min) {
    const range = min === 0 ? 'a non-negative integer' : 'a safe integer';
    throw new GraphError(`${what} must be ${range}, got ${v}`);
  }
}

/**
 * A tensor value info; numeric dims are fixed (dimValue), strings symbolic (dimParam), and []
 * makes a scalar. `elemType` is an onnx.TensorProto.DataType.
 * @throws GraphError on a negative or fractional dim, or an empty symbolic one
 */
export function valueInfo(
  name: string,
  elemType: number,
  dims: readonly (number | string)[],
): ProtoValueInfo {
  const dim = dims.map((v, i) => {
    if (typeof v === 'number') {
      checkInteger(`value info '${name}': dim ${i}`, v, 0);
      return { dimValue: v };
    }
    if (v === '') throw new GraphError(`value info '${name}': dim ${i} has an empty name`);
    return { dimParam: v };
  });
  return { name, type: { tensorType: { elemType, shape: { dim } } } };
}

/**
 * A Constant node whose output `name` is the INT64 vector `values` (Slice's starts and ends,
 * Reduce* axes). @throws GraphError on a value that is not a safe integer
 */
export function int64Constant(name: string, values: readonly number[]): ProtoNode {
  values.forEach((v, i) => checkInteger(`constant '${name}': value ${i}`, v));
  const t = {
    dataType: onnx.TensorProto.DataType.INT64,
    dims: [values.length],
    int64Data: [...values],
  };
  return { opType: 'Constant', output: [name], attribute: [{ name: 'value', type: T.TENSOR, t }] };
}

/** An INT attribute. @throws GraphError on a value that is not a safe integer */
export function intAttr(name: string, value: number): ProtoAttribute {
  checkInteger(`attribute '${name}'`, value);
  return { name, type: T.INT, i: value };
}

/** An INTS attribute. @throws GraphError on a value that is not a safe integer */
export function intsAttr(name: string, values: readonly number[]): ProtoAttribute {
  values.forEach((v, i) => checkInteger(`attribute '${name}': value ${i}`, v));
  return { name, type: T.INTS, ints: [...values] };
}

/** A FLOAT attribute (stored as float32). */
export function floatAttr(name: string, value: number): ProtoAttribute {
  return { name, type: T.FLOAT, f: value };
}

/**
 * ModelProto bytes of one graph at opset OPSET and IR_VERSION, produced by 'aedr'.
 * @throws GraphError when the graph has no nodes or no outputs
 */
export function encodeModel(
  graphName: string,
  nodes: ProtoNode[],
  inputs: ProtoValueInfo[],
  outputs: ProtoValueInfo[],
): Uint8Array {
  if (nodes.length === 0 || outputs.length === 0)
    throw new GraphError(
      `model '${graphName}' needs nodes and outputs, got ${nodes.length} nodes and ${outputs.length} outputs`,
    );
  const model: onnxProto.onnx.IModelProto = {
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: OPSET }],
    producerName: 'aedr',
    graph: { name: graphName, node: nodes, input: inputs, output: outputs },
  };
  return onnx.ModelProto.encode(model).finish();
}
