/**
 * Parsers for flag values, in commander's argParser form: each returns the typed value or throws
 * commander's InvalidArgumentError, which commander prints as
 * `option '--epochs <n>' argument '0' is invalid. Expected an integer >= 1.` (exit code 2).
 */
import { InvalidArgumentError } from 'commander';
import { ConfigError } from '../errors.js';

/** An integer flag within [min, max]. */
export function intArg(min = 1, max = Infinity): (text: string) => number {
  return (text) => {
    const t = text.trim();
    const v = /^[+-]?\d+$/.test(t) ? Number(t) : NaN;
    if (!Number.isSafeInteger(v) || v < min || v > max) {
      const range = max === Infinity ? `>= ${min}` : `in ${min}..${max}`;
      throw new InvalidArgumentError(`Expected an integer ${range}.`);
    }
    return v;
  };
}

/** A finite number flag; `> min` when `exclusiveMin`, else `>= min`; at most `max`. */
export function numberArg(
  min = -Infinity,
  { exclusiveMin = false, max = Infinity }: { exclusiveMin?: boolean; max?: number } = {},
): (text: string) => number {
  return (text) => {
    const t = text.trim();
    const v = t === '' ? NaN : Number(t);
    const ok = Number.isFinite(v) && (exclusiveMin ? v > min : v >= min) && v <= max;
    if (!ok) {
      const lo = min === -Infinity ? '' : exclusiveMin ? ` > ${min}` : ` >= ${min}`;
      const hi = max === Infinity ? '' : `${lo ? ' and' : ''} <= ${max}`;
      throw new InvalidArgumentError(`Expected a finite number${lo}${hi}.`);
    }
    return v;
  };
}

/** Layer sizes as a comma-separated list of positive integers: `128,64,12,3`. */
export function layersArg(text: string): number[] {
  const parts = text.split(',').map((s) => s.trim());
  const sizes = parts.map((p) => (/^\d+$/.test(p) ? Number(p) : NaN));
  if (parts.length === 0 || sizes.some((v) => !Number.isSafeInteger(v) || v < 1)) {
    throw new InvalidArgumentError(
      'Expected comma-separated positive integers, the last being the code size (e.g. 128,64,12,3).',
    );
  }
  return sizes;
}

/** A label column: a 0-based index (negative counts from the end) or a header name. */
export function labelColumnArg(text: string): number | string {
  const t = text.trim();
  if (t === '') throw new InvalidArgumentError('Expected a column index or a header name.');
  return /^-?\d+$/.test(t) ? Number(t) : t;
}

/** A flag read by `parse`; its ConfigError becomes commander's `expected` message, other errors pass. */
export function listArg<T>(parse: (t: string) => T, expected: string): (text: string) => T {
  return (text) => {
    try {
      return parse(text);
    } catch (err) {
      if (err instanceof ConfigError) throw new InvalidArgumentError(expected);
      throw err;
    }
  };
}
