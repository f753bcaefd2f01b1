/**
 * Helpers shared by the classical reducers: input checks that name the argument, the fitted-state
 * guard, and the JSON codec of their saved state. Typed arrays are saved as
 * `{ dtype: 'float64' | 'float32' | 'int32', shape: number[], base64: string }`, the bytes
 * little-endian (exact round trip, a third the size of number[] text).
 */
import { DataError, NotFittedError, ShapeError } from '../errors.js';
import type { BackendOption, ComputeBackend } from '../linalg/backend.js';
import { jsBackend } from '../linalg/js-backend.js';
import { checkFinite, checkMatrix } from '../util/check.js';
import { matrix, type Matrix, type Matrix32 } from '../util/matrix.js';

/**
 * The backend of `o` (default `jsBackend`) and the rest of the options, without it: a reducer's
 * backend is not one of its saved options (a loaded reducer takes its own,
 * `loadReducer(json, { backend })`).
 */
export function splitBackend<T extends BackendOption>(
  o: T,
): { backend: ComputeBackend; options: Omit<T, 'backend'> } {
  const { backend, ...options } = o;
  return { backend: backend ?? jsBackend, options };
}

/** The element types saved in reducer JSON. */
export type Dtype = 'float64' | 'float32' | 'int32';
type ArrayOf<D extends Dtype> = D extends 'float64'
  ? Float64Array
  : D extends 'float32'
    ? Float32Array
    : Int32Array;

/** A typed array as saved in reducer JSON. */
export interface EncodedArray {
  dtype: Dtype;
  shape: number[];
  base64: string;
}

/** The saved form of a typed array (little-endian bytes, base64). */
export function encodeArray(
  a: Float64Array | Float32Array | Int32Array,
  shape: number[] = [a.length],
): EncodedArray {
  const dtype: Dtype =
    a instanceof Float64Array ? 'float64' : a instanceof Float32Array ? 'float32' : 'int32';
  const bytes = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  return { dtype, shape, base64: bytes.toString('base64') };
}

/** A matrix in saved form. */
export function encodeMatrix(m: Matrix<Float32Array | Float64Array>): EncodedArray {
  return encodeArray(m.data, [m.rows, m.cols]);
}

/**
 * Reads a saved typed array of the given dtype (and shape, where -1 matches any length).
 * @throws DataError naming `field` when the value is malformed.
 */
export function decodeArray<D extends Dtype>(
  value: unknown,
  field: string,
  dtype: D,
  shape?: number[],
): ArrayOf<D> {
  if (!isRecord(value) || typeof value.base64 !== 'string' || !Array.isArray(value.shape)) {
    throw new DataError(`expected { dtype, shape, base64 }, got ${describe(value)}`, { field });
  }
  if (value.dtype !== dtype) {
    throw new DataError(`expected dtype ${dtype}, got ${JSON.stringify(value.dtype)}`, { field });
  }
  const got = value.shape as unknown[];
  const ok =
    got.every((s) => Number.isInteger(s) && (s as number) >= 0) &&
    (shape === undefined ||
      (got.length === shape.length && shape.every((s, i) => s < 0 || s === got[i])));
  if (!ok) {
    throw new DataError(
      `expected shape [${shape?.join(', ') ?? '...'}], got ${JSON.stringify(got)}`,
      { field },
    );
  }
  const count = (got as number[]).reduce((a, b) => a * b, 1);
  const bytes = Buffer.from(value.base64, 'base64');
  const size = dtype === 'float64' ? 8 : 4;
  if (bytes.length !== count * size) {
    throw new DataError(
      `base64 holds ${bytes.length} bytes, shape ${JSON.stringify(got)} needs ${count * size}`,
      {
        field,
      },
    );
  }
  const buf = new ArrayBuffer(bytes.length);
  new Uint8Array(buf).set(bytes);
  const out =
    dtype === 'float64'
      ? new Float64Array(buf)
      : dtype === 'float32'
        ? new Float32Array(buf)
        : new Int32Array(buf);
  return out as ArrayOf<D>;
}

/** A saved matrix; `shape` entries of -1 match any size. @throws DataError naming `field` */
export function decodeMatrix<D extends 'float64' | 'float32'>(
  value: unknown,
  field: string,
  dtype: D,
  shape: [number, number] = [-1, -1],
): Matrix<ArrayOf<D>> {
  const data = decodeArray(value, field, dtype, shape);
  const s = (value as EncodedArray).shape;
  return matrix(s[0], s[1], data) as Matrix<ArrayOf<D>>;
}

/** True for a plain object. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s.length > 60 ? s.slice(0, 57) + '...' : s;
}

/** A finite number field of a saved object. @throws DataError naming `field` */
export function readNumber(obj: Record<string, unknown>, field: string, prefix = 'state'): number {
  const v = obj[field];
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new DataError(`expected a finite number, got ${describe(v)}`, {
      field: `${prefix}.${field}`,
    });
  }
  return v;
}

/** A string field of a saved object, one of `allowed`. @throws DataError naming `field` */
export function readString<T extends string>(
  obj: Record<string, unknown>,
  field: string,
  allowed: readonly T[],
  prefix = 'state',
): T {
  const v = obj[field];
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new DataError(`expected one of ${allowed.join(', ')}, got ${describe(v)}`, {
      field: `${prefix}.${field}`,
    });
  }
  return v as T;
}

/**
 * Checks the data given to fit/transform: at least `minRows` rows, `cols` columns when set,
 * finite values (unless `finite: false`, for a caller that checks in its own pass). @throws ShapeError, DataError
 */
export function checkData(
  name: string,
  x: Matrix<Float32Array | Float64Array>,
  opts: { cols?: number; minRows?: number; finite?: boolean } = {},
): void {
  if (!isRecord(x) || !(x.data instanceof Float32Array || x.data instanceof Float64Array)) {
    const hint = Array.isArray(x) ? '; build one from rows with matrixFromRows(rows)' : '';
    throw new ShapeError(
      `${name} must be a Matrix32 { rows, cols, data: Float32Array }, got ${describe(x)}${hint}`,
    );
  }
  checkMatrix(name, x, opts);
  if (opts.finite !== false) checkFinite(name, x);
}

/** The fitted state, or NotFittedError naming the reducer. */
export function fitted<T>(state: T | undefined, name: string): T {
  if (state === undefined) {
    throw new NotFittedError(`${name} is not fitted: call fit(x) (or fitTransform) before this`);
  }
  return state;
}

/** Float32 copy of a float64 result. */
export function toMatrix32(rows: number, cols: number, data: Float64Array): Matrix32 {
  return matrix(rows, cols, Float32Array.from(data));
}
