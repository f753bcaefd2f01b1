/**
 * The IDX binary format of the MNIST distribution (LeCun et al., http://yann.lecun.com/exdb/mnist/,
 * section "FILE FORMATS"): a big-endian header `0x00 0x00 <dtype> <ndims>`, one uint32 per
 * dimension, then the values in row-major order, big-endian. dtype codes: 0x08 ubyte,
 * 0x09 byte, 0x0B short, 0x0C int, 0x0D float, 0x0E double.
 */
import { DataError, ShapeError } from '../errors.js';
import { writeFileAtomic } from '../util/atomic.js';
import { checkFiniteValues, readBytes } from './io.js';

/** The typed arrays an IDX file can hold, one per dtype code. */
export type IdxData =
  Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** A parsed IDX file: its dimensions and its values in row-major order. */
export interface IdxArray {
  dims: number[];
  data: IdxData;
}

interface IdxType {
  code: number;
  name: string;
  size: number;
  make: (n: number) => IdxData;
  get: (v: DataView, off: number) => number;
  set: (v: DataView, off: number, x: number) => void;
}

const TYPES: IdxType[] = [
  {
    code: 0x08,
    name: 'ubyte',
    size: 1,
    make: (n) => new Uint8Array(n),
    get: (v, o) => v.getUint8(o),
    set: (v, o, x) => v.setUint8(o, x),
  },
  {
    code: 0x09,
    name: 'byte',
    size: 1,
    make: (n) => new Int8Array(n),
    get: (v, o) => v.getInt8(o),
    set: (v, o, x) => v.setInt8(o, x),
  },
  {
    code: 0x0b,
    name: 'short',
    size: 2,
    make: (n) => new Int16Array(n),
    get: (v, o) => v.getInt16(o),
    set: (v, o, x) => v.setInt16(o, x),
  },
  {
    code: 0x0c,
    name: 'int',
    size: 4,
    make: (n) => new Int32Array(n),
    get: (v, o) => v.getInt32(o),
    set: (v, o, x) => v.setInt32(o, x),
  },
  {
    code: 0x0d,
    name: 'float',
    size: 4,
    make: (n) => new Float32Array(n),
    get: (v, o) => v.getFloat32(o),
    set: (v, o, x) => v.setFloat32(o, x),
  },
  {
    code: 0x0e,
    name: 'double',
    size: 8,
    make: (n) => new Float64Array(n),
    get: (v, o) => v.getFloat64(o),
    set: (v, o, x) => v.setFloat64(o, x),
  },
];

function typeOfData(data: IdxData): IdxType {
  const ctor = data.constructor;
  const i = [Uint8Array, Int8Array, Int16Array, Int32Array, Float32Array, Float64Array].indexOf(
    ctor as never,
  );
  if (i < 0) throw new ShapeError(`writeIdx: unsupported array type ${ctor.name}`);
  return TYPES[i];
}

/** Reads the header of an IDX file: dimensions, dtype and where the data starts. @throws DataError */
export function parseIdxHeader(
  bytes: Uint8Array,
  file: string,
): { dims: number[]; type: string; size: number; dataOffset: number } {
  if (bytes.length < 4) {
    throw new DataError(`not an IDX file: ${bytes.length} bytes, shorter than the 4-byte magic`, {
      file,
    });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = TYPES.find((t) => t.code === bytes[2]);
  if (bytes[0] !== 0 || bytes[1] !== 0 || type === undefined || bytes[3] === 0) {
    const magic = view.getUint32(0).toString(16).padStart(8, '0');
    throw new DataError(
      `not an IDX file: magic 0x${magic}, expected 0x000008NN..0x00000eNN ` +
        '(dtype 08/09/0b/0c/0d/0e, ndims >= 1)',
      { file },
    );
  }
  const ndims = bytes[3];
  const dataOffset = 4 + 4 * ndims;
  if (bytes.length < dataOffset) {
    throw new DataError(
      `truncated IDX header: expected ${dataOffset} bytes for ${ndims} dimensions, found ${bytes.length}`,
      { file },
    );
  }
  const dims: number[] = [];
  for (let i = 0; i < ndims; i++) dims.push(view.getUint32(4 + 4 * i));
  return { dims, type: type.name, size: type.size, dataOffset };
}

/** Parses IDX bytes; `file` names the source in errors. @throws DataError on a bad header or length */
export function parseIdx(bytes: Uint8Array, file: string): IdxArray {
  const { dims, type: name, dataOffset } = parseIdxHeader(bytes, file);
  const type = TYPES.find((t) => t.name === name) as IdxType;
  const count = dims.reduce((a, b) => a * b, 1);
  const expected = dataOffset + count * type.size;
  if (bytes.length !== expected) {
    const what = bytes.length < expected ? 'truncated' : 'oversized';
    throw new DataError(
      `${what} IDX file: expected ${expected} bytes (${dataOffset}-byte header + ` +
        `${dims.join('x')} ${type.name} values of ${type.size} byte(s)), found ${bytes.length}`,
      { file },
    );
  }
  let data: IdxData;
  if (type.size === 1) {
    // Bytes need no swapping: copy once so the result does not pin a larger pooled buffer.
    const raw = new Uint8Array(bytes.subarray(dataOffset, expected));
    data = type.code === 0x08 ? raw : new Int8Array(raw.buffer, raw.byteOffset, raw.length);
  } else {
    data = type.make(count);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0, off = dataOffset; i < count; i++, off += type.size) {
      data[i] = type.get(view, off);
    }
    checkFiniteValues(data, dims.length > 1 ? count / dims[0] || 1 : 1, file);
  }
  return { dims, data };
}

/** Reads an IDX file (gunzipped first when the name ends in `.gz`). @throws DataError */
export function readIdx(path: string): IdxArray {
  return parseIdx(readBytes(path), path);
}

/** The IDX encoding of `data` with dimensions `dims`; the dtype follows the array type. @throws ShapeError */
export function encodeIdx(dims: readonly number[], data: IdxData): Uint8Array {
  const type = typeOfData(data);
  if (dims.length < 1 || dims.length > 255) {
    throw new ShapeError(`writeIdx: dims must have 1..255 entries, got ${dims.length}`);
  }
  for (const d of dims) {
    if (!Number.isInteger(d) || d < 0 || d > 0xffffffff) {
      throw new ShapeError(
        `writeIdx: dims must be integers in 0..2^32-1, got [${dims.join(', ')}]`,
      );
    }
  }
  const count = dims.reduce((a, b) => a * b, 1);
  if (count !== data.length) {
    throw new ShapeError(
      `writeIdx: dims [${dims.join(', ')}] hold ${count} values but data has ${data.length}`,
    );
  }
  const head = 4 + 4 * dims.length;
  const out = new Uint8Array(head + count * type.size);
  const view = new DataView(out.buffer);
  out[2] = type.code;
  out[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  if (type.size === 1) out.set(new Uint8Array(data.buffer, data.byteOffset, count), head);
  else for (let i = 0; i < count; i++) type.set(view, head + i * type.size, data[i]);
  return out;
}

/** Writes `data` as an IDX file atomically. @throws ShapeError if dims do not match the data */
export function writeIdx(path: string, dims: readonly number[], data: IdxData): void {
  writeFileAtomic(path, encodeIdx(dims, data));
}
