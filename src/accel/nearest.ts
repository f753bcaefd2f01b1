/**
 * onnxruntime as the backend's nearest-candidate kernel (linalg/knn.ts): one call per block of
 * query rows forms the squared distances by the expansion ‖q‖² + ‖x‖² − 2·q·x (Gemm with α = −2,
 * float32, the norms given from JS) and keeps only each row's `kc` smallest with TopK, so the
 * q x n distance block never comes back to JS. Written with onnx-proto (onnx/proto-model.ts)
 * because the graph builder has no TopK.
 */
import onnxProto from 'onnx-proto';
import type { ComputeBackend } from '../linalg/backend.js';
import { encodeModel, floatAttr, intAttr, valueInfo, type ProtoNode } from '../onnx/proto-model.js';
import { RtTensor } from '../runtime/session.js';
import type { SessionPool } from './session-pool.js';

const { onnx } = onnxProto;

function nearestModel(): Uint8Array {
  const { FLOAT, INT64 } = onnx.TensorProto.DataType;
  const node: ProtoNode[] = [
    {
      opType: 'Gemm',
      input: ['q', 'x'],
      output: ['p'],
      attribute: [intAttr('transB', 1), floatAttr('alpha', -2)],
    },
    { opType: 'Add', input: ['p', 'qn'], output: ['pq'] },
    { opType: 'Add', input: ['pq', 'xn'], output: ['v'] },
    {
      opType: 'TopK',
      input: ['v', 'kc'],
      output: ['values', 'indices'],
      attribute: [intAttr('axis', 1), intAttr('largest', 0), intAttr('sorted', 1)],
    },
  ];
  return encodeModel(
    'knn-candidates',
    node,
    [
      valueInfo('q', FLOAT, ['m', 'd']),
      valueInfo('x', FLOAT, ['n', 'd']),
      valueInfo('qn', FLOAT, ['m', 'one']),
      valueInfo('xn', FLOAT, ['one2', 'n']),
      valueInfo('kc', INT64, ['len']),
    ],
    [valueInfo('values', FLOAT, ['m', 'kc']), valueInfo('indices', INT64, ['m', 'kc'])],
  );
}

/** The kc smallest expanded squared distances per query row, on sessions of `pool`. */
export function ortNearest(pool: SessionPool): NonNullable<ComputeBackend['nearest']> {
  return async (query, data, qNorms, dNorms, kc) => {
    const s = await pool.get('knn-candidates', nearestModel);
    const m = query.rows;
    const n = data.rows;
    const out = await s.run({
      q: new RtTensor(query.data, [m, query.cols]),
      x: new RtTensor(data.data, [n, data.cols]),
      qn: new RtTensor(Float32Array.from(qNorms), [m, 1]),
      xn: new RtTensor(Float32Array.from(dNorms), [1, n]),
      kc: new RtTensor(BigInt64Array.of(BigInt(kc)), [1]),
    });
    const idx = out.indices.data as BigInt64Array;
    const indices = new Int32Array(idx.length);
    for (let i = 0; i < idx.length; i++) indices[i] = Number(idx[i]);
    return { values: out.values.data as Float32Array, indices };
  };
}
