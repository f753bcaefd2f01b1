/**
 * Delimited text tables of numbers: comma-separated (`.csv`, RFC 4180 quoting), tab-separated
 * (`.tsv`) or whitespace-separated (`.txt`, as numpy.loadtxt reads). An optional header row is
 * detected when the first row holds a field that is not a number. One column may hold labels
 * (integers, or text class names mapped to 0.. in sorted order). Quoted fields may not span
 * lines. Error rows are 1-based line numbers of the file; fields are 1-based columns.
 */
import { ConfigError, DataError, ShapeError } from '../errors.js';
import { writeFileAtomic } from '../util/atomic.js';
import { matrix, type Matrix, type Matrix32 } from '../util/matrix.js';
import type { Dataset } from './dataset.js';
import { checkFloat32, readText } from './io.js';
import { labelsFromText } from './labels.js';

/** How fields are separated: one character, or any run of spaces and tabs. */
export type Delimiter = ',' | '\t' | ';' | 'whitespace';

/** Options of `readCsv`. */
export interface CsvOptions {
  /** Column holding labels: 0-based index (negative counts from the end) or header name. */
  labelColumn?: number | string;
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
  const labelCol = resolveLabelColumn(opts.labelColumn, width, names, path);
  const cols = labelCol === undefined ? width : width - 1;
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
    for (let j = 0; j < width; j++) {
      if (j === labelCol) labelText.push(fields[j].trim());
      else x[k++] = checkFloat32(parseNumber(fields[j], path, row, j + 1), path, row, j + 1);
    }
  }
  const d: Dataset = { x: matrix(rows, cols, x), source: path };
  if (labelCol !== undefined) {
    const { labels, names: labelNames } = labelsFromText(labelText, path, start + 1, labelCol + 1);
    d.labels = labels;
    if (labelNames) d.labelNames = labelNames;
  }
  return d;
}

function resolveLabelColumn(
  spec: number | string | undefined,
  width: number,
  names: string[] | undefined,
  file: string,
): number | undefined {
  if (spec === undefined) return undefined;
  if (typeof spec === 'string' && !/^-?\d+$/.test(spec)) {
    const i = names?.indexOf(spec) ?? -1;
    if (i < 0) {
      const have = names
        ? `header has ${names.map((n) => JSON.stringify(n)).join(', ')}`
        : 'no header';
      throw new ConfigError(`labelColumn ${JSON.stringify(spec)} not found in ${file} (${have})`);
    }
    return i;
  }
  const n = Number(spec);
  const i = n < 0 ? width + n : n;
  if (!Number.isInteger(n) || i < 0 || i >= width) {
    throw new ConfigError(
      `labelColumn must be a column index in ${-width}..${width - 1} or a header name, got ${String(spec)} (${file} has ${width} columns)`,
    );
  }
  if (width < 2)
    throw new ConfigError(`labelColumn: ${file} has one column; no features would remain`);
  return i;
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

/** Writes `m` (and optionally a final `label` column) as CSV, or TSV for a `.tsv` path; atomic. @throws ShapeError */
export function writeCsv(
  path: string,
  m: Matrix32 | Matrix,
  opts: { header?: string[]; labels?: ArrayLike<number> } = {},
): void {
  const kind = delimiterFor(path);
  const sep = kind === 'whitespace' ? ' ' : kind;
  const { header, labels } = opts;
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
  const f32 = m.data instanceof Float32Array;
  const parts: string[] = [];
  if (header) {
    const names = header.length === m.cols && labels ? [...header, 'label'] : header;
    parts.push(names.map((h) => (/[",\t\n]/.test(h) ? `"${h.replace(/"/g, '""')}"` : h)).join(sep));
  }
  for (let i = 0; i < m.rows; i++) {
    const row: string[] = [];
    for (let j = 0; j < m.cols; j++) row.push(formatNumber(m.data[i * m.cols + j], f32));
    if (labels) row.push(String(labels[i]));
    parts.push(row.join(sep));
  }
  writeFileAtomic(path, parts.join('\n') + '\n');
}
