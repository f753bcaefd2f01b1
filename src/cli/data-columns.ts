/**
 * The column flags of every command that reads a data file (`--label-column`, `--ignore-columns`)
 * and their record in a model folder: `aedr train` stores how it read its CSV in model.json
 * (`training.dataColumns`: the label column and skipped columns as given, and the feature names
 * when the file had a header), so `encode`, `serve` and `score` on the same file need no flags.
 * A remembered column that the file given later lacks (a codes file, a file without the label
 * column) is not an error: the file is read as it is.
 */
import { InvalidArgumentError } from 'commander';
import { ConfigError } from '../errors.js';
import type { ColumnRef } from '../data/csv-columns.js';
import type { Dataset } from '../data/dataset.js';
import { formatOf, loadDataset, type LoadOptions } from '../data/load.js';
import type { AutoencoderModel, TrainingConfig } from '../train/model.js';

/** How a training CSV was read, as model.json's `training.dataColumns` keeps it. */
export interface DataColumns {
  labelColumn?: ColumnRef;
  ignoreColumns?: ColumnRef[];
  /** Header names of the feature columns, in order. */
  columns?: string[];
}

/** `--ignore-columns a,b,3`: names or 0-based indices (negative from the end), comma-separated. */
export function columnListArg(text: string): ColumnRef[] {
  const parts = text.split(',').map((s) => s.trim());
  if (parts.some((p) => p === '')) {
    throw new InvalidArgumentError(
      'Expected comma-separated column names or 0-based indices (e.g. id,name or 0,1).',
    );
  }
  return parts.map((p) => (/^-?\d+$/.test(p) ? Number(p) : p));
}

/** The record of how `data` was read with `opts`; undefined when no column flag applied. */
export function dataColumnsOf(data: Dataset, opts: LoadOptions): DataColumns | undefined {
  if (opts.labelColumn === undefined && (opts.ignoreColumns ?? []).length === 0) return undefined;
  return {
    ...(opts.labelColumn !== undefined ? { labelColumn: opts.labelColumn } : {}),
    ...((opts.ignoreColumns ?? []).length > 0 ? { ignoreColumns: [...opts.ignoreColumns!] } : {}),
    ...(data.columns ? { columns: data.columns } : {}),
  };
}

/** Stores `cols` in `model.training` (written to model.json by the next save). */
export function recordDataColumns(model: AutoencoderModel, cols: DataColumns | undefined): void {
  if (cols === undefined || model.training === undefined) return;
  const training: TrainingConfig & { dataColumns: DataColumns } = {
    ...model.training,
    dataColumns: cols,
  };
  model.training = training;
}

const isRef = (v: unknown): v is ColumnRef =>
  (typeof v === 'number' && Number.isInteger(v)) || typeof v === 'string';

/** The column record of a model's training config, if it has a well-formed one. */
export function rememberedColumns(training: TrainingConfig | undefined): DataColumns | undefined {
  const raw: unknown = (training as { dataColumns?: unknown } | undefined)?.dataColumns;
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  const out: DataColumns = {};
  if (isRef(r.labelColumn)) out.labelColumn = r.labelColumn;
  if (Array.isArray(r.ignoreColumns) && r.ignoreColumns.every(isRef))
    out.ignoreColumns = r.ignoreColumns;
  if (Array.isArray(r.columns) && r.columns.every((c) => typeof c === 'string'))
    out.columns = r.columns as string[];
  return out.labelColumn !== undefined || out.ignoreColumns !== undefined ? out : undefined;
}

/** `--label-column species --ignore-columns id`: the flags a record stands for. */
export function columnFlagsText(c: DataColumns): string {
  return [
    ...(c.labelColumn !== undefined ? [`--label-column ${String(c.labelColumn)}`] : []),
    ...(c.ignoreColumns ? [`--ignore-columns ${c.ignoreColumns.join(',')}`] : []),
  ].join(' ');
}

/**
 * Loads `spec` for a model: with the given flags when any column flag or label file is given,
 * else (for a CSV) with the columns the model remembers, falling back to the file as it is when
 * it lacks them. `note` hears which remembered flags were applied.
 * @throws DataError, ConfigError as loadDataset
 */
export function loadForModel(
  spec: string,
  opts: LoadOptions,
  remembered: DataColumns | undefined,
  note: (line: string) => void = () => undefined,
): Dataset {
  const given =
    opts.labelColumn !== undefined ||
    opts.labels !== undefined ||
    (opts.ignoreColumns ?? []).length > 0;
  if (given || remembered === undefined || formatOf(spec) !== 'csv') {
    return loadDataset(spec, opts);
  }
  const withRemembered: LoadOptions = {
    ...opts,
    ...(remembered.labelColumn !== undefined ? { labelColumn: remembered.labelColumn } : {}),
    ...(remembered.ignoreColumns ? { ignoreColumns: remembered.ignoreColumns } : {}),
  };
  try {
    const d = loadDataset(spec, withRemembered);
    note(`read ${spec} as the model's training data was: ${columnFlagsText(remembered)}`);
    return d;
  } catch (err) {
    // The file lacks a remembered column: read it as it is.
    if (err instanceof ConfigError) return loadDataset(spec, opts);
    throw err;
  }
}
