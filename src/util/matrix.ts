/**
 * The one small dense matrix type of aedr: row-major, `Float64Array` for linear algebra and
 * `Float32Array` at the ONNX boundary. Conversions between the two are explicit.
 */
import { ShapeError } from '../errors.js';

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
