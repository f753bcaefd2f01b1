// One aedr training configuration, run in its own process so peak RSS is its own. Prints JSON.
// usage: train-one.ts LAYERS OUTPUT_ACT BATCH EPOCHS THREADS LR
import { loadMnist } from '../src/data/mnist.js';
import { stackSpec } from '../src/nn/autoencoder-spec.js';
import type { Activation } from '../src/nn/activation.js';
import { adam } from '../src/optim/adam.js';
import { AutoencoderModel } from '../src/train/model.js';
import { fit } from '../src/train/trainer.js';
import { peakRssMB } from './peak-rss.js';

const [layers, outAct, batch, epochs, threads, lr] = process.argv.slice(2);
const train = loadMnist('train');
const spec = stackSpec(784, layers.split(',').map(Number), {
  outputActivation: outAct as Activation,
});
const model = AutoencoderModel.create(spec, {
  seed: 0,
  scaling: { kind: 'divide255' },
  threads: Number(threads),
});
const records = await fit(model, train.x, {
  epochs: Number(epochs),
  batchSize: Number(batch),
  optimizer: adam({ learningRate: Number(lr) }),
});
await model.dispose();
console.log(
  JSON.stringify({
    seconds: records.map((r) => r.seconds),
    evalSeconds: records.map((r) => r.evalSeconds),
    trainLoss: records[records.length - 1].trainLoss,
    maxRssMB: peakRssMB(),
  }),
);
