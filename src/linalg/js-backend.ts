/**
 * The pure-JS compute backend (backend.ts): the scalar kernels of product.ts, gemm.ts,
 * centred-gram.ts, subspace-iteration.ts and geodesic-kernel.ts, without the optional grouped
 * scatter and nearest-candidate kernels (their callers take the JS routes). It holds nothing, so
 * `dispose` has nothing to release. `jsBackend` is what every `backend` option defaults to; for
 * onnxruntime's kernels pass `createOrtBackend()` (accel/).
 */
import { availableParallelism } from 'node:os';
import { checkInt } from '../util/check.js';
import type { ComputeBackend } from './backend.js';
import { jsCentredGram } from './centred-gram.js';
import { jsGemm } from './gemm.js';
import { jsGeodesicKernel } from './geodesic-kernel.js';
import { jsProduct } from './product.js';
import { jsSubspaceIteration } from './subspace-iteration.js';

/** Options of `createJsBackend`. */
export interface JsBackendOptions {
  /** Threads of the callers' worker pools (the Dijkstra workers); default: every core. */
  threads?: number;
}

/**
 * A pure-JS backend.
 * @example
 * const pca = new PCA({ nComponents: 2, backend: createJsBackend({ threads: 1 }) });
 * @throws ConfigError when threads is not a positive integer
 */
export function createJsBackend(opts: JsBackendOptions = {}): ComputeBackend {
  const threads = checkInt('threads', opts.threads ?? availableParallelism(), 1);
  return {
    name: 'js',
    threads,
    fastGemm: false,
    product: jsProduct,
    gemm: jsGemm,
    centredGram: (x) => jsCentredGram(x, jsGemm),
    subspaceIteration: (c, q0, steps) => jsSubspaceIteration(c, q0, steps, jsProduct),
    geodesicKernel: (kernel, nb) => jsGeodesicKernel(kernel, nb, jsProduct),
    dispose: () => Promise.resolve(),
  };
}

/** The pure-JS backend on every core: the default of every `backend` option. */
export const jsBackend: ComputeBackend = Object.freeze(createJsBackend());
