/**
 * Row-group decoding for `parquet-source.ts` in a worker thread. parquet-wasm panics on some
 * corrupt pages ("RuntimeError: unreachable"), and its async read then neither resolves nor
 * rejects while the error escapes as an uncaught exception; in a worker, the panic ends only the
 * worker, and the pending read is rejected with a DataError naming the file and row group. The
 * worker returns each read (a row range, or one batch of a row group read as a stream) as Arrow
 * IPC bytes (transferred, not copied); a new worker is started for the next read after a failure.
 * Decoding also overlaps with the caller's work. parquet-wasm reads the file through the few Blob
 * members it uses (size, slice, arrayBuffer), each range by positional reads into one buffer.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { DataError } from '../../errors.js';

// Runs inside the worker, as CommonJS source text: workerData names the module and the file.
// A 'range' read is one ParquetFile.read; a 'batch' read takes batch k of a stream over one row
// group, kept open between reads so that reading a group front to back decodes it once.
const WORKER_MAIN = `
const { parentPort, workerData } = require('node:worker_threads');
const { open } = require('node:fs/promises');
const pw = require(workerData.module);
// What parquet-wasm's fromFile uses of a Blob (size, slice, arrayBuffer), reading each range with
// one positional read into one ArrayBuffer: a file Blob's arrayBuffer() gathers chunks and then
// copies them, two copies of a whole column chunk beside the one parquet-wasm makes.
async function fileLike(path) {
  const fh = await open(path, 'r');
  let size;
  try {
    size = (await fh.stat()).size;
  } finally {
    await fh.close();
  }
  const range = (start, end) => ({
    async arrayBuffer() {
      const buf = new Uint8Array(end - start);
      const h = await open(path, 'r');
      try {
        for (let at = 0; at < buf.length; ) {
          const { bytesRead } = await h.read(buf, at, buf.length - at, start + at);
          if (bytesRead === 0) throw new Error('unexpected end of file at byte ' + (start + at));
          at += bytesRead;
        }
      } finally {
        await h.close();
      }
      return buf.buffer;
    },
  });
  return { size, slice: (start, end) => range(start, Math.min(end, size)) };
}
let file;
let cur;
async function batch({ rowGroup, columns, batchSize, index }) {
  const key = JSON.stringify([rowGroup, columns, batchSize]);
  if (cur === undefined || cur.key !== key || cur.next > index) {
    if (cur !== undefined) await cur.reader.cancel();
    cur = undefined;
    const s = await file.stream({ rowGroups: [rowGroup], columns, batchSize });
    cur = { key, reader: s.getReader(), next: 0 };
  }
  for (;;) {
    const r = await cur.reader.read();
    if (r.done) throw new Error('the row group ended before batch ' + (index + 1));
    if (cur.next++ === index) return r.value;
    r.value.free();
  }
}
parentPort.on('message', async ({ id, options, stream }) => {
  try {
    file ??= await pw.ParquetFile.fromFile(await fileLike(workerData.path));
    const ipc = stream !== undefined
      ? (await batch(stream)).intoIPCStream()
      : (await file.read(options)).intoIPCStream();
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

/** Batch `index` (0-based) of `batchSize` rows of one row group, read as a stream. */
export interface BatchRead {
  rowGroup: number;
  columns: string[];
  batchSize: number;
  index: number;
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
    return this.post({ options }, what);
  }

  /** The IPC bytes of one batch of a row group read front to back; see the module doc. @throws DataError */
  readBatch(stream: BatchRead, what: string): Promise<Uint8Array> {
    return this.post({ stream }, what);
  }

  private post(
    message: { options: RowGroupRead } | { stream: BatchRead },
    what: string,
  ): Promise<Uint8Array> {
    this.worker ??= this.start();
    const { w, pending } = this.worker;
    w.ref();
    const id = this.next++;
    return new Promise<Uint8Array>((resolve, reject) => {
      pending.set(id, { resolve, reject, what });
      w.postMessage({ id, ...message });
    });
  }

  /** Stops the worker; pending reads are rejected. */
  async close(): Promise<void> {
    const w = this.worker?.w;
    this.worker = undefined;
    if (w !== undefined) await w.terminate();
  }
}
