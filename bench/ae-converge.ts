// The Autoencoder reducer's convergence defaults against PCA and the old fixed 10 epochs, on a
// seeded MNIST subset (issue 12's target): kNN(5) accuracy of the codes at d = 2 and 10. Also
// writes the subset as .npy (for bench/torch_ae_converge.py, the PyTorch reference, and
// `aedr compare --data`).
// usage: node --import tsx bench/ae-converge.ts [TRAIN_ROWS=1500] [TEST_ROWS=1000] [THREADS=2] [OUT_DIR=bench/out]
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadMnist } from '../src/data/mnist.js';
import { writeNpy } from '../src/data/npy.js';
import { knnAccuracy } from '../src/metrics/knn-accuracy.js';
import { Autoencoder, type AutoencoderOptions } from '../src/reducers/autoencoder.js';
import { PCA } from '../src/reducers/pca.js';
import type { Reducer } from '../src/reducers/reducer.js';
import { matrix, type Matrix32 } from '../src/util/matrix.js';
import { Rng } from '../src/util/rng.js';

const [nTrain = 1500, nTest = 1000, threads = 2] = process.argv.slice(2, 5).map(Number);
const outDir = process.argv[5] ?? 'bench/out';

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
const tr = loadMnist('train');
const te = loadMnist('test');
const train = subset(tr.x, tr.labels as ArrayLike<number>, nTrain, 0);
const test = subset(te.x, te.labels as ArrayLike<number>, nTest, 1);
mkdirSync(outDir, { recursive: true });
writeNpy(join(outDir, 'mnist-train-x.npy'), train.x);
writeNpy(join(outDir, 'mnist-train-y.npy'), matrix(nTrain, 1, train.y));
writeNpy(join(outDir, 'mnist-test-x.npy'), test.x);
writeNpy(join(outDir, 'mnist-test-y.npy'), matrix(nTest, 1, test.y));

// The compare's AE (experiments/compare/config.ts): 784-256-128-d, relu, linear code, sigmoid out.
const ae = (d: number, o: AutoencoderOptions): Autoencoder =>
  new Autoencoder({
    nComponents: d,
    hiddenLayers: [256, 128],
    activation: 'relu',
    codeActivation: 'linear',
    outputActivation: 'sigmoid',
    scaling: 'divide255',
    learningRate: 0.002,
    seed: d,
    threads,
    ...o,
  });
const variants: [string, (d: number) => Reducer][] = [
  ['pca', (d) => new PCA({ nComponents: d })],
  ['ae-fixed-10ep-b256', (d) => ae(d, { epochs: 10, batchSize: 256 })],
  ['ae-converge-default', (d) => ae(d, {})],
  ['ae-converge-earlyStopping', (d) => ae(d, { earlyStopping: true })],
];
const rows = [];
for (const d of [2, 10]) {
  for (const [name, make] of variants) {
    const t0 = performance.now();
    const r = make(d);
    const zTrain = await r.fitTransform(train.x);
    const zTest = await r.transform(test.x);
    const acc = await knnAccuracy(zTrain, Array.from(train.y), zTest, Array.from(test.y), 5);
    const row: Record<string, unknown> = {
      d,
      method: name,
      knn5: acc.value,
      seconds: (performance.now() - t0) / 1000,
    };
    if (r instanceof Autoencoder) {
      Object.assign(row, {
        epochsRun: r.epochsRun,
        stopReason: r.stopReason,
        bestEpoch: r.bestEpoch,
      });
      await r.dispose();
    }
    rows.push(row);
    console.log(JSON.stringify(row));
  }
}
