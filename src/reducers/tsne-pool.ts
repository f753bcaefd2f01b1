/**
 * The Barnes-Hut gradient of t-SNE (tsne-gradient.ts) over several threads: the points, P, the
 * force sums and each point's share of Z live in SharedArrayBuffers; every iteration the calling
 * thread and `threads − 1` worker_threads (tsne-worker.ts) each build the same tree over the
 * points (linalg/quadtree.ts, a deterministic build) and take chunks of its point order through
 * an atomic counter, computing each point's repulsion, and on request its attraction
 * Σⱼ pᵢⱼ·uᵢⱼ·(yᵢ − yⱼ), exactly as the one-thread loops do. Each point's sums come from one
 * thread in the one-thread order and Z is summed afterwards in index order, so the gradient is
 * the one-thread gradient bit for bit, whatever the thread count or the chunks' distribution. The step is synchronous (Atomics.wait on both sides), as the descent
 * that calls it is. Reference for the scheme: scikit-learn 1.2's `_barnes_hut_tsne.gradient`,
 * whose OpenMP loop over points `n_jobs` threads share the same way.
 */
import { Worker } from 'node:worker_threads';
import { RuntimeFailure } from '../errors.js';
import { BarnesHutTree } from '../linalg/quadtree.js';
import type { Csr } from '../linalg/sparse.js';

/** Points per chunk taken from the shared counter. */
export const CHUNK = 64;

/** Slots of the shared control array. */
export const GEN = 0;
export const NEXT = 1;
export const DONE = 2;
export const STOP = 3;
export const ERR = 4;
/** 1 when the step computes the attraction too. */
export const ATTRACT = 5;
const CTRL_SLOTS = 6;

/** What each worker receives (all arrays shared). */
export interface PoolData {
  n: number;
  dim: number;
  theta2: number;
  dof: number;
  y: Float64Array;
  neg: Float64Array;
  zShare: Float64Array;
  /** The joint P (CSR over the same points), read by the attraction. */
  indptr: Int32Array;
  indices: Int32Array;
  values: Float64Array;
  /** Attraction sums Σⱼ pᵢⱼ·uᵢⱼ·(yᵢ − yⱼ), n x dim. */
  pos: Float64Array;
  ctrl: Int32Array;
}

/**
 * Repulsion (and with ctrl[ATTRACT] the attraction) of points order[r], r taken in chunks from
 * ctrl[NEXT]; the loop every thread runs. The attraction's arithmetic is klGradientBarnesHut's.
 */
export function stepChunks(d: PoolData, tree: BarnesHutTree): void {
  const { n, dim, theta2, dof, y, neg, zShare, indptr, indices, values, pos, ctrl } = d;
  const attract = Atomics.load(ctrl, ATTRACT) !== 0;
  const order = tree.order;
  for (;;) {
    const r0 = Atomics.add(ctrl, NEXT, CHUNK);
    if (r0 >= n) return;
    const r1 = Math.min(n, r0 + CHUNK);
    for (let r = r0; r < r1; r++) {
      const i = order[r];
      const o = i * dim;
      for (let c = 0; c < dim; c++) neg[o + c] = 0;
      zShare[i] = tree.repulsion(y, i, theta2, dof, neg, o);
      if (!attract) continue;
      for (let c = 0; c < dim; c++) pos[o + c] = 0;
      for (let e = indptr[i]; e < indptr[i + 1]; e++) {
        const j = indices[e] * dim;
        let d2 = 0;
        for (let c = 0; c < dim; c++) {
          const t = y[o + c] - y[j + c];
          d2 += t * t;
        }
        const m = values[e] * (dof / (dof + d2));
        for (let c = 0; c < dim; c++) pos[o + c] += m * (y[o + c] - y[j + c]);
      }
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
  /** Attraction sums (n x dim), filled by `run` when asked. */
  readonly pos: Float64Array;
  /** The joint P the attraction reads, in shared memory: scale its `values` in place. */
  readonly p: Csr;
  private readonly data: PoolData;
  private readonly tree: BarnesHutTree;
  private readonly workers: Worker[];
  private readonly exits: Promise<void>[];

  private constructor(data: PoolData, workers: Worker[], exits: Promise<void>[]) {
    this.data = data;
    this.y = data.y;
    this.neg = data.neg;
    this.zShare = data.zShare;
    this.pos = data.pos;
    this.p = {
      rows: data.n,
      cols: data.n,
      indptr: data.indptr,
      indices: data.indices,
      values: data.values,
    };
    this.tree = new BarnesHutTree(data.dim);
    this.workers = workers;
    this.exits = exits;
  }

  /**
   * Starts `threads − 1` workers (the caller's thread is the last) for the points of P (n x n,
   * copied into shared memory: see `p`) and waits until each is ready.
   * @throws RuntimeFailure when a worker fails to start
   */
  static async start(
    p: Csr,
    dim: number,
    angle: number,
    dof: number,
    threads: number,
  ): Promise<RepulsionPool> {
    const n = p.rows;
    const f64 = (len: number): Float64Array =>
      new Float64Array(new SharedArrayBuffer(len * Float64Array.BYTES_PER_ELEMENT));
    const i32 = (len: number): Int32Array =>
      new Int32Array(new SharedArrayBuffer(len * Int32Array.BYTES_PER_ELEMENT));
    const data: PoolData = {
      n,
      dim,
      theta2: angle * angle,
      dof,
      y: f64(n * dim),
      neg: f64(n * dim),
      zShare: f64(n),
      indptr: i32(p.indptr.length),
      indices: i32(p.indices.length),
      values: f64(p.values.length),
      pos: f64(n * dim),
      ctrl: i32(CTRL_SLOTS),
    };
    data.indptr.set(p.indptr);
    data.indices.set(p.indices);
    data.values.set(p.values);
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
   * Fills `neg` and `zShare` (and `pos` when `attract`) for the points `y` (n x dim), as the
   * one-thread loops would.
   * @throws RuntimeFailure when a worker failed during the step
   */
  run(y: Float64Array, attract: boolean): void {
    const { ctrl } = this.data;
    this.y.set(y);
    Atomics.store(ctrl, ATTRACT, attract ? 1 : 0);
    Atomics.store(ctrl, NEXT, 0);
    Atomics.store(ctrl, DONE, 0);
    Atomics.add(ctrl, GEN, 1);
    Atomics.notify(ctrl, GEN);
    this.tree.build(this.y, this.data.n);
    stepChunks(this.data, this.tree);
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
