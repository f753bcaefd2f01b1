/**
 * A Parquet file as a random-access row source, decoded one row group at a time by parquet-wasm
 * (the Rust `parquet` crate compiled to WebAssembly; chosen over hyparquet by measurement, see
 * bench/README.md) and handed over as Arrow record batches. Rows are several numeric columns or
 * one list column of numbers (`arrow-rows.ts`). The footer is read here; row groups are decoded
 * in a worker thread (`parquet-worker.ts`), so a corrupt page is a DataError rather than a
 * WebAssembly panic in this thread. The file is read through a file-backed Blob, so only the
 * footer and the row groups asked for are read; memory holds one decoded row group.
 */
import { openAsBlob, statSync } from 'node:fs';
import { tableFromIPC, type Schema } from 'apache-arrow';
import type { ParquetFile } from 'parquet-wasm';
import { DataError } from '../../errors.js';
import { ParquetDecoder } from './parquet-worker.js';
import { batchToRows, listWidth, planColumns, type ColumnPlan } from './arrow-rows.js';
import { blocksByRange, blockTarget, type RandomAccessSource, type RowBlock } from './source.js';

/** Options of `ParquetSource.open`. */
export interface ParquetSourceOptions {
  /** Columns that make a row: numeric columns, or one list column; see `planColumns`. */
  columns?: readonly string[];
}

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
  private cached: { group: number; rows: Float32Array } | undefined;
  private buffer = new Float32Array(0);
  // Reads run one after another: they share the decoded row group.
  private tail: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly name: string,
    readonly cols: number,
    private readonly decoder: ParquetDecoder,
    private readonly plan: ColumnPlan,
    /** Rows in each row group. */
    readonly groupRows: readonly number[],
  ) {
    for (const n of groupRows)
      this.groupStart.push(this.groupStart[this.groupStart.length - 1] + n);
    this.rows = this.groupStart[this.groupStart.length - 1];
    this.unitRows = groupRows.length > 0 ? Math.max(...groupRows) : undefined;
  }

  /** Reads the footer of `path` and picks its columns. @throws DataError, ConfigError on unknown columns */
  static async open(path: string, opts: ParquetSourceOptions = {}): Promise<ParquetSource> {
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
    return new ParquetSource(path, cols, decoder, plan, groupRows);
  }

  private async group(g: number): Promise<Float32Array> {
    if (this.cached?.group === g) return this.cached.rows;
    this.cached = undefined;
    const n = this.groupRows[g];
    if (this.buffer.length < n * this.cols) this.buffer = new Float32Array(n * this.cols);
    const names = this.plan.kind === 'list' ? [this.plan.name] : this.plan.names;
    const what = `cannot read row group ${g + 1} of ${this.groupRows.length} (rows ${this.groupStart[g] + 1}-${this.groupStart[g + 1]})`;
    let table;
    try {
      table = tableFromIPC(
        await this.decoder.read(
          { rowGroups: [g], columns: names, batchSize: Math.max(n, 1) },
          what,
        ),
      );
    } catch (err) {
      throw wasmFailure(err, this.name, what);
    }
    const plan = remap(this.plan, table.schema);
    let r = 0;
    for (const batch of table.batches) {
      const view = this.buffer.subarray(r * this.cols, (r + batch.numRows) * this.cols);
      batchToRows(batch, plan, this.cols, view, this.groupStart[g] + r, this.name);
      r += batch.numRows;
    }
    if (r !== n) {
      throw new DataError(`row group ${g + 1} decoded to ${r} rows; its metadata says ${n}`, {
        file: this.name,
      });
    }
    const rows = this.buffer.subarray(0, n * this.cols);
    this.cached = { group: g, rows };
    return rows;
  }

  private async read(start: number, count: number, dst: Float32Array): Promise<void> {
    let row = start;
    let g = 0;
    while (row < start + count) {
      while (this.groupStart[g + 1] <= row) g++;
      const rows = await this.group(g);
      const local = row - this.groupStart[g];
      const n = Math.min(this.groupRows[g] - local, start + count - row);
      dst.set(rows.subarray(local * this.cols, (local + n) * this.cols), (row - start) * this.cols);
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
    this.cached = undefined;
    this.buffer = new Float32Array(0);
    await this.decoder.close();
  }
}
