/**
 * A CSV/TSV/TXT table of numbers (optionally `.gz`) read as a stream of row blocks, front to
 * back, with the rules of `data/csv.ts`: the same delimiters, quoting, header detection (the
 * first non-blank line is a header when it holds a field that is not a number), and the same
 * DataErrors at the same 1-based line numbers. Blank lines are allowed before the data and at its
 * end only. The row count is discovered by the first complete pass.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { DataError } from '../../errors.js';
import { delimiterFor, parseNumber, splitLine, type Delimiter } from '../csv.js';
import { checkFloat32 } from '../io.js';
import { checkBlockRows, type RowBlock, type RowSource } from './source.js';

/** Options of `CsvSource.open`. */
export interface CsvSourceOptions {
  /** Whether the first non-blank line is a header; 'auto' (default) when it holds a non-number. */
  header?: boolean | 'auto';
  /** Field separator; by default from the extension, as in `readCsv`. */
  delimiter?: Delimiter;
}

const NON_FINITE = /^[+-]?(nan|inf|infinity)$/i;

/** csv.ts's header rule: a field is "numeric" when empty, a non-finite spelling, or a number. */
function looksNumeric(text: string): boolean {
  const t = text.trim();
  return t === '' || NON_FINITE.test(t) || !Number.isNaN(Number(t));
}

function lines(path: string): { input: Readable; rl: AsyncIterableIterator<string> } {
  const file = createReadStream(path);
  const input: Readable = path.toLowerCase().endsWith('.gz') ? file.pipe(createGunzip()) : file;
  if (input !== file) file.on('error', (e) => input.destroy(e));
  const rl = createInterface({ input, crlfDelay: Infinity });
  return { input, rl: rl[Symbol.asyncIterator]() };
}

function readFailure(err: unknown, file: string, row: number): DataError {
  if (err instanceof DataError) return err;
  const e = err as NodeJS.ErrnoException;
  const why =
    e.code === 'ENOENT'
      ? 'file not found'
      : e.code === 'Z_DATA_ERROR' || e.code === 'Z_BUF_ERROR' || e.errno === -3
        ? `not a valid gzip stream (${e.message}) after line ${row - 1}`
        : `cannot read file (${e.code ?? e.message}) after line ${row - 1}`;
  return new DataError(why, { file }, { cause: err });
}

/** A delimited text file as a front-to-back row source; see the module doc. */
export class CsvSource implements RowSource {
  readonly unitRows = undefined;
  private known: number | undefined;

  private constructor(
    readonly name: string,
    readonly cols: number,
    private readonly delim: Delimiter,
    /** 1-based line of the first data row. */
    private readonly firstLine: number,
    /** The header's names, when the file has one. */
    readonly columnNames: readonly string[] | undefined,
  ) {}

  /** Reads the first lines of `path` to learn the width and header. @throws DataError */
  static async open(path: string, opts: CsvSourceOptions = {}): Promise<CsvSource> {
    const delim = opts.delimiter ?? delimiterFor(path);
    const { input, rl } = lines(path);
    let row = 0;
    try {
      for (;;) {
        const next = await rl.next();
        if (next.done === true) {
          throw new DataError('empty file; expected rows of numbers', { file: path });
        }
        row++;
        const text = row === 1 ? next.value.replace(/^\ufeff/, '') : next.value;
        if (text.trim() === '') continue;
        const fields = splitLine(text, delim, path, row);
        const header =
          opts.header === 'auto' || opts.header === undefined
            ? fields.some((f) => !looksNumeric(f))
            : opts.header;
        const names = header ? fields.map((f) => f.trim()) : undefined;
        return new CsvSource(path, fields.length, delim, header ? row + 1 : row, names);
      }
    } catch (err) {
      throw readFailure(err, path, row + 1);
    } finally {
      input.destroy();
    }
  }

  get rows(): number | undefined {
    return this.known;
  }

  async *blocks(blockRows: number): AsyncIterableIterator<RowBlock> {
    checkBlockRows(blockRows);
    const { name: file, cols, delim } = this;
    const { input, rl } = lines(file);
    const buf = new Float32Array(blockRows * cols);
    let row = 0;
    let k = 0;
    let start = 0;
    let blank: number | undefined;
    try {
      for (;;) {
        let next: IteratorResult<string>;
        try {
          next = await rl.next();
        } catch (err) {
          throw readFailure(err, file, row + 1);
        }
        if (next.done === true) break;
        row++;
        if (row < this.firstLine) continue;
        const text = next.value;
        if (text.trim() === '') {
          blank ??= row;
          continue;
        }
        if (blank !== undefined) {
          throw new DataError(`blank line inside the data; expected ${cols} fields`, {
            file,
            row: blank,
          });
        }
        const fields = splitLine(text, delim, file, row);
        if (fields.length !== cols) {
          throw new DataError(
            `expected ${cols} fields (as in row ${this.firstLine}), found ${fields.length}`,
            { file, row },
          );
        }
        const o = k * cols;
        for (let j = 0; j < cols; j++) {
          buf[o + j] = checkFloat32(parseNumber(fields[j], file, row, j + 1), file, row, j + 1);
        }
        if (++k === blockRows) {
          yield { start, rows: k, data: buf };
          start += k;
          k = 0;
        }
      }
      if (k > 0) yield { start, rows: k, data: buf.subarray(0, k * cols) };
      if (start + k === 0) {
        throw new DataError('no data rows; expected rows of numbers', { file });
      }
      this.known = start + k;
    } finally {
      input.destroy();
    }
  }

  async close(): Promise<void> {
    // Each pass opens and closes its own stream: nothing stays open between passes.
  }
}
