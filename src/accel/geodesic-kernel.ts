/**
 * onnxruntime as the backend's geodesic kernel (linalg/geodesic-kernel.ts, Isomap's
 * out-of-sample map): one call per chunk of queries takes D (n x n float32, shared with
 * onnxruntime, not copied), the neighbour indices (int32) and distances, and returns the
 * projections: Gather(D, idx) → (q, k, n), Add the distances, ReduceMin over k (float32, as D),
 * then in float64 the square, less its row mean, and one Gemm with −½α and the bias
 * −(colMeans − allMean)·αᵀ (formed in JS), which together give the double-centred kernel
 * −½g² − colMeans − rowMean + allMean times αᵀ. The float64 tail keeps the codes within 2e-6 of
 * scikit-learn's on the golden swiss roll (float32 throughout: 2e-5). Written with onnx-proto
 * (onnx/proto-model.ts): the graph builder has no ReduceMin, no int32 indices and no float64.
 */
import onnxProto from 'onnx-proto';
import type { ComputeBackend } from '../linalg/backend.js';
import {
  encodeModel,
  int64Constant,
  intAttr,
  valueInfo,
  type ProtoAttribute,
  type ProtoNode,
} from '../onnx/proto-model.js';
import { RtTensor } from '../runtime/session.js';
import { checkInt } from '../util/check.js';
import { matrix } from '../util/matrix.js';
import type { SessionPool } from './session-pool.js';

const { onnx } = onnxProto;

/** Options of the kernel. */
export interface GeodesicKernelOptions {
  /** Floats of the (q, k, n) gathered block per call (at least one query); default 2²¹ (8 MB, within a typical L3). */
  chunkFloats?: number;
}

/** The model; every dimension symbolic, so one session serves every n, k, q and dOut. */
function kernelModel(): Uint8Array {
  const { FLOAT, DOUBLE, INT32 } = onnx.TensorProto.DataType;
  const keep = (i: number): ProtoAttribute => intAttr('keepdims', i);
  const node: ProtoNode[] = [
    int64Constant('axis1', [1]),
    { opType: 'Gather', input: ['dist', 'idx'], output: ['rows'], attribute: [intAttr('axis', 0)] },
    { opType: 'Add', input: ['rows', 'nbDist'], output: ['paths'] },
    { opType: 'ReduceMin', input: ['paths', 'axis1'], output: ['g'], attribute: [keep(0)] },
    { opType: 'Cast', input: ['g'], output: ['g64'], attribute: [intAttr('to', DOUBLE)] },
    { opType: 'Mul', input: ['g64', 'g64'], output: ['g2'] },
    { opType: 'ReduceMean', input: ['g2', 'axis1'], output: ['rowMean'], attribute: [keep(1)] },
    { opType: 'Sub', input: ['g2', 'rowMean'], output: ['g2c'] },
    {
      opType: 'Gemm',
      input: ['g2c', 'alphaHalf', 'bias'],
      output: ['z'],
      attribute: [intAttr('transB', 1)],
    },
  ];
  return encodeModel(
    'geodesic-kernel',
    node,
    [
      valueInfo('dist', FLOAT, ['n', 'n']),
      valueInfo('idx', INT32, ['q', 'k']),
      valueInfo('nbDist', FLOAT, ['q', 'k', 1]),
      valueInfo('alphaHalf', DOUBLE, ['dOut', 'n']),
      valueInfo('bias', DOUBLE, [1, 'dOut']),
    ],
    [valueInfo('z', DOUBLE, ['q', 'dOut'])],
  );
}

/**
 * Isomap's out-of-sample projections in one onnxruntime call per chunk, on sessions of `pool`
 * (see the module doc).
 * @throws ConfigError on a chunkFloats that is not a positive integer.
 */
export function ortGeodesicKernel(
  pool: SessionPool,
  opts: GeodesicKernelOptions = {},
): ComputeBackend['geodesicKernel'] {
  const chunkFloats = checkInt('chunkFloats', opts.chunkFloats ?? 2 ** 21, 1);
  return async (kernel, nb) => {
    const { dist, alpha, colMeans, allMean } = kernel;
    const n = dist.rows;
    const dOut = alpha.rows;
    const { k, rows: q } = nb;
    const alphaHalf = new Float64Array(dOut * n);
    const bias = new Float64Array(dOut);
    for (let c = 0; c < dOut; c++) {
      let b = 0;
      for (let j = 0; j < n; j++) {
        const a = alpha.data[c * n + j];
        alphaHalf[c * n + j] = -0.5 * a;
        b -= (colMeans[j] - allMean) * a;
      }
      bias[c] = b;
    }
    const s = await pool.get('geodesic-kernel', kernelModel);
    const fixed = {
      dist: new RtTensor(dist.data, [n, n]),
      alphaHalf: new RtTensor(alphaHalf, [dOut, n]),
      bias: new RtTensor(bias, [1, dOut]),
    };
    const out = new Float32Array(q * dOut);
    const chunk = Math.max(1, Math.floor(chunkFloats / (k * n)));
    for (let i0 = 0; i0 < q; i0 += chunk) {
      const b = Math.min(chunk, q - i0);
      const z = await s.run({
        ...fixed,
        idx: new RtTensor(nb.indices.subarray(i0 * k, (i0 + b) * k), [b, k]),
        nbDist: new RtTensor(Float32Array.from(nb.distances.subarray(i0 * k, (i0 + b) * k)), [
          b,
          k,
          1,
        ]),
      });
      out.set(z.z.data as Float64Array, i0 * dOut);
    }
    return matrix(q, dOut, out);
  };
}
