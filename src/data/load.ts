/**
 * One entry point from a data argument to a `Dataset`: `mnist` (or `mnist:train`, `mnist:test`)
 * or a file path whose extension picks the reader (.csv .tsv .txt .npy .json, IDX as .idx*,
 * *-ubyte, each optionally .gz). Images of shape [n, h, w] are flattened to [n, h*w]. Labels come
 * from a label column, the JSON object form, or a separate label file; text labels keep their
 * names (`Dataset.labelNames`). A misspelt data set name gets a suggestion ("did you mean
 * mnist?"). Errors name the options by their command-line flags (`--label-column`, `--labels`,
 * `--ignore-columns`), the form most users meet them in.
 */
import { existsSync } from 'node:fs';
import { ConfigError, DataError } from '../errors.js';
import { checkInt } from '../util/check.js';
import { matrix, sliceRows } from '../util/matrix.js';
import { didYouMean } from '../util/suggest.js';
import type { ColumnRef } from './csv-columns.js';
import { readCsv, type CsvOptions } from './csv.js';
import { withLabels, type Dataset } from './dataset.js';
import { readIdx } from './idx.js';
import { readText, toFloat32Checked } from './io.js';
import { jsonLabels, readJsonMatrix, parseJsonText } from './json.js';
import { labelsFromText, toLabels, type Labels } from './labels.js';
import { loadMnist } from './mnist.js';
import { npyToMatrix, readNpy } from './npy.js';

/** The file formats `loadDataset` reads. */
export type DataFormat = 'csv' | 'npy' | 'json' | 'idx';

const FORMATS = '.csv, .tsv, .txt, .npy, .json, .idx/.idx1/.idx3 or *-ubyte (each optionally .gz)';

/** The format a path's extension implies, or undefined. */
export function formatOf(path: string): DataFormat | undefined {
  const p = path.toLowerCase().replace(/\.gz$/, '');
  if (/\.(csv|tsv|tab|txt|dat)$/.test(p)) return 'csv';
  if (p.endsWith('.npy')) return 'npy';
  if (p.endsWith('.json')) return 'json';
  if (/\.idx\d*$/.test(p) || /-ubyte$/.test(p) || /\.idx\d-ubyte$/.test(p)) return 'idx';
  return undefined;
}

/** The built-in data set names `loadDataset` takes. */
export const DATASET_NAMES: readonly string[] = ['mnist', 'mnist:train', 'mnist:test'];

function formatOrThrow(path: string, what: string): DataFormat {
  const f = formatOf(path);
  if (f === undefined) {
    const hint = what === 'data' && !existsSync(path) ? didYouMean(path, DATASET_NAMES) : '';
    if (hint !== '') {
      throw new DataError(`not a file or a data set name${hint}`, { file: path });
    }
    throw new DataError(`unknown ${what} format; expected ${FORMATS}`, { file: path });
  }
  return f;
}

/** Options of `loadDataset`. */
export interface LoadOptions {
  /** Path of a label file (.npy, .csv/.txt one per line, .json array, IDX). */
  labels?: string;
  /** Label column of a CSV file (0-based index, negative from the end, or header name). */
  labelColumn?: ColumnRef;
  /** Columns of a CSV file to skip, such as IDs (0-based indices or header names). */
  ignoreColumns?: readonly ColumnRef[];
  /** Keep only the first `limit` samples. */
  limit?: number;
}

/**
 * Loads `spec` ('mnist', 'mnist:train', 'mnist:test' or a file path) as a Dataset.
 * @throws DataError on unreadable or malformed data, ConfigError on conflicting options
 * @example
 * loadDataset('mnist:test', { limit: 3 }).labels; // Int32Array [7, 2, 1]
 */
export function loadDataset(spec: string, opts: LoadOptions = {}): Dataset {
  if (opts.limit !== undefined) checkInt('limit', opts.limit, 1);
  if (opts.labels !== undefined && opts.labelColumn !== undefined) {
    throw new ConfigError('give either --label-column or --labels (a label file), not both');
  }
  const ignore = opts.ignoreColumns ?? [];
  const m = /^mnist(?::(train|test))?$/i.exec(spec);
  if (m) {
    if (opts.labelColumn !== undefined || opts.labels !== undefined || ignore.length > 0) {
      throw new ConfigError(
        `${spec} has its own labels and columns; --label-column, --labels and --ignore-columns do not apply`,
      );
    }
    return loadMnist(m[1]?.toLowerCase() === 'test' ? 'test' : 'train', { limit: opts.limit });
  }
  let d = readDataFile(spec, opts.labelColumn, ignore);
  if (opts.labels !== undefined) {
    // The label file describes the whole file, so it is matched before any limit.
    const l = readLabels(opts.labels);
    d = withLabels(d, l.labels, opts.labels, l.names);
  }
  if (opts.limit !== undefined && d.x.rows > opts.limit) d = limitRows(d, opts.limit);
  return d;
}

function limitRows(d: Dataset, n: number): Dataset {
  const x = sliceRows(d.x, 0, n);
  const out: Dataset = { ...d, x: matrix(x.rows, x.cols, x.data.slice()) };
  if (d.labels) out.labels = d.labels.slice(0, n);
  return out;
}

/**
 * Reads a data file by extension; see the module doc.
 * @throws DataError on unreadable data, ConfigError on column options for a non-table format
 */
export function readDataFile(
  path: string,
  labelColumn?: ColumnRef,
  ignoreColumns: readonly ColumnRef[] = [],
): Dataset {
  const format = formatOrThrow(path, 'data');
  if ((labelColumn !== undefined || ignoreColumns.length > 0) && format !== 'csv') {
    const flag = labelColumn !== undefined ? '--label-column' : '--ignore-columns';
    throw new ConfigError(`${flag} applies to CSV/TSV/TXT files only, not ${path}`);
  }
  switch (format) {
    case 'csv': {
      const o: CsvOptions = labelColumn === undefined ? {} : { labelColumn };
      if (ignoreColumns.length > 0) o.ignoreColumns = ignoreColumns;
      return readCsv(path, o);
    }
    case 'json':
      return readJsonMatrix(path);
    case 'npy':
      return { x: npyToMatrix(readNpy(path), path), source: path };
    case 'idx': {
      const a = readIdx(path);
      const rows = a.dims[0];
      const cols = a.dims.slice(1).reduce((p, q) => p * q, 1);
      return { x: matrix(rows, cols, toFloat32Checked(a.data, cols, path)), source: path };
    }
  }
}

/** Reads a label file: one label per sample as .npy, IDX, JSON array or text one per line. @throws DataError */
export function readLabels(path: string): Labels {
  const format = formatOrThrow(path, 'label file');
  if (format === 'json') return jsonLabels(parseJsonText(readText(path), path), path);
  if (format === 'csv') return textLabels(path);
  const a = format === 'npy' ? readNpy(path) : readIdx(path);
  const shape = 'shape' in a ? a.shape : a.dims;
  if (shape.length === 0 || shape.length > 2 || (shape.length === 2 && shape[1] !== 1)) {
    throw new DataError(`labels must have shape (n,) or (n, 1), got (${shape.join(', ')})`, {
      file: path,
    });
  }
  return { labels: toLabels(a.data, path) };
}

function textLabels(path: string): Labels {
  const lines = readText(path)
    .split(/\r?\n/)
    .map((l) => l.trim());
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0)
    throw new DataError('empty label file; expected one label per line', { file: path });
  const multi = lines.findIndex((l) => /[,\t]/.test(l.replace(/^"|"$/g, '')));
  if (multi >= 0) {
    throw new DataError('expected one label per line, found several fields', {
      file: path,
      row: multi + 1,
    });
  }
  const texts = lines.map((l) => l.replace(/^"(.*)"$/, '$1'));
  // A header line: the first line is not a number but all the others are.
  const isNum = (t: string): boolean => t !== '' && !Number.isNaN(Number(t));
  const header = texts.length > 1 && !isNum(texts[0]) && texts.slice(1).every(isNum);
  return header ? labelsFromText(texts.slice(1), path, 2) : labelsFromText(texts, path, 1);
}
