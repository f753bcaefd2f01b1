/**
 * The streaming view of a data set: a sequence of row blocks of a known width, read into
 * caller-owned float32 buffers so that memory stays flat whatever the file size. Sources whose
 * row count is known up front and whose rows can be read at any position (`.npy`, shards,
 * Parquet, Arrow) are `RandomAccessSource`s; text (CSV) is read front to back only. Rows are
 * 0-based here; the DataErrors the sources raise use the 1-based rows of `data/dataset.ts`.
 * Every value a source returns is finite and within float32 range, unless the caller asked for
 * an unchecked read (`ReadOptions`) and checks the values itself.
 */
import { DataError, ShapeError } from '../../errors.js';
import { matrix, type Matrix32 } from '../../util/matrix.js';

/** `rows` rows starting at row `start`, row-major in `data` (exactly `rows * cols` values). */
export interface RowBlock {
  start: number;
  rows: number;
  /** A view of a buffer the source reuses: valid until the iterator advances. */
  data: Float32Array;
}

/** A data set read as blocks of rows, front to back. */
export interface RowSource {
  /** The path (file, folder or pattern) it reads, for messages. */
  readonly name: string;
  /** Values per row. */
  readonly cols: number;
  /** The row count when known without reading the data (undefined for CSV). */
  readonly rows: number | undefined;
  /** Rows in the file's own storage unit (a Parquet row group, an Arrow batch): a good block size. */
  readonly unitRows: number | undefined;
  /** Blocks of at most `blockRows` rows from the start, into one reused buffer. @throws DataError */
  blocks(blockRows: number): AsyncIterableIterator<RowBlock>;
  /** Releases file handles; the source cannot be read afterwards. */
  close(): Promise<void>;
}

/** How `readBlock` reads. */
export interface ReadOptions {
  /**
   * The caller checks every value for finiteness itself (epoch.ts does, in its one pass over a
   * window) and reads a block again without this option to report a bad one with its file, row
   * and byte: the source may then skip its own check. Sources that cannot skip it check anyway.
   */
  unchecked?: boolean;
}

/** A source whose rows can be read at any position. */
export interface RandomAccessSource extends RowSource {
  readonly rows: number;
  /**
   * Rows `start .. start+count-1` into `out` (allocated when omitted); returns the view of `out`
   * that holds them. @throws ShapeError on a range outside the data or a short buffer, DataError on bad data
   */
  readBlock(
    start: number,
    count: number,
    out?: Float32Array,
    options?: ReadOptions,
  ): Promise<Float32Array>;
}

/** Whether `s` reads rows at any position. */
export function isRandomAccess(s: RowSource): s is RandomAccessSource {
  return typeof (s as Partial<RandomAccessSource>).readBlock === 'function' && s.rows !== undefined;
}

/** The view of `out` (or a new array) that a block of `count` rows fills; checks the range. @throws ShapeError */
export function blockTarget(
  s: { name: string; rows: number; cols: number },
  start: number,
  count: number,
  out: Float32Array | undefined,
): Float32Array {
  if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0) {
    throw new ShapeError(
      `readBlock(${start}, ${count}): start and count must be non-negative integers`,
    );
  }
  if (start + count > s.rows) {
    throw new ShapeError(
      `readBlock(${start}, ${count}): ${s.name} has ${s.rows} rows; the block ends at row ${start + count}`,
    );
  }
  const n = count * s.cols;
  if (out === undefined) return new Float32Array(n);
  if (out.length < n) {
    throw new ShapeError(
      `readBlock(${start}, ${count}): out holds ${out.length} values, the block needs ${n} (${count} x ${s.cols})`,
    );
  }
  return out.subarray(0, n);
}

/** `blocks` for a random-access source: `readBlock` front to back into one buffer. */
export async function* blocksByRange(
  s: RandomAccessSource,
  blockRows: number,
): AsyncIterableIterator<RowBlock> {
  checkBlockRows(blockRows);
  const buf = new Float32Array(Math.min(blockRows, Math.max(s.rows, 1)) * s.cols);
  for (let start = 0; start < s.rows; start += blockRows) {
    const rows = Math.min(blockRows, s.rows - start);
    yield { start, rows, data: await s.readBlock(start, rows, buf) };
  }
}

/** @throws ShapeError unless `blockRows` is a positive integer */
export function checkBlockRows(blockRows: number): void {
  if (!Number.isInteger(blockRows) || blockRows < 1) {
    throw new ShapeError(`blockRows must be a positive integer, got ${blockRows}`);
  }
}

/**
 * Checks that float values decoded from `file` are finite and within float32 range: `src` holds
 * rows `firstRow..` of `cols` values (as read, before conversion) and `out` the float32 copy.
 * @throws DataError naming the 1-based row and field, and `byteAt(i)` when given
 */
export function checkBlockFinite(
  out: Float32Array,
  cols: number,
  firstRow: number,
  file: string,
  byteAt?: (i: number) => number,
): void {
  for (let i = 0; i < out.length; i++) {
    const v = out[i];
    // v - v is 0 for finite numbers and NaN otherwise: one test for NaN and both infinities.
    if (v - v !== 0) {
      const r = Math.floor(i / cols);
      const what = Number.isNaN(v)
        ? 'NaN in the data'
        : 'a non-finite value (or one outside the float32 range, |x| <= 3.4e38) in the data';
      const at = byteAt === undefined ? '' : ` at byte ${byteAt(i)}`;
      throw new DataError(`${what}${at}; expected finite numbers (drop or impute missing values)`, {
        file,
        row: firstRow + r + 1,
        field: i - r * cols + 1,
      });
    }
  }
}

/**
 * Reads a whole source into one float32 matrix: the in-memory path for data that fits.
 * @throws DataError on bad data, ShapeError when the data exceeds `maxRows`
 */
export async function readAllRows(s: RowSource, maxRows = Infinity): Promise<Matrix32> {
  if (s.rows !== undefined) {
    if (s.rows > maxRows) {
      throw new ShapeError(`${s.name} has ${s.rows} rows, more than the ${maxRows} allowed here`);
    }
    const out = new Float32Array(s.rows * s.cols);
    if (isRandomAccess(s)) {
      await s.readBlock(0, s.rows, out);
    } else {
      for await (const b of s.blocks(s.unitRows ?? 65536)) out.set(b.data, b.start * s.cols);
    }
    return matrix(s.rows, s.cols, out);
  }
  const parts: Float32Array[] = [];
  let rows = 0;
  for await (const b of s.blocks(s.unitRows ?? 65536)) {
    rows += b.rows;
    if (rows > maxRows) {
      throw new ShapeError(`${s.name} has more than the ${maxRows} rows allowed here`);
    }
    parts.push(b.data.slice());
  }
  const out = new Float32Array(rows * s.cols);
  let k = 0;
  for (const p of parts) {
    out.set(p, k);
    k += p.length;
  }
  return matrix(rows, s.cols, out);
}
