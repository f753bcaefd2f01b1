/**
 * The onnxruntime compute backend (linalg/backend.ts): every kernel on onnxruntime sessions
 * created with one `{ threads, spin }`, through runtime/'s `Session` (or an injected factory),
 * kept by the backend for reuse and released by `dispose()`. Each backend owns its sessions, so
 * two backends made with different options never share one. Kernel sessions do not spin-wait
 * unless `spin: true`: the reducers alternate onnxruntime calls with JS work on the main thread,
 * and idle threads spinning after a call take the cores from that work (bench/README.md).
 */
import { availableParallelism } from 'node:os';
import type { ComputeBackend } from '../linalg/backend.js';
import { checkInt } from '../util/check.js';
import { ortCentredGram, ortGroupedScatter } from './centred-gram.js';
import { ortGemm } from './gemm.js';
import { ortGeodesicKernel } from './geodesic-kernel.js';
import { ortNearest } from './nearest.js';
import { ortProduct } from './product.js';
import { SessionPool, type SessionFactory } from './session-pool.js';
import { ortSubspaceIteration } from './subspace-iteration.js';

/** Options of `createOrtBackend`. */
export interface OrtBackendOptions {
  /** Intra-op threads of every session, and the threads callers' worker pools use; default: every core. */
  threads?: number;
  /** Let idle intra-op threads spin-wait for work; default false (see the module doc). */
  spin?: boolean;
  /** Creates the sessions; default `Session.create` (a wrapper may record or limit them). */
  sessionFactory?: SessionFactory;
}

/** An onnxruntime backend; `sessionCount` says how many sessions it holds. */
export interface OrtBackend extends ComputeBackend {
  readonly spin: boolean;
  readonly sessionCount: number;
}

/**
 * An onnxruntime backend with the given thread count and spinning; dispose it when done.
 * @example
 * const backend = createOrtBackend({ threads: 2 });
 * try {
 *   const z = await new PCA({ nComponents: 10, backend }).fitTransform(x);
 * } finally {
 *   await backend.dispose();
 * }
 * @throws ConfigError when threads is not a positive integer
 */
export function createOrtBackend(opts: OrtBackendOptions = {}): OrtBackend {
  const threads = checkInt('threads', opts.threads ?? availableParallelism(), 1);
  const spin = opts.spin === true;
  const pool = new SessionPool({ threads, spin }, opts.sessionFactory);
  const product = ortProduct(pool);
  return {
    name: 'onnxruntime',
    threads,
    spin,
    fastGemm: true,
    get sessionCount() {
      return pool.size;
    },
    product,
    gemm: ortGemm(pool),
    centredGram: ortCentredGram(pool),
    groupedScatter: ortGroupedScatter(pool),
    subspaceIteration: ortSubspaceIteration(pool, product),
    nearest: ortNearest(pool),
    geodesicKernel: ortGeodesicKernel(pool),
    dispose: () => pool.dispose(),
  };
}
