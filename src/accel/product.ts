/**
 * onnxruntime's Gemm as the backend's A · Bᵀ (linalg/product.ts): one model with symbolic dims
 * serves every shape; a second subtracts a center from A's rows inside the call (so no centred
 * copy of A is made in JS). Float32 in and out, onnxruntime's (MLAS) accumulation.
 */
import type { ComputeBackend } from '../linalg/backend.js';
import { Graph } from '../graph/graph.js';
import { makeModel } from '../onnx/emit.js';
import { RtTensor } from '../runtime/session.js';
import { matrix } from '../util/matrix.js';
import type { SessionPool } from './session-pool.js';

function productModel(centred: boolean): Uint8Array {
  const g = new Graph(centred ? 'centred-product' : 'product');
  const a = g.input('a', ['n', 'd']);
  const b = g.input('b', ['m', 'd']);
  const left = centred ? g.sub(a, g.input('center', ['d'])) : a;
  g.setOutputs({ c: g.gemm(left, b, { transB: 1 }) });
  return makeModel(g);
}

/** A · Bᵀ (or (A − 1cᵀ) · Bᵀ) on sessions of `pool`. */
export function ortProduct(pool: SessionPool): ComputeBackend['product'] {
  return async (a, b, center) => {
    const feeds: Record<string, RtTensor> = {
      a: new RtTensor(a.data, [a.rows, a.cols]),
      b: new RtTensor(b.data, [b.rows, b.cols]),
    };
    const centred = center !== undefined;
    if (centred) feeds.center = new RtTensor(center, [center.length]);
    const s = await pool.get(centred ? 'centred-product' : 'product', () => productModel(centred));
    const out = await s.run(feeds);
    return matrix(a.rows, b.rows, out.c.data as Float32Array);
  };
}
