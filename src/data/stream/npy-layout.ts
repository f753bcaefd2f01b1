/**
 * The `.npy` header (NEP 1, https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html)
 * read without the data: versions 1.0 (uint16 header length), 2.0 and 3.0 (uint32; 3.0 UTF-8),
 * C order only. The layout it returns says where each row's bytes are, so a reader can fetch any
 * rows by position; the file size is checked against the shape, so a truncated file is reported
 * when it is opened, naming the first incomplete row and the byte where the data stops.
 */
import { DataError } from '../../errors.js';

/** The element types a streamed `.npy` may hold (`b1` is bool). */
export type NpyKind = 'f4' | 'f8' | 'u1' | 'i1' | 'b1' | 'i2' | 'u2' | 'i4' | 'u4' | 'i8' | 'u8';

/** Bytes per element of each kind. */
export const NPY_ITEM_SIZE: Readonly<Record<NpyKind, number>> = {
  f4: 4,
  f8: 8,
  u1: 1,
  i1: 1,
  b1: 1,
  i2: 2,
  u2: 2,
  i4: 4,
  u4: 4,
  i8: 8,
  u8: 8,
};

/** Where the rows of a `.npy` file sit and how to decode them. */
export interface NpyLayout {
  file: string;
  /** The dtype as written, e.g. '<f4'. */
  descr: string;
  kind: NpyKind;
  little: boolean;
  shape: number[];
  /** shape[0]; a 1-d array is rows of one value. */
  rows: number;
  /** The product of the trailing dimensions. */
  cols: number;
  /** Byte offset of the first value. */
  dataOffset: number;
  rowBytes: number;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
/** Longer headers are refused as corrupt: numpy's own reader stops at 10,000 bytes by default. */
export const NPY_MAX_HEADER = 1 << 20;
const SUPPORTED = '<f4, <f8, |u1, |i1, |b1, <i2, <u2, <i4, <u4, <i8, <u8 (or big-endian >)';

/**
 * Bytes of the file's start needed to parse its header: 12 are enough to learn the length, then
 * `npyHeaderEnd` of them. @throws DataError on a bad magic, version or length
 */
export function npyHeaderEnd(prefix: Uint8Array, fileSize: number, file: string): number {
  if (prefix.length < 10 || MAGIC.some((b, i) => prefix[i] !== b)) {
    throw new DataError(
      `not a .npy file: missing the \\x93NUMPY magic at byte 0 (file has ${fileSize} bytes)`,
      { file },
    );
  }
  const major = prefix[6];
  if (major < 1 || major > 3) {
    throw new DataError(
      `unsupported .npy version ${major}.${prefix[7]} at byte 6; expected 1.0, 2.0 or 3.0`,
      { file },
    );
  }
  const lenSize = major === 1 ? 2 : 4;
  if (prefix.length < 8 + lenSize) {
    throw new DataError(`truncated .npy header: the file ends at byte ${fileSize}`, { file });
  }
  const v = new DataView(prefix.buffer, prefix.byteOffset, prefix.byteLength);
  const len = major === 1 ? v.getUint16(8, true) : v.getUint32(8, true);
  if (len > NPY_MAX_HEADER) {
    throw new DataError(
      `.npy header length ${len} (at byte 8) exceeds ${NPY_MAX_HEADER} bytes; the file is corrupt`,
      { file },
    );
  }
  return 8 + lenSize + len;
}

function entry(header: string, key: string, file: string): string {
  const m = new RegExp(`['"]${key}['"]\\s*:\\s*('[^']*'|"[^"]*"|True|False|\\([^)]*\\))`).exec(
    header,
  );
  if (!m) {
    throw new DataError(`.npy header has no valid '${key}' entry: ${JSON.stringify(header)}`, {
      file,
    });
  }
  return m[1];
}

/**
 * Parses the header in `head` (the file's first `npyHeaderEnd` bytes) and checks `fileSize`
 * against the shape. @throws DataError naming the file and, for a size mismatch, the byte offset
 */
export function parseNpyLayout(head: Uint8Array, fileSize: number, file: string): NpyLayout {
  const dataOffset = npyHeaderEnd(head, fileSize, file);
  if (head.length < dataOffset) {
    throw new DataError(
      `truncated .npy header: it needs ${dataOffset} bytes, the file has ${fileSize}`,
      { file },
    );
  }
  const major = head[6];
  const lenSize = major === 1 ? 2 : 4;
  const header = Buffer.from(head.subarray(8 + lenSize, dataOffset)).toString(
    major === 3 ? 'utf8' : 'latin1',
  );
  const descr = entry(header, 'descr', file).slice(1, -1);
  if (entry(header, 'fortran_order', file) !== 'False') {
    throw new DataError(
      'fortran_order is True; expected C order (save with np.save(path, np.ascontiguousarray(a)))',
      { file },
    );
  }
  const shapeText = entry(header, 'shape', file).slice(1, -1).trim();
  const parts = shapeText === '' ? [] : shapeText.split(',').map((s) => s.trim());
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  const shape = parts.map((p) => (/^\d+$/.test(p) ? Number(p) : NaN));
  if (shape.some((d) => !Number.isSafeInteger(d))) {
    throw new DataError(`.npy shape (${shapeText}) is not a tuple of non-negative integers`, {
      file,
    });
  }
  if (shape.length === 0) {
    throw new DataError('a 0-d (scalar) array cannot be a data matrix; expected shape (n, d)', {
      file,
    });
  }
  const m = /^([<>|=])([fuib][1248])$/.exec(descr);
  const kind = m?.[2];
  if (!m || kind === undefined || !(kind in NPY_ITEM_SIZE)) {
    throw new DataError(`unsupported dtype '${descr}'; expected one of ${SUPPORTED}`, { file });
  }
  const k = kind as NpyKind;
  const rows = shape[0];
  const cols = shape.slice(1).reduce((a, b) => a * b, 1);
  if (cols === 0) {
    throw new DataError(`.npy shape (${shape.join(', ')}) has no values per row`, { file });
  }
  const rowBytes = cols * NPY_ITEM_SIZE[k];
  const expected = dataOffset + rows * rowBytes;
  if (!Number.isSafeInteger(expected) || fileSize !== expected) {
    const what = `shape (${shape.join(', ')}) of '${descr}' after a ${dataOffset}-byte header`;
    if (fileSize > expected) {
      throw new DataError(
        `oversized .npy file: ${what} ends at byte ${expected}, the file has ${fileSize} bytes`,
        { file },
      );
    }
    const whole = Math.floor((fileSize - dataOffset) / rowBytes);
    throw new DataError(
      `truncated .npy file: ${what} needs ${expected} bytes, the data stops at byte ${fileSize} ` +
        `inside row ${whole + 1} (${whole} complete rows of ${rows})`,
      { file, row: whole + 1 },
    );
  }
  return {
    file,
    descr,
    kind: k,
    little: m[1] !== '>',
    shape,
    rows,
    cols,
    dataOffset,
    rowBytes,
  };
}
