/**
 * The one small dense matrix type of aedr: row-major, `Float64Array` for linear algebra and
 * `Float32Array` at the ONNX boundary. Conversions between the two are explicit.
 */
import { DataError, ShapeError } from '../errors.js';

/** A row-major dense matrix. */
export interface Matrix<T extends Float32Array | Float64Array = Float64Array> {
  readonly rows: number;
  readonly cols: number;
  readonly data: T;
}

/** A float32 matrix, the type fed to and read from onnxruntime. */
export type Matrix32 = Matrix<Float32Array>;

/** Wraps `data` as a rows x cols matrix, checking the length. @throws ShapeError */
export function matrix<T extends Float32Array | Float64Array>(
  rows: number,
  cols: number,
  data: T,
): Matrix<T> {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
    throw new ShapeError(`matrix shape must be non-negative integers, got ${rows} x ${cols}`);
  }
  if (data.length !== rows * cols) {
    throw new ShapeError(
      `matrix data has ${data.length} values, expected rows*cols = ${rows}*${cols} = ${rows * cols}`,
    );
  }
  return { rows, cols, data };
}

/** A zero-filled float64 matrix. */
export function zeros(rows: number, cols: number): Matrix {
  return matrix(rows, cols, new Float64Array(rows * cols));
}

/** Float32 copy of a float64 matrix. */
export function toFloat32(m: Matrix<Float32Array | Float64Array>): Matrix32 {
  return matrix(m.rows, m.cols, Float32Array.from(m.data));
}

/** Float64 copy of a matrix. */
export function toFloat64(m: Matrix<Float32Array | Float64Array>): Matrix {
  return matrix(m.rows, m.cols, Float64Array.from(m.data));
}

/** The rows listed in `index`, copied into a new matrix of the same element type. */
export function takeRows<T extends Float32Array | Float64Array>(
  m: Matrix<T>,
  index: ArrayLike<number>,
): Matrix<T> {
  const out = new (m.data.constructor as new (n: number) => T)(index.length * m.cols);
  for (let i = 0; i < index.length; i++) {
    const r = index[i];
    if (!(r >= 0 && r < m.rows))
      throw new ShapeError(`row index ${r} out of range 0..${m.rows - 1}`);
    out.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols);
  }
  return matrix(index.length, m.cols, out);
}

/** Rows [start, end) as a view that shares memory with `m`. */
export function sliceRows<T extends Float32Array | Float64Array>(
  m: Matrix<T>,
  start: number,
  end: number,
): Matrix<T> {
  const s = Math.max(0, Math.min(start, m.rows));
  const e = Math.max(s, Math.min(end, m.rows));
  return matrix(e - s, m.cols, m.data.subarray(s * m.cols, e * m.cols) as T);
}

/** Transposed copy. */
export function transpose<T extends Float32Array | Float64Array>(m: Matrix<T>): Matrix<T> {
  const out = new (m.data.constructor as new (n: number) => T)(m.data.length);
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < m.cols; j++) out[j * m.rows + i] = m.data[i * m.cols + j];
  }
  return matrix(m.cols, m.rows, out);
}

/**
 * Builds a matrix from an array of equal-length rows of finite numbers, as `np.asarray(rows,
 * dtype=np.float32)` does for a 2-D list: float32 (`Matrix32`, what the reducers and models take)
 * by default, float64 with `{ dtype: 'float64' }`. The values are copied; an empty array gives a
 * 0 x 0 matrix.
 * @throws ShapeError when `rows` is not an array of arrays or the rows differ in length
 * @throws DataError naming the row and column (1-based) of a value that is not a finite number
 *   (or, for float32, lies outside its range)
 * @example
 * const x = matrixFromRows([[1, 2], [3, 4], [5, 6]]); // { rows: 3, cols: 2, data: Float32Array [1, 2, 3, 4, 5, 6] }
 * await new PCA({ nComponents: 1 }).fitTransform(x);
 */
export function matrixFromRows(rows: readonly (readonly number[])[]): Matrix32;
export function matrixFromRows(
  rows: readonly (readonly number[])[],
  opts: { dtype: 'float32' },
): Matrix32;
export function matrixFromRows(
  rows: readonly (readonly number[])[],
  opts: { dtype: 'float64' },
): Matrix;
export function matrixFromRows(
  rows: readonly (readonly number[])[],
  opts: { dtype?: 'float32' | 'float64' } = {},
): Matrix<Float32Array | Float64Array> {
  const f32 = opts.dtype !== 'float64';
  if (!Array.isArray(rows)) {
    throw new ShapeError(`matrixFromRows: expected an array of rows, got ${describe(rows)}`);
  }
  const n = rows.length;
  const first: unknown = rows[0];
  if (n > 0 && !Array.isArray(first)) {
    throw new ShapeError(
      `matrixFromRows: row 1 is ${describe(first)}, expected an array of numbers (for one sample, pass [[...]])`,
    );
  }
  const cols = n === 0 ? 0 : (first as readonly number[]).length;
  const data = f32 ? new Float32Array(n * cols) : new Float64Array(n * cols);
  for (let i = 0; i < n; i++) {
    const r: unknown = rows[i];
    if (!Array.isArray(r)) {
      throw new ShapeError(`matrixFromRows: row ${i + 1} is ${describe(r)}, expected an array`);
    }
    if (r.length !== cols) {
      throw new ShapeError(
        `matrixFromRows: row ${i + 1} has ${r.length} values, expected ${cols} as row 1 has; rows must all be the same length`,
      );
    }
    for (let j = 0; j < cols; j++) {
      const v: unknown = r[j];
      if (typeof v !== 'number' || !Number.isFinite(f32 ? Math.fround(v) : v)) {
        const why =
          typeof v === 'number' && Number.isFinite(v)
            ? `${v} is outside the float32 range (|x| <= 3.4e38)`
            : `expected a finite number, got ${describe(v)}`;
        throw new DataError(`matrixFromRows: ${why}`, { row: i + 1, field: j + 1 });
      }
      data[i * cols + j] = v;
    }
  }
  return matrix(n, cols, data);
}

function describe(v: unknown): string {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  return typeof v === 'object' ? 'an object' : typeof v;
}
