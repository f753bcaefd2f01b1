/**
 * A Parquet file as a random-access row source, decoded by parquet-wasm (the Rust `parquet` crate
 * compiled to WebAssembly; chosen over hyparquet by measurement, see bench/README.md) and handed
 * over as Arrow record batches. Rows are several numeric columns or one list column of numbers
 * (`arrow-rows.ts`). The footer is read here; rows are decoded in a worker thread
 * (`parquet-worker.ts`), so a corrupt page is a DataError rather than a WebAssembly panic in this
 * thread, and no read asks for a whole row group:
 * - a row group with a page index (the offset index parquet-rs and parquet-mr write by default;
 *   `parquet-footer.ts` tells) is read by row ranges of at most `sliceRows` rows (parquet-rs
 *   `offset`/`limit`), which fetch only the pages they touch: memory holds one slice;
 * - a row group without one (pyarrow's default) would be fetched whole for every range, so it is
 *   read as a stream of `sliceRows`-row batches, kept open while reads go front to back; the
 *   worker then holds the group's column chunk and its decoded rows (parquet-wasm decodes a group
 *   at once), here one batch. Random reads in such a group decode it again from the start.
 */
import { openAsBlob, statSync } from 'node:fs';
import { tableFromIPC, type Schema, type Table } from 'apache-arrow';
import type { ParquetFile } from 'parquet-wasm';
import { ConfigError, DataError } from '../../errors.js';
import { offsetIndexed } from './parquet-footer.js';
import { ParquetDecoder } from './parquet-worker.js';
import { batchToRows, listWidth, planColumns, type ColumnPlan } from './arrow-rows.js';
import { blocksByRange, blockTarget, type RandomAccessSource, type RowBlock } from './source.js';

/** Options of `ParquetSource.open`. */
export interface ParquetSourceOptions {
  /** Columns that make a row: numeric columns, or one list column; see `planColumns`. */
  columns?: readonly string[];
  /** Rows decoded per read (default: about `SLICE_BYTES` of float32 rows, at least 1). */
  sliceRows?: number;
}

/** Bytes of float32 rows one read decodes by default: small next to memory, large per call. */
export const SLICE_BYTES = 8 << 20;

function remap(plan: ColumnPlan, schema: Schema): ColumnPlan {
  const at = (name: string): number => schema.fields.findIndex((f) => f.name === name);
  return plan.kind === 'list'
    ? { ...plan, index: at(plan.name) }
    : { ...plan, indices: plan.names.map(at) };
}

function wasmFailure(err: unknown, file: string, what: string): DataError {
  if (err instanceof DataError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  return new DataError(`${what}: ${msg}`, { file }, { cause: err });
}

/** A Parquet file as a random-access source; see the module doc. */
export class ParquetSource implements RandomAccessSource {
  readonly rows: number;
  readonly unitRows: number | undefined;
  private readonly groupStart: number[] = [0];
  // Reads run one after another: the worker decodes one at a time, so memory holds one.
  private tail: Promise<unknown> = Promise.resolve();
  // The last batch of a group without a page index, decoded: the next read usually continues it.
  private batch: { group: number; index: number; rows: Float32Array } | undefined;
  private batchBuffer = new Float32Array(0);

  private constructor(
    readonly name: string,
    readonly cols: number,
    private readonly decoder: ParquetDecoder,
    private readonly plan: ColumnPlan,
    /** Rows in each row group. */
    readonly groupRows: readonly number[],
    /** Rows one read decodes at most. */
    readonly sliceRows: number,
    /** Per row group, whether it has an offset index (then rows are read by range). */
    readonly pageIndexed: readonly boolean[],
  ) {
    for (const n of groupRows)
      this.groupStart.push(this.groupStart[this.groupStart.length - 1] + n);
    this.rows = this.groupStart[this.groupStart.length - 1];
    this.unitRows = groupRows.length > 0 ? Math.max(...groupRows) : undefined;
  }

  /** Reads the footer of `path` and picks its columns. @throws DataError, ConfigError on unknown columns or a bad sliceRows */
  static async open(path: string, opts: ParquetSourceOptions = {}): Promise<ParquetSource> {
    if (
      opts.sliceRows !== undefined &&
      !(Number.isSafeInteger(opts.sliceRows) && opts.sliceRows > 0)
    ) {
      throw new ConfigError(`sliceRows: expected a positive integer, got ${opts.sliceRows}`);
    }
    let blob: Blob;
    try {
      // openAsBlob reports a missing file as an invalid argument; stat names the cause.
      statSync(path);
      blob = await openAsBlob(path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new DataError(
        code === 'ENOENT' ? 'file not found' : `cannot open file (${code ?? String(err)})`,
        { file: path },
        { cause: err },
      );
    }
    const pw = await import('parquet-wasm');
    let pf: ParquetFile | undefined;
    let schema: Schema;
    let groupRows: number[];
    try {
      pf = await pw.ParquetFile.fromFile(blob);
      groupRows = pf
        .metadata()
        .rowGroups()
        .map((g) => g.numRows());
      schema = tableFromIPC(pf.schema().intoIPCStream()).schema;
    } catch (err) {
      throw wasmFailure(err, path, 'not a readable Parquet file');
    } finally {
      // Only the footer is read here; row groups are decoded in the decoder's worker.
      pf?.free();
    }
    const decoder = new ParquetDecoder(path);
    const plan = planColumns(schema, opts.columns, path);
    let cols: number;
    if (plan.kind === 'columns') cols = plan.indices.length;
    else if (plan.fixedWidth !== undefined) cols = plan.fixedWidth;
    else {
      const first = groupRows.findIndex((n) => n > 0);
      if (first < 0) throw new DataError('the file holds no rows', { file: path });
      let t;
      try {
        const ipc = await decoder.read(
          { rowGroups: [first], columns: [plan.name], limit: 1 },
          `cannot read row group ${first + 1}`,
        );
        t = tableFromIPC(ipc);
      } catch (err) {
        await decoder.close();
        throw wasmFailure(err, path, `cannot read row group ${first + 1}`);
      }
      cols = listWidth(t.batches[0], remap(plan, t.schema) as ColumnPlan & { kind: 'list' });
    }
    if (cols < 1) {
      await decoder.close();
      throw new DataError(`column '${plan.kind === 'list' ? plan.name : ''}' holds empty lists`, {
        file: path,
      });
    }
    const sliceRows = opts.sliceRows ?? Math.max(1, Math.floor(SLICE_BYTES / (4 * cols)));
    const indexed = offsetIndexed(path);
    const pageIndexed = groupRows.map((_, g) => indexed?.[g] ?? false);
    return new ParquetSource(path, cols, decoder, plan, groupRows, sliceRows, pageIndexed);
  }

  /**
   * Rows `local .. local+n-1` of row group `g` into `dst` (n * cols values), in reads of at most
   * `sliceRows` rows: parquet-rs fetches only the pages a row range touches when the file has a
   * page index, and the worker's memory follows the largest read.
   */
  private async readRange(g: number, local: number, n: number, dst: Float32Array): Promise<void> {
    const names = this.columnNames();
    const what = this.what(g);
    for (let done = 0; done < n;) {
      const want = Math.min(this.sliceRows, n - done);
      const first = this.groupStart[g] + local + done;
      let table;
      try {
        table = tableFromIPC(
          await this.decoder.read(
            {
              rowGroups: [g],
              columns: names,
              offset: local + done,
              limit: want,
              batchSize: want,
            },
            what,
          ),
        );
      } catch (err) {
        throw wasmFailure(err, this.name, what);
      }
      this.copyRows(table, want, dst.subarray(done * this.cols), first, g);
      done += want;
    }
  }

  private columnNames(): string[] {
    return this.plan.kind === 'list' ? [this.plan.name] : this.plan.names;
  }

  private what(g: number): string {
    return `cannot read row group ${g + 1} of ${this.groupRows.length} (rows ${this.groupStart[g] + 1}-${this.groupStart[g + 1]})`;
  }

  /** Decodes `rows` rows of `table` into `dst` (row `first` of the file first). @throws DataError */
  private copyRows(table: Table, rows: number, dst: Float32Array, first: number, g: number): void {
    const plan = remap(this.plan, table.schema);
    let r = 0;
    for (const batch of table.batches) {
      if (r + batch.numRows > rows) break;
      const view = dst.subarray(r * this.cols, (r + batch.numRows) * this.cols);
      batchToRows(batch, plan, this.cols, view, first + r, this.name);
      r += batch.numRows;
    }
    if (r !== rows || table.numRows !== rows) {
      throw new DataError(
        `${this.what(g)}: rows ${first + 1}-${first + rows} decoded to ${table.numRows} rows; the metadata says the group holds ${this.groupRows[g]}`,
        { file: this.name },
      );
    }
  }

  /**
   * Rows `local .. local+n-1` of row group `g` (which has no page index) into `dst`, from batches
   * of `sliceRows` rows of one stream over the group: the worker decodes the group once when it is
   * read front to back, and the last batch is kept here for the read that continues it.
   */
  private async readBatches(g: number, local: number, n: number, dst: Float32Array): Promise<void> {
    const s = this.sliceRows;
    for (let done = 0; done < n;) {
      const k = Math.floor((local + done) / s);
      if (this.batch?.group !== g || this.batch.index !== k) {
        this.batch = undefined;
        const rows = Math.min(s, this.groupRows[g] - k * s);
        if (this.batchBuffer.length < s * this.cols)
          this.batchBuffer = new Float32Array(s * this.cols);
        const what = this.what(g);
        let table;
        try {
          table = tableFromIPC(
            await this.decoder.readBatch(
              { rowGroup: g, columns: this.columnNames(), batchSize: s, index: k },
              what,
            ),
          );
        } catch (err) {
          throw wasmFailure(err, this.name, what);
        }
        const view = this.batchBuffer.subarray(0, rows * this.cols);
        this.copyRows(table, rows, view, this.groupStart[g] + k * s, g);
        this.batch = { group: g, index: k, rows: view };
      }
      const from = local + done - k * s;
      const m = Math.min(this.batch.rows.length / this.cols - from, n - done);
      dst.set(this.batch.rows.subarray(from * this.cols, (from + m) * this.cols), done * this.cols);
      done += m;
    }
  }

  private async read(start: number, count: number, dst: Float32Array): Promise<void> {
    let row = start;
    let g = 0;
    while (row < start + count) {
      while (this.groupStart[g + 1] <= row) g++;
      const local = row - this.groupStart[g];
      const n = Math.min(this.groupRows[g] - local, start + count - row);
      const at = (row - start) * this.cols;
      const part = dst.subarray(at, at + n * this.cols);
      if (this.pageIndexed[g]) await this.readRange(g, local, n, part);
      else await this.readBatches(g, local, n, part);
      row += n;
    }
  }

  async readBlock(start: number, count: number, out?: Float32Array): Promise<Float32Array> {
    const dst = blockTarget(this, start, count, out);
    const run = this.tail.then(() => this.read(start, count, dst));
    this.tail = run.catch(() => undefined);
    await run;
    return dst;
  }

  blocks(blockRows: number): AsyncIterableIterator<RowBlock> {
    return blocksByRange(this, blockRows);
  }

  async close(): Promise<void> {
    await this.tail;
    this.batch = undefined;
    this.batchBuffer = new Float32Array(0);
    await this.decoder.close();
  }
}
