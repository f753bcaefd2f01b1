// Streaming .npy read check: a sparse R x D float32 .npy (zeros; no disk blocks used) larger than
// readFileSync's 2 GB limit, read end to end by NpySource.blocks and by one epochBatches epoch
// (256 MB window budget); prints time and RSS. The file is removed at the end.
//   node --import tsx bench/stream-npy.ts [rows=800000] [cols=768]
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { epochBatches } from '../src/data/stream/epoch.js';
import { NpySource } from '../src/data/stream/npy-source.js';
import { npyHeader } from '../src/data/stream/writers.js';

const rows = Number(process.argv[2] ?? 800_000);
const cols = Number(process.argv[3] ?? 768);
const dir = mkdtempSync(join(tmpdir(), 'aedr-big-'));
const path = join(dir, 'big.npy');
const h = npyHeader('<f4', rows, cols);
const fd = openSync(path, 'w');
writeSync(fd, h);
ftruncateSync(fd, h.length + rows * cols * 4);
closeSync(fd);
const mb = (b: number): number => Math.round(b / 2 ** 20);
try {
  const s = await NpySource.open(path);
  let t = performance.now();
  let n = 0;
  for await (const b of s.blocks(8192)) n += b.rows;
  console.log(
    `blocks(8192): ${n} rows of ${cols} (${mb(n * cols * 4)} MB) in ${Math.round(performance.now() - t)} ms, RSS ${mb(process.memoryUsage().rss)} MB`,
  );
  t = performance.now();
  n = 0;
  const o = { seed: 1, epoch: 0, batchSize: 256, blockRows: 4096, memoryBytes: 2 ** 28 };
  for await (const b of epochBatches(s, o)) n += b.rows;
  console.log(
    `epochBatches (batch 256, blocks of 4096, 256 MB): ${n} rows in ${Math.round(performance.now() - t)} ms, peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`,
  );
  await s.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
