/**
 * All-pairs Dijkstra (shortest-paths.ts) over several threads: the graph and the n x n float32
 * output live in SharedArrayBuffers, the sources are dealt out in chunks through an atomic
 * counter, and the calling thread works alongside one worker_thread per extra thread (Isomap
 * passes its backend's `threads`). The worker runs the very `Dijkstra` class of
 * shortest-paths.ts, passed as source text (it is self-contained), so there is no worker file to
 * locate under tsx or in dist/. Same result as `allPairsShortestPaths`, bit for bit (each row is
 * one independent Dijkstra run), whatever the thread count.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { checkInt } from '../util/check.js';
import { allPairsShortestPaths, Dijkstra } from './shortest-paths.js';
import type { Csr } from './sparse.js';

/** Below this many nodes one thread is faster than starting workers. */
const MIN_PARALLEL = 1000;
const CHUNK = 8;

function shared<T extends Int32Array | Float64Array>(a: T): T {
  const buf = new SharedArrayBuffer(a.byteLength);
  const out = new (a.constructor as new (b: SharedArrayBuffer) => T)(buf);
  out.set(a);
  return out;
}

// Runs inside the worker, as source text: only workerData and the Dijkstra class are in scope.
const WORKER_MAIN = `
const { parentPort, workerData } = require('node:worker_threads');
const { n, indptr, indices, values, out, counter, chunk } = workerData;
const dj = new Dijkstra({ rows: n, cols: n, indptr, indices, values });
for (;;) {
  const s0 = Atomics.add(counter, 0, chunk);
  if (s0 >= n) break;
  for (let s = s0; s < Math.min(n, s0 + chunk); s++) out.set(dj.run(s), s * n);
}
parentPort.postMessage('done');
`;

/**
 * `allPairsShortestPaths` on `threads` threads (default: every core); one thread below 1000 nodes.
 * @throws ConfigError when threads is not a positive integer.
 */
export async function allPairsShortestPathsParallel(
  g: Csr,
  threads = availableParallelism(),
): Promise<Float32Array> {
  checkInt('threads', threads, 1);
  const n = g.rows;
  if (threads === 1 || n < MIN_PARALLEL) return allPairsShortestPaths(g);
  const out = new Float32Array(new SharedArrayBuffer(n * n * 4));
  const counter = new Int32Array(new SharedArrayBuffer(4));
  const data = {
    n,
    indptr: shared(g.indptr),
    indices: shared(g.indices),
    values: shared(g.values),
    out,
    counter,
    chunk: CHUNK,
  };
  // tsx (esbuild keepNames) may wrap the class source in __name calls: give it a no-op.
  const code = `const __name = (f) => f;\n${Dijkstra.toString()}\n${WORKER_MAIN}`;
  const done = Array.from(
    { length: threads - 1 },
    () =>
      new Promise<void>((resolve, reject) => {
        const w = new Worker(code, { eval: true, workerData: data, execArgv: [] });
        w.once('message', () => resolve());
        w.once('error', reject);
        w.once('exit', (c) => (c === 0 ? resolve() : reject(new Error(`worker exited ${c}`))));
      }),
  );
  const dj = new Dijkstra({
    ...g,
    indptr: data.indptr,
    indices: data.indices,
    values: data.values,
  });
  for (;;) {
    const s0 = Atomics.add(counter, 0, CHUNK);
    if (s0 >= n) break;
    for (let s = s0; s < Math.min(n, s0 + CHUNK); s++) out.set(dj.run(s), s * n);
  }
  await Promise.all(done);
  return out;
}
