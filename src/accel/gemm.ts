/**
 * onnxruntime's Gemm as the backend's gemm (linalg/gemm.ts): α·op(A)·op(B) (+ C) in float32 or
 * float64, one model per (element type, transA, transB, α, with or without C), every dim
 * symbolic. Empty operands, which onnxruntime rejects, give the zero product here.
 */
import onnxProto from 'onnx-proto';
import type { ComputeBackend, FloatArray } from '../linalg/backend.js';
import { gemmShape } from '../linalg/gemm.js';
import { encodeModel, floatAttr, intAttr, valueInfo, type ProtoNode } from '../onnx/proto-model.js';
import { RtTensor } from '../runtime/session.js';
import { matrix, type Matrix } from '../util/matrix.js';
import type { SessionPool } from './session-pool.js';

const { onnx } = onnxProto;

function gemmModel(
  elem: number,
  transA: boolean,
  transB: boolean,
  alpha: number,
  withC: boolean,
): Uint8Array {
  const info = (name: string, dims: string[]) => valueInfo(name, elem, dims);
  const node: ProtoNode = {
    opType: 'Gemm',
    input: withC ? ['a', 'b', 'c'] : ['a', 'b'],
    output: ['y'],
    attribute: [
      intAttr('transA', transA ? 1 : 0),
      intAttr('transB', transB ? 1 : 0),
      floatAttr('alpha', alpha),
    ],
  };
  return encodeModel(
    'gemm',
    [node],
    [info('a', ['a0', 'a1']), info('b', ['b0', 'b1']), ...(withC ? [info('c', ['m', 'n'])] : [])],
    [info('y', ['m', 'n'])],
  );
}

/** α·op(A)·op(B) (+ C) on sessions of `pool` (float32 or float64). */
export function ortGemm(pool: SessionPool): ComputeBackend['gemm'] {
  return async <T extends FloatArray>(
    a: Matrix<T>,
    b: Matrix<T>,
    transA: boolean,
    transB: boolean,
    alpha = 1,
    c?: Matrix<T>,
  ): Promise<Matrix<T>> => {
    const [m, k, n] = gemmShape(a, b, transA, transB);
    if (m === 0 || n === 0 || k === 0) {
      // onnxruntime rejects empty operands; the product is all zeros.
      const z = new (a.data.constructor as new (len: number) => T)(m * n);
      if (c !== undefined) z.set(c.data);
      return matrix(m, n, z);
    }
    const f64 = a.data instanceof Float64Array;
    const withC = c !== undefined;
    const key = `gemm ${f64 ? 'f64' : 'f32'}${transA ? 'T' : 'N'}${transB ? 'T' : 'N'} ${alpha}${withC ? ' C' : ''}`;
    const s = await pool.get(key, () => {
      const elem = f64 ? onnx.TensorProto.DataType.DOUBLE : onnx.TensorProto.DataType.FLOAT;
      return gemmModel(elem, transA, transB, alpha, withC);
    });
    const feeds: Record<string, RtTensor> = {
      a: new RtTensor(a.data, [a.rows, a.cols]),
      b: new RtTensor(b.data, [b.rows, b.cols]),
    };
    if (withC) feeds.c = new RtTensor(c.data, [m, n]);
    const out = await s.run(feeds);
    return matrix(m, n, out.y.data as T);
  };
}
