// aedr half of bench/conv.ts, in its own process so peak RSS and CPU time are its own: the
// TensorFlow tutorial's convolutional denoising AE (`aedr train --conv 16,8 --noise gaussian:S`)
// on MNIST. Prints one JSON line: per-epoch training wall and CPU seconds (evaluation excluded:
// CPU is read at the end of each epoch's last training chunk and after its evaluation), the
// losses, the test MSEs, and what a collapse would show: dead code values and the outputs'
// spread over test images.
// usage: conv-one.ts EPOCHS BATCH THREADS SEED NOISE OUTPUT_BIAS(mean|zero) LR [ROWS]
// (ROWS: the first ROWS training and test images only, for a smoke run)
import { loadMnist } from '../src/data/mnist.js';
import { convShorthand } from '../src/nn/layer-spec.js';
import { checkCodes } from '../src/train/code-check.js';
import { prepareAutoencoder } from '../src/train/setup.js';
import { fit } from '../src/train/trainer.js';
import type { Matrix32 } from '../src/util/matrix.js';
import { peakRssMB } from './peak-rss.js';

const [epochs, batch, threads, seed, noise, outputBias, lr, rows] = process.argv.slice(2);
const limit = rows !== undefined ? { limit: Number(rows) } : {};
const train = loadMnist('train', limit).x;
const test = loadMnist('test', limit).x;
const cpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const { model, optimizer } = prepareAutoencoder(train, {
  spec: convShorthand('16,8', [28, 28, 1]),
  scaling: { kind: 'divide255' },
  outputBias: outputBias as 'mean' | 'zero',
  learningRate: Number(lr),
  seed: Number(seed),
  threads: Number(threads),
});
let epochStartCpu = cpu();
let trainEndCpu = epochStartCpu;
const cpuSeconds: number[] = [];
const records = await fit(model, train, {
  epochs: Number(epochs),
  batchSize: Number(batch),
  optimizer,
  seed: Number(seed),
  threads: Number(threads),
  testData: test,
  noise,
  callbacks: {
    onBatchEnd: (p) => {
      if (p.batch === p.batches) trainEndCpu = cpu();
    },
    onEpochEnd: () => {
      cpuSeconds.push(trainEndCpu - epochStartCpu);
      epochStartCpu = cpu();
    },
  },
});

/** Mean over pixels of the standard deviation across rows (0 for a model with one output). */
function meanColumnStd(m: Matrix32): number {
  const { rows, cols, data } = m;
  let total = 0;
  for (let j = 0; j < cols; j++) {
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < rows; i++) {
      const v = data[i * cols + j] / 255;
      s += v;
      s2 += v * v;
    }
    total += Math.sqrt(Math.max(0, s2 / rows - (s / rows) ** 2));
  }
  return total / cols;
}
const headRows = Math.min(1000, test.rows);
const head = { rows: headRows, cols: test.cols, data: test.data.subarray(0, headRows * test.cols) };
const codes = checkCodes(await model.encode(test));
const outputStd = meanColumnStd(await model.reconstruct(head));
await model.dispose();
const last = records[records.length - 1];
console.log(
  JSON.stringify({
    seconds: records.map((r) => r.seconds),
    cpuSeconds,
    evalSeconds: records.map((r) => r.evalSeconds),
    trainLoss: records.map((r) => r.trainLoss),
    testMse: last.testMse,
    testMseNoisy: last.testMseNoisy,
    deadCodeValues: codes.dead.length,
    codeValues: codes.units,
    outputStd,
    dataStd: meanColumnStd(head),
    maxRssMB: peakRssMB(),
  }),
);
