/**
 * The one pass over the values of a training window (epoch.ts): each value is checked for
 * finiteness and mapped in place by the model's column scaling, x -> (x - off[j]) / div[j] in
 * float64 rounded to float32, the arithmetic of `applyScaling` (data/scaling.ts), so a streamed
 * window holds what the in-memory path would feed. `WindowWorker` runs the same function in a
 * worker thread, with the window's memory transferred there and back (not copied): the pass then
 * overlaps with the training steps, which hold the main thread while onnxruntime-node runs a call.
 */
import { Worker } from 'node:worker_threads';
import { AedrError } from '../../errors.js';

/** A column-wise affine map: value j of a row becomes (x - off[j]) / div[j]. */
export interface ColumnAffine {
  off: Float64Array;
  div: Float64Array;
}

/**
 * Checks values 0..n-1 of `a` (rows of `cols`) for finiteness and maps them in place by
 * (off, div) when given. Returns the index of the first non-finite value (it and the values after
 * it are left as read), or -1. Self-contained: `WindowWorker` runs its source text.
 */
export function prepareWindow(
  a: Float32Array,
  n: number,
  cols: number,
  off?: Float64Array,
  div?: Float64Array,
): number {
  if (off === undefined || div === undefined) {
    // v - v is 0 for finite numbers and NaN otherwise: one test for NaN and both infinities.
    for (let k = 0; k < n; k++) if (a[k] - a[k] !== 0) return k;
    return -1;
  }
  for (let k = 0; k < n; k += cols) {
    for (let j = 0; j < cols; j++) {
      const v = a[k + j];
      if (v - v !== 0) return k + j;
      a[k + j] = (v - off[j]) / div[j];
    }
  }
  return -1;
}

/** What a window pass returns: the window (a new view of the same memory after a transfer) and `bad`. */
export interface PreparedWindow {
  data: Float32Array;
  /** Index of the first non-finite value, or -1. */
  bad: number;
}

/** Runs `prepareWindow` over a window's first `n` values, here or elsewhere. */
export interface WindowPrep {
  run(buf: Float32Array, n: number, cols: number, affine?: ColumnAffine): Promise<PreparedWindow>;
  /** Ends what it started (a worker); it can be used again afterwards. */
  close(): Promise<void>;
}

/** The pass on the calling thread. */
export const prepareHere: WindowPrep = {
  run: (buf, n, cols, affine) =>
    Promise.resolve({ data: buf, bad: prepareWindow(buf, n, cols, affine?.off, affine?.div) }),
  close: () => Promise.resolve(),
};

// Runs inside the worker, as CommonJS source text.
const WORKER_MAIN = `
const { parentPort } = require('node:worker_threads');
const prepareWindow = ${prepareWindow.toString()};
parentPort.on('message', ({ id, buffer, n, cols, off, div }) => {
  const bad = prepareWindow(new Float32Array(buffer), n, cols, off, div);
  parentPort.postMessage({ id, buffer, bad }, [buffer]);
});
`;

interface Pending {
  resolve: (w: PreparedWindow) => void;
  reject: (e: Error) => void;
}

/**
 * The pass in a worker thread (started on first use). A window that does not own its whole
 * ArrayBuffer cannot be transferred and is done on the calling thread.
 */
export class WindowWorker implements WindowPrep {
  private worker: { w: Worker; pending: Map<number, Pending> } | undefined;
  private next = 0;

  private start(): { w: Worker; pending: Map<number, Pending> } {
    const pending = new Map<number, Pending>();
    const w = new Worker(WORKER_MAIN, { eval: true, execArgv: [] });
    w.on('message', (m: { id: number; buffer: ArrayBuffer; bad: number }) => {
      const p = pending.get(m.id);
      if (p === undefined) return;
      pending.delete(m.id);
      if (pending.size === 0) w.unref();
      p.resolve({ data: new Float32Array(m.buffer), bad: m.bad });
    });
    const fail = (why: string, cause?: unknown): void => {
      if (this.worker?.w === w) this.worker = undefined;
      for (const p of pending.values())
        p.reject(new AedrError(`the window worker failed (${why})`, { cause }));
      pending.clear();
    };
    w.on('error', (e) => fail(e.message, e));
    w.on('exit', (code) => fail(`exit code ${code}`));
    return { w, pending };
  }

  run(buf: Float32Array, n: number, cols: number, affine?: ColumnAffine): Promise<PreparedWindow> {
    if (buf.byteOffset !== 0 || buf.byteLength !== buf.buffer.byteLength)
      return prepareHere.run(buf, n, cols, affine);
    this.worker ??= this.start();
    const { w, pending } = this.worker;
    const id = this.next++;
    const done = new Promise<PreparedWindow>((resolve, reject) =>
      pending.set(id, { resolve, reject }),
    );
    w.ref();
    const buffer = buf.buffer as ArrayBuffer;
    w.postMessage({ id, buffer, n, cols, off: affine?.off, div: affine?.div }, [buffer]);
    return done;
  }

  /** Starts the worker now (it takes tens of milliseconds) rather than on the first window. */
  async ready(): Promise<void> {
    await this.run(new Float32Array(1), 0, 1);
  }

  async close(): Promise<void> {
    const current = this.worker;
    this.worker = undefined;
    if (current !== undefined) await current.w.terminate();
  }
}
