/**
 * One entry point from a data path to a row source: `.npy`, a folder or glob of `.npy` shards,
 * CSV/TSV/TXT (optionally `.gz`), Parquet, and Arrow IPC/Feather, picked by extension. The
 * Parquet and Arrow readers are loaded on first use, so opening other formats costs nothing for
 * them. `loadSourceDataset` reads a whole source into the in-memory `Dataset` that data that
 * fits in memory keeps using.
 */
import { statSync } from 'node:fs';
import { ConfigError, DataError } from '../../errors.js';
import type { Delimiter } from '../csv.js';
import type { Dataset } from '../dataset.js';
import { CsvSource } from './csv-source.js';
import { NpySource } from './npy-source.js';
import { isGlob, NpyShardSource } from './shards.js';
import { readAllRows, type RowSource } from './source.js';

/** The formats `openSource` reads. */
export type SourceFormat = 'npy' | 'npy-shards' | 'csv' | 'parquet' | 'arrow';

/** Options of `openSource`. */
export interface OpenSourceOptions {
  /** Parquet/Arrow: the columns that make a row (numeric columns, or one list column). */
  columns?: readonly string[];
  /** CSV: whether the first line is a header ('auto' by default). */
  header?: boolean | 'auto';
  /** CSV: the field separator (by default from the extension). */
  delimiter?: Delimiter;
}

const FORMATS =
  '.npy, a folder or glob of .npy shards, .csv/.tsv/.txt (optionally .gz), .parquet, .arrow/.feather/.arrows';

/** The format `path` names: a folder or glob is shards, else the extension decides. */
export function sourceFormatOf(path: string): SourceFormat | undefined {
  if (isGlob(path) || statSync(path, { throwIfNoEntry: false })?.isDirectory() === true) {
    return 'npy-shards';
  }
  const p = path.toLowerCase();
  if (p.endsWith('.npy')) return 'npy';
  if (/\.(csv|tsv|tab|txt|dat)(\.gz)?$/.test(p)) return 'csv';
  if (/\.(parquet|pq)$/.test(p)) return 'parquet';
  if (/\.(arrow|arrows|feather|ipc)$/.test(p)) return 'arrow';
  return undefined;
}

/**
 * Opens `path` as a row source. @throws DataError on an unknown format or unreadable data,
 * ConfigError on options that do not apply to the format
 * @example
 * const s = await openSource('emb.parquet', { columns: ['embedding'] });
 * [s.rows, s.cols]; // [1000000, 768]
 */
export async function openSource(path: string, opts: OpenSourceOptions = {}): Promise<RowSource> {
  const format = sourceFormatOf(path);
  if (format === undefined) {
    throw new DataError(`unknown data format; expected ${FORMATS}`, { file: path });
  }
  const tabular = format === 'parquet' || format === 'arrow';
  if (opts.columns !== undefined && !tabular) {
    throw new ConfigError(`columns applies to Parquet and Arrow files only, not ${path}`);
  }
  if ((opts.header !== undefined || opts.delimiter !== undefined) && format !== 'csv') {
    throw new ConfigError(`header and delimiter apply to CSV/TSV/TXT files only, not ${path}`);
  }
  switch (format) {
    case 'npy':
      return NpySource.open(path);
    case 'npy-shards':
      return NpyShardSource.open(path);
    case 'csv':
      return CsvSource.open(path, { header: opts.header, delimiter: opts.delimiter });
    case 'parquet': {
      const { ParquetSource } = await import('./parquet-source.js');
      return ParquetSource.open(path, { columns: opts.columns });
    }
    case 'arrow': {
      const { ArrowSource } = await import('./arrow-source.js');
      return ArrowSource.open(path, { columns: opts.columns });
    }
  }
}

/**
 * Reads all of `path` (any `openSource` format) into a Dataset, refusing more than `maxRows`
 * rows. @throws DataError, ConfigError, ShapeError when the data exceeds `maxRows`
 */
export async function loadSourceDataset(
  path: string,
  opts: OpenSourceOptions & { maxRows?: number } = {},
): Promise<Dataset> {
  const { maxRows, ...rest } = opts;
  const s = await openSource(path, rest);
  try {
    return { x: await readAllRows(s, maxRows), source: path };
  } finally {
    await s.close();
  }
}
