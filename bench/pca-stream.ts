// PCA streamed over a generated R x D float32 .npy (default 1,000,000 x 784, 3.1 GB in the temp
// folder): PCA.fitStream (one pass of float64 scatter sums, then the exact eigendecomposition)
// against the in-memory PCA({ svdSolver: 'full' }) on the same rows (components to 1e-5 up to
// sign) and scikit-learn's IncrementalPCA over the same file memory-mapped (np.load(mmap_mode='r'),
// default batch 5·D), all at the same thread count. Prints times and peak RSS; no assertions.
// The file (in BENCH_DIR, default /work/tmp-bench) is removed at the end, also on SIGINT/SIGTERM.
// The in-memory half needs about 5x its float32 size of memory (float64 copies): --memory-rows N
// runs it on the first N rows only, against PCA.fitStream over those same N rows (--no-memory
// skips it).
//   flock /tmp/aedr-signals/bench.lock node --import tsx bench/pca-stream.ts [rows=1000000] [cols=784] [threads=2] [--memory-rows N] [--no-memory]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { createOrtBackend } from '../src/accel/ort-backend.js';
import { NpySource } from '../src/data/stream/npy-source.js';
import { RowRangesSource } from '../src/data/stream/row-ranges.js';
import { readAllRows } from '../src/data/stream/source.js';
import { NpyStreamWriter } from '../src/data/stream/writers.js';
import type { Matrix } from '../src/util/matrix.js';
import { PCA } from '../src/reducers/pca.js';
import { Rng } from '../src/util/rng.js';

const mi = process.argv.indexOf('--memory-rows');
const memoryRows = mi >= 0 ? Number(process.argv[mi + 1]) : undefined;
const args = process.argv
  .slice(2)
  .filter((a, i, all) => !a.startsWith('--') && all[i - 1] !== '--memory-rows');
const rows = Number(args[0] ?? 1_000_000);
const cols = Number(args[1] ?? 784);
const threads = Number(args[2] ?? 2);
const inMemory = !process.argv.includes('--no-memory');
const K = 10;
const LATENT = 20;
const PY = '/usr/bin/python3';

const root = process.env.BENCH_DIR ?? '/work/tmp-bench';
mkdirSync(root, { recursive: true });
const dir = mkdtempSync(join(root, 'aedr-pca-stream-'));
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    rmSync(dir, { recursive: true, force: true });
    process.exit(130);
  });
}
const path = join(dir, 'big.npy');
const mb = (b: number): number => Math.round(b / 2 ** 20);
const peak = (): number => Math.round(process.resourceUsage().maxRSS / 1024);
const secs = (t: number): string => ((performance.now() - t) / 1000).toFixed(1);

/** x = h·W + 0.1·noise, h with scales LATENT..1: a clear gap between the top K components. */
async function generate(): Promise<void> {
  const rng = new Rng(7);
  const w = Float64Array.from({ length: LATENT * cols }, () => rng.normal());
  const out = await NpyStreamWriter.open(path, cols);
  const block = 8192;
  const buf = new Float32Array(block * cols);
  const h = new Float64Array(LATENT);
  for (let s = 0; s < rows; s += block) {
    const m = Math.min(block, rows - s);
    for (let i = 0; i < m; i++) {
      for (let l = 0; l < LATENT; l++) h[l] = (LATENT - l) * rng.normal();
      for (let j = 0; j < cols; j++) {
        let v = 0.1 * rng.normal();
        for (let l = 0; l < LATENT; l++) v += h[l] * w[l * cols + j];
        buf[i * cols + j] = v;
      }
    }
    await out.append(buf.subarray(0, m * cols));
  }
  await out.finish();
}

/** The largest |a − ±e| of each of the K components, each row's sign aligned. */
function diffs(a: ArrayLike<number>, e: ArrayLike<number>): number[] {
  return Array.from({ length: K }, (_, t) => {
    let dot = 0;
    for (let j = 0; j < cols; j++) dot += a[t * cols + j] * e[t * cols + j];
    const s = dot < 0 ? -1 : 1;
    let worst = 0;
    for (let j = 0; j < cols; j++)
      worst = Math.max(worst, Math.abs(s * a[t * cols + j] - e[t * cols + j]));
    return worst;
  });
}

/** "max 1e-6 (per component: ...)". */
function maxDiff(a: ArrayLike<number>, e: ArrayLike<number>): string {
  const d = diffs(a, e);
  return `${Math.max(...d).toExponential(2)} (per component: ${d.map((v) => v.toExponential(1)).join(' ')})`;
}

const SKLEARN = String.raw`
import json, sys, time
import numpy as np
from sklearn.decomposition import IncrementalPCA
x = np.load(sys.argv[1], mmap_mode='r')
t = time.perf_counter()
ipca = IncrementalPCA(n_components=int(sys.argv[2])).fit(x)
print(json.dumps({'fit': time.perf_counter() - t, 'batch': int(ipca.batch_size_),
                  'components': ipca.components_.ravel().tolist()}))
`;

try {
  let t = performance.now();
  await generate();
  console.log(
    `generated ${rows} x ${cols} float32 (${mb(rows * cols * 4)} MB) in ${secs(t)} s; load ${loadavg().join(' ')}`,
  );
  const backend = createOrtBackend({ threads });
  const src = await NpySource.open(path);
  t = performance.now();
  const streamed = await new PCA({ nComponents: K, backend }).fitStream(src, { blockRows: 8192 });
  const streamSecs = (performance.now() - t) / 1000;
  const cpu = process.cpuUsage();
  console.log(
    `aedr PCA.fitStream (${threads} threads): ${streamSecs.toFixed(1)} s (process CPU so far ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s, load ${loadavg().join(' ')}), peak RSS ${peak()} MB, ev[0..2] ${Array.from(streamed.explainedVariance.slice(0, 3), (v) => v.toFixed(2)).join(', ')}`,
  );
  let memComps: Matrix | undefined;
  if (inMemory) {
    try {
      const n = Math.min(memoryRows ?? rows, rows);
      const part =
        n < rows ? new RowRangesSource(src, [{ start: 0, count: n }], `first ${n}`) : src;
      const ref =
        n < rows
          ? await new PCA({ nComponents: K, backend }).fitStream(part, { blockRows: 8192 })
          : streamed;
      t = performance.now();
      const x = await readAllRows(part);
      const read = secs(t);
      t = performance.now();
      const pca = await new PCA({ nComponents: K, svdSolver: 'full', backend }).fit(x);
      memComps = pca.components;
      console.log(
        `aedr in-memory PCA full on ${n} rows: read ${read} s, fit ${secs(t)} s, peak RSS ${peak()} MB; max |Δ component| vs streamed over the same ${n} rows ${maxDiff(ref.components.data, memComps.data)}`,
      );
    } catch (err) {
      console.log(`in-memory half failed: ${String(err)}`);
    }
  }
  await src.close();
  await backend.dispose();
  if (existsSync(PY)) {
    const script = join(dir, 'ipca.py');
    writeFileSync(script, SKLEARN);
    const n = String(threads);
    const env = { ...process.env, OMP_NUM_THREADS: n, OPENBLAS_NUM_THREADS: n, MKL_NUM_THREADS: n };
    const r = spawnSync(PY, [script, path, String(K)], {
      encoding: 'utf8',
      env,
      maxBuffer: 1 << 26,
    });
    if (r.status !== 0) console.log(`sklearn half failed: ${r.stderr.slice(-500)}`);
    else {
      const out = JSON.parse(r.stdout) as { fit: number; batch: number; components: number[] };
      console.log(
        `sklearn IncrementalPCA (mmap, batch ${out.batch}, ${threads} threads): ${out.fit.toFixed(1)} s (aedr streamed / sklearn ${(streamSecs / out.fit).toFixed(2)}); max |Δ component| vs aedr streamed ${maxDiff(streamed.components.data, out.components)}`,
      );
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
