/**
 * onnxruntime's multi-threaded Gemm as the A · Bᵀ backend of linalg/ (pairwise distances, kNN,
 * covariance). Measured here on 256x784 by 4000x784: 10.8 ms vs 1664 ms for the
 * scalar JS loop (about 150x, 2 threads). One
 * session with symbolic dims serves every shape; it is created on first use and kept.
 */
import { Graph } from '../graph/graph.js';
import { makeModel } from '../onnx/emit.js';
import { setCentredGramBackend } from '../linalg/centred-gram.js';
import { setExactScatterBackend } from '../linalg/scatter.js';
import { setGemmBackend } from '../linalg/gemm.js';
import { setGeodesicKernelBackend } from '../linalg/geodesic-kernel.js';
import { setNearestBackend } from '../linalg/knn.js';
import { setProductBackend, type ProductBackend } from '../linalg/product.js';
import { setSubspaceIterationBackend } from '../linalg/subspace-iteration.js';
import { matrix } from '../util/matrix.js';
import { ortCentredGram, ortGroupedScatter } from './centred-gram-backend.js';
import { ortGemm } from './gemm-backend.js';
import { ortGeodesicKernel } from './geodesic-kernel-backend.js';
import { ortNearest } from './knn-backend.js';
import { RtTensor, Session, type SessionOptions } from './session.js';
import { ortSubspaceIteration } from './subspace-iteration-backend.js';

let session: Promise<Session> | undefined;
let centredSession: Promise<Session> | undefined;

function productModel(centred: boolean): Uint8Array {
  const g = new Graph(centred ? 'centred-product' : 'product');
  const a = g.input('a', ['n', 'd']);
  const b = g.input('b', ['m', 'd']);
  const left = centred ? g.sub(a, g.input('center', ['d'])) : a;
  g.setOutputs({ c: g.gemm(left, b, { transB: 1 }) });
  return makeModel(g);
}

/** A · Bᵀ (or (A − 1cᵀ) · Bᵀ: onnxruntime subtracts, no JS pass over A) through onnxruntime. */
export function ortProduct(opts: SessionOptions = {}): ProductBackend {
  return async (a, b, center) => {
    const feeds: Record<string, RtTensor> = {
      a: new RtTensor(a.data, [a.rows, a.cols]),
      b: new RtTensor(b.data, [b.rows, b.cols]),
    };
    let s: Session;
    if (center === undefined) s = await (session ??= Session.create(productModel(false), opts));
    else {
      s = await (centredSession ??= Session.create(productModel(true), opts));
      feeds.center = new RtTensor(center, [center.length]);
    }
    const out = await s.run(feeds);
    return matrix(a.rows, b.rows, out.c.data as Float32Array);
  };
}

/**
 * Installs onnxruntime as the product (A·Bᵀ), gemm, centred-Gram, exact-scatter, kNN-candidate,
 * geodesic-kernel and subspace-iteration backends
 * for linalg, metrics and reducers. Their sessions do not spin-wait unless `spin: true`: the
 * reducers alternate onnxruntime calls with JS work on the main thread (and several sessions
 * each hold a thread pool), and idle threads spinning after a call took the cores from that
 * work: PCA's 8 subspace steps on MNIST 5000 x 784 (20 x 784 by 784 x 784, then Gram-Schmidt)
 * spent 17-23 ms in Gram-Schmidt with spinning on against 11-12 ms off, and its Rayleigh-Ritz
 * step 10 ms against 2 (2 threads). Those steps are now one call
 * (subspace-iteration-backend.ts), which spinning made 3-4 times slower as well.
 */
export function useOrtProduct(opts: SessionOptions = {}): void {
  const o = { ...opts, spin: opts.spin ?? false };
  setProductBackend(ortProduct(o));
  setGemmBackend(ortGemm(o));
  setCentredGramBackend(ortCentredGram(o));
  setSubspaceIterationBackend(ortSubspaceIteration(o));
  setExactScatterBackend(ortGroupedScatter(o));
  setNearestBackend(ortNearest(o));
  setGeodesicKernelBackend(ortGeodesicKernel(o));
}
