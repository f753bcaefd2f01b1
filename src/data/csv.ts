/**
 * Delimited text tables of numbers: comma-separated (`.csv`, RFC 4180 quoting), tab-separated
 * (`.tsv`) or whitespace-separated (`.txt`, as numpy.loadtxt reads). An optional header row is
 * detected when the first row holds a field that is not a number. One column may hold labels
 * (integers, or text class names mapped to 0.. in sorted order, the names kept), and columns
 * such as IDs may be skipped (pandas' `usecols` inverted). A column of text found among the
 * features is reported by name with the flag that skips it. Quoted fields may not span lines.
 * Error rows are 1-based line numbers of the file; fields are 1-based columns.
 */
import { DataError, ShapeError } from '../errors.js';
import { writeFileAtomic } from '../util/atomic.js';
import { matrix, type Matrix, type Matrix32 } from '../util/matrix.js';
import { planColumns, textColumnsError, type ColumnRef } from './csv-columns.js';
import type { Dataset } from './dataset.js';
import { checkFloat32, readText } from './io.js';
import { labelsFromText } from './labels.js';

/** How fields are separated: one character, or any run of spaces and tabs. */
export type Delimiter = ',' | '\t' | ';' | 'whitespace';

/** Options of `readCsv`. */
export interface CsvOptions {
  /** Column holding labels: 0-based index (negative counts from the end) or header name. */
  labelColumn?: ColumnRef;
  /** Columns to skip (IDs, free text): 0-based indices (negative from the end) or header names. */
  ignoreColumns?: readonly ColumnRef[];
  /** Whether the first row is a header; 'auto' (default) when it holds a non-number. */
  header?: boolean | 'auto';
  /** Field separator; by default tab for `.tsv`, whitespace for `.txt`, else comma. */
  delimiter?: Delimiter;
}

const NON_FINITE = /^[+-]?(nan|inf|infinity)$/i;

/** The delimiter a file name implies. */
export function delimiterFor(path: string): Delimiter {
  const p = path.toLowerCase().replace(/\.gz$/, '');
  if (p.endsWith('.tsv') || p.endsWith('.tab')) return '\t';
  if (p.endsWith('.txt') || p.endsWith('.dat')) return 'whitespace';
  return ',';
}

/** Splits one line into fields, honouring double quotes ("" is a literal quote). */
export function splitLine(line: string, delim: Delimiter, file: string, row: number): string[] {
  if (delim === 'whitespace') return line.trim().split(/[ \t]+/);
  if (!line.includes('"')) return line.split(delim);
  const out: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    while (line[i] === ' ') i++;
    if (line[i] === '"') {
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) {
          throw new DataError('unclosed quote (quoted fields may not span lines)', {
            file,
            row,
            field: out.length + 1,
          });
        }
        field += line.slice(i, q);
        i = q + 1;
        if (line[i] === '"') {
          field += '"';
          i++;
        } else break;
      }
      const next = line.indexOf(delim, i);
      const rest = next < 0 ? line.slice(i) : line.slice(i, next);
      if (rest.trim() !== '') {
        throw new DataError(`text after a closing quote: ${JSON.stringify(rest)}`, {
          file,
          row,
          field: out.length + 1,
        });
      }
      i = next < 0 ? line.length : next;
    } else {
      const next = line.indexOf(delim, i);
      field = next < 0 ? line.slice(i) : line.slice(i, next);
      i = next < 0 ? line.length : next;
    }
    out.push(field);
    if (i >= line.length) return out;
    i++; // skip the delimiter
    if (i === line.length) {
      out.push('');
      return out;
    }
  }
}

/** Parses one numeric field; NaN, infinities, empty and non-numeric text are DataErrors. */
export function parseNumber(text: string, file: string, row: number, field: number): number {
  const t = text.trim();
  const v = t === '' ? NaN : Number(t);
  if (Number.isFinite(v)) return v;
  const where = { file, row, field };
  if (t === '')
    throw new DataError('expected a number, got an empty field (a missing value?)', where);
  if (NON_FINITE.test(t)) {
    throw new DataError(
      `${/nan/i.test(t) ? 'NaN' : 'an infinite value'} in the data, got ${JSON.stringify(t)}; expected a finite number`,
      where,
    );
  }
  throw new DataError(`expected a number, got ${JSON.stringify(t)}`, where);
}

function looksNumeric(text: string): boolean {
  const t = text.trim();
  return t === '' || NON_FINITE.test(t) || !Number.isNaN(Number(t));
}

/** Spellings of a missing value: a stray one is a data problem, not a text column. */
const MISSING = /^(n\/?a|null|none|missing|\?|-+)$/i;

/** Feature columns whose field in `fields` is text (not a number, not a missing-value marker). */
function textColumns(fields: readonly string[], features: readonly number[]): number[] {
  return features.filter((j) => !looksNumeric(fields[j]) && !MISSING.test(fields[j].trim()));
}

/** Reads a numeric table; see `CsvOptions`. @throws DataError on malformed data, ConfigError on a bad option */
export function readCsv(path: string, opts: CsvOptions = {}): Dataset {
  const delim = opts.delimiter ?? delimiterFor(path);
  const lines = readText(path).split(/\r?\n/);
  let last = lines.length - 1;
  while (last >= 0 && lines[last].trim() === '') last--;
  let first = 0;
  while (first <= last && lines[first].trim() === '') first++;
  if (first > last) throw new DataError('empty file; expected rows of numbers', { file: path });

  const firstFields = splitLine(lines[first], delim, path, first + 1);
  const header =
    opts.header === 'auto' || opts.header === undefined
      ? firstFields.some((f) => !looksNumeric(f))
      : opts.header;
  const names = header ? firstFields.map((f) => f.trim()) : undefined;
  const start = header ? first + 1 : first;
  if (start > last) {
    throw new DataError('no data rows after the header; expected rows of numbers', { file: path });
  }
  const width = firstFields.length;
  const plan = planColumns(width, names, path, opts.labelColumn, opts.ignoreColumns);
  const labelCol = plan.label;
  const features = plan.features;
  const cols = features.length;
  const rows = last - start + 1;
  const x = new Float32Array(rows * cols);
  const labelText: string[] = [];
  let k = 0;
  for (let li = start; li <= last; li++) {
    const row = li + 1;
    const line = lines[li];
    if (line.trim() === '') {
      throw new DataError(`blank line inside the data; expected ${width} fields`, {
        file: path,
        row,
      });
    }
    const fields = splitLine(line, delim, path, row);
    if (fields.length !== width) {
      throw new DataError(
        `expected ${width} fields (as in row ${first + 1}), found ${fields.length}`,
        { file: path, row },
      );
    }
    if (li === start) {
      const text = textColumns(fields, features);
      if (text.length > 0) throw textColumnsError(text, fields, names, path, row);
    }
    if (labelCol !== undefined) labelText.push(fields[labelCol].trim());
    for (const j of features) {
      x[k++] = checkFloat32(parseNumber(fields[j], path, row, j + 1), path, row, j + 1);
    }
  }
  const d: Dataset = { x: matrix(rows, cols, x), source: path };
  if (names) d.columns = features.map((j) => names[j]);
  if (labelCol !== undefined) {
    const { labels, names: labelNames } = labelsFromText(labelText, path, start + 1, labelCol + 1);
    d.labels = labels;
    if (labelNames) d.labelNames = labelNames;
  }
  return d;
}

/** Shortest decimal text that reads back to the same float32 (or float64) value. */
export function formatNumber(v: number, float32: boolean): string {
  if (Number.isInteger(v) || !float32) return String(v);
  for (let p = 1; p < 9; p++) {
    const s = v.toPrecision(p);
    if (Math.fround(Number(s)) === v) return String(Number(s));
  }
  return String(Number(v.toPrecision(9)));
}

/** Options of `writeCsv`. */
export interface WriteCsvOptions {
  /** Column names: one per column of the matrix, or one more when a label column is added. */
  header?: string[];
  /** One label code per row, written as a final column (named `label` when the header is one short). */
  labels?: ArrayLike<number>;
  /** Class names: the label column holds `labelNames[code]` instead of the code. */
  labelNames?: readonly string[];
}

function quoteField(text: string, sep: string): string {
  return text.includes(sep) || /["\n\r]/.test(text) || text !== text.trim()
    ? `"${text.replace(/"/g, '""')}"`
    : text;
}

/**
 * Writes `m` (and optionally a final label column, as codes or class names) as CSV, or TSV for a
 * `.tsv` path; atomic. @throws ShapeError on a header, label or class-name count that does not fit
 */
export function writeCsv(path: string, m: Matrix32 | Matrix, opts: WriteCsvOptions = {}): void {
  const kind = delimiterFor(path);
  const sep = kind === 'whitespace' ? ' ' : kind;
  const { header, labels, labelNames } = opts;
  if (
    header !== undefined &&
    header.length !== m.cols &&
    header.length !== m.cols + (labels ? 1 : 0)
  ) {
    throw new ShapeError(
      `writeCsv: header has ${header.length} names, expected ${m.cols} (one per column${labels ? ', "label" is added' : ''})`,
    );
  }
  if (labels !== undefined && labels.length !== m.rows) {
    throw new ShapeError(`writeCsv: ${labels.length} labels for ${m.rows} rows`);
  }
  const labelText = (code: number): string => {
    if (!labelNames) return String(code);
    const name = labelNames[code];
    if (name === undefined) {
      throw new ShapeError(
        `writeCsv: label code ${code} has no name; labelNames has ${labelNames.length} (codes 0..${labelNames.length - 1})`,
      );
    }
    return quoteField(name, sep);
  };
  const f32 = m.data instanceof Float32Array;
  const parts: string[] = [];
  if (header) {
    const names = header.length === m.cols && labels ? [...header, 'label'] : header;
    parts.push(names.map((h) => quoteField(h, sep)).join(sep));
  }
  for (let i = 0; i < m.rows; i++) {
    const row: string[] = [];
    for (let j = 0; j < m.cols; j++) row.push(formatNumber(m.data[i * m.cols + j], f32));
    if (labels) row.push(labelText(labels[i]));
    parts.push(row.join(sep));
  }
  writeFileAtomic(path, parts.join('\n') + '\n');
}
