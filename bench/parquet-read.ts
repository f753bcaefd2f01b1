// Parquet reader comparison for the streaming source, reading a generated N x D float32
// embedding file (one list<float> column, snappy, row groups of G rows) into a reused
// Float32Array: hyparquet and parquet-wasm one row group at a time, parquet-wasm by row ranges of
// about 8 MB inside a group (`offset`/`limit`), and aedr's ParquetSource in encode's blocks. Each
// reader runs in its own process, so its peak RSS (VmHWM) is its own. The file is written under
// os.tmpdir() and removed at the end; --no-page-index drops its page index first.
//   node --import tsx bench/parquet-read.ts all [rows=200000] [dim=768] [groupRows=10000] [--no-page-index]
//   (or readers named in place of `all`, comma-separated: parquet-wasm,aedr-source; a single
//   reader's name with a file path last reads that file alone)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, openAsBlob, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
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
import { blockRowsFor } from '../src/cli/encode-stream.js';
import { ParquetSource } from '../src/data/stream/parquet-source.js';
import { Rng } from '../src/util/rng.js';
import { dropPageIndex } from '../test/helpers/parquet-no-page-index.js';
import { peakRssMB } from './peak-rss.js';

const noPageIndex = process.argv.includes('--no-page-index');
const args = process.argv.filter((x) => x !== '--no-page-index');
const [, , mode = 'all', a = '200000', b = '768', c = '10000', file = ''] = args;
const READERS = ['hyparquet', 'parquet-wasm', 'parquet-wasm-ranges', 'aedr-source'];
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

async function readParquetWasmRanges(path: string): Promise<number> {
  const pf = await pw.ParquetFile.fromFile(await openAsBlob(path));
  const sizes = pf
    .metadata()
    .rowGroups()
    .map((g) => g.numRows());
  const slice = Math.max(1, Math.floor((8 << 20) / (4 * dim)));
  const out = new Float32Array(slice * dim);
  let sum = 0;
  for (let g = 0; g < sizes.length; g++) {
    for (let o = 0; o < sizes[g]; o += slice) {
      const n = Math.min(slice, sizes[g] - o);
      const t = await pf.read({ rowGroups: [g], offset: o, limit: n, batchSize: n });
      const at = tableFromIPC(t.intoIPCStream());
      let k = 0;
      for (const batch of at.batches) {
        const vals = batch.getChildAt(0)!.data[0].children[0].values as Float32Array;
        out.set(vals.subarray(0, batch.numRows * dim), k);
        k += batch.numRows * dim;
      }
      if (o === 0) sum += out[0];
      if (o + n === sizes[g]) sum += out[k - dim];
    }
  }
  return sum;
}

async function readAedrSource(path: string): Promise<number> {
  const s = await ParquetSource.open(path);
  const block = blockRowsFor(s.cols);
  const out = new Float32Array(block * s.cols);
  let sum = 0;
  let g = 0;
  let end = 0;
  for (let r = 0; r < s.rows; r += block) {
    const n = Math.min(block, s.rows - r);
    await s.readBlock(r, n, out);
    // The first value of the first and of the last row of every group, as the other readers sum.
    for (let i = r; i < r + n; i++) {
      if (i === end) {
        sum += out[(i - r) * dim];
        end += s.groupRows[g++];
      }
      if (i === end - 1) sum += out[(i - r) * dim];
    }
  }
  await s.close();
  return sum;
}

if (READERS.includes(mode)) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const read = {
    hyparquet: readHyparquet,
    'parquet-wasm': readParquetWasm,
    'parquet-wasm-ranges': readParquetWasmRanges,
    'aedr-source': readAedrSource,
  }[mode]!;
  const sum = await read(file);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  console.log(
    JSON.stringify({
      mode,
      ms: Math.round(ms),
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      peakMB: Math.round(peakRssMB()),
      sum,
      load: loadavg(),
    }),
  );
} else {
  const dir = mkdtempSync(join(tmpdir(), 'aedr-pq-bench-'));
  try {
    const path = join(dir, 'emb.parquet');
    const t0 = performance.now();
    make(path);
    if (noPageIndex) dropPageIndex(path);
    const mb = statSync(path).size / 2 ** 20;
    console.log(
      `wrote ${rows} x ${dim} (${mb.toFixed(0)} MB, row groups of ${groupRows}) in ${Math.round(performance.now() - t0)} ms`,
    );
    for (const m of mode === 'all' ? READERS : mode.split(',')) {
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
