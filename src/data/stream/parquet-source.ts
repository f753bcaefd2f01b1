/**
 * A Parquet file as a random-access row source, decoded by parquet-wasm (the Rust `parquet` crate
 * compiled to WebAssembly; chosen over hyparquet by measurement, see bench/README.md) and handed
 * over as Arrow record batches. Rows are several numeric columns or one list column of numbers
 * (`arrow-rows.ts`). The footer is read here; rows are decoded in a worker thread
 * (`parquet-worker.ts`), so a corrupt page is a DataError rather than a WebAssembly panic in this
 * thread. The file is read through a file-backed Blob, and a read asks for a row range of at most
 * `sliceRows` rows inside one row group (parquet-rs `offset`/`limit`), never a whole group: with a
 * page index (the offset index that parquet-rs and parquet-mr write) only the pages that range
 * touches are fetched; without one, parquet-rs fetches the group's whole column chunk for each
 * read. Memory holds one slice of decoded rows (and, without a page index, one column chunk).
 */
import { openAsBlob, statSync } from 'node:fs';
import { tableFromIPC, type Schema } from 'apache-arrow';
import type { ParquetFile } from 'parquet-wasm';
import { ConfigError, DataError } from '../../errors.js';
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

  private constructor(
    readonly name: string,
    readonly cols: number,
    private readonly decoder: ParquetDecoder,
    private readonly plan: ColumnPlan,
    /** Rows in each row group. */
    readonly groupRows: readonly number[],
    /** Rows one read decodes at most. */
    readonly sliceRows: number,
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
    return new ParquetSource(path, cols, decoder, plan, groupRows, sliceRows);
  }

  /**
   * Rows `local .. local+n-1` of row group `g` into `dst` (n * cols values), in reads of at most
   * `sliceRows` rows: parquet-rs fetches only the pages a row range touches when the file has a
   * page index, and the worker's memory follows the largest read.
   */
  private async readGroup(g: number, local: number, n: number, dst: Float32Array): Promise<void> {
    const names = this.plan.kind === 'list' ? [this.plan.name] : this.plan.names;
    const what = `cannot read row group ${g + 1} of ${this.groupRows.length} (rows ${this.groupStart[g] + 1}-${this.groupStart[g + 1]})`;
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
      const plan = remap(this.plan, table.schema);
      let r = 0;
      for (const batch of table.batches) {
        if (r + batch.numRows > want) break;
        const view = dst.subarray((done + r) * this.cols, (done + r + batch.numRows) * this.cols);
        batchToRows(batch, plan, this.cols, view, first + r, this.name);
        r += batch.numRows;
      }
      if (r !== want) {
        throw new DataError(
          `${what}: rows ${first + 1}-${first + want} decoded to ${table.numRows} rows; the metadata says the group holds ${this.groupRows[g]}`,
          { file: this.name },
        );
      }
      done += want;
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
      await this.readGroup(g, local, n, dst.subarray(at, at + n * this.cols));
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
    await this.decoder.close();
  }
}
