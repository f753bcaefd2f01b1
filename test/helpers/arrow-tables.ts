// Small Arrow tables for the Parquet and Arrow source tests, and their Parquet bytes (written by
// parquet-wasm with row groups of a given size).
import {
  Field,
  FixedSizeList,
  Float32,
  List,
  Table,
  tableFromArrays,
  tableToIPC,
  vectorFromArray,
  type Vector,
} from 'apache-arrow';
import * as pw from 'parquet-wasm';

/** A list<float32> (or fixed_size_list when `fixed`) column from rows of numbers; null rows allowed. */
export function listColumn(rows: (number[] | null)[], fixed?: number): Vector {
  const item = new Field('item', new Float32(), true);
  const type = fixed === undefined ? new List(item) : new FixedSizeList(fixed, item);
  return vectorFromArray(rows, type);
}

/** A table of named columns (typed arrays become numeric columns). */
export function table(
  columns: Record<
    string,
    Vector | Float32Array | Float64Array | Int32Array | BigInt64Array | string[]
  >,
): Table {
  const plain: Record<string, Float32Array | Float64Array | Int32Array | BigInt64Array | string[]> =
    {};
  const vectors: Record<string, Vector> = {};
  for (const [k, v] of Object.entries(columns)) {
    if (Array.isArray(v) || ArrayBuffer.isView(v)) plain[k] = v as Float32Array;
    else vectors[k] = v;
  }
  const base = tableFromArrays(plain);
  let t = new Table({
    ...Object.fromEntries(base.schema.fields.map((f) => [f.name, base.getChild(f.name)!])),
    ...vectors,
  });
  // Keep the caller's column order.
  t = t.select(Object.keys(columns));
  return t;
}

/** The Parquet bytes of `t` with row groups of `groupRows` rows. */
export function parquetBytes(t: Table, groupRows: number): Uint8Array {
  const props = new pw.WriterPropertiesBuilder().setMaxRowGroupSize(groupRows).build();
  return pw.writeParquet(pw.Table.fromIPCStream(tableToIPC(t, 'stream')), props);
}
