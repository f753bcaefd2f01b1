// Streamed encoding of a Parquet file of embeddings (issue 13's target: peak RSS <= 1 GB):
// writes an R x D float32 Parquet file (default 1,000,000 x 768, one fixed-size-list column
// 'embedding', snappy row groups of 65,536 rows, seeded normal values) with ParquetStreamWriter
// in BENCH_DIR (default /work/tmp-bench), saves an untrained 768-256-32 model with a standardize
// scaling (encoding time does not depend on the weights), then runs `aedr encode --data
// emb.parquet --out codes.npy` in its own process (bench/cli-child.ts) and prints its wall and
// CPU seconds, rows/s, peak RSS and the load average. With --no-page-index the file's footer is
// rewritten without its page index first, as pyarrow writes by default (the reader then streams
// each row group instead of reading row ranges). Everything it wrote is removed at the end.
//   flock /tmp/aedr-signals/bench.lock node --import tsx bench/stream-parquet.ts [rows] [dim] [--no-page-index]
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { ParquetStreamWriter } from '../src/data/stream/parquet-writer.js';
import { stackSpec } from '../src/nn/autoencoder-spec.js';
import { AutoencoderModel } from '../src/train/model.js';
import { saveModel } from '../src/train/persist.js';
import { Rng } from '../src/util/rng.js';
import { dropPageIndex } from '../test/helpers/parquet-no-page-index.js';
import { child } from './cli-child.js';

const rows = Number(process.argv[2] ?? 1_000_000);
const dim = Number(process.argv[3] ?? 768);
const noPageIndex = process.argv.includes('--no-page-index');
const root = process.env.BENCH_DIR ?? '/work/tmp-bench';
mkdirSync(root, { recursive: true });
const dir = mkdtempSync(join(root, 'aedr-bench-parquet-'));
const cleanup = (): void => rmSync(dir, { recursive: true, force: true });
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    cleanup();
    process.exit(130);
  });
}
try {
  const path = join(dir, 'emb.parquet');
  let t = performance.now();
  const w = await ParquetStreamWriter.open(path, dim, {
    layout: 'list',
    names: ['embedding'],
    groupRows: 65536,
  });
  const rng = new Rng(1);
  const block = new Float32Array(8192 * dim);
  for (let s = 0; s < rows; s += 8192) {
    const n = Math.min(8192, rows - s);
    for (let i = 0; i < n * dim; i++) block[i] = rng.normal();
    await w.append(block.subarray(0, n * dim));
  }
  await w.finish();
  if (noPageIndex) dropPageIndex(path);
  console.log(
    JSON.stringify({
      phase: 'write parquet',
      rows,
      dim,
      groupRows: 65536,
      pageIndex: !noPageIndex,
      gb: statSync(path).size / 1e9,
      seconds: (performance.now() - t) / 1000,
      load: loadavg(),
    }),
  );
  const model = AutoencoderModel.create(stackSpec(dim, [256, 32]), {
    seed: 1,
    scaling: {
      kind: 'standardize',
      mean: new Array<number>(dim).fill(0),
      std: new Array<number>(dim).fill(1),
    },
  });
  saveModel(model, join(dir, 'model'));
  await model.dispose();
  t = performance.now();
  const out = join(dir, 'codes.npy');
  const r = child([
    'encode',
    '--model',
    join(dir, 'model'),
    '--data',
    path,
    '--out',
    out,
    '--threads',
    '2',
  ]);
  console.log(
    JSON.stringify({
      phase: 'encode parquet streamed',
      ...r,
      rowsPerSecond: rows / r.seconds,
      outBytes: statSync(out).size,
    }),
  );
} finally {
  cleanup();
}
