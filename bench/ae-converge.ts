// The compare's Autoencoder (experiments/compare/methods.ts makeCompareReducer: 784-256-128-d,
// ReLU, linear code, sigmoid output, pixels / 255, Adam 0.002, batch min(200, n), trained until
// scikit-learn MLP's rule stops it) against PCA on seeded MNIST subsets, over several seeds:
// issue 12's target. kNN(5) accuracy of the test codes, per (subset, d, seed), then mean and
// sample std per (subset, d, method). Writes each subset as .npy for bench/torch_ae_converge.py
// (the PyTorch reference, run on the same files) and `aedr compare --data`.
//
// Subset k: 1,500 training rows of MNIST's train split (Rng(2k) permutation), 1,000 test rows of
// its test split (Rng(2k + 1)); subset 0 is the one bench/README.md measured first. Seed s
// trains the AE with seed s + d, as `aedr compare --seed s` does.
//
// usage: node --import tsx bench/ae-converge.ts [--subsets 0] [--seeds 0] [--dims 2,10]
//   [--variants pca,ae] [--train 1500] [--test 1000] [--threads 1] [--out bench/out] [--json PATH]
//   [--write-only] (write the subsets' .npy files, fit nothing)
// variants: pca, ae (the compare's), ae-fixed-10ep-b256 (the compare before issue 12),
// ae-earlyStopping (the compare's AE with earlyStopping on a 10% validation fraction).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadMnist } from '../src/data/mnist.js';
import { writeNpy } from '../src/data/npy.js';
import { resolveCompareSettings } from '../src/experiments/compare/config.js';
import { makeCompareReducer } from '../src/experiments/compare/methods.js';
import { createJsBackend } from '../src/linalg/js-backend.js';
import { knnAccuracy } from '../src/metrics/knn-accuracy.js';
import { Autoencoder } from '../src/reducers/autoencoder.js';
import type { Reducer } from '../src/reducers/reducer.js';
import { matrix, type Matrix32 } from '../src/util/matrix.js';
import { Rng } from '../src/util/rng.js';

const { values: a } = parseArgs({
  options: {
    subsets: { type: 'string', default: '0' },
    seeds: { type: 'string', default: '0' },
    dims: { type: 'string', default: '2,10' },
    variants: { type: 'string', default: 'pca,ae' },
    train: { type: 'string', default: '1500' },
    test: { type: 'string', default: '1000' },
    threads: { type: 'string', default: '1' },
    out: { type: 'string', default: 'bench/out' },
    json: { type: 'string' },
    'write-only': { type: 'boolean', default: false },
  },
});
const list = (s: string): number[] => s.split(',').map(Number);
const [nTrain, nTest, threads] = [a.train, a.test, a.threads].map(Number);
const backend = createJsBackend({ threads });

function subset(x: Matrix32, labels: ArrayLike<number>, n: number, seed: number) {
  const perm = new Rng(seed).permutation(x.rows).subarray(0, n);
  const data = new Float32Array(n * x.cols);
  const y = new Float64Array(n);
  perm.forEach((r, i) => {
    data.set(x.data.subarray(r * x.cols, (r + 1) * x.cols), i * x.cols);
    y[i] = labels[r];
  });
  return { x: matrix(n, x.cols, data), y };
}

type Make = (d: number, seed: number) => Reducer & { dispose?: () => Promise<void> };
const compareAe: Make = (d, seed) =>
  makeCompareReducer('ae', d, resolveCompareSettings({ seed }), 'divide255', { backend });
const withOptions =
  (extra: Record<string, unknown>): Make =>
  (d, seed) => {
    const ae = compareAe(d, seed) as Autoencoder;
    return new Autoencoder({ ...ae.options, ...extra });
  };
const VARIANTS: Record<string, Make> = {
  pca: (d, seed) =>
    makeCompareReducer('pca', d, resolveCompareSettings({ seed }), 'divide255', { backend }),
  ae: compareAe,
  'ae-fixed-10ep-b256': withOptions({ epochs: 10, batchSize: 256 }),
  'ae-earlyStopping': withOptions({ earlyStopping: true }),
};
const variants = a.variants.split(',');
for (const v of variants) if (!(v in VARIANTS)) throw new Error(`unknown variant ${v}`);

const tr = loadMnist('train');
const te = loadMnist('test');
const rows: Record<string, unknown>[] = [];
for (const k of list(a.subsets)) {
  const train = subset(tr.x, tr.labels as ArrayLike<number>, nTrain, 2 * k);
  const test = subset(te.x, te.labels as ArrayLike<number>, nTest, 2 * k + 1);
  const dir = k === 0 ? a.out : join(a.out, `subset-${k}`);
  mkdirSync(dir, { recursive: true });
  writeNpy(join(dir, 'mnist-train-x.npy'), train.x);
  writeNpy(join(dir, 'mnist-train-y.npy'), matrix(nTrain, 1, train.y));
  writeNpy(join(dir, 'mnist-test-x.npy'), test.x);
  writeNpy(join(dir, 'mnist-test-y.npy'), matrix(nTest, 1, test.y));
  if (a['write-only']) continue;
  for (const d of list(a.dims)) {
    for (const v of variants) {
      // PCA is deterministic here (exact solver on 784 columns): one seed is enough.
      const seeds = v === 'pca' ? [0] : list(a.seeds);
      const accs: number[] = [];
      for (const seed of seeds) {
        const t0 = performance.now();
        const c0 = process.cpuUsage();
        const r = VARIANTS[v](d, seed);
        const zTrain = await r.fitTransform(train.x);
        const zTest = await r.transform(test.x);
        const acc = await knnAccuracy(zTrain, Array.from(train.y), zTest, Array.from(test.y), 5);
        const cpu = process.cpuUsage(c0);
        const row: Record<string, unknown> = { subset: k, d, seed, method: v, knn5: acc.value };
        if (r instanceof Autoencoder) {
          // Test MSE in the scaled units (pixels / 255), as torch_ae_converge.py's testMse.
          const rec = await r.inverseTransform(zTest);
          let se = 0;
          for (let i = 0; i < rec.data.length; i++)
            se += ((rec.data[i] - test.x.data[i]) / 255) ** 2;
          Object.assign(row, {
            testMse: se / rec.data.length,
            aeSeed: r.options.seed,
            batchSize: r.options.batchSize,
            epochsRun: r.epochsRun,
            stopReason: r.stopReason,
            bestEpoch: r.bestEpoch,
            trainLoss: r.history.at(-1)?.trainLoss,
          });
        }
        Object.assign(row, {
          seconds: +((performance.now() - t0) / 1000).toFixed(2),
          cpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(2),
        });
        await r.dispose?.();
        accs.push(acc.value);
        rows.push(row);
        console.log(JSON.stringify(row));
      }
      const mean = accs.reduce((s, x) => s + x, 0) / accs.length;
      const std =
        accs.length > 1
          ? Math.sqrt(accs.reduce((s, x) => s + (x - mean) ** 2, 0) / (accs.length - 1))
          : 0;
      const summary = {
        summary: true,
        subset: k,
        d,
        method: v,
        seeds,
        knn5Mean: mean,
        knn5Std: std,
      };
      rows.push(summary);
      console.log(JSON.stringify(summary));
    }
  }
}
if (a.json !== undefined)
  writeFileSync(a.json, JSON.stringify({ args: a, threads, rows }, null, 1) + '\n');
