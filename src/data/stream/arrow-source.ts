/**
 * An Arrow IPC file (`.arrow`, Feather v2) or stream (`.arrows`) read one record batch at a time
 * with apache-arrow, front to back: numeric columns or one list column of numbers make a row
 * (`arrow-rows.ts`). Memory holds one decoded batch. The row count is discovered by the first
 * complete pass. Compressed IPC bodies (LZ4/ZSTD) are not decoded by apache-arrow and are reported
 * as DataErrors.
 */
import type { FileHandle } from 'node:fs/promises';
import { RecordBatchReader, type RecordBatch } from 'apache-arrow';
import { DataError } from '../../errors.js';
import { batchToRows, listWidth, planColumns, type ColumnPlan } from './arrow-rows.js';
import { openHandle } from './npy-source.js';
import { checkBlockRows, type RowBlock, type RowSource } from './source.js';

/** Options of `ArrowSource.open`. */
export interface ArrowSourceOptions {
  /** Columns that make a row: numeric columns, or one list column; see `planColumns`. */
  columns?: readonly string[];
}

function arrowFailure(err: unknown, file: string, what: string): DataError {
  if (err instanceof DataError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  return new DataError(`${what}: ${msg}`, { file }, { cause: err });
}

async function reader(fh: FileHandle, file: string) {
  try {
    const r = await RecordBatchReader.from(fh);
    await r.open();
    // An empty or cut stream opens without error but has no schema.
    if ((r.schema as unknown) == null) throw new Error('no schema message (empty or truncated)');
    return r;
  } catch (err) {
    throw arrowFailure(err, file, 'not a readable Arrow IPC file');
  }
}

/** An Arrow IPC file as a front-to-back source; see the module doc. */
export class ArrowSource implements RowSource {
  readonly unitRows = undefined;
  private known: number | undefined;

  private constructor(
    readonly name: string,
    readonly cols: number,
    private readonly plan: ColumnPlan,
  ) {}

  /** Reads the schema (and, for a variable list column, the first batch). @throws DataError, ConfigError */
  static async open(path: string, opts: ArrowSourceOptions = {}): Promise<ArrowSource> {
    const fh = await openHandle(path);
    try {
      const r = await reader(fh, path);
      const plan = planColumns(r.schema, opts.columns, path);
      let cols: number;
      if (plan.kind === 'columns') cols = plan.indices.length;
      else if (plan.fixedWidth !== undefined) cols = plan.fixedWidth;
      else {
        let first: RecordBatch | undefined;
        try {
          for await (const b of r) {
            if (b.numRows > 0) {
              first = b;
              break;
            }
          }
        } catch (err) {
          throw arrowFailure(err, path, 'cannot read the first record batch');
        }
        if (first === undefined) throw new DataError('the file holds no rows', { file: path });
        cols = listWidth(first, plan);
      }
      if (cols < 1) throw new DataError('the selected column holds empty lists', { file: path });
      return new ArrowSource(path, cols, plan);
    } finally {
      await fh.close();
    }
  }

  get rows(): number | undefined {
    return this.known;
  }

  async *blocks(blockRows: number): AsyncIterableIterator<RowBlock> {
    checkBlockRows(blockRows);
    const fh = await openHandle(this.name);
    let buf = new Float32Array(0);
    let start = 0;
    let batchNo = 0;
    try {
      const r = await reader(fh, this.name);
      const it = r[Symbol.asyncIterator]();
      for (;;) {
        let next: IteratorResult<RecordBatch>;
        try {
          next = await it.next();
        } catch (err) {
          throw arrowFailure(
            err,
            this.name,
            `cannot read record batch ${batchNo + 1} (after row ${start})`,
          );
        }
        if (next.done === true) break;
        batchNo++;
        const b = next.value;
        const n = b.numRows;
        if (buf.length < n * this.cols) buf = new Float32Array(n * this.cols);
        batchToRows(b, this.plan, this.cols, buf, start, this.name);
        for (let k = 0; k < n; k += blockRows) {
          const m = Math.min(blockRows, n - k);
          yield {
            start: start + k,
            rows: m,
            data: buf.subarray(k * this.cols, (k + m) * this.cols),
          };
        }
        start += n;
      }
      this.known = start;
    } finally {
      await fh.close();
    }
  }

  async close(): Promise<void> {
    // Each pass opens and closes its own handle: nothing stays open between passes.
  }
}
