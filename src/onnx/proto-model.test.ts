import assert from 'node:assert/strict';
import { test } from 'node:test';
import onnxProto from 'onnx-proto';
import { GraphError, ShapeError } from '../errors.js';
import { IR_VERSION, OPSET } from './emit.js';
import {
  encodeModel,
  floatAttr,
  int64Constant,
  intAttr,
  intsAttr,
  valueInfo,
} from './proto-model.js';
import { RtTensor, withSession } from '../runtime/session.js';

const { onnx } = onnxProto;
const { FLOAT, INT64 } = onnx.TensorProto.DataType;
const T = onnx.AttributeProto.AttributeType;

/** x (n x 4) → columns 1..3 → y = 0.5·s·sᵀ (n x n), the slice bounds as Constant nodes. */
function sliceGemmModel(): Uint8Array {
  return encodeModel(
    'slice-gemm',
    [
      int64Constant('starts', [1]),
      int64Constant('ends', [3]),
      int64Constant('axes', [1]),
      { opType: 'Slice', input: ['x', 'starts', 'ends', 'axes'], output: ['s'] },
      {
        opType: 'Gemm',
        input: ['s', 's'],
        output: ['y'],
        attribute: [intAttr('transB', 1), floatAttr('alpha', 0.5)],
      },
    ],
    [valueInfo('x', FLOAT, ['n', 4])],
    [valueInfo('y', FLOAT, ['n', 'n'])],
  );
}

test('encodeModel bytes decode to the graph, value infos, constants and opset given', () => {
  const m = onnx.ModelProto.decode(sliceGemmModel());
  assert.equal(Number(m.irVersion), IR_VERSION);
  assert.deepEqual(
    m.opsetImport.map((o) => [o.domain, Number(o.version)]),
    [['', OPSET]],
  );
  assert.equal(m.producerName, 'aedr');
  const g = m.graph as onnxProto.onnx.GraphProto;
  assert.equal(g.name, 'slice-gemm');
  assert.deepEqual(
    g.node.map((n) => [n.opType, n.input, n.output]),
    [
      ['Constant', [], ['starts']],
      ['Constant', [], ['ends']],
      ['Constant', [], ['axes']],
      ['Slice', ['x', 'starts', 'ends', 'axes'], ['s']],
      ['Gemm', ['s', 's'], ['y']],
    ],
  );
  // Nodes carry no name: only the fields given are written.
  assert.ok(g.node.every((n) => n.name === ''));
  const attrs = (i: number) => (g.node[i] as onnxProto.onnx.NodeProto).attribute;
  const [value] = attrs(1);
  assert.equal(value.name, 'value');
  assert.equal(value.type, T.TENSOR);
  assert.equal(value.t?.dataType, INT64);
  assert.deepEqual((value.t?.dims ?? []).map(Number), [1]);
  assert.deepEqual((value.t?.int64Data ?? []).map(Number), [3]);
  const [transB, alpha] = attrs(4);
  assert.deepEqual([transB.name, transB.type, Number(transB.i)], ['transB', T.INT, 1]);
  assert.deepEqual([alpha.name, alpha.type, alpha.f], ['alpha', T.FLOAT, 0.5]);
  const shape = (v: onnxProto.onnx.IValueInfoProto) =>
    v.type?.tensorType?.shape?.dim?.map((d) => d.dimParam || Number(d.dimValue));
  assert.equal(g.input[0].name, 'x');
  assert.equal(g.input[0].type?.tensorType?.elemType, FLOAT);
  assert.deepEqual(shape(g.input[0]), ['n', 4]);
  assert.deepEqual(shape(g.output[0]), ['n', 'n']);
});

test('valueInfo with no dims is a scalar; intsAttr keeps its list', () => {
  const v = onnx.ValueInfoProto.decode(
    onnx.ValueInfoProto.encode(valueInfo('dev', FLOAT, [])).finish(),
  );
  assert.deepEqual(v.type?.tensorType?.shape?.dim, []);
  assert.deepEqual(intsAttr('perm', [1, 0]), { name: 'perm', type: T.INTS, ints: [1, 0] });
});

test('a model built with these helpers runs in a Session: Constant + Slice + Gemm', async () => {
  // y = 0.5·s·sᵀ with s = x[:, 1:3], worked by hand: s = [[1, 2], [5, 6], [9, 10]], so
  // y = 0.5·[[5, 17, 29], [17, 61, 105], [29, 105, 181]]; every value exact in float32.
  const x = Float32Array.from({ length: 12 }, (_, i) => i);
  const y = await withSession(sliceGemmModel(), { threads: 1 }, async (s) => {
    // The fixed dim (dimValue 4) is enforced, the symbolic one (dimParam n) is not.
    await assert.rejects(s.run({ x: new RtTensor(new Float32Array(6), [2, 3]) }), ShapeError);
    return (await s.run({ x: new RtTensor(x, [3, 4]) })).y;
  });
  assert.deepEqual(y.dims, [3, 3]);
  assert.deepEqual(
    Array.from(y.data as Float32Array),
    [2.5, 8.5, 14.5, 8.5, 30.5, 52.5, 14.5, 52.5, 90.5],
  );
});

/** Asserts `fn` throws a GraphError whose message matches `re`. */
function throwsGraphError(fn: () => unknown, re: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof GraphError && re.test(e.message));
}

test('misuse: bad dims, non-integer constants and attributes, a model without outputs', () => {
  throwsGraphError(
    () => valueInfo('x', FLOAT, ['n', -1]),
    /value info 'x': dim 1 must be a non-negative integer, got -1/,
  );
  throwsGraphError(
    () => valueInfo('x', FLOAT, [2.5]),
    /dim 0 must be a non-negative integer, got 2.5/,
  );
  throwsGraphError(() => valueInfo('x', FLOAT, ['']), /value info 'x': dim 0 has an empty name/);
  throwsGraphError(
    () => int64Constant('ends', [1, 0.5]),
    /constant 'ends': value 1 must be a safe integer, got 0.5/,
  );
  throwsGraphError(() => intAttr('axis', NaN), /attribute 'axis' must be a safe integer, got NaN/);
  throwsGraphError(
    () => intsAttr('perm', [1, 2 ** 60]),
    /attribute 'perm': value 1 must be a safe integer, got 1152921504606847000/,
  );
  throwsGraphError(
    () => encodeModel('empty', [int64Constant('a', [1])], [], []),
    /model 'empty' needs nodes and outputs, got 1 nodes and 0 outputs/,
  );
});
