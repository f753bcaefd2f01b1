/**
 * A `.npy` file of any size as a random-access row source: the header is read once, rows are
 * fetched by position with positional reads on an open file handle (no whole-file read, no 2 GB
 * limit) and decoded into the caller's float32 buffer. Little-endian float32 is read straight
 * into that buffer; the other dtypes go through one scratch buffer the source keeps.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { DataError } from '../../errors.js';
import { NPY_ITEM_SIZE, npyHeaderEnd, parseNpyLayout, type NpyLayout } from './npy-layout.js';
import {
  blocksByRange,
  blockTarget,
  checkBlockFinite,
  type RandomAccessSource,
  type ReadOptions,
  type RowBlock,
} from './source.js';

const HOST_LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** fs reads are split below 2^31 bytes, the most one read call takes. */
const MAX_READ = 1 << 30;

/** Opens `path` for reading. @throws DataError when missing or unreadable */
export async function openHandle(path: string): Promise<FileHandle> {
  try {
    return await open(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'file not found'
        : code === 'EISDIR'
          ? 'is a folder; expected a file'
          : `cannot open file (${code ?? String(err)})`;
    throw new DataError(why, { file: path }, { cause: err });
  }
}

/** Reads exactly `length` bytes at `position` into `dst`. @throws DataError when the file ends first */
export async function readExactly(
  fh: FileHandle,
  dst: Uint8Array,
  position: number,
  file: string,
): Promise<void> {
  let done = 0;
  while (done < dst.length) {
    const n = Math.min(MAX_READ, dst.length - done);
    const { bytesRead } = await fh.read(dst, done, n, position + done);
    if (bytesRead === 0) {
      throw new DataError(
        `the file ended at byte ${position + done} while reading ${dst.length} bytes from byte ${position} (was it truncated while open?)`,
        { file },
      );
    }
    done += bytesRead;
  }
}

/** Reads a `.npy` layout from an open handle. @throws DataError */
export async function readNpyLayout(fh: FileHandle, file: string): Promise<NpyLayout> {
  const size = (await fh.stat()).size;
  const prefix = new Uint8Array(Math.min(12, size));
  await readExactly(fh, prefix, 0, file);
  const end = Math.min(npyHeaderEnd(prefix, size, file), size);
  const head = new Uint8Array(end);
  await readExactly(fh, head, 0, file);
  return parseNpyLayout(head, size, file);
}

/** A scratch byte buffer that grows to the largest block read through it. */
export interface Scratch {
  bytes: Uint8Array;
}

/**
 * Decodes `count` rows from row `start` of the file behind `fh` into `out` (count * cols values);
 * `check` false leaves the finite check of float values to the caller (`ReadOptions`).
 * @throws DataError on values that are not finite in float32 or int64 beyond 2^53
 */
export async function readNpyRows(
  fh: FileHandle,
  L: NpyLayout,
  start: number,
  count: number,
  out: Float32Array,
  scratch: Scratch,
  check = true,
): Promise<void> {
  const pos = L.dataOffset + start * L.rowBytes;
  const nBytes = count * L.rowBytes;
  const byteAt = (i: number): number => pos + i * NPY_ITEM_SIZE[L.kind];
  if (L.kind === 'f4' && L.little === HOST_LITTLE) {
    await readExactly(fh, new Uint8Array(out.buffer, out.byteOffset, nBytes), pos, L.file);
    if (check) checkBlockFinite(out, L.cols, start, L.file, byteAt);
    return;
  }
  if (scratch.bytes.length < nBytes) scratch.bytes = new Uint8Array(nBytes);
  const bytes = scratch.bytes.subarray(0, nBytes);
  await readExactly(fh, bytes, pos, L.file);
  decode(L, bytes, out, start);
  if (check && (L.kind === 'f4' || L.kind === 'f8'))
    checkBlockFinite(out, L.cols, start, L.file, byteAt);
}

function decode(L: NpyLayout, bytes: Uint8Array, out: Float32Array, firstRow: number): void {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = out.length;
  const le = L.little;
  switch (L.kind) {
    case 'u1':
    case 'b1':
      out.set(bytes.subarray(0, n));
      return;
    case 'i1':
      out.set(new Int8Array(bytes.buffer, bytes.byteOffset, n));
      return;
    case 'i2':
      for (let i = 0; i < n; i++) out[i] = v.getInt16(i * 2, le);
      return;
    case 'u2':
      for (let i = 0; i < n; i++) out[i] = v.getUint16(i * 2, le);
      return;
    case 'i4':
      for (let i = 0; i < n; i++) out[i] = v.getInt32(i * 4, le);
      return;
    case 'u4':
      for (let i = 0; i < n; i++) out[i] = v.getUint32(i * 4, le);
      return;
    case 'f4':
      for (let i = 0; i < n; i++) out[i] = v.getFloat32(i * 4, le);
      return;
    case 'f8':
      // Doubles beyond ±3.4e38 become infinities here, which the finite check then reports.
      for (let i = 0; i < n; i++) out[i] = v.getFloat64(i * 8, le);
      return;
    case 'i8':
    case 'u8':
      for (let i = 0; i < n; i++) {
        const b = L.kind === 'i8' ? v.getBigInt64(i * 8, le) : v.getBigUint64(i * 8, le);
        if (b > 9007199254740991n || b < -9007199254740991n) {
          const r = Math.floor(i / L.cols);
          throw new DataError(
            `int64 value ${b} at byte ${L.dataOffset + (firstRow * L.cols + i) * 8} exceeds 2^53 and cannot be read exactly`,
            { file: L.file, row: firstRow + r + 1, field: i - r * L.cols + 1 },
          );
        }
        out[i] = Number(b);
      }
      return;
  }
}

/** A `.npy` file as a random-access source; see the module doc. */
export class NpySource implements RandomAccessSource {
  readonly name: string;
  readonly rows: number;
  readonly cols: number;
  readonly unitRows = undefined;
  private readonly scratch: Scratch = { bytes: new Uint8Array(0) };
  // Reads run one after another: overlapping calls would share the scratch buffer.
  private tail: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly fh: FileHandle,
    /** The parsed header: dtype, shape and data offset. */
    readonly layout: NpyLayout,
  ) {
    this.name = layout.file;
    this.rows = layout.rows;
    this.cols = layout.cols;
  }

  /** Opens `path` and reads its header. @throws DataError on a missing, corrupt or truncated file */
  static async open(path: string): Promise<NpySource> {
    const fh = await openHandle(path);
    try {
      return new NpySource(fh, await readNpyLayout(fh, path));
    } catch (err) {
      await fh.close();
      throw err;
    }
  }

  async readBlock(
    start: number,
    count: number,
    out?: Float32Array,
    options?: ReadOptions,
  ): Promise<Float32Array> {
    const dst = blockTarget(this, start, count, out);
    const check = options?.unchecked !== true;
    // float32 in host order is read straight into `dst` (no scratch): such reads may overlap,
    // so a caller can keep the thread pool busy with several at once (epoch.ts does).
    if (this.layout.kind === 'f4' && this.layout.little === HOST_LITTLE) {
      await readNpyRows(this.fh, this.layout, start, count, dst, this.scratch, check);
      return dst;
    }
    const run = this.tail.then(() =>
      readNpyRows(this.fh, this.layout, start, count, dst, this.scratch, check),
    );
    this.tail = run.catch(() => undefined);
    await run;
    return dst;
  }

  blocks(blockRows: number): AsyncIterableIterator<RowBlock> {
    return blocksByRange(this, blockRows);
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}
