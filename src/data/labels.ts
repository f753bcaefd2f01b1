/**
 * Class labels: integer codes checked one by one, or text class names mapped to codes 0..k-1 in
 * sorted order (the order scikit-learn's LabelEncoder uses). Rows and fields in errors are
 * 1-based, as in the readers.
 */
import { DataError } from '../errors.js';

/** Labels as int32 codes, plus the class names when they were read as text. */
export interface Labels {
  labels: Int32Array;
  names?: string[];
}

/**
 * Checks that every value is an integer in the int32 range and returns them as Int32Array.
 * `firstRow` is the 1-based row of `values[0]` in the file (for error positions).
 * @throws DataError
 */
export function toLabels(
  values: ArrayLike<number | bigint>,
  file: string,
  firstRow = 1,
): Int32Array {
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = Number(values[i]);
    if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647) {
      throw new DataError(`label must be an integer (int32), got ${String(values[i])}`, {
        file,
        row: firstRow + i,
      });
    }
    out[i] = v;
  }
  return out;
}

/**
 * Labels from text fields: integer text becomes codes directly; if any field is not a number,
 * all are taken as class names. `firstRow` and `field` are 1-based positions for errors.
 * @throws DataError on an empty label or a non-integer number
 */
export function labelsFromText(
  texts: readonly string[],
  file: string,
  firstRow = 1,
  field?: number,
): Labels {
  const empty = texts.findIndex((t) => t === '');
  if (empty >= 0) {
    throw new DataError('empty label; expected an integer or a class name', {
      file,
      row: firstRow + empty,
      field,
    });
  }
  const numeric = texts.every((t) => !Number.isNaN(Number(t)));
  if (numeric) {
    const out = new Int32Array(texts.length);
    for (let i = 0; i < texts.length; i++) {
      const v = Number(texts[i]);
      if (!Number.isInteger(v) || Math.abs(v) > 2147483647) {
        throw new DataError(`label must be an integer (int32), got ${JSON.stringify(texts[i])}`, {
          file,
          row: firstRow + i,
          field,
        });
      }
      out[i] = v;
    }
    return { labels: out };
  }
  const names = [...new Set(texts)].sort();
  const code = new Map(names.map((n, i) => [n, i]));
  return { labels: Int32Array.from(texts, (t) => code.get(t) as number), names };
}
