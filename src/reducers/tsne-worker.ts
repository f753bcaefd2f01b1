/**
 * The worker-thread side of tsne-pool.ts: posts 'ready', then for each new generation in the
 * shared control array builds its own Barnes-Hut tree over the shared points and computes the
 * repulsion (and on request the attraction) of the chunks it takes, until the pool sets STOP. A failure sets ERR (the pool's
 * step then throws) instead of leaving the calling thread waiting.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { BarnesHutTree } from '../linalg/quadtree.js';
import { DONE, ERR, GEN, STOP, stepChunks, type PoolData } from './tsne-pool.js';

const data = workerData as PoolData;
const tree = new BarnesHutTree(data.dim);
const { ctrl } = data;
parentPort?.postMessage('ready');
// The pool's generation starts at 0; a step posted before this loop runs is not missed.
let gen = 0;
for (;;) {
  Atomics.wait(ctrl, GEN, gen);
  gen = Atomics.load(ctrl, GEN);
  if (Atomics.load(ctrl, STOP) !== 0) break;
  try {
    tree.build(data.y, data.n);
    stepChunks(data, tree);
  } catch {
    Atomics.store(ctrl, ERR, 1);
  }
  Atomics.add(ctrl, DONE, 1);
  Atomics.notify(ctrl, DONE);
}
