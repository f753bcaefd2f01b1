/**
 * Table columns and cell formatting shared by the HTML and Markdown tables: one rule for how a
 * number is printed, so results.md and the HTML report agree digit for digit.
 */

/** One table column: the row key it shows, its header, and an optional formatter. */
export interface Column<R extends object = Record<string, unknown>> {
  key: Extract<keyof R, string>;
  title: string;
  /** Turns the cell value into text; defaults to `formatValue`. */
  format?: (value: unknown, row: R) => string;
  /** Defaults to right for columns whose first present value is a number, else left. */
  align?: 'left' | 'right';
}

/**
 * Prints a number with `digits` significant digits, trailing zeros dropped: integers as they are,
 * |v| < 1e-3 in exponent form ("1.234e-4"), |v| >= 10^digits rounded to an integer.
 * @example formatNumber(0.0123456) // '0.01235'; formatNumber(2.5) // '2.5'; formatNumber(0.00001234) // '1.234e-5'
 */
export function formatNumber(v: number, digits = 4): string {
  if (!Number.isFinite(v) || Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  if (a < 1e-3) return trimMantissa(v.toExponential(digits - 1));
  if (a >= 10 ** digits) return Math.round(v).toString();
  const s = v.toPrecision(digits);
  // Rounding up to 10^digits (9999.6 -> '1.000e+4') is still an integer to print plainly.
  return s.includes('e') ? String(Number(s)) : trimZeros(s);
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

function trimMantissa(s: string): string {
  const [m, e] = s.split('e');
  return `${trimZeros(m)}e${e}`;
}

/** Default cell text: '' for null/undefined, `formatNumber` for numbers, JSON for objects. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? String(value);
}

/** The text of one cell under `col`. */
export function cellText<R extends object>(col: Column<R>, row: R): string {
  const value = (row as Record<string, unknown>)[col.key];
  return col.format !== undefined ? col.format(value, row) : formatValue(value);
}

/** The alignment of a column: its own, else right when its first present value is a number. */
export function columnAlign<R extends object>(
  col: Column<R>,
  rows: readonly R[],
): 'left' | 'right' {
  if (col.align !== undefined) return col.align;
  for (const row of rows) {
    const v = (row as Record<string, unknown>)[col.key];
    if (v !== null && v !== undefined) return typeof v === 'number' ? 'right' : 'left';
  }
  return 'left';
}
