// Parquet reader comparison for the streaming source: hyparquet against parquet-wasm, reading a
// generated N x D float32 embedding file (one list<float> column, snappy, row groups of G rows)
// one row group at a time into a reused Float32Array. Each reader runs in its own process so
// its peak RSS is its own. The file is written under os.tmpdir() and removed at the end.
//   node --import tsx bench/parquet-read.ts [rows=200000] [dim=768] [groupRows=10000]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, openAsBlob, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  FixedSizeList,
  Field,
  Float32,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table,
  tableFromIPC,
  tableToIPC,
} from 'apache-arrow';
import { asyncBufferFromFile, parquetMetadataAsync, parquetRead } from 'hyparquet';
import * as pw from 'parquet-wasm';
import { Rng } from '../src/util/rng.js';

const [, , mode = 'all', a = '200000', b = '768', c = '10000', file = ''] = process.argv;
const rows = Number(a);
const dim = Number(b);
const groupRows = Number(c);

function make(path: string): void {
  const rng = new Rng(1);
  const batches: RecordBatch[] = [];
  const child = new Field('item', new Float32(), false);
  const type = new FixedSizeList(dim, child);
  const schema = new Schema([new Field('emb', type, false)]);
  for (let s = 0; s < rows; s += groupRows) {
    const n = Math.min(groupRows, rows - s);
    const v = new Float32Array(n * dim);
    for (let i = 0; i < v.length; i++) v[i] = rng.normal();
    const values = makeData({ type: new Float32(), length: v.length, data: v });
    const list = makeData({ type, length: n, nullCount: 0, child: values });
    const struct = makeData({
      type: new Struct(schema.fields),
      length: n,
      nullCount: 0,
      children: [list],
    });
    batches.push(new RecordBatch(schema, struct));
  }
  const ipc = tableToIPC(new Table(batches), 'stream');
  const props = new pw.WriterPropertiesBuilder()
    .setCompression(pw.Compression.SNAPPY)
    .setMaxRowGroupSize(groupRows)
    .build();
  writeFileSync(path, pw.writeParquet(pw.Table.fromIPCStream(ipc), props));
}

async function readHyparquet(path: string): Promise<number> {
  const f = await asyncBufferFromFile(path);
  const meta = await parquetMetadataAsync(f);
  const out = new Float32Array(groupRows * dim);
  let sum = 0;
  let start = 0;
  for (const rg of meta.row_groups) {
    const n = Number(rg.num_rows);
    await parquetRead({
      file: f,
      metadata: meta,
      columns: ['emb'],
      rowStart: start,
      rowEnd: start + n,
      onChunk: (ch) => {
        const col = ch.columnData as ArrayLike<ArrayLike<number>>;
        for (let i = ch.rowStart; i < Math.min(ch.rowEnd, start + n); i++) {
          const r = col[i - ch.rowStart];
          out.set(r as Float32Array, (i - start) * dim);
        }
      },
    });
    sum += out[0] + out[(n - 1) * dim];
    start += n;
  }
  return sum;
}

async function readParquetWasm(path: string): Promise<number> {
  const pf = await pw.ParquetFile.fromFile(await openAsBlob(path));
  const nGroups = pf.metadata().numRowGroups();
  const out = new Float32Array(groupRows * dim);
  let sum = 0;
  for (let g = 0; g < nGroups; g++) {
    const t = await pf.read({ rowGroups: [g], batchSize: groupRows });
    const at = tableFromIPC(t.intoIPCStream());
    let k = 0;
    for (const batch of at.batches) {
      const vals = batch.getChildAt(0)!.data[0].children[0].values as Float32Array;
      out.set(vals.subarray(0, batch.numRows * dim), k);
      k += batch.numRows * dim;
    }
    sum += out[0] + out[k - dim];
  }
  return sum;
}

if (mode === 'hyparquet' || mode === 'parquet-wasm') {
  const t0 = performance.now();
  const sum = mode === 'hyparquet' ? await readHyparquet(file) : await readParquetWasm(file);
  const ms = performance.now() - t0;
  const peak = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ mode, ms: Math.round(ms), peakMB: Math.round(peak), sum }));
} else {
  const dir = mkdtempSync(join(tmpdir(), 'aedr-pq-bench-'));
  try {
    const path = join(dir, 'emb.parquet');
    const t0 = performance.now();
    make(path);
    const mb = statSync(path).size / 2 ** 20;
    console.log(
      `wrote ${rows} x ${dim} (${mb.toFixed(0)} MB, row groups of ${groupRows}) in ${Math.round(performance.now() - t0)} ms`,
    );
    for (const m of ['hyparquet', 'parquet-wasm', 'hyparquet', 'parquet-wasm']) {
      const r = spawnSync(
        process.execPath,
        ['--import', 'tsx', 'bench/parquet-read.ts', m, a, b, c, path],
        { encoding: 'utf8' },
      );
      console.log((r.stdout + r.stderr).trim());
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
