/**
 * Appends row blocks to a Parquet file with flat memory: each block becomes an Arrow record batch
 * fed to parquet-wasm's `transformParquetStream`, which writes a row group whenever `groupRows`
 * rows have gathered, and the bytes stream to a temporary file renamed over the target at
 * `finish` (as the other stream writers). Rows are float32, either one column per value (named
 * by `names`, default z1..zk) or one fixed-size-list column (`layout: 'list'`).
 */
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  Field,
  FixedSizeList,
  Float32,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  tableToIPC,
  Table,
} from 'apache-arrow';
import { ShapeError } from '../../errors.js';
import { removeStaleTemps, tempPathFor } from '../../util/atomic.js';
import type { StreamWriter } from './writers.js';

/** Options of `ParquetStreamWriter.open`. */
export interface ParquetWriterOptions {
  /** 'columns' (default): one float column per value; 'list': one fixed-size-list column. */
  layout?: 'columns' | 'list';
  /** Column names ('columns': one per value; 'list': one). Default z1..zk, or 'embedding'. */
  names?: readonly string[];
  /** Rows per row group (default 65,536, fewer for rows wider than `GROUP_BYTES / 65,536`). */
  groupRows?: number;
}

/**
 * Float32 bytes of a default row group: parquet-rs holds the group being written (encoded) and
 * then its bytes in an output buffer and a copy handed to JavaScript, so memory follows it.
 */
export const GROUP_BYTES = 64 << 20;

/** The default rows per row group for rows of `cols` float32 values. */
export function defaultGroupRows(cols: number): number {
  return Math.max(1, Math.min(65536, Math.floor(GROUP_BYTES / (4 * cols))));
}

/** Appends rows to a Parquet file; see the module doc. */
export class ParquetStreamWriter implements StreamWriter {
  private count = 0;
  private closed = false;
  private wake: (() => void) | undefined;

  private constructor(
    readonly path: string,
    readonly cols: number,
    private readonly schema: Schema,
    private readonly tmp: string,
    private readonly fh: FileHandle,
    private readonly ctrl: ReadableStreamDefaultController<unknown>,
    private readonly done: Promise<void>,
    private readonly toWasm: (ipc: Uint8Array) => unknown[],
  ) {}

  /** Starts `path` with `cols` float32 values per row. @throws ShapeError on bad options */
  static async open(
    path: string,
    cols: number,
    opts: ParquetWriterOptions = {},
  ): Promise<ParquetStreamWriter> {
    if (!Number.isSafeInteger(cols) || cols < 1) {
      throw new ShapeError(`ParquetStreamWriter: cols must be a positive integer, got ${cols}`);
    }
    const layout = opts.layout ?? 'columns';
    const names =
      opts.names ??
      (layout === 'list' ? ['embedding'] : Array.from({ length: cols }, (_, j) => `z${j + 1}`));
    const want = layout === 'list' ? 1 : cols;
    if (names.length !== want || new Set(names).size !== names.length) {
      throw new ShapeError(
        `ParquetStreamWriter: names must be ${want} distinct names for layout '${layout}', got ${names.length}`,
      );
    }
    const groupRows = opts.groupRows ?? defaultGroupRows(cols);
    if (!Number.isInteger(groupRows) || groupRows < 1) {
      throw new ShapeError(
        `ParquetStreamWriter: groupRows must be a positive integer, got ${groupRows}`,
      );
    }
    const fields =
      layout === 'list'
        ? [
            new Field(
              names[0],
              new FixedSizeList(cols, new Field('item', new Float32(), false)),
              false,
            ),
          ]
        : names.map((n) => new Field(n, new Float32(), false));
    const schema = new Schema(fields);
    const pw = await import('parquet-wasm');
    mkdirSync(dirname(path), { recursive: true });
    removeStaleTemps(path);
    const tmp = tempPathFor(path);
    const fh = await open(tmp, 'w');
    let ctrl: ReadableStreamDefaultController<unknown> | undefined;
    // The stream's pull callback wakes the writer, which exists only once the stream does.
    const hold: { writer?: ParquetStreamWriter } = {};
    const batches = new ReadableStream<unknown>(
      {
        start: (c) => {
          ctrl = c;
        },
        pull: () => {
          const w = hold.writer?.wake;
          if (hold.writer !== undefined) hold.writer.wake = undefined;
          w?.();
        },
      },
      { highWaterMark: 2 },
    );
    const props = new pw.WriterPropertiesBuilder()
      .setCompression(pw.Compression.SNAPPY)
      .setMaxRowGroupSize(groupRows)
      .build();
    // The encoder reads the first batch (for the schema) before it returns its byte stream, so
    // the byte stream is drained into the file once it exists rather than awaited here.
    const done = pw.transformParquetStream(batches, props).then(async (bytes) => {
      const reader = (bytes as ReadableStream<Uint8Array>).getReader();
      for (;;) {
        const r = await reader.read();
        if (r.done) return;
        for (let off = 0; off < r.value.length;) {
          off += (await fh.write(r.value, off, r.value.length - off)).bytesWritten;
        }
      }
    });
    done.catch(() => undefined);
    const toWasm = (ipc: Uint8Array): unknown[] => pw.Table.fromIPCStream(ipc).recordBatches();
    hold.writer = new ParquetStreamWriter(path, cols, schema, tmp, fh, ctrl!, done, toWasm);
    return hold.writer;
  }

  get rows(): number {
    return this.count;
  }

  async append(data: Float32Array | Float64Array): Promise<void> {
    if (this.closed) throw new ShapeError(`ParquetStreamWriter(${this.path}): already finished`);
    if (data.length % this.cols !== 0) {
      throw new ShapeError(
        `ParquetStreamWriter.append: ${data.length} values are not whole rows of ${this.cols}; expected a multiple of ${this.cols}`,
      );
    }
    const n = data.length / this.cols;
    if (n === 0) return;
    // The batch is copied into the encoder before enqueue returns, so a float32 block is used as is.
    this.enqueue(data instanceof Float32Array ? data : Float32Array.from(data), n);
    this.count += n;
    // Backpressure: wait until the Parquet encoder asks for more.
    if ((this.ctrl.desiredSize ?? 1) <= 0) {
      await Promise.race([new Promise<void>((r) => (this.wake = r)), this.done]);
    }
  }

  /** Sends `n` rows to the encoder as one Arrow record batch. */
  private enqueue(f32: Float32Array, n: number): void {
    let children;
    const list =
      this.schema.fields.length === 1 && this.schema.fields[0].type instanceof FixedSizeList;
    if (list) {
      const values = makeData({ type: new Float32(), length: f32.length, data: f32 });
      children = [
        makeData({
          type: this.schema.fields[0].type as FixedSizeList,
          length: n,
          nullCount: 0,
          child: values,
        }),
      ];
    } else {
      children = this.schema.fields.map((_, j) => {
        const col = new Float32Array(n);
        for (let i = 0; i < n; i++) col[i] = f32[i * this.cols + j];
        return makeData({ type: new Float32(), length: n, data: col });
      });
    }
    const struct = makeData({
      type: new Struct(this.schema.fields),
      length: n,
      nullCount: 0,
      children,
    });
    const ipc = tableToIPC(new Table([new RecordBatch(this.schema, struct)]), 'stream');
    for (const b of this.toWasm(ipc)) this.ctrl.enqueue(b);
  }

  async finish(): Promise<void> {
    if (this.closed) throw new ShapeError(`ParquetStreamWriter(${this.path}): already finished`);
    this.closed = true;
    // The encoder takes its schema from the first batch: a file of no rows still needs one.
    if (this.count === 0) this.enqueue(new Float32Array(0), 0);
    this.ctrl.close();
    try {
      await this.done;
      await this.fh.sync();
    } catch (err) {
      await this.fh.close();
      rmSync(this.tmp, { force: true });
      throw err;
    }
    await this.fh.close();
    renameSync(this.tmp, this.path);
  }

  async abort(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.ctrl.error(new Error('aborted'));
      await this.done.catch(() => undefined);
    }
    await this.fh.close().catch(() => undefined);
    rmSync(this.tmp, { force: true });
  }
}
