/**
 * Arrow record batches (apache-arrow, https://arrow.apache.org/docs/format/Columnar.html) as
 * row-major float32 rows: either several numeric columns, one value each, or one list /
 * fixed-size-list column of numbers whose items form the row (the usual layout of stored
 * embeddings). Nulls, ragged lists, non-numeric columns and values outside float32 are DataErrors
 * naming the file, the column and the 1-based row.
 */
import { DataType, type Data, type RecordBatch, type Schema } from 'apache-arrow';
import { ConfigError, DataError } from '../../errors.js';
import { checkBlockFinite } from './source.js';

/** Which columns make a row. */
export type ColumnPlan =
  | { kind: 'columns'; indices: number[]; names: string[] }
  | { kind: 'list'; index: number; name: string; fixedWidth: number | undefined };

function isNumber(t: DataType): boolean {
  return (DataType.isFloat(t) && t.precision !== 0) || DataType.isInt(t);
}

function listItem(t: DataType): DataType | undefined {
  if (DataType.isList(t) || DataType.isFixedSizeList(t)) return t.children[0]?.type;
  return undefined;
}

function describe(schema: Schema): string {
  return schema.fields.map((f) => `${f.name} (${String(f.type)})`).join(', ');
}

/**
 * The columns `columns` names in `schema`, or by default its one numeric list column, else all
 * its columns when all are numeric. @throws ConfigError on an unknown name, DataError on an unusable column
 */
export function planColumns(
  schema: Schema,
  columns: readonly string[] | undefined,
  file: string,
): ColumnPlan {
  const fields = schema.fields;
  const listPlan = (i: number): ColumnPlan => {
    const t = fields[i].type as DataType;
    const item = listItem(t);
    if (item === undefined || !isNumber(item)) {
      throw new DataError(
        `column '${fields[i].name}' is ${String(t)}; expected numbers or a list of numbers`,
        { file, field: fields[i].name },
      );
    }
    return {
      kind: 'list',
      index: i,
      name: fields[i].name,
      fixedWidth: DataType.isFixedSizeList(t) ? t.listSize : undefined,
    };
  };
  if (columns === undefined) {
    const lists = fields.flatMap((f, i) => (listItem(f.type as DataType) === undefined ? [] : [i]));
    if (lists.length === 1) return listPlan(lists[0]);
    const bad = fields.filter((f) => !isNumber(f.type as DataType));
    if (lists.length > 1 || bad.length > 0 || fields.length === 0) {
      throw new DataError(
        `cannot tell which columns hold the data (${describe(schema)}); name them with columns (a list column alone, or numeric columns)`,
        { file },
      );
    }
    return { kind: 'columns', indices: fields.map((_, i) => i), names: fields.map((f) => f.name) };
  }
  if (columns.length === 0)
    throw new ConfigError(`columns: expected at least one name for ${file}`);
  const indices = columns.map((c) => {
    const i = fields.findIndex((f) => f.name === c);
    if (i < 0) {
      throw new ConfigError(
        `columns: ${JSON.stringify(c)} not found in ${file} (it has ${describe(schema)})`,
      );
    }
    return i;
  });
  if (indices.length === 1 && listItem(fields[indices[0]].type as DataType) !== undefined) {
    return listPlan(indices[0]);
  }
  for (const i of indices) {
    if (!isNumber(fields[i].type as DataType)) {
      throw new DataError(
        `column '${fields[i].name}' is ${String(fields[i].type)}; expected a numeric column (or name one list column alone)`,
        { file, field: fields[i].name },
      );
    }
  }
  return { kind: 'columns', indices, names: [...columns] };
}

function firstNull(d: Data, length: number): number {
  const bits = d.nullBitmap;
  for (let i = 0; i < length; i++) {
    const b = d.offset + i;
    if (bits !== undefined && bits !== null && (bits[b >> 3] & (1 << (b & 7))) === 0) return i;
  }
  return 0;
}

function number(values: ArrayLike<number | bigint>, i: number, file: string, row: number): number {
  const v = values[i];
  if (typeof v !== 'bigint') return v;
  if (v > 9007199254740991n || v < -9007199254740991n) {
    throw new DataError(`int64 value ${v} exceeds 2^53 and cannot be read exactly`, { file, row });
  }
  return Number(v);
}

/** The row width a list plan gives in `batch`: fixed, or the first row's length. */
export function listWidth(batch: RecordBatch, plan: ColumnPlan & { kind: 'list' }): number {
  if (plan.fixedWidth !== undefined) return plan.fixedWidth;
  const d = batch.getChildAt(plan.index)?.data[0];
  if (d === undefined || d.length === 0) return 0;
  const off = d.valueOffsets as Int32Array;
  return Number(off[d.offset + 1]) - Number(off[d.offset]);
}

/**
 * Writes the rows of `batch` into `out` (`batch.numRows * cols` values): row r of the batch is
 * row `firstRow + r` of the file. @throws DataError on nulls, ragged lists or non-finite values
 */
export function batchToRows(
  batch: RecordBatch,
  plan: ColumnPlan,
  cols: number,
  out: Float32Array,
  firstRow: number,
  file: string,
): void {
  const n = batch.numRows;
  const nullError = (name: string, r: number): DataError =>
    new DataError(`null in column '${name}'; expected a number in every row`, {
      file,
      row: firstRow + r + 1,
      field: name,
    });
  if (plan.kind === 'columns') {
    plan.indices.forEach((ci, j) => {
      const col = batch.getChildAt(ci);
      if (col === null) throw new DataError(`column '${plan.names[j]}' is missing`, { file });
      let r0 = 0;
      for (const d of col.data) {
        if (d.nullCount > 0) throw nullError(plan.names[j], r0 + firstNull(d, d.length));
        const vals = d.values as ArrayLike<number | bigint>;
        for (let r = 0; r < d.length; r++) {
          out[(r0 + r) * cols + j] = number(vals, d.offset + r, file, firstRow + r0 + r + 1);
        }
        r0 += d.length;
      }
    });
  } else {
    const col = batch.getChildAt(plan.index);
    if (col === null) throw new DataError(`column '${plan.name}' is missing`, { file });
    let r0 = 0;
    for (const d of col.data) {
      if (d.nullCount > 0) throw nullError(plan.name, r0 + firstNull(d, d.length));
      const child = d.children[0];
      if (child.nullCount > 0) {
        throw new DataError(`null inside a list of column '${plan.name}'; expected numbers`, {
          file,
          field: plan.name,
        });
      }
      const vals = child.values as ArrayLike<number | bigint>;
      const offsets = d.valueOffsets as Int32Array | undefined;
      for (let r = 0; r < d.length; r++) {
        let a: number;
        if (plan.fixedWidth !== undefined) a = (d.offset + r) * cols;
        else {
          a = Number(offsets![d.offset + r]);
          const len = Number(offsets![d.offset + r + 1]) - a;
          if (len !== cols) {
            throw new DataError(
              `the list in column '${plan.name}' has ${len} values, expected ${cols} as in the first row; all rows must have the same length`,
              { file, row: firstRow + r0 + r + 1, field: plan.name },
            );
          }
        }
        a += child.offset;
        const o = (r0 + r) * cols;
        if (vals instanceof Float32Array || vals instanceof Float64Array) {
          out.set(vals.subarray(a, a + cols), o);
        } else {
          for (let j = 0; j < cols; j++) {
            out[o + j] = number(vals, a + j, file, firstRow + r0 + r + 1);
          }
        }
      }
      r0 += d.length;
    }
  }
  checkBlockFinite(out.subarray(0, n * cols), cols, firstRow, file);
}
