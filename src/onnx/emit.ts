/**
 * Graph -> ONNX ModelProto bytes with `onnx-proto`, at one pinned opset and IR version.
 * Helpers mirror Python's `onnx.helper` (makeNode, makeGraph, makeModel, makeTensor).
 * Spec: ONNX IR (onnx/docs/IR.md) and operators at opset 18 (ONNX v1.13).
 */
import onnxProto from 'onnx-proto';
import { GraphError } from '../errors.js';
import type { Graph } from '../graph/graph.js';
import type { Attrs, AttrValue, DType, Node, Tensor } from '../graph/tensor.js';

const { onnx } = onnxProto;

/** The opset every aedr model is emitted at. */
export const OPSET = 18;
/** The IR version paired with OPSET (IR 8 = ONNX 1.10+; opset 18 needs IR >= 8). */
export const IR_VERSION = 8;

const ELEM: Record<DType, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  int64: onnx.TensorProto.DataType.INT64,
  bool: onnx.TensorProto.DataType.BOOL,
};

/** A TensorProto holding `values` (raw little-endian bytes). */
export function makeTensor(
  name: string,
  dtype: DType,
  dims: readonly number[],
  values: ArrayLike<number> | BigInt64Array,
): onnxProto.onnx.ITensorProto {
  let raw: Uint8Array;
  if (dtype === 'float32') {
    const f = Float32Array.from(values as ArrayLike<number>);
    raw = new Uint8Array(f.buffer);
  } else if (dtype === 'int64') {
    const i =
      values instanceof BigInt64Array
        ? values
        : BigInt64Array.from(Array.from(values as ArrayLike<number>, (v) => BigInt(v)));
    raw = new Uint8Array(i.buffer, i.byteOffset, i.byteLength);
  } else {
    raw = Uint8Array.from(values as ArrayLike<number>, (v) => (v ? 1 : 0));
  }
  return { name, dataType: ELEM[dtype], dims: [...dims], rawData: raw };
}

function makeAttribute(name: string, value: AttrValue): onnxProto.onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof value === 'object' && !Array.isArray(value)) {
    return { name, type: T.GRAPH, g: makeGraph(value.graph as Graph) };
  }
  if (name === 'to') return { name, type: T.INT, i: ELEM[value as DType] };
  if (typeof value === 'string')
    return { name, type: T.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) return { name, type: T.INTS, ints: value };
  const isFloat = name === 'alpha' || name === 'beta';
  return isFloat ? { name, type: T.FLOAT, f: value } : { name, type: T.INT, i: value };
}

/** A NodeProto. */
export function makeNode(
  op: string,
  inputs: string[],
  outputs: string[],
  attrs: Attrs = {},
  name?: string,
): onnxProto.onnx.INodeProto {
  return {
    opType: op,
    input: inputs,
    output: outputs,
    name: name ?? outputs[0],
    attribute: Object.entries(attrs).map(([k, v]) => makeAttribute(k, v)),
  };
}

/** A ValueInfoProto for a tensor with static or symbolic dims. */
export function makeValueInfo(t: Tensor): onnxProto.onnx.IValueInfoProto {
  return {
    name: t.name,
    type: {
      tensorType: {
        elemType: ELEM[t.dtype],
        shape: {
          dim: t.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })),
        },
      },
    },
  };
}

/**
 * One graph node as ONNX nodes: ops whose ONNX form takes inputs where the builder keeps
 * attributes (Clip's bounds, Reduce* axes at opset 18) get constant initializers here.
 */
function lowerNode(n: Node, extra: onnxProto.onnx.ITensorProto[]): onnxProto.onnx.INodeProto {
  const out = n.outputs.map((t) => t.name);
  const inputs = n.inputs.map((t) => t.name);
  const konst = (suffix: string, dtype: DType, dims: number[], values: number[]): string => {
    const name = `${out[0]}__${suffix}`;
    extra.push(makeTensor(name, dtype, dims, values));
    return name;
  };
  switch (n.op) {
    case 'Clip':
      return makeNode(
        'Clip',
        [
          ...inputs,
          konst('min', 'float32', [], [n.attrs.min as number]),
          konst('max', 'float32', [], [n.attrs.max as number]),
        ],
        out,
      );
    case 'ReduceSum':
    case 'ReduceMean': {
      const axes = n.attrs.axes as number[];
      return makeNode(n.op, [...inputs, konst('axes', 'int64', [axes.length], axes)], out, {
        keepdims: n.attrs.keepdims as number,
      });
    }
    case 'Pad': {
      const pads = n.attrs.pads as number[];
      return makeNode('Pad', [...inputs, konst('pads', 'int64', [pads.length], pads)], out, {
        mode: 'constant',
      });
    }
    case 'Resize': {
      const scales = n.attrs.scales as number[];
      // Inputs X, roi (unused: empty name), scales; asymmetric + floor is exact block copy.
      return makeNode('Resize', [...inputs, '', konst('scales', 'float32', [4], scales)], out, {
        mode: 'nearest',
        coordinate_transformation_mode: 'asymmetric',
        nearest_mode: 'floor',
      });
    }
    default:
      return makeNode(n.op, inputs, out, n.attrs);
  }
}

/** Drops MaxPool's Indices output where nothing reads it (onnxruntime then skips computing it). */
function dropUnusedIndices(nodes: onnxProto.onnx.INodeProto[], graphOutputs: string[]): void {
  const used = new Set([
    ...graphOutputs,
    ...nodes.flatMap((n) => [...(n.input ?? []), ...subgraphInputs(n)]),
  ]);
  for (const n of nodes) {
    if (n.opType === 'MaxPool' && n.output && n.output.length > 1 && !used.has(n.output[1])) {
      n.output = n.output.slice(0, 1);
    }
  }
}

/** A GraphProto from a builder graph. @throws GraphError when it has no outputs */
export function makeGraph(g: Graph): onnxProto.onnx.IGraphProto {
  if (g.outputs.length === 0)
    throw new GraphError(`graph '${g.name}' has no outputs; call setOutputs first`);
  const extra: onnxProto.onnx.ITensorProto[] = [];
  const nodes = liveNodes(g).map((n) => lowerNode(n, extra));
  dropUnusedIndices(
    nodes,
    g.outputs.map((t) => t.name),
  );
  const used = new Set(nodes.flatMap((n) => [...(n.input ?? []), ...subgraphInputs(n)]));
  const initializers = g.constants
    .filter((c) => used.has(c.name))
    .map((c) => makeTensor(c.name, c.dtype, c.shape as number[], c.constant?.values ?? []));
  return {
    name: g.name,
    node: nodes,
    input: g.inputs.map(makeValueInfo),
    output: g.outputs.map(makeValueInfo),
    initializer: [...initializers, ...extra],
  };
}

/** Names a node's subgraphs read from the enclosing scope. */
function subgraphInputs(n: onnxProto.onnx.INodeProto): string[] {
  return (n.attribute ?? []).flatMap((a) =>
    a.g ? (a.g.node ?? []).flatMap((m) => m.input ?? []) : [],
  );
}

/** Nodes the outputs depend on, in order (autodiff leaves unused helper nodes behind). */
function liveNodes(g: Graph): Node[] {
  const need = new Set(g.outputs.map((t) => t.id));
  const keep: Node[] = [];
  for (let i = g.nodes.length - 1; i >= 0; i--) {
    const n = g.nodes[i];
    if (n.outputs.some((t) => need.has(t.id))) {
      keep.push(n);
      for (const t of n.inputs) need.add(t.id);
    }
  }
  return keep.reverse();
}

/** Serialised ModelProto bytes for `g`, with producer metadata. */
export function makeModel(g: Graph, { docString = '' }: { docString?: string } = {}): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: OPSET }],
    producerName: 'aedr',
    producerVersion: '0.1.0',
    docString,
    graph: makeGraph(g),
  });
  return onnx.ModelProto.encode(model).finish();
}

/** Decodes model bytes (for inspection and validation of saved files). @throws GraphError */
export function decodeModel(bytes: Uint8Array): onnxProto.onnx.ModelProto {
  try {
    return onnx.ModelProto.decode(bytes);
  } catch (err) {
    throw new GraphError(`not a valid ONNX model: ${(err as Error).message}`, { cause: err });
  }
}
