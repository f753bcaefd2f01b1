/**
 * NumPy's `.npy` format (NEP 1, https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html):
 * magic `\x93NUMPY`, version 1.0 (uint16 header length), 2.0 or 3.0 (uint32, 3.0 UTF-8), then a
 * Python dict literal with 'descr', 'fortran_order' and 'shape', padded so the data is aligned.
 * Reads bool, integer and float dtypes of either byte order in C order; writes `<f4`/`<f8` v1.0.
 */
import { DataError, ShapeError } from '../errors.js';
import { writeFileAtomic } from '../util/atomic.js';
import { matrix, type Matrix, type Matrix32 } from '../util/matrix.js';
import { checkFiniteValues, readBytes, toFloat32Checked } from './io.js';

/** The typed arrays a `.npy` file is read into. */
export type NpyData =
  | Float32Array
  | Float64Array
  | Uint8Array
  | Int8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array;

/** A parsed `.npy` array: C-order values and their shape (`[]` for a scalar). */
export interface NpyArray {
  shape: number[];
  data: NpyData;
}

type Kind = 'f4' | 'f8' | 'u1' | 'i1' | 'b1' | 'i2' | 'u2' | 'i4' | 'u4' | 'i8' | 'u8';
const SIZES: Record<Kind, number> = {
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
const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const SUPPORTED = '<f4, <f8, |u1, |i1, |b1, <i2, <u2, <i4, <u4, <i8, <u8 (or big-endian >)';

function field(header: string, key: string, file: string): string {
  const m = new RegExp(`['"]${key}['"]\\s*:\\s*('[^']*'|"[^"]*"|True|False|\\([^)]*\\))`).exec(
    header,
  );
  if (!m) throw new DataError(`npy header has no '${key}': ${header.trim()}`, { file });
  return m[1];
}

/** Parses `.npy` bytes; `file` names the source in errors. @throws DataError */
export function parseNpy(bytes: Uint8Array, file: string): NpyArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new DataError('not a .npy file: missing the \\x93NUMPY magic', { file });
  }
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (major < 1 || major > 3) {
    throw new DataError(`unsupported .npy version ${major}.${bytes[7]}; expected 1.0, 2.0 or 3.0`, {
      file,
    });
  }
  const lenSize = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lenSize) throw new DataError('truncated .npy header', { file });
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataOffset = 8 + lenSize + headerLen;
  if (bytes.length < dataOffset) {
    throw new DataError(
      `truncated .npy header: expected ${dataOffset} bytes, found ${bytes.length}`,
      { file },
    );
  }
  const header = Buffer.from(bytes.subarray(8 + lenSize, dataOffset)).toString(
    major === 3 ? 'utf8' : 'latin1',
  );
  const descr = field(header, 'descr', file).slice(1, -1);
  if (field(header, 'fortran_order', file) !== 'False') {
    throw new DataError(
      'fortran_order is True; expected C order (save with np.save(path, np.ascontiguousarray(a)))',
      { file },
    );
  }
  const shapeText = field(header, 'shape', file).slice(1, -1).trim();
  const shape =
    shapeText === ''
      ? []
      : shapeText
          .split(',')
          .filter((s) => s.trim() !== '')
          .map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new DataError(`npy shape (${shapeText}) is not a tuple of non-negative integers`, {
      file,
    });
  }
  const m = /^([<>|=])([fuib][1248])$/.exec(descr);
  const kind = m?.[2] as Kind | undefined;
  if (!m || kind === undefined || !(kind in SIZES)) {
    throw new DataError(`unsupported dtype '${descr}'; expected one of ${SUPPORTED}`, { file });
  }
  const little = m[1] !== '>';
  const size = SIZES[kind];
  const count = shape.reduce((a, b) => a * b, 1);
  const expected = dataOffset + count * size;
  if (bytes.length !== expected) {
    throw new DataError(
      `${bytes.length < expected ? 'truncated' : 'oversized'} .npy file: expected ${expected} bytes ` +
        `(${dataOffset}-byte header + shape (${shape.join(', ')}) of '${descr}'), found ${bytes.length}`,
      { file },
    );
  }
  const data = decode(kind, little, view, dataOffset, count, file);
  checkFiniteValues(data, shape.length > 1 ? count / shape[0] || 1 : 1, file);
  return { shape, data };
}

function decode(
  kind: Kind,
  little: boolean,
  v: DataView,
  off: number,
  n: number,
  file: string,
): NpyData {
  const loop = <T extends NpyData>(out: T, size: number, get: (o: number) => number): T => {
    for (let i = 0, o = off; i < n; i++, o += size) out[i] = get(o);
    return out;
  };
  switch (kind) {
    case 'u1':
    case 'b1':
      return new Uint8Array(v.buffer.slice(v.byteOffset + off, v.byteOffset + off + n));
    case 'i1':
      return new Int8Array(v.buffer.slice(v.byteOffset + off, v.byteOffset + off + n));
    case 'i2':
      return loop(new Int16Array(n), 2, (o) => v.getInt16(o, little));
    case 'u2':
      return loop(new Uint16Array(n), 2, (o) => v.getUint16(o, little));
    case 'i4':
      return loop(new Int32Array(n), 4, (o) => v.getInt32(o, little));
    case 'u4':
      return loop(new Uint32Array(n), 4, (o) => v.getUint32(o, little));
    case 'f4':
      return loop(new Float32Array(n), 4, (o) => v.getFloat32(o, little));
    case 'f8':
      return loop(new Float64Array(n), 8, (o) => v.getFloat64(o, little));
    case 'i8':
    case 'u8':
      // Read as float64, exact up to 2^53; larger magnitudes would silently round.
      return loop(new Float64Array(n), 8, (o) => {
        const b = kind === 'i8' ? v.getBigInt64(o, little) : v.getBigUint64(o, little);
        if (b > 9007199254740991n || b < -9007199254740991n) {
          throw new DataError(`int64 value ${b} exceeds 2^53 and cannot be read exactly`, {
            file,
            row: (o - off) / 8 + 1,
          });
        }
        return Number(b);
      });
  }
}

/** Reads a `.npy` file. @throws DataError */
export function readNpy(path: string): NpyArray {
  return parseNpy(readBytes(path), path);
}

/**
 * The array as a float32 matrix: shape [n] becomes n x 1, [n, a, b, ...] becomes n x (a*b*...).
 * @throws DataError for a scalar (0-d) array
 */
export function npyToMatrix(a: NpyArray, file: string): Matrix32 {
  if (a.shape.length === 0) {
    throw new DataError('a 0-d (scalar) array cannot be a data matrix; expected shape (n, d)', {
      file,
    });
  }
  const rows = a.shape[0];
  const cols = a.shape.slice(1).reduce((x, y) => x * y, 1);
  return matrix(rows, cols, toFloat32Checked(a.data, cols, file));
}

/** The `.npy` v1.0 encoding of a C-order float32/float64 array of the given shape. @throws ShapeError */
export function encodeNpy(shape: readonly number[], data: Float32Array | Float64Array): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new ShapeError(
      `encodeNpy: shape (${shape.join(', ')}) does not hold ${data.length} values`,
    );
  }
  const descr = data instanceof Float32Array ? '<f4' : '<f8';
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${tuple}, }`;
  // Pad with spaces so magic + length + header + '\n' is a multiple of 64, as numpy does.
  const pad = 64 - ((10 + header.length + 1) % 64);
  header += ' '.repeat(pad % 64) + '\n';
  if (header.length > 65535)
    throw new ShapeError(`encodeNpy: shape (${shape.join(', ')}) too long for a v1.0 header`);
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set(MAGIC);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(Buffer.from(header, 'latin1'), 10);
  const body = new DataView(out.buffer, 10 + header.length);
  const size = data.BYTES_PER_ELEMENT;
  for (let i = 0; i < data.length; i++) {
    if (size === 4) body.setFloat32(i * 4, data[i], true);
    else body.setFloat64(i * 8, data[i], true);
  }
  return out;
}

/** Writes a matrix as a 2-d `.npy` file (`<f4` for Matrix32, `<f8` for Matrix), atomically. */
export function writeNpy(path: string, m: Matrix32 | Matrix): void {
  writeFileAtomic(path, encodeNpy([m.rows, m.cols], m.data));
}
