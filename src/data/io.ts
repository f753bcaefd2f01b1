/**
 * File access shared by the readers: whole-file reads that turn a missing or unreadable file into
 * a DataError naming it, transparent gunzip for `.gz`, and the one non-finite check that every
 * format runs on its numbers so that "NaN in the data" always names the file and position.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { DataError } from '../errors.js';

/** The bytes of `path`, gunzipped when it ends in `.gz`. @throws DataError if unreadable */
export function readBytes(path: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'file not found' : `cannot read file (${code ?? String(err)})`;
    throw new DataError(why, { file: path }, { cause: err });
  }
  if (!path.toLowerCase().endsWith('.gz')) return bytes;
  try {
    return gunzipSync(bytes);
  } catch (err) {
    throw new DataError(
      `not a valid gzip file: ${(err as Error).message}`,
      { file: path },
      {
        cause: err,
      },
    );
  }
}

/** The UTF-8 text of `path` (gunzipped for `.gz`), without a byte-order mark. @throws DataError */
export function readText(path: string): string {
  const text = Buffer.from(readBytes(path)).toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Throws on the first NaN or infinity in `data` seen as rows of `cols` values, naming the
 * 1-based sample and column. Integer arrays skip the scan since they cannot hold either.
 * @throws DataError
 */
export function checkFiniteValues(data: ArrayLike<number>, cols: number, file: string): void {
  if (!(data instanceof Float32Array || data instanceof Float64Array || Array.isArray(data))) {
    return;
  }
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    // v - v is 0 for finite numbers and NaN otherwise: one test for NaN and both infinities.
    if (v - v !== 0) {
      const row = Math.floor(i / cols);
      const what = Number.isNaN(v) ? 'NaN in the data' : `non-finite value ${v} in the data`;
      throw new DataError(`${what}; expected finite numbers (drop or impute missing values)`, {
        file,
        row: row + 1,
        field: i - row * cols + 1,
      });
    }
  }
}

/**
 * `v` if it is finite and within float32 range, else a DataError at the 1-based row and field;
 * doubles beyond ±3.4e38 would otherwise turn into infinities when stored as float32.
 * @throws DataError
 */
export function checkFloat32(v: number, file: string, row: number, field: number): number {
  if (Number.isFinite(Math.fround(v))) return v;
  const what = Number.isNaN(v)
    ? 'NaN in the data'
    : Number.isFinite(v)
      ? `value ${v} is outside the float32 range (|x| <= 3.4e38)`
      : `non-finite value ${v} in the data`;
  throw new DataError(`${what}; expected finite numbers`, { file, row, field });
}

/**
 * A float32 copy (or `data` itself when already float32) of values seen as rows of `cols`,
 * checked to be finite after conversion. @throws DataError naming the first bad value
 */
export function toFloat32Checked(
  data: ArrayLike<number>,
  cols: number,
  file: string,
): Float32Array {
  const out = data instanceof Float32Array ? data : Float32Array.from(data);
  if (!(data instanceof Float32Array || data instanceof Float64Array)) return out;
  for (let i = 0; i < out.length; i++) {
    if (out[i] - out[i] !== 0) {
      const row = Math.floor(i / cols);
      checkFloat32(data[i], file, row + 1, i - row * cols + 1);
    }
  }
  return out;
}
