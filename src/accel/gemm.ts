/**
 * onnxruntime's Gemm as the backend of linalg/gemm.ts: one session per (element type, transA,
 * transB, α, with or without C), symbolic dims, created on first use and kept. Float64 tensors are passed to
 * onnxruntime-node directly here because session.ts's RtTensor carries float32, int64 and bool
 * only. Measured with 2 threads on the 2 shared cores: float32 Aᵀ·A on 5000 x 784 at 72
 * GFLOPS, float32 5000 x 784 by 784 x 20 in 3.1 ms (51 GFLOPS), float64 1000³ at 44 GFLOPS and
 * 4000 x 256 by 256 x 4000 at 29 GFLOPS; the JS loop of linalg/gemm.ts runs about 1 GFLOPS.
 */
import { availableParallelism } from 'node:os';
import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { ConfigError, RuntimeFailure } from '../errors.js';
import { gemmShape, type FloatArray, type GemmBackend } from '../linalg/gemm.js';
import { matrix, type Matrix } from '../util/matrix.js';
import { encodeModel, floatAttr, intAttr, valueInfo, type ProtoNode } from './proto-model.js';
import { unshared, type SessionOptions } from './session.js';

const { onnx } = onnxProto;
const sessions = new Map<string, Promise<ort.InferenceSession>>();

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

function session(
  f64: boolean,
  transA: boolean,
  transB: boolean,
  alpha: number,
  withC: boolean,
  opts: SessionOptions,
): Promise<ort.InferenceSession> {
  const key = `${f64 ? 'f64' : 'f32'}${transA ? 'T' : 'N'}${transB ? 'T' : 'N'}${alpha}${withC ? 'C' : ''}`;
  let s = sessions.get(key);
  if (s === undefined) {
    const threads = opts.threads ?? availableParallelism();
    if (!Number.isInteger(threads) || threads < 1)
      throw new ConfigError(`threads must be a positive integer, got ${String(opts.threads)}`);
    const elem = f64 ? onnx.TensorProto.DataType.DOUBLE : onnx.TensorProto.DataType.FLOAT;
    s = ort.InferenceSession.create(gemmModel(elem, transA, transB, alpha, withC), {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      extra: { session: { intra_op: { allow_spinning: opts.spin === false ? '0' : '1' } } },
    });
    sessions.set(key, s);
  }
  return s;
}

/** α·op(A)·op(B) (+ C) through onnxruntime (float32 or float64). */
export function ortGemm(opts: SessionOptions = {}): GemmBackend {
  return async <T extends FloatArray>(
    a: Matrix<T>,
    b: Matrix<T>,
    transA: boolean,
    transB: boolean,
    alpha = 1,
    c?: Matrix<T>,
  ): Promise<Matrix<T>> => {
    const [m, k, n] = gemmShape(a, b, transA, transB);
    const f64 = a.data instanceof Float64Array;
    if (m === 0 || n === 0 || k === 0) {
      // onnxruntime rejects empty operands; the product is all zeros.
      const z = new (a.data.constructor as new (len: number) => T)(m * n);
      if (c !== undefined) z.set(c.data);
      return matrix(m, n, z);
    }
    const type = f64 ? 'float64' : 'float32';
    let out: ort.InferenceSession.ReturnType;
    try {
      const s = await session(f64, transA, transB, alpha, c !== undefined, opts);
      const feeds: Record<string, ort.Tensor> = {
        a: new ort.Tensor(type, unshared(a.data), [a.rows, a.cols]),
        b: new ort.Tensor(type, unshared(b.data), [b.rows, b.cols]),
      };
      if (c !== undefined) feeds.c = new ort.Tensor(type, unshared(c.data), [m, n]);
      out = await s.run(feeds);
    } catch (err) {
      throw new RuntimeFailure(`onnxruntime gemm failed: ${(err as Error).message}`, {
        cause: err,
      });
    }
    return matrix(m, n, out.y.data as T);
  };
}
