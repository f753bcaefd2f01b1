/**
 * The model `aedr serve` shows when given none, so the page works out of the box: the study's
 * deep autoencoder shortened to a 3-d code (784-128-64-3, ReLU, linear code, sigmoid output;
 * STUDY.md §3), trained with Adam (Keras defaults) on MNIST's 60,000 training images scaled by
 * 1/255, and cached in a folder that later runs reuse. About a minute on two cores.
 */
import { existsSync } from 'node:fs';
import { loadMnist } from '../../data/mnist.js';
import { stackSpec } from '../../nn/autoencoder-spec.js';
import { AutoencoderModel } from '../../train/model.js';
import { loadModel, saveModel } from '../../train/persist.js';
import { fit } from '../../train/trainer.js';

/** Where the default model is cached, relative to the working directory. */
export const DEFAULT_MODEL_DIR = 'runs/explorer-default';

/** Options of `ensureDefaultModel`. */
export interface DefaultModelOptions {
  /** Passes over the training images (default 8). */
  epochs?: number;
  /** Train on the first `limit` training images (default all 60,000). */
  limit?: number;
  /** One line per event (start, each epoch, saved). */
  log?: (line: string) => void;
  signal?: AbortSignal;
}

/** The default architecture: 784-128-64-3-64-128-784. */
export const defaultSpec = (): ReturnType<typeof stackSpec> => stackSpec(784, [128, 64, 3]);

/**
 * Returns `dir` holding a loadable 784-input model, training and saving one if `dir` has none
 * (or an unreadable one, which is replaced: the folder is this command's cache).
 * @throws TrainingDivergedError, TrainingCancelledError from training
 */
export async function ensureDefaultModel(
  dir: string,
  opts: DefaultModelOptions = {},
): Promise<string> {
  const log = opts.log ?? ((): void => undefined);
  try {
    const m = loadModel(dir);
    const ok = m.inputDim === 784;
    await m.dispose();
    if (ok) {
      log(`using the cached default model in ${dir}`);
      return dir;
    }
    log(`${dir} holds a model for ${m.inputDim} inputs, not MNIST's 784; training a new one`);
  } catch (err) {
    log(
      existsSync(dir)
        ? `no usable default model in ${dir} (${(err as Error).message}); training a new one`
        : `no default model in ${dir} yet; training one (a minute or two; later runs reuse it)`,
    );
  }
  const epochs = opts.epochs ?? 8;
  const train = loadMnist('train', opts.limit !== undefined ? { limit: opts.limit } : {});
  const test = loadMnist('test', { limit: 2000 });
  const model = AutoencoderModel.create(defaultSpec(), { scaling: { kind: 'divide255' }, seed: 0 });
  log(`training 784-128-64-3-64-128-784 on ${train.x.rows} MNIST images for ${epochs} epochs`);
  try {
    await fit(model, train.x, {
      epochs,
      batchSize: 64,
      testData: test.x,
      dataName: 'mnist',
      signal: opts.signal,
      onEpochEnd: (r) => {
        log(
          `epoch ${r.epoch}/${epochs}  loss ${r.trainLoss.toFixed(4)}  test mse ${r.testMse?.toFixed(4) ?? '-'}  ${r.seconds.toFixed(1)} s`,
        );
      },
    });
    saveModel(model, dir);
  } finally {
    await model.dispose();
  }
  log(`saved the default model to ${dir}`);
  return dir;
}
