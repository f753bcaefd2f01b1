/**
 * The streaming path of `aedr encode` and `aedr decode`: rows `start .. end-1` of a row source are
 * read in blocks of about `BLOCK_BYTES`, each block goes through the model (`encode` or `decode`)
 * and is appended to a stream writer (`.npy` with its header fixed at the end, `.csv`/`.tsv`, or
 * `.parquet`), which writes a temporary file renamed into place at the end. A random-access source
 * reads the next block while the model runs on the current one (two buffers), so memory is a few
 * blocks whatever the input size. Progress: rows/s and ETA, redrawn on a terminal, a plain line
 * every `LINE_SECONDS` elsewhere.
 */
import { extname } from 'node:path';
import { DataError } from '../errors.js';
import type { RowSource } from '../data/stream/source.js';
import { isRandomAccess } from '../data/stream/source.js';
import { CsvStreamWriter, NpyStreamWriter, type StreamWriter } from '../data/stream/writers.js';
import { matrix, type Matrix32 } from '../util/matrix.js';
import type { CliIo } from './context.js';
import { UsageError } from './context.js';
import { groupDigits } from './describe.js';
import { statusLine } from './progress.js';

/** Inputs (.npy, CSV codes or data) of at least this many bytes are streamed. */
export const STREAM_BYTES = 256 << 20;
/** Input bytes per block: large enough for onnxruntime to batch well, small next to memory. */
export const BLOCK_BYTES = 8 << 20;
/** Seconds between plain progress lines when stderr is not a terminal. */
export const LINE_SECONDS = 10;

/** The output formats of the streaming path. */
export type StreamOutputKind = 'npy' | 'csv' | 'parquet';

/** The streaming output kind `path`'s extension names. @throws UsageError naming `flag` */
export function streamOutputKind(path: string, flag: string): StreamOutputKind {
  const ext = extname(path).toLowerCase();
  if (ext === '.npy') return 'npy';
  if (ext === '.csv' || ext === '.tsv') return 'csv';
  if (ext === '.parquet' || ext === '.pq') return 'parquet';
  throw new UsageError(
    `${flag} ${path}: unknown output format; expected a file name ending in .npy, .csv, .tsv or .parquet`,
  );
}

/** A stream writer for `path` with `cols` float32 columns named `prefix`0.. (CSV, Parquet). */
export async function openStreamWriter(
  path: string,
  cols: number,
  prefix: string,
): Promise<StreamWriter> {
  const names = Array.from({ length: cols }, (_, j) => `${prefix}${j}`);
  switch (streamOutputKind(path, '--out')) {
    case 'npy':
      return NpyStreamWriter.open(path, cols);
    case 'csv':
      return CsvStreamWriter.open(path, cols, { header: names });
    case 'parquet': {
      const { ParquetStreamWriter } = await import('../data/stream/parquet-writer.js');
      return ParquetStreamWriter.open(path, cols, { names });
    }
  }
}

/** Rows per block for `cols` input values per row. */
export function blockRowsFor(cols: number): number {
  return Math.max(1, Math.min(65536, Math.floor(BLOCK_BYTES / (4 * cols))));
}

/** Options of `streamRows`. */
export interface StreamRowsOptions {
  /** First row (default 0). */
  start?: number;
  /** One past the last row (default: the source's end). */
  end?: number;
  /** The model step applied to each block. */
  transform: (block: Matrix32) => Promise<Matrix32>;
  /** Called after each block with the rows written so far. */
  onRows?: (rows: number) => void;
}

/**
 * Rows `start .. end-1` of `source` through `transform` into `writer` (not finished here).
 * Returns the rows written. @throws DataError from the source, ShapeError from the model
 */
export async function streamRows(
  source: RowSource,
  writer: StreamWriter,
  o: StreamRowsOptions,
): Promise<number> {
  const start = o.start ?? 0;
  const blockRows = blockRowsFor(source.cols);
  let done = 0;
  const put = async (data: Float32Array, rows: number): Promise<void> => {
    const out = await o.transform(matrix(rows, source.cols, data));
    await writer.append(out.data);
    done += rows;
    o.onRows?.(done);
  };
  if (isRandomAccess(source)) {
    const end = Math.min(o.end ?? source.rows, source.rows);
    if (end <= start) return 0;
    const n = Math.min(blockRows, end - start);
    const bufs = [new Float32Array(n * source.cols), new Float32Array(n * source.cols)];
    const read = (at: number, k: number): Promise<Float32Array> =>
      source.readBlock(at, Math.min(blockRows, end - at), bufs[k]);
    let next: Promise<Float32Array> | undefined = read(start, 0);
    for (let at = start, k = 0; next !== undefined; at += blockRows, k ^= 1) {
      const data: Float32Array = await next;
      // Read ahead into the other buffer while the model runs on this one.
      next = at + blockRows < end ? read(at + blockRows, k ^ 1) : undefined;
      try {
        await put(data, data.length / source.cols);
      } catch (err) {
        await next?.catch(() => undefined);
        throw err;
      }
    }
    return done;
  }
  const end = o.end ?? Infinity;
  for await (const b of source.blocks(blockRows)) {
    const lo = Math.max(start, b.start);
    const hi = Math.min(end, b.start + b.rows);
    if (hi > lo) {
      await put(
        b.data.subarray((lo - b.start) * source.cols, (hi - b.start) * source.cols),
        hi - lo,
      );
    }
    if (b.start + b.rows >= end) break;
  }
  return done;
}

/** The number of rows of a source, counted by reading it when it does not know. */
export async function countRows(source: RowSource): Promise<number> {
  if (source.rows !== undefined) return source.rows;
  let n = 0;
  for await (const b of source.blocks(blockRowsFor(source.cols))) n += b.rows;
  return n;
}

/** Prints rows/s and ETA: see the module doc. */
export interface RowProgress {
  update(rows: number): void;
  done(): void;
}

/** A RowProgress for `total` rows (unknown: no ETA) labelled `what`; silent when `quiet`. */
export function rowProgress(
  io: CliIo,
  what: string,
  total: number | undefined,
  quiet: boolean | undefined,
): RowProgress {
  if (quiet === true) return { update() {}, done() {} };
  const status = statusLine(io);
  const t0 = performance.now();
  let lastDraw = 0;
  let lastLine = t0;
  const text = (rows: number): string => {
    const s = (performance.now() - t0) / 1000;
    const rate = s > 0 ? rows / s : 0;
    const of = total !== undefined ? `/${groupDigits(total)}` : '';
    const pct = total !== undefined && total > 0 ? ` (${Math.floor((100 * rows) / total)}%)` : '';
    const eta =
      total !== undefined && rate > 0 ? `  ETA ${formatSeconds((total - rows) / rate)}` : '';
    return `${what}: ${groupDigits(rows)}${of} rows${pct}  ${groupDigits(Math.round(rate))} rows/s${eta}`;
  };
  return {
    update(rows) {
      const now = performance.now();
      if (io.errIsTty) {
        if (now - lastDraw >= 100) {
          status.draw(text(rows));
          lastDraw = now;
        }
      } else if (now - lastLine >= LINE_SECONDS * 1000) {
        status.line(text(rows));
        lastLine = now;
      }
    },
    done() {
      status.clear();
    },
  };
}

/** 75 -> "1m15s", 3725 -> "1h02m". */
export function formatSeconds(s: number): string {
  const t = Math.max(0, Math.round(s));
  if (t < 60) return `${t}s`;
  if (t < 3600) return `${Math.floor(t / 60)}m${String(t % 60).padStart(2, '0')}s`;
  return `${Math.floor(t / 3600)}h${String(Math.floor((t % 3600) / 60)).padStart(2, '0')}m`;
}

/** @throws DataError when the source's width is not the model's */
export function checkWidth(source: RowSource, want: number, what: string, model: string): void {
  if (source.cols !== want) {
    throw new DataError(
      `has ${source.cols} columns, but the model ${model} ${what} ${want}; expected data like its training data`,
      { file: source.name },
    );
  }
}
