/**
 * Parametric UMAP (reducers/pumap.ts) on MNIST: fitted on the 60,000 training images, then the
 * 10,000 test images, unseen by the fit, are mapped by `transform` (one forward pass of the
 * encoder). Printed: fit wall and CPU seconds, peak RSS, the transform time of the 10,000 rows
 * (the first call, which creates the onnxruntime session, and the median of 5 calls after it),
 * the 5-fold kNN(5) accuracy of the test codes (seeded folds, each fold labelled by a kNN fitted
 * on the other four, as scikit-learn's cross_val_score(KNeighborsClassifier(5), z, y, cv=5)
 * with shuffled folds), the kNN(5) accuracy of the test codes labelled from the training codes
 * (the compare's protocol), trustworthiness (k = 5) of the test codes, the load average.
 * Targets (issue 17): 5-fold accuracy >= 0.90 in 2-D, the 10,000-row transform < 0.2 s. The
 * exit code says whether both were met.
 * Run alone: `flock /tmp/aedr-signals/bench.lock node --import tsx bench/pumap.ts`
 * (PUMAP_EPOCHS, PUMAP_LR, PUMAP_TRAIN, PUMAP_TEST override the epochs, learning rate, training
 * and test rows).
 */
import { loadavg } from 'node:os';
import { createOrtBackend } from '../src/accel/ort-backend.js';
import { loadMnist } from '../src/data/mnist.js';
import { knnAccuracy } from '../src/metrics/knn-accuracy.js';
import { trustworthiness } from '../src/metrics/trustworthiness.js';
import { ParametricUMAP } from '../src/reducers/pumap.js';
import { matrix, type Matrix32 } from '../src/util/matrix.js';
import { Rng } from '../src/util/rng.js';
import { peakRssMB } from './peak-rss.js';

/** Mean accuracy over 5 seeded folds of a kNN(k) fitted on the other four. */
async function crossValKnn(z: Matrix32, y: Int32Array, k: number, seed: number): Promise<number> {
  const perm = new Rng(seed).permutation(z.rows);
  let correct = 0;
  for (let f = 0; f < 5; f++) {
    const fit: number[] = [];
    const held: number[] = [];
    perm.forEach((i, j) => (j % 5 === f ? held : fit).push(i));
    const pick = (ix: number[]): Matrix32 => {
      const out = new Float32Array(ix.length * z.cols);
      ix.forEach((i, r) => out.set(z.data.subarray(i * z.cols, (i + 1) * z.cols), r * z.cols));
      return matrix(ix.length, z.cols, out);
    };
    const r = await knnAccuracy(
      pick(fit),
      Int32Array.from(fit, (i) => y[i]),
      pick(held),
      Int32Array.from(held, (i) => y[i]),
      k,
    );
    correct += r.correct;
  }
  return correct / z.rows;
}

/** Runs the benchmark; returns whether both targets were met. */
export async function benchPumap(): Promise<boolean> {
  const nTrain = Number(process.env.PUMAP_TRAIN ?? 60000);
  const nEpochs = Number(process.env.PUMAP_EPOCHS ?? 5);
  const learningRate = Number(process.env.PUMAP_LR ?? 0.003);
  const train = loadMnist('train', { limit: nTrain });
  const test = loadMnist('test', { limit: Number(process.env.PUMAP_TEST ?? 10000) });
  const backend = createOrtBackend({ threads: 2 });
  const options = { nEpochs, learningRate, scaling: 'divide255' as const, seed: 0, threads: 2 };
  const pumap = new ParametricUMAP({ ...options, backend });
  const load0 = loadavg();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await pumap.fit(train.x);
  const fitWall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const fitCpu = (cpu.user + cpu.system) / 1e6;
  const load1 = loadavg();
  const times: number[] = [];
  let zTest: Matrix32 = matrix(0, 2, new Float32Array(0));
  for (let r = 0; r < 6; r++) {
    const t = performance.now();
    zTest = await pumap.transform(test.x);
    times.push((performance.now() - t) / 1000);
  }
  const warm = times.slice(1).sort((a, b) => a - b)[2];
  const yTest = test.labels ?? new Int32Array(0);
  const cv = await crossValKnn(zTest, yTest, 5, 0);
  const zTrain = await pumap.transform(train.x);
  const fromTrain = await knnAccuracy(zTrain, train.labels ?? new Int32Array(0), zTest, yTest, 5, {
    backend,
  });
  const trust = await trustworthiness(test.x, zTest, 5, { backend });
  await pumap.dispose();
  await backend.dispose?.();
  const ok = cv >= 0.9 && warm < 0.2;
  const f = (v: number, d = 3): string => v.toFixed(d);
  console.log(
    `## parametric UMAP, MNIST ${nTrain} -> 2 (${new Date().toISOString()}, node ${process.version})\n` +
      `options ${JSON.stringify(options)}; epoch losses ${pumap.epochLosses.map((l) => f(l, 4)).join(' ')}\n` +
      `fit: ${f(fitWall, 1)} s wall, ${f(fitCpu, 1)} s CPU; peak RSS ${Math.round(peakRssMB())} MB; ` +
      `load average ${load0.map((v) => f(v, 2)).join(' ')} before, ${load1.map((v) => f(v, 2)).join(' ')} after\n` +
      `transform of the ${test.x.rows} test images: first call ${f(times[0])} s (session creation included), median of 5 after it ${f(warm)} s (target < 0.2)\n` +
      `5-fold kNN(5) accuracy of the test codes ${f(cv, 4)} (target >= 0.90); kNN(5) from the training codes ${f(fromTrain.value, 4)}; ` +
      `trustworthiness (k = 5) ${f(trust.value, 4)}${trust.exact ? '' : ' (sampled)'}\n` +
      `targets ${ok ? 'met' : 'NOT met'}`,
  );
  return ok;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = (await benchPumap()) ? 0 : 1;
}
