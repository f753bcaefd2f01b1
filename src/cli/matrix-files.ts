/**
 * Output and code files of `encode` and `decode`, picked by extension: `.npy` (float32, shape
 * [n, k]), `.csv`/`.tsv` (header row, optional final `label` column) and, for `decode`, `.png`.
 * Every file is written atomically (temp file + rename), so an existing file is never left
 * half-overwritten. Codes are read back from what `encode` writes: .npy, .csv/.tsv with an
 * optional `label` column (integers or class names, kept as names), or .json.
 */
import { extname } from 'node:path';
import { ConfigError, DataError } from '../errors.js';
import { readCsv, writeCsv } from '../data/csv.js';
import type { Dataset } from '../data/dataset.js';
import { formatOf, readDataFile } from '../data/load.js';
import { writeNpy } from '../data/npy.js';
import type { Matrix32 } from '../util/matrix.js';
import { UsageError } from './context.js';

/** The kinds of output file. */
export type OutputKind = 'npy' | 'csv' | 'png';

/** The kind `path`'s extension names, if it is among `allowed`. @throws UsageError naming `flag` */
export function outputKind<K extends OutputKind>(
  path: string,
  allowed: readonly K[],
  flag: string,
): K {
  const ext = extname(path).toLowerCase();
  const kind: OutputKind | undefined =
    ext === '.npy'
      ? 'npy'
      : ext === '.csv' || ext === '.tsv'
        ? 'csv'
        : ext === '.png'
          ? 'png'
          : undefined;
  if (kind === undefined || !(allowed as readonly OutputKind[]).includes(kind)) {
    const names = allowed.map((k) => (k === 'csv' ? '.csv or .tsv' : `.${k}`)).join(', ');
    throw new UsageError(
      `${flag} ${path}: unknown output format; expected a file name ending in ${names}`,
    );
  }
  return kind as K;
}

/**
 * Writes `m` as .npy or .csv/.tsv (columns named `prefix`0.., plus `label` when labels are
 * given: the class names when `labelNames` is given, else the integers).
 */
export function writeMatrixFile(
  path: string,
  kind: 'npy' | 'csv',
  m: Matrix32,
  opts: { prefix: string; labels?: Int32Array; labelNames?: readonly string[] },
): void {
  if (kind === 'npy') {
    writeNpy(path, m);
    return;
  }
  const header = Array.from({ length: m.cols }, (_, j) => `${opts.prefix}${j}`);
  writeCsv(path, m, {
    header,
    ...(opts.labels ? { labels: opts.labels } : {}),
    ...(opts.labels && opts.labelNames ? { labelNames: opts.labelNames } : {}),
  });
}

/**
 * Reads a code file of `latentDim` columns; a CSV `label` column is kept as labels.
 * @throws DataError on unreadable files or a column count that does not fit the model
 */
export function readCodes(path: string, latentDim: number): Dataset {
  const format = formatOf(path);
  if (format !== 'csv' && format !== 'npy' && format !== 'json') {
    throw new DataError('unknown codes format; expected .npy, .csv, .tsv or .json', { file: path });
  }
  let d: Dataset;
  if (format === 'csv') {
    try {
      d = readCsv(path, { labelColumn: 'label' });
    } catch (err) {
      // No header with a `label` column: the file holds codes only.
      if (!(err instanceof ConfigError)) throw err;
      d = readCsv(path);
    }
  } else {
    d = readDataFile(path);
  }
  if (d.x.cols !== latentDim) {
    throw new DataError(
      `has ${d.x.cols} columns, but the model's code has ${latentDim}; expected codes written by \`aedr encode\` with this model`,
      { file: path },
    );
  }
  return d;
}
