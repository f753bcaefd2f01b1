/**
 * Row-group decoding for `parquet-source.ts` in a worker thread. parquet-wasm panics on some
 * corrupt pages ("RuntimeError: unreachable"), and its async read then neither resolves nor
 * rejects while the error escapes as an uncaught exception; in a worker, the panic ends only the
 * worker, and the pending read is rejected with a DataError naming the file and row group. The
 * worker returns each row group as Arrow IPC bytes (transferred, not copied); a new worker is
 * started for the next read after a failure. Decoding also overlaps with the caller's work.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { DataError } from '../../errors.js';

// Runs inside the worker, as CommonJS source text: workerData names the module and the file.
const WORKER_MAIN = `
const { parentPort, workerData } = require('node:worker_threads');
const { openAsBlob } = require('node:fs');
const pw = require(workerData.module);
let file;
parentPort.on('message', async ({ id, options }) => {
  try {
    file ??= await pw.ParquetFile.fromFile(await openAsBlob(workerData.path));
    const ipc = (await file.read(options)).intoIPCStream();
    parentPort.postMessage({ id, ipc }, [ipc.buffer]);
  } catch (err) {
    parentPort.postMessage({ id, error: String((err && err.message) || err) });
  }
});
`;

/** What one read asks of parquet-wasm's `ParquetFile.read`. */
export interface RowGroupRead {
  rowGroups: number[];
  columns: string[];
  batchSize?: number;
  /** Rows to skip from the start of the row groups read. */
  offset?: number;
  limit?: number;
}

interface Pending {
  resolve: (ipc: Uint8Array) => void;
  reject: (e: Error) => void;
  what: string;
}

/** A worker that decodes row groups of one Parquet file; see the module doc. */
export class ParquetDecoder {
  // Each worker has its own pending reads: a failed worker's late 'exit' must not reject the
  // reads of the worker that replaced it.
  private worker: { w: Worker; pending: Map<number, Pending> } | undefined;
  private next = 0;

  constructor(private readonly path: string) {}

  private start(): { w: Worker; pending: Map<number, Pending> } {
    const pending = new Map<number, Pending>();
    const module = createRequire(import.meta.url).resolve('parquet-wasm');
    const w = new Worker(WORKER_MAIN, {
      eval: true,
      workerData: { module, path: this.path },
      execArgv: [],
    });
    w.on('message', (m: { id: number; ipc?: Uint8Array; error?: string }) => {
      const p = pending.get(m.id);
      if (p === undefined) return;
      pending.delete(m.id);
      if (pending.size === 0) w.unref();
      if (m.ipc !== undefined) p.resolve(m.ipc);
      else p.reject(new DataError(`${p.what}: ${m.error ?? 'unknown error'}`, { file: this.path }));
    });
    const fail = (why: string, cause?: unknown): void => {
      if (this.worker?.w === w) this.worker = undefined;
      for (const p of pending.values()) {
        p.reject(
          new DataError(
            `${p.what}: the Parquet decoder failed (${why}); the file is corrupt`,
            { file: this.path },
            { cause },
          ),
        );
      }
      pending.clear();
    };
    w.on('error', (err) => {
      fail(err instanceof Error ? `${err.name}: ${err.message}` : String(err), err);
      void w.terminate();
    });
    w.on('exit', (code) => fail(`worker exited with code ${code}`));
    return { w, pending };
  }

  /** The IPC bytes of a read; `what` names it in errors. @throws DataError */
  read(options: RowGroupRead, what: string): Promise<Uint8Array> {
    this.worker ??= this.start();
    const { w, pending } = this.worker;
    w.ref();
    const id = this.next++;
    return new Promise<Uint8Array>((resolve, reject) => {
      pending.set(id, { resolve, reject, what });
      w.postMessage({ id, options });
    });
  }

  /** Stops the worker; pending reads are rejected. */
  async close(): Promise<void> {
    const w = this.worker?.w;
    this.worker = undefined;
    if (w !== undefined) await w.terminate();
  }
}
