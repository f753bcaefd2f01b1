/**
 * The Barnes-Hut repulsion of t-SNE (tsne-gradient.ts) over several threads: the points, the
 * force sums and each point's share of Z live in SharedArrayBuffers; every iteration the calling
 * thread and `threads − 1` worker_threads (tsne-worker.ts) each build the same tree over the
 * points (linalg/quadtree.ts, a deterministic build) and take chunks of its point order through
 * an atomic counter, computing each point's repulsion exactly as the one-thread loop does. Each
 * point's sums come from one traversal by one thread and Z is summed afterwards in index order,
 * so the gradient is the one-thread gradient bit for bit, whatever the thread count or the
 * chunks' distribution. The step is synchronous (Atomics.wait on both sides), as the descent
 * that calls it is. Reference for the scheme: scikit-learn 1.2's `_barnes_hut_tsne.gradient`,
 * whose OpenMP loop over points `n_jobs` threads share the same way.
 */
import { Worker } from 'node:worker_threads';
import { RuntimeFailure } from '../errors.js';
import { BarnesHutTree } from '../linalg/quadtree.js';

/** Points per chunk taken from the shared counter. */
export const CHUNK = 64;

/** Slots of the shared control array. */
export const GEN = 0;
export const NEXT = 1;
export const DONE = 2;
export const STOP = 3;
export const ERR = 4;

/** What each worker receives (all arrays shared). */
export interface PoolData {
  n: number;
  dim: number;
  theta2: number;
  dof: number;
  y: Float64Array;
  neg: Float64Array;
  zShare: Float64Array;
  ctrl: Int32Array;
}

/** Repulsion of points order[r], r taken in chunks from ctrl[NEXT]; the loop every thread runs. */
export function repulsionChunks(d: PoolData, tree: BarnesHutTree): void {
  const { n, dim, theta2, dof, y, neg, zShare, ctrl } = d;
  const order = tree.order;
  for (;;) {
    const r0 = Atomics.add(ctrl, NEXT, CHUNK);
    if (r0 >= n) return;
    const r1 = Math.min(n, r0 + CHUNK);
    for (let r = r0; r < r1; r++) {
      const i = order[r];
      for (let c = 0; c < dim; c++) neg[i * dim + c] = 0;
      zShare[i] = tree.repulsion(y, i, theta2, dof, neg, i * dim);
    }
  }
}

/** A started set of repulsion workers for one (n, dim, θ, dof); close it when done. */
export class RepulsionPool {
  /** Points the workers read (n x dim); `run` copies its argument here. */
  readonly y: Float64Array;
  /** Repulsive force sums (n x dim), filled by `run`. */
  readonly neg: Float64Array;
  /** Each point's share of Z, filled by `run`. */
  readonly zShare: Float64Array;
  private readonly data: PoolData;
  private readonly tree: BarnesHutTree;
  private readonly workers: Worker[];
  private readonly exits: Promise<void>[];

  private constructor(data: PoolData, workers: Worker[], exits: Promise<void>[]) {
    this.data = data;
    this.y = data.y;
    this.neg = data.neg;
    this.zShare = data.zShare;
    this.tree = new BarnesHutTree(data.dim);
    this.workers = workers;
    this.exits = exits;
  }

  /**
   * Starts `threads − 1` workers (the caller's thread is the last) and waits until each is ready.
   * @throws RuntimeFailure when a worker fails to start
   */
  static async start(
    n: number,
    dim: number,
    angle: number,
    dof: number,
    threads: number,
  ): Promise<RepulsionPool> {
    const f64 = (len: number): Float64Array =>
      new Float64Array(new SharedArrayBuffer(len * Float64Array.BYTES_PER_ELEMENT));
    const data: PoolData = {
      n,
      dim,
      theta2: angle * angle,
      dof,
      y: f64(n * dim),
      neg: f64(n * dim),
      zShare: f64(n),
      ctrl: new Int32Array(new SharedArrayBuffer(5 * Int32Array.BYTES_PER_ELEMENT)),
    };
    const workers: Worker[] = [];
    const exits: Promise<void>[] = [];
    const ready: Promise<void>[] = [];
    for (let t = 1; t < threads; t++) {
      const w = startWorker(data);
      workers.push(w);
      exits.push(new Promise<void>((resolve) => w.once('exit', () => resolve())));
      ready.push(
        new Promise<void>((resolve, reject) => {
          w.once('message', () => resolve());
          w.once('error', (e) =>
            reject(new RuntimeFailure(`t-SNE repulsion worker failed: ${e.message}`, { cause: e })),
          );
          w.once('exit', (c) =>
            reject(new RuntimeFailure(`t-SNE repulsion worker exited (${c}) before starting`)),
          );
        }),
      );
    }
    const pool = new RepulsionPool(data, workers, exits);
    try {
      await Promise.all(ready);
    } catch (e) {
      await pool.close();
      throw e;
    }
    return pool;
  }

  /** Threads working on each step, the caller's included. */
  get threads(): number {
    return this.workers.length + 1;
  }

  /**
   * Fills `neg` and `zShare` for the points `y` (n x dim), as the one-thread loop would.
   * @throws RuntimeFailure when a worker failed during the step
   */
  run(y: Float64Array): void {
    const { ctrl } = this.data;
    this.y.set(y);
    Atomics.store(ctrl, NEXT, 0);
    Atomics.store(ctrl, DONE, 0);
    Atomics.add(ctrl, GEN, 1);
    Atomics.notify(ctrl, GEN);
    this.tree.build(this.y, this.data.n);
    repulsionChunks(this.data, this.tree);
    const want = this.workers.length;
    for (let d = Atomics.load(ctrl, DONE); d < want; d = Atomics.load(ctrl, DONE))
      Atomics.wait(ctrl, DONE, d);
    if (Atomics.load(ctrl, ERR) !== 0)
      throw new RuntimeFailure('a t-SNE repulsion worker failed during a gradient step');
  }

  /** Stops the workers and waits for them to exit. Safe to call twice. */
  async close(): Promise<void> {
    const { ctrl } = this.data;
    Atomics.store(ctrl, STOP, 1);
    Atomics.add(ctrl, GEN, 1);
    Atomics.notify(ctrl, GEN);
    await Promise.all(this.exits);
  }
}

/** The worker entry beside this module; from TypeScript sources it is loaded through tsx. */
function startWorker(data: PoolData): Worker {
  const self = import.meta.url;
  const ext = self.endsWith('.ts') ? '.ts' : '.js';
  const entry = new URL(`./tsne-worker${ext}`, self);
  if (ext === '.js') return new Worker(entry, { workerData: data });
  // Node 20 workers do not inherit the parent's --import hooks; register tsx inside the worker.
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(code, { eval: true, workerData: data });
}
