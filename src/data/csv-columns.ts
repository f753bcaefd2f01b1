/**
 * Which columns of a delimited table are features, which one holds labels and which are skipped.
 * Columns are named by 0-based index (negative counts from the end) or by header name, as
 * pandas' `usecols`/`index_col` take them. Errors name the options by their command-line flags
 * (`--label-column`, `--ignore-columns`), the form most users meet them in; the API options are
 * `labelColumn` and `ignoreColumns`. An unknown name gets the nearest header name as a
 * suggestion, never the whole header.
 */
import { ConfigError, DataError } from '../errors.js';
import { didYouMean } from '../util/suggest.js';

/** A column reference: 0-based index (negative from the end) or header name. */
export type ColumnRef = number | string;

/** How many header names an error lists before "and N more". */
const LIST_AT_MOST = 6;

/** `"a", "b", "c" and 12 more`: a short list for error messages. */
export function shortList(names: readonly string[], atMost = LIST_AT_MOST): string {
  const shown = names.slice(0, atMost).map((n) => JSON.stringify(n));
  const rest = names.length - shown.length;
  return rest > 0 ? `${shown.join(', ')} and ${rest} more` : shown.join(', ');
}

/**
 * The 0-based index of column `spec` in a table of `width` columns with header `names`.
 * `flag` is the option's flag name for the message.
 * @throws ConfigError naming the flag, the value and (for a name) the nearest header name
 */
export function resolveColumn(
  spec: ColumnRef,
  width: number,
  names: readonly string[] | undefined,
  file: string,
  flag: string,
): number {
  if (typeof spec === 'string' && !/^-?\d+$/.test(spec.trim())) {
    const i = names?.indexOf(spec) ?? -1;
    if (i >= 0) return i;
    if (!names) {
      throw new ConfigError(
        `${flag} ${JSON.stringify(spec)}: ${file} has no header row; give a 0-based column index (0..${width - 1})`,
      );
    }
    const hint = didYouMean(spec, names);
    const have = hint !== '' ? hint : `; the header has ${shortList(names)}`;
    throw new ConfigError(`${flag} ${JSON.stringify(spec)}: no such column in ${file}${have}`);
  }
  const n = Number(spec);
  const i = n < 0 ? width + n : n;
  if (!Number.isInteger(n) || i < 0 || i >= width) {
    throw new ConfigError(
      `${flag} ${String(spec)}: ${file} has ${width} columns; expected a 0-based index in ${-width}..${width - 1} or a header name`,
    );
  }
  return i;
}

/** The resolved column roles of a table. */
export interface ColumnPlan {
  /** 0-based index of the label column, if any. */
  label?: number;
  /** Sorted 0-based indices of the skipped columns. */
  ignored: number[];
  /** Sorted 0-based indices of the feature columns. */
  features: number[];
}

/**
 * Resolves the label column and the skipped columns of a `width`-column table.
 * @throws ConfigError on an unknown column, a column both skipped and labels, or no features left
 */
export function planColumns(
  width: number,
  names: readonly string[] | undefined,
  file: string,
  labelColumn: ColumnRef | undefined,
  ignoreColumns: readonly ColumnRef[] = [],
): ColumnPlan {
  const label =
    labelColumn === undefined
      ? undefined
      : resolveColumn(labelColumn, width, names, file, '--label-column');
  const ignored = [
    ...new Set(ignoreColumns.map((c) => resolveColumn(c, width, names, file, '--ignore-columns'))),
  ].sort((a, b) => a - b);
  if (label !== undefined && ignored.includes(label)) {
    throw new ConfigError(
      `column ${columnName(label, names)} is both the --label-column and in --ignore-columns; give it to one of them`,
    );
  }
  const features: number[] = [];
  for (let j = 0; j < width; j++) if (j !== label && !ignored.includes(j)) features.push(j);
  if (features.length === 0) {
    throw new ConfigError(
      `${file} has ${width} column${width === 1 ? '' : 's'} and none is left as a feature after --label-column and --ignore-columns`,
    );
  }
  return { ...(label === undefined ? {} : { label }), ignored, features };
}

/** `"id"` (header name) or `0` (0-based index) for messages. */
export function columnName(j: number, names: readonly string[] | undefined): string {
  return names ? JSON.stringify(names[j]) : `at index ${j}`;
}

/** How to name column `j` in a flag value: its header name when that is safe to type, else its index. */
function flagValue(j: number, names: readonly string[] | undefined): string {
  const n = names?.[j];
  return n !== undefined && /^[\w.:-]+$/.test(n) ? n : String(j);
}

/**
 * The error for text found in feature columns `textCols` (0-based) of the first data row `row`:
 * it names the columns and offers `--ignore-columns` (and `--label-column` for a single one).
 */
export function textColumnsError(
  textCols: readonly number[],
  fields: readonly string[],
  names: readonly string[] | undefined,
  file: string,
  row: number,
): DataError {
  const first = textCols[0];
  const what = textCols
    .slice(0, LIST_AT_MOST)
    .map((j) => `${columnName(j, names)} (${JSON.stringify(fields[j].trim())})`)
    .join(', ');
  const more = textCols.length > LIST_AT_MOST ? ` and ${textCols.length - LIST_AT_MOST} more` : '';
  const flag = textCols.map((j) => flagValue(j, names)).join(',');
  const one = textCols.length === 1;
  const fix = one
    ? `skip it with --ignore-columns ${flag}, or read it as labels with --label-column ${flag}`
    : `skip them with --ignore-columns ${flag}`;
  return new DataError(
    `column${one ? '' : 's'} ${what}${more} hold${one ? 's' : ''} text, not numbers; ${fix}`,
    { file, row, field: first + 1 },
  );
}
