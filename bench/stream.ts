// Streaming encode at scale: writes an R x D float32 .npy of seeded values (default 2,000,000 x
// 784 = 6.3 GB) in a temporary folder, saves an untrained 784-256-32 model (encoding time does not
// depend on the weights), then runs `aedr encode --data big.npy --out codes.npy` in a child
// process and prints its rows/s and peak RSS (VmHWM, bench/peak-rss.ts). Everything it wrote is
// removed at the end. Not part of the tests.
//   node --import tsx bench/stream.ts [rows=2000000] [cols=784] [--sparse]
// --sparse makes the data file a hole of zeros (no disk writes; reads come from the page cache).
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  ftruncateSync,
  mkdtempSync,
  openSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../src/cli/run.js';
import { npyHeader } from '../src/data/stream/writers.js';
import { readNpy } from '../src/data/npy.js';
import { stackSpec } from '../src/nn/autoencoder-spec.js';
import { AutoencoderModel } from '../src/train/model.js';
import { saveModel } from '../src/train/persist.js';
import { Rng } from '../src/util/rng.js';
import { peakRssMB } from './peak-rss.js';

if (process.argv[2] === '--child') {
  // Child: one in-process `aedr encode`, then its own peak RSS on stdout.
  const t = performance.now();
  const code = await runCli(process.argv.slice(3), {
    out: (s) => void process.stderr.write(s),
    err: (s) => void process.stderr.write(s),
    errIsTty: false,
  });
  console.log(
    JSON.stringify({ code, seconds: (performance.now() - t) / 1000, peakMB: peakRssMB() }),
  );
  process.exit(code);
}

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const sparse = process.argv.includes('--sparse');
const rows = Number(args[0] ?? 2_000_000);
const cols = Number(args[1] ?? 784);
const dir = mkdtempSync(join(tmpdir(), 'aedr-bench-stream-'));
const big = join(dir, 'big.npy');
const gb = (b: number): string => (b / 1e9).toFixed(2);
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
    `data: ${rows} x ${cols} float32, ${gb(statSync(big).size)} GB${sparse ? ' (sparse)' : ''}, written in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
  const model = AutoencoderModel.create(stackSpec(cols, [256, 32]), { seed: 1 });
  saveModel(model, join(dir, 'model'));
  await model.dispose();
  const out = join(dir, 'codes.npy');
  t = performance.now();
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      'bench/stream.ts',
      '--child',
      'encode',
      '--model',
      join(dir, 'model'),
      '--data',
      big,
      '--out',
      out,
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const wall = (performance.now() - t) / 1000;
  if (r.status !== 0) throw new Error(`encode failed with ${r.status}`);
  const res = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as {
    seconds: number;
    peakMB: number;
  };
  const codes = readNpy(out);
  console.log(
    `encode: ${codes.shape.join(' x ')} codes in ${res.seconds.toFixed(1)} s (${Math.round(rows / res.seconds)} rows/s; process ${wall.toFixed(1)} s), peak RSS ${Math.round(res.peakMB)} MB`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
