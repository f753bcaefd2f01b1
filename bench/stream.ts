// Streamed training and encoding at scale (issue 13's targets): writes an R x D float32 .npy of
// seeded pixel-like values (default 10,000,000 x 784 = 31 GB, more than the machine's memory) in
// BENCH_DIR (default /work/tmp-bench), then, each in its own process (so peak RSS, VmHWM, is its
// own, bench/cli-child.ts), in one run:
//   1. the in-memory reference: `aedr train --data mnist` 784-32-784, batch 256, one epoch
//      (60,000 rows): training rows/s from history[0].seconds (evaluation excluded);
//   2. `aedr train --data big.npy --memory M` with the same model and flags, one epoch: rows/s
//      the same way, and the whole command's wall, CPU and peak RSS (the one-pass column summary
//      and the end-of-epoch evaluation included);
//   3. `aedr encode` of every row with that model into a .npy.
// Prints one JSON line per phase with wall and CPU seconds, peak RSS and the load average, then a
// summary. Everything it wrote is removed at the end, also on SIGINT/SIGTERM. Not a test.
//   flock /tmp/aedr-signals/bench.lock node --import tsx bench/stream.ts [rows] [cols] [--memory 512MB] [--sparse]
// --sparse makes the data file a hole of zeros (no disk writes; reads come from the page cache).
import {
  closeSync,
  ftruncateSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { npyHeader } from '../src/data/stream/writers.js';
import { Rng } from '../src/util/rng.js';
import { child } from './cli-child.js';

const flagValue = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const memory = flagValue('--memory') ?? '512MB';
const args = process.argv
  .slice(2)
  .filter((a, i, all) => !a.startsWith('--') && all[i - 1] !== '--memory');
const sparse = process.argv.includes('--sparse');
const rows = Number(args[0] ?? 10_000_000);
const cols = Number(args[1] ?? 784);
const root = process.env.BENCH_DIR ?? '/work/tmp-bench';
mkdirSync(root, { recursive: true });
const dir = mkdtempSync(join(root, 'aedr-bench-stream-'));
const cleanup = (): void => rmSync(dir, { recursive: true, force: true });
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    cleanup();
    process.exit(130);
  });
}
const big = join(dir, 'big.npy');
const common = [
  '--latent',
  '32',
  '--epochs',
  '1',
  '--batch-size',
  '256',
  '--threads',
  '2',
  '--no-spin',
];
const history = (out: string): { seconds: number; trainLoss: number } =>
  (
    JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')) as {
      history: { seconds: number; trainLoss: number }[];
    }
  ).history[0];
try {
  const h = npyHeader('<f4', rows, cols);
  const fd = openSync(big, 'w');
  writeSync(fd, h);
  let t = performance.now();
  if (sparse) ftruncateSync(fd, h.length + rows * cols * 4);
  else {
    // 4,096 seeded rows of pixel-like values, written over and over.
    const rng = new Rng(1);
    const block = new Float32Array(4096 * cols);
    for (let i = 0; i < block.length; i++) block[i] = rng.int(256);
    const bytes = new Uint8Array(block.buffer);
    for (let r = 0; r < rows; r += 4096) {
      const n = Math.min(4096, rows - r);
      writeSync(fd, bytes, 0, n * cols * 4);
    }
  }
  closeSync(fd);
  console.log(
    JSON.stringify({
      phase: 'write',
      rows,
      cols,
      gb: statSync(big).size / 1e9,
      sparse,
      seconds: (performance.now() - t) / 1000,
      load: loadavg(),
    }),
  );

  const memOut = join(dir, 'mnist-model');
  const mem = child(['train', '--data', 'mnist', ...common, '--quiet', '--out', memOut]);
  const memEpoch = history(memOut);
  const memRate = 60000 / memEpoch.seconds;
  console.log(
    JSON.stringify({
      phase: 'train in memory (mnist 60,000 rows)',
      ...mem,
      epochSeconds: memEpoch.seconds,
      rowsPerSecond: memRate,
    }),
  );

  const model = join(dir, 'model');
  t = performance.now();
  const str = child([
    'train',
    '--data',
    big,
    '--memory',
    memory,
    '--scaling',
    'divide255',
    ...common,
    '--out',
    model,
  ]);
  const strEpoch = history(model);
  const strRate = rows / strEpoch.seconds;
  console.log(
    JSON.stringify({
      phase: `train streamed (--memory ${memory})`,
      ...str,
      epochSeconds: strEpoch.seconds,
      rowsPerSecond: strRate,
    }),
  );

  const out = join(dir, 'codes.npy');
  const enc = child(['encode', '--model', model, '--data', big, '--out', out, '--threads', '2']);
  console.log(
    JSON.stringify({
      phase: 'encode streamed',
      ...enc,
      rowsPerSecond: rows / enc.seconds,
      outBytes: statSync(out).size,
    }),
  );
  console.log(
    `summary: ${rows} x ${cols}: streamed training ${Math.round(strRate)} rows/s = ${((100 * strRate) / memRate).toFixed(1)}% of in-memory ${Math.round(memRate)} rows/s; peak RSS train ${Math.round(str.peakMB)} MB, encode ${Math.round(enc.peakMB)} MB`,
  );
} finally {
  cleanup();
}
