/**
 * Assertion helpers for the public boundary: each throws a typed error naming the argument,
 * the value received and what was expected.
 */
import { ConfigError, DataError, ShapeError } from '../errors.js';
import type { Matrix } from './matrix.js';

/** Asserts an integer within [min, max]. @throws ConfigError */
export function checkInt(name: string, value: unknown, min: number, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Infinity ? `>= ${min}` : `in ${min}..${max}`;
    throw new ConfigError(`${name} must be an integer ${range}, got ${String(value)}`);
  }
  return value;
}

/** Asserts a finite number within (or at, if inclusive) the bounds. @throws ConfigError */
export function checkNumber(
  name: string,
  value: unknown,
  min = -Infinity,
  max = Infinity,
  { exclusiveMin = false }: { exclusiveMin?: boolean } = {},
): number {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (exclusiveMin ? value > min : value >= min) &&
    value <= max;
  if (!ok) {
    const lo = exclusiveMin ? `> ${min}` : `>= ${min}`;
    const hi = max === Infinity ? '' : ` and <= ${max}`;
    throw new ConfigError(`${name} must be a finite number ${lo}${hi}, got ${String(value)}`);
  }
  return value;
}

/** Asserts one of the listed strings. @throws ConfigError */
export function checkOneOf<T extends string>(
  name: string,
  value: unknown,
  allowed: readonly T[],
): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(
      `${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`,
    );
  }
  return value as T;
}

/** Asserts a matrix with the given number of columns (if set) and at least `minRows` rows. @throws ShapeError */
export function checkMatrix(
  name: string,
  m: Matrix<Float32Array | Float64Array>,
  { cols, minRows = 1 }: { cols?: number; minRows?: number } = {},
): void {
  if (cols !== undefined && m.cols !== cols) {
    throw new ShapeError(`${name} must have ${cols} columns, got ${m.rows} x ${m.cols}`);
  }
  if (m.rows < minRows) {
    throw new ShapeError(`${name} must have at least ${minRows} rows, got ${m.rows}`);
  }
}

/** Asserts every value is finite; names the first bad row and column. @throws DataError */
export function checkFinite(name: string, m: Matrix<Float32Array | Float64Array>): void {
  const d = m.data;
  for (let i = 0; i < d.length; i++) {
    if (!Number.isFinite(d[i])) {
      const row = Math.floor(i / m.cols);
      throw new DataError(
        `${name} must be finite, found ${d[i]} at row ${row}, column ${i - row * m.cols}`,
      );
    }
  }
}
