/**
 * The model `aedr serve` shows when given none, so the page works out of the box. For MNIST: the
 * study's deep autoencoder shortened to a 3-d code (784-128-64-3, ReLU, linear code, sigmoid
 * output; the blog post's PyTorch model), trained with Adam (Keras defaults) on MNIST's 60,000 training images
 * scaled by 1/255, and cached in a folder that later runs reuse (about a minute on two cores).
 * For a data file: a small autoencoder with a 3-d code trained on that file's rows (minmax
 * scaling, as `aedr train` uses for files) and cached per file; a file it cannot reduce (3
 * columns or fewer, fewer than 2 rows) is refused before any training. Never an unrelated model.
 */
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { ConfigError } from '../../errors.js';
import type { Dataset } from '../../data/dataset.js';
import { loadMnist } from '../../data/mnist.js';
import { stackSpec } from '../../nn/autoencoder-spec.js';
import { AutoencoderModel } from '../../train/model.js';
import { loadModel, saveModel } from '../../train/persist.js';
import { prepareAutoencoder } from '../../train/setup.js';
import { fit } from '../../train/trainer.js';
import { recordDataColumns, type DataColumns } from '../data-columns.js';

/** Where the default model is cached, relative to the working directory. */
export const DEFAULT_MODEL_DIR = 'runs/explorer-default';

/** Options of `ensureDefaultModel`. */
export interface DefaultModelOptions {
  /** onnxruntime threads of training (default all cores). */
  threads?: number;
  /** false: idle onnxruntime threads sleep instead of spin-waiting. */
  spin?: boolean;
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
  const model = AutoencoderModel.create(defaultSpec(), {
    scaling: { kind: 'divide255' },
    seed: 0,
    threads: opts.threads,
  });
  log(`training 784-128-64-3-64-128-784 on ${train.x.rows} MNIST images for ${epochs} epochs`);
  try {
    await fit(model, train.x, {
      epochs,
      batchSize: 64,
      testData: test.x,
      dataName: 'mnist',
      signal: opts.signal,
      threads: opts.threads,
      ...(opts.spin === false ? { spin: false } : {}),
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

/** The explorer's code size: a 3-d scatter needs no projection. */
const DATA_CODE = 3;

/** Where the default model of data file `path` is cached: runs/explorer-<file name>. */
export function dataModelDir(path: string): string {
  const name = basename(path)
    .replace(/\.gz$/i, '')
    .replace(/\.[^.]+$/, '')
    .replace(/[^\w.-]+/g, '_');
  return `runs/explorer-${name || 'data'}`;
}

/** The layers of the default model for `cols` input columns: one hidden layer, then the 3-d code. */
export function dataModelLayers(cols: number): number[] {
  const hidden = Math.min(64, Math.max(8, Math.round(cols / 2)));
  return hidden > DATA_CODE && cols > 8 ? [hidden, DATA_CODE] : [DATA_CODE];
}

/** Options of `ensureDataModel`. */
export interface DataModelOptions {
  /** onnxruntime threads of training (default all cores). */
  threads?: number;
  /** false: idle onnxruntime threads sleep instead of spin-waiting. */
  spin?: boolean;
  /** Passes over the rows (default: about 2,000 steps' worth, in 10..100). */
  epochs?: number;
  /** The column flags the data was read with, recorded in the model. */
  columns?: DataColumns;
  log?: (line: string) => void;
  signal?: AbortSignal;
}

/**
 * Returns `dir` holding a model trained on `data` (the rows of file `data.source`): the cached
 * one when it was trained on the same file with the same width, else a new one.
 * @throws ConfigError before any training when the data cannot be reduced to 3-d;
 *   TrainingDivergedError, TrainingCancelledError from training
 */
export async function ensureDataModel(
  dir: string,
  data: Dataset,
  opts: DataModelOptions = {},
): Promise<string> {
  const log = opts.log ?? ((): void => undefined);
  const { rows, cols } = data.x;
  if (cols <= DATA_CODE) {
    throw new ConfigError(
      `${data.source} has ${cols} column${cols === 1 ? '' : 's'}; the explorer's default model reduces to ${DATA_CODE} and needs more, so nothing was trained. Train a model with \`aedr train --data ${data.source} --latent N\` (N < ${cols}) and pass it with --model`,
    );
  }
  if (rows < 2) {
    throw new ConfigError(
      `${data.source} has ${rows} row; the explorer's default model needs at least 2 rows to train on`,
    );
  }
  if (existsSync(dir)) {
    try {
      const m = loadModel(dir);
      const same =
        m.inputDim === cols && m.training?.data === data.source && m.training.trainSize === rows;
      await m.dispose();
      if (same) {
        log(`using the model trained on ${data.source} earlier, cached in ${dir}`);
        return dir;
      }
      log(`${dir} holds a model of other data; training a new one`);
    } catch {
      log(`no usable model in ${dir}; training a new one`);
    }
  }
  const layers = dataModelLayers(cols);
  const batchSize = Math.min(32, rows);
  // About 2,000 Adam steps, at least 10 and at most 100 passes over the rows.
  const steps = Math.ceil(rows / batchSize);
  const epochs = opts.epochs ?? Math.min(100, Math.max(10, Math.ceil(2000 / steps)));
  const { model, optimizer, loss } = prepareAutoencoder(data.x, {
    layers,
    seed: 0,
    threads: opts.threads,
  });
  const sizes = [cols, ...layers, ...layers.slice(0, -1).reverse(), cols].join('-');
  log(
    `no --model given: training a ${sizes} autoencoder on the ${rows} rows of ${data.source} for ${epochs} epochs (cached in ${dir})`,
  );
  try {
    await fit(model, data.x, {
      epochs,
      batchSize,
      optimizer,
      loss,
      seed: 0,
      dataName: data.source,
      signal: opts.signal,
      threads: opts.threads,
      ...(opts.spin === false ? { spin: false } : {}),
      onEpochEnd: (r, m) => {
        recordDataColumns(m, opts.columns);
        log(
          `epoch ${r.epoch}/${epochs}  loss ${r.trainLoss.toFixed(4)} (scaled)  ${r.seconds.toFixed(1)} s`,
        );
      },
    });
    recordDataColumns(model, opts.columns);
    saveModel(model, dir);
  } finally {
    await model.dispose();
  }
  log(`saved the model to ${dir}; pass --model ${dir} to skip this step`);
  return dir;
}
