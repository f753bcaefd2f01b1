/**
 * Writers that append row blocks to a file whose final row count is not known in advance, with
 * flat memory: `.npy` (float32 or float64, version 1.0) and CSV/TSV. Both write to a temporary
 * file beside the target (`util/atomic.ts` naming, so a killed writer's leftovers are cleaned by
 * the next write) and rename it over the target in `finish`, so readers never see a partial
 * file. The `.npy` header is written first with its shape padded to the widest row count, then
 * rewritten in place with the final shape: the same header length, as NEP 1 allows.
 */
import { mkdirSync, rmSync, renameSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ShapeError } from '../../errors.js';
import { removeStaleTemps, tempPathFor } from '../../util/atomic.js';
import { delimiterFor, formatNumber } from '../csv.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
const HOST_LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** What a stream writer does: append blocks, then finish (rename into place) or abort. */
export interface StreamWriter {
  /** The file written on `finish`. */
  readonly path: string;
  /** Rows appended so far. */
  readonly rows: number;
  /** Appends `data.length / cols` rows. @throws ShapeError when not whole rows */
  append(data: Float32Array | Float64Array): Promise<void>;
  /** Completes the file and renames it into place. */
  finish(): Promise<void>;
  /** Removes the temporary file; the target is left as it was. */
  abort(): Promise<void>;
}

/** The `.npy` v1.0 header of a 2-d C-order array, padded to `length` bytes when given. */
export function npyHeader(descr: string, rows: number, cols: number, length?: number): Uint8Array {
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  // numpy pads with spaces and a final '\n' so the data starts at a multiple of 64 bytes.
  const total = length ?? Math.ceil((10 + dict.length + 1) / 64) * 64;
  const text = dict.padEnd(total - 11, ' ') + '\n';
  if (10 + text.length !== total) {
    throw new ShapeError(`npyHeader: shape (${rows}, ${cols}) does not fit ${total} bytes`);
  }
  const out = new Uint8Array(total);
  out.set([...MAGIC, 1, 0]);
  new DataView(out.buffer).setUint16(8, text.length, true);
  out.set(Buffer.from(text, 'latin1'), 10);
  return out;
}

async function openTemp(path: string): Promise<{ tmp: string; fh: FileHandle }> {
  mkdirSync(dirname(path), { recursive: true });
  removeStaleTemps(path);
  const tmp = tempPathFor(path);
  return { tmp, fh: await open(tmp, 'w') };
}

async function writeAll(fh: FileHandle, bytes: Uint8Array, position: number | null): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await fh.write(
      bytes,
      done,
      bytes.length - done,
      position === null ? null : position + done,
    );
    done += bytesWritten;
  }
}

function checkRows(data: { length: number }, cols: number, what: string): number {
  if (data.length % cols !== 0) {
    throw new ShapeError(
      `${what}.append: ${data.length} values are not whole rows of ${cols}; expected a multiple of ${cols}`,
    );
  }
  return data.length / cols;
}

/**
 * Appends rows to a `.npy` file; see the module doc.
 * @example
 * const w = await NpyStreamWriter.open('codes.npy', 2);
 * await w.append(new Float32Array([1, 2, 3, 4]));
 * await w.finish(); // codes.npy: shape (2, 2), '<f4'
 */
export class NpyStreamWriter implements StreamWriter {
  private count = 0;
  private offset: number;
  private closed = false;
  private scratch = new Uint8Array(0);

  private constructor(
    readonly path: string,
    readonly cols: number,
    private readonly descr: '<f4' | '<f8',
    private readonly tmp: string,
    private readonly fh: FileHandle,
    private readonly headerBytes: number,
  ) {
    this.offset = headerBytes;
  }

  /** Starts `path` with `cols` values per row, stored as `dtype`. @throws ShapeError on bad cols */
  static async open(
    path: string,
    cols: number,
    { dtype = 'f4' }: { dtype?: 'f4' | 'f8' } = {},
  ): Promise<NpyStreamWriter> {
    if (!Number.isSafeInteger(cols) || cols < 1) {
      throw new ShapeError(`NpyStreamWriter: cols must be a positive integer, got ${cols}`);
    }
    const descr = dtype === 'f8' ? '<f8' : '<f4';
    // Sized for the largest row count a double holds exactly, so the final shape always fits.
    const header = npyHeader(descr, Number.MAX_SAFE_INTEGER, cols);
    const { tmp, fh } = await openTemp(path);
    const w = new NpyStreamWriter(path, cols, descr, tmp, fh, header.length);
    await writeAll(fh, npyHeader(descr, 0, cols, header.length), 0);
    return w;
  }

  get rows(): number {
    return this.count;
  }

  async append(data: Float32Array | Float64Array): Promise<void> {
    this.checkOpen();
    const rows = checkRows(data, this.cols, 'NpyStreamWriter');
    const f32 = this.descr === '<f4';
    let bytes: Uint8Array;
    if (HOST_LITTLE && data instanceof Float32Array === f32) {
      bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    } else {
      const size = f32 ? 4 : 8;
      if (this.scratch.length < data.length * size)
        this.scratch = new Uint8Array(data.length * size);
      bytes = this.scratch.subarray(0, data.length * size);
      const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      for (let i = 0; i < data.length; i++) {
        if (f32) v.setFloat32(i * 4, data[i], true);
        else v.setFloat64(i * 8, data[i], true);
      }
    }
    await writeAll(this.fh, bytes, this.offset);
    this.offset += bytes.length;
    this.count += rows;
  }

  async finish(): Promise<void> {
    this.checkOpen();
    this.closed = true;
    try {
      await writeAll(this.fh, npyHeader(this.descr, this.count, this.cols, this.headerBytes), 0);
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
    if (!this.closed) await this.fh.close();
    this.closed = true;
    rmSync(this.tmp, { force: true });
  }

  private checkOpen(): void {
    if (this.closed) throw new ShapeError(`NpyStreamWriter(${this.path}): already finished`);
  }
}

/** Options of `CsvStreamWriter.open`. */
export interface CsvStreamOptions {
  /** Column names written as the first line. */
  header?: readonly string[];
}

/** Appends rows to a CSV (or TSV for `.tsv`, space-separated for `.txt`) file; see the module doc. */
export class CsvStreamWriter implements StreamWriter {
  private count = 0;
  private closed = false;

  private constructor(
    readonly path: string,
    readonly cols: number,
    private readonly sep: string,
    private readonly tmp: string,
    private readonly fh: FileHandle,
  ) {}

  /** Starts `path` with `cols` values per row. @throws ShapeError on bad cols or header length */
  static async open(
    path: string,
    cols: number,
    opts: CsvStreamOptions = {},
  ): Promise<CsvStreamWriter> {
    if (!Number.isSafeInteger(cols) || cols < 1) {
      throw new ShapeError(`CsvStreamWriter: cols must be a positive integer, got ${cols}`);
    }
    if (opts.header !== undefined && opts.header.length !== cols) {
      throw new ShapeError(
        `CsvStreamWriter: header has ${opts.header.length} names, expected ${cols} (one per column)`,
      );
    }
    const kind = delimiterFor(path);
    const sep = kind === 'whitespace' ? ' ' : kind;
    const { tmp, fh } = await openTemp(path);
    const w = new CsvStreamWriter(path, cols, sep, tmp, fh);
    if (opts.header !== undefined) {
      const quoted = opts.header.map((h) =>
        /[",\t\n ]/.test(h) ? `"${h.replace(/"/g, '""')}"` : h,
      );
      await writeAll(fh, Buffer.from(quoted.join(sep) + '\n', 'utf8'), null);
    }
    return w;
  }

  get rows(): number {
    return this.count;
  }

  async append(data: Float32Array | Float64Array): Promise<void> {
    if (this.closed) throw new ShapeError(`CsvStreamWriter(${this.path}): already finished`);
    const rows = checkRows(data, this.cols, 'CsvStreamWriter');
    const f32 = data instanceof Float32Array;
    const lines: string[] = [];
    const row = new Array<string>(this.cols);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < this.cols; j++) row[j] = formatNumber(data[i * this.cols + j], f32);
      lines.push(row.join(this.sep));
    }
    if (rows > 0) await writeAll(this.fh, Buffer.from(lines.join('\n') + '\n', 'utf8'), null);
    this.count += rows;
  }

  async finish(): Promise<void> {
    if (this.closed) throw new ShapeError(`CsvStreamWriter(${this.path}): already finished`);
    this.closed = true;
    try {
      await this.fh.sync();
    } finally {
      await this.fh.close();
    }
    renameSync(this.tmp, this.path);
  }

  async abort(): Promise<void> {
    if (!this.closed) await this.fh.close();
    this.closed = true;
    rmSync(this.tmp, { force: true });
  }
}
