/**
 * Denoising input for a chunk of training steps, made ahead of time in a worker thread. A
 * chunk's corrupted batches depend only on its clean rows, the seed and the global steps (each
 * step's draws come from `stepRng(seed, step)`, run-steps.ts), so the next chunk's can be drawn
 * while onnxruntime-node holds the main thread running the current one: the draws leave the
 * steps' critical path. Guarantees: the worker runs `corruptSteps` (step-draws.ts), as runSteps
 * does, so the corrupted values are the same bit for bit wherever they are made
 * (noise-pool.test.ts); a worker failure rejects the pending promise with an AedrError.
 */
import { Worker } from 'node:worker_threads';
import { AedrError } from '../errors.js';
import type { NoiseJob } from './step-draws.js';

interface Pending {
  resolve: (out: Float32Array) => void;
  reject: (e: Error) => void;
}

/** The worker entry beside this module; from TypeScript sources it is loaded through tsx. */
function startWorker(): Worker {
  const self = import.meta.url;
  const ext = self.endsWith('.ts') ? '.ts' : '.js';
  const entry = new URL(`./noise-worker${ext}`, self);
  if (ext === '.js') return new Worker(entry);
  // Node 20 workers do not inherit the parent's --import hooks; register tsx inside the worker.
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(code, { eval: true });
}

/** One worker thread making chunks' corrupted input (started on first use). */
export class NoisePool {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private next = 0;

  private start(): Worker {
    const w = startWorker();
    w.on('message', (m: { id: number; out?: ArrayBuffer; error?: string }) => {
      const p = this.pending.get(m.id);
      if (p === undefined) return;
      this.pending.delete(m.id);
      if (m.out) p.resolve(new Float32Array(m.out));
      else p.reject(new AedrError(`the denoising worker failed: ${m.error ?? 'no result'}`));
    });
    const fail = (why: string, cause?: unknown): void => {
      if (this.worker === w) this.worker = undefined;
      for (const p of this.pending.values())
        p.reject(new AedrError(`the denoising worker failed (${why})`, { cause }));
      this.pending.clear();
    };
    w.on('error', (e) => fail(e.message, e));
    w.on('exit', (code) => fail(`exit code ${code}`));
    return w;
  }

  /** Corrupts a chunk's clean rows (`clean` is handed over: do not use it afterwards). */
  corrupt(clean: Float32Array, job: NoiseJob): Promise<Float32Array> {
    const w = (this.worker ??= this.start());
    const id = this.next++;
    const done = new Promise<Float32Array>((resolve, reject) =>
      this.pending.set(id, { resolve, reject }),
    );
    const buffer =
      clean.byteOffset === 0 && clean.byteLength === clean.buffer.byteLength
        ? (clean.buffer as ArrayBuffer)
        : (clean.slice().buffer as ArrayBuffer);
    w.postMessage({ ...job, noise: [...job.noise], id, buffer }, [buffer]);
    return done;
  }

  /** Stops the worker; safe to call twice. */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }
}
