/**
 * Settings of the one-class anomaly experiment (run.ts) and its two presets. The full preset
 * follows the usual MNIST one-class protocol (Ruff et al., "Deep One-Class Classification",
 * ICML 2018, §4.1): every training image of the normal digit, all 10,000 test images. The
 * quick preset keeps the protocol but subsamples (500 training images per digit, the first
 * 2,000 test images) and trains smaller or shorter AEs, to run in under a minute.
 */
import { ConfigError } from '../../errors.js';
import type { ScalingKind } from '../../data/scaling.js';
import { checkInt, checkNumber } from '../../util/check.js';

/** What the experiment runs. */
export interface AnomalySettings {
  /** Normal classes to run, one model each (default: every class of the training labels). */
  classes?: number[];
  /**
   * AE encoder sizes, the last is the code; the decoder mirrors them. Hidden layers relu, code
   * linear, output sigmoid on data scaled into [0, 1] (train/setup.ts defaults), MSE loss, Adam.
   */
  layers: number[];
  epochs: number;
  batchSize: number;
  learningRate: number;
  /**
   * The convolutional AE, run on image data only: the TensorFlow tutorial's family
   * (nn/layer-spec.ts convShorthand: 3x3 stride-2 Conv2D layers with these filter counts, relu,
   * Conv2DTranspose back, a sigmoid Conv2D out), MSE, Adam; undefined = not run.
   */
  conv?: { filters: number[]; epochs: number; batchSize: number; learningRate: number };
  /**
   * The variational AE (pytorch/examples' VAE: relu hidden layers, linear μ and log σ² heads of
   * the last size, sigmoid output), loss summed per example + β·KL, Adam; undefined = not run.
   * `loss` bce needs inputs scaled into [0, 1].
   */
  vae?: {
    layers: number[];
    epochs: number;
    batchSize: number;
    learningRate: number;
    beta: number;
    loss: 'bce' | 'mse';
  };
  /** Components of the PCA baseline (default: the AE's code size, for a like-for-like code). */
  pcaComponents: number;
  /** Training rows per normal class at most (the first ones); undefined = all. */
  trainLimit?: number;
  /** Test rows (the first ones); undefined = all. */
  testLimit?: number;
  /** Scaling of the inputs, shared by the AE and PCA so their scores are in the same units. */
  scaling: ScalingKind;
  /** Seeds the AE of class c with seed + c, and PCA's randomized solver with seed. */
  seed: number;
  /** Images shown per class in the most/least anomalous grids. */
  shownImages: number;
  /** onnxruntime threads (default all cores). */
  threads?: number;
  /** Whether idle onnxruntime threads spin (default true; false on a shared machine). */
  spin?: boolean;
}

/**
 * The full MNIST protocol: 784-128-32-128-784, 20 epochs of Adam 1e-3, batch 128; the conv AE
 * 16, 8 (code 7x7x8) for 10 epochs of batch 32, the tutorial's batch; the VAE
 * 784-400-20 (pytorch/examples' VAE: BCE + KL, batch 128) for 20 epochs; PCA 32.
 */
export function defaultAnomalySettings(): AnomalySettings {
  return {
    layers: [128, 32],
    epochs: 20,
    batchSize: 128,
    learningRate: 1e-3,
    conv: { filters: [16, 8], epochs: 10, batchSize: 32, learningRate: 1e-3 },
    vae: {
      layers: [400, 20],
      epochs: 20,
      batchSize: 128,
      learningRate: 1e-3,
      beta: 1,
      loss: 'bce',
    },
    pcaComponents: 32,
    scaling: 'divide255',
    seed: 0,
    shownImages: 8,
  };
}

/**
 * The quick preset: 500 training images per digit, 2,000 test images, 784-64-16 for 8 epochs,
 * the conv AE 16, 8 for 4 epochs, the VAE 784-400-20 for 8 epochs of batch 32.
 */
export function quickAnomalySettings(): AnomalySettings {
  return {
    ...defaultAnomalySettings(),
    layers: [64, 16],
    epochs: 8,
    batchSize: 32,
    conv: { filters: [16, 8], epochs: 4, batchSize: 32, learningRate: 1e-3 },
    vae: { layers: [400, 20], epochs: 8, batchSize: 32, learningRate: 1e-3, beta: 1, loss: 'bce' },
    pcaComponents: 16,
    trainLimit: 500,
    testLimit: 2000,
  };
}

/** Checks every field. @throws ConfigError naming the field */
export function checkAnomalySettings(s: AnomalySettings): AnomalySettings {
  if (!Array.isArray(s.layers) || s.layers.length === 0)
    throw new ConfigError(
      `layers must list at least the code size, got ${JSON.stringify(s.layers)}`,
    );
  s.layers.forEach((u, i) => checkInt(`layers[${i}]`, u, 1));
  checkInt('epochs', s.epochs, 1);
  checkInt('batchSize', s.batchSize, 1);
  checkNumber('learningRate', s.learningRate, 0, Infinity, { exclusiveMin: true });
  checkInt('pcaComponents', s.pcaComponents, 1);
  if (s.conv !== undefined) {
    if (!Array.isArray(s.conv.filters) || s.conv.filters.length === 0)
      throw new ConfigError(
        `conv.filters must list at least one filter count, got ${JSON.stringify(s.conv.filters)}`,
      );
    s.conv.filters.forEach((u, i) => checkInt(`conv.filters[${i}]`, u, 1));
    checkInt('conv.epochs', s.conv.epochs, 1);
    checkInt('conv.batchSize', s.conv.batchSize, 1);
    checkNumber('conv.learningRate', s.conv.learningRate, 0, Infinity, { exclusiveMin: true });
  }
  if (s.vae !== undefined) {
    if (!Array.isArray(s.vae.layers) || s.vae.layers.length === 0)
      throw new ConfigError(
        `vae.layers must list at least the code size, got ${JSON.stringify(s.vae.layers)}`,
      );
    s.vae.layers.forEach((u, i) => checkInt(`vae.layers[${i}]`, u, 1));
    checkInt('vae.epochs', s.vae.epochs, 1);
    checkInt('vae.batchSize', s.vae.batchSize, 1);
    checkNumber('vae.learningRate', s.vae.learningRate, 0, Infinity, { exclusiveMin: true });
    checkNumber('vae.beta', s.vae.beta, 0, Infinity);
    if (s.vae.loss !== 'bce' && s.vae.loss !== 'mse')
      throw new ConfigError(`vae.loss must be bce or mse, got ${JSON.stringify(s.vae.loss)}`);
  }
  if (s.trainLimit !== undefined) checkInt('trainLimit', s.trainLimit, 2);
  if (s.testLimit !== undefined) checkInt('testLimit', s.testLimit, 2);
  checkInt('shownImages', s.shownImages, 1, 100);
  if (s.classes !== undefined) {
    if (s.classes.length === 0) throw new ConfigError('classes must not be empty');
    s.classes.forEach((c, i) => checkInt(`classes[${i}]`, c, -2147483648, 2147483647));
  }
  return s;
}
