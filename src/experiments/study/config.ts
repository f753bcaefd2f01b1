/**
 * The settings of the MNIST latent-dimension study (the blog post "Auto-Encoder (AE) 기반 차원
 * 축소", after Wang, Yao & Zhao, Neurocomputing 184 (2016) 232-242) and the list of runs they
 * imply: one shallow autoencoder 784-k-784 per latent size k and decoder output activation
 * (Keras' Dense(k, relu) -> Dense(784, act), Adam 0.001, MSE, batch 32, 10 epochs), the deep AE
 * 784-128-64-12-3 (Adam 0.005), the convolutional denoising AE of the TensorFlow tutorial "Intro
 * to Autoencoders" (convShorthand '16,8': code 7x7x8 = 392 values, Gaussian noise 0.2, 3 epochs)
 * and PCA at every swept size and conv code size as the linear baseline.
 * Every model's output bias starts at the mean training image unless `outputBias` is 'zero'
 * (Keras' init, which leaves many ReLU output pixels dead; see nn/init.ts). Each run has
 * an id built from a hash of everything that changes its result, so a rerun with the same
 * settings finds it in `<out>/runs/<id>/` and does not train it again.
 */
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { ConfigError } from '../../errors.js';
import { parseActivation, type Activation } from '../../nn/activation.js';
import { stackSpec, type AutoencoderSpec } from '../../nn/autoencoder-spec.js';
import { convShorthand, type ModelSpec } from '../../nn/layer-spec.js';
import { formatNoise, parseNoise } from '../../nn/noise.js';
import { checkInt, checkNumber, checkOneOf } from '../../util/check.js';

/** MNIST's split sizes. */
export const MNIST_TRAIN_ROWS = 60000;
export const MNIST_TEST_ROWS = 10000;

/** How the output bias starts (nn/init.ts): the mean training image, or zero as in Keras. */
export type OutputBias = 'mean' | 'zero';

/** The blog post's reported ReLU-decoder losses (its Keras sweep, 10 epochs). */
export const STUDY_REFERENCE: readonly { latent: number; trainLoss: number; testLoss: number }[] = [
  [10, 0.0341, 0.0338],
  [20, 0.0224, 0.022],
  [30, 0.0183, 0.0179],
  [40, 0.0136, 0.0128],
  [50, 0.0115, 0.0112],
  [60, 0.011, 0.0107],
  [70, 0.0096, 0.0094],
  [80, 0.0084, 0.0082],
  [90, 0.0072, 0.0071],
  [100, 0.008, 0.0077],
].map(([latent, trainLoss, testLoss]) => ({ latent, trainLoss, testLoss }));

/** The deep autoencoder's settings. */
export interface DeepConfig {
  /** Encoder sizes, the last is the (linear) code: [128, 64, 12, 3] in the study. */
  layers: number[];
  epochs: number;
  batchSize: number;
  learningRate: number;
}

/** The convolutional denoising autoencoders' settings (the TensorFlow tutorial's training). */
export interface ConvConfig {
  /**
   * One model per filter list of convShorthand (stride-2 3x3 convolutions down, transposed back,
   * sigmoid output): '16,8' is the tutorial's, code 7x7x8 = 392 values. [] trains none.
   */
  filters: string[];
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Input corruption during training (nn/noise.ts); test MSE is reported with clean and noisy input. */
  noise: string;
}

/** Every setting of a study; `resolveStudyConfig` fills it from `StudyOptions`. */
export interface StudyConfig {
  latentDims: number[];
  /** Decoder output activations compared (the study: relu, then sigmoid). */
  activations: Activation[];
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** The first `trainSize` training and `testSize` test images of MNIST are used. */
  trainSize: number;
  testSize: number;
  seed: number;
  /** Start of every model's output bias: the mean training image (default) or zero (Keras). */
  outputBias: OutputBias;
  deep: DeepConfig;
  conv: ConvConfig;
  /** The shallow model used for decoder-only generation. */
  generation: { latent: number; activation: Activation };
  /** Parameter of the saturation rule (flatteningPoint). */
  saturationFraction: number;
  /** Total threads, and worker threads sharing them (each runs whole runs, one at a time). */
  threads: number;
  workers: number;
  /** Idle onnxruntime threads spin-wait (default true); not part of a run's identity. */
  spin: boolean;
  out: string;
  fresh: boolean;
  quick: boolean;
}

/** What a caller may set; everything else takes the study's (or `quick`'s) default. */
export type StudyOptions = Partial<Omit<StudyConfig, 'deep' | 'conv' | 'generation'>> & {
  deep?: Partial<DeepConfig>;
  conv?: Partial<ConvConfig>;
};

/** The tutorial's training: Adam 1e-3, batch 32, Gaussian noise 0.2; 3 epochs (its figure: 10). */
const CONV = { filters: ['16,8'], batchSize: 32, learningRate: 0.001, noise: 'gaussian:0.2' };

const FULL = {
  latentDims: [10, 20, 30, 40, 50, 60, 70, 80, 90, 100],
  activations: ['relu', 'sigmoid'] as Activation[],
  epochs: 10,
  trainSize: MNIST_TRAIN_ROWS,
  testSize: MNIST_TEST_ROWS,
  deep: { layers: [128, 64, 12, 3], epochs: 10, batchSize: 32, learningRate: 0.005 },
  conv: { ...CONV, epochs: 3 },
};

const QUICK = {
  latentDims: [10, 50],
  activations: ['relu', 'sigmoid'] as Activation[],
  epochs: 2,
  trainSize: 3000,
  testSize: 1000,
  deep: { layers: [64, 12, 3], epochs: 2, batchSize: 32, learningRate: 0.005 },
  conv: { ...CONV, epochs: 2 },
};

/**
 * Latent sizes from `start:stop:step` (inclusive) or a comma list, sorted and deduplicated.
 * @example parseLatentDims('10:50:20') // [10, 30, 50]; parseLatentDims('50,10') // [10, 50]
 * @throws ConfigError on anything else
 */
export function parseLatentDims(text: string): number[] {
  const t = String(text).trim();
  const int = (s: string): number => (/^\d+$/.test(s.trim()) ? Number(s) : NaN);
  let dims: number[];
  const range = t.split(':');
  if (range.length === 3) {
    const [a, b, s] = range.map(int);
    if (![a, b, s].every((v) => Number.isSafeInteger(v) && v >= 1) || b < a) {
      throw new ConfigError(
        `latent dims: expected start:stop:step with 1 <= start <= stop and step >= 1, got ${JSON.stringify(t)}`,
      );
    }
    dims = [];
    for (let k = a; k <= b; k += s) dims.push(k);
  } else {
    dims = t.split(',').map(int);
    if (t === '' || dims.some((v) => !Number.isSafeInteger(v) || v < 1)) {
      throw new ConfigError(
        `latent dims: expected start:stop:step (10:100:10) or a comma list (10,50,100) of positive integers, got ${JSON.stringify(t)}`,
      );
    }
  }
  return [...new Set(dims)].sort((x, y) => x - y);
}

/** The full settings for `o`: the study's defaults, or the small `quick` preset, overridden by `o`. @throws ConfigError */
export function resolveStudyConfig(o: StudyOptions = {}): StudyConfig {
  const base = o.quick === true ? QUICK : FULL;
  const latentDims = [...new Set(o.latentDims ?? base.latentDims)].sort((a, b) => a - b);
  if (latentDims.length === 0)
    throw new ConfigError('latentDims must list at least one size, got []');
  for (const k of latentDims) checkInt('latent dim', k, 1, 784);
  const activations = [...new Set(o.activations ?? base.activations)].map((a) =>
    parseActivation(a, 'decoder activation'),
  );
  if (activations.length === 0) throw new ConfigError('activations must list at least one, got []');
  const deepIn = { ...base.deep, ...o.deep };
  const deep: DeepConfig = {
    layers: deepIn.layers.map((u) => checkInt('deep layer size', u, 1)),
    epochs: checkInt('deep epochs', deepIn.epochs, 1),
    batchSize: checkInt('deep batchSize', deepIn.batchSize, 1),
    learningRate: checkNumber('deep learningRate', deepIn.learningRate, 0, 10, {
      exclusiveMin: true,
    }),
  };
  const convIn = { ...base.conv, ...o.conv };
  const conv: ConvConfig = {
    filters: [...new Set(convIn.filters.map((f) => f.replace(/\s+/g, '')))],
    epochs: checkInt('conv epochs', convIn.epochs, 1),
    batchSize: checkInt('conv batchSize', convIn.batchSize, 1),
    learningRate: checkNumber('conv learningRate', convIn.learningRate, 0, 10, {
      exclusiveMin: true,
    }),
    noise: formatNoise(parseNoise(convIn.noise, 'conv noise')),
  };
  for (const f of conv.filters) convShorthand(f, MNIST_SHAPE);
  const threads = checkInt('threads', o.threads ?? availableParallelism(), 1, 1024);
  const trainSize = checkInt('trainSize', o.trainSize ?? base.trainSize, 2, MNIST_TRAIN_ROWS);
  const batchSize = checkInt('batchSize', o.batchSize ?? 32, 1, trainSize);
  const latentForGen = latentDims.reduce((best, k) =>
    Math.abs(k - 50) < Math.abs(best - 50) ? k : best,
  );
  return {
    latentDims,
    activations,
    epochs: checkInt('epochs', o.epochs ?? base.epochs, 1),
    batchSize,
    learningRate: checkNumber('learningRate', o.learningRate ?? 0.001, 0, 10, {
      exclusiveMin: true,
    }),
    trainSize,
    testSize: checkInt('testSize', o.testSize ?? base.testSize, 10, MNIST_TEST_ROWS),
    seed: checkInt('seed', o.seed ?? 0, 0, 2 ** 31),
    outputBias: checkOneOf('outputBias', o.outputBias ?? 'mean', ['mean', 'zero'] as const),
    deep,
    conv,
    generation: {
      latent: latentForGen,
      activation: activations.includes('sigmoid') ? 'sigmoid' : activations[0],
    },
    saturationFraction: checkNumber('saturationFraction', o.saturationFraction ?? 0.5, 0, 10, {
      exclusiveMin: true,
    }),
    threads,
    workers: checkInt('workers', o.workers ?? threads, 1, threads),
    spin: o.spin ?? true,
    out: o.out ?? 'report',
    fresh: o.fresh ?? false,
    quick: o.quick ?? false,
  };
}

/** What every trained run has. */
interface TrainedRun {
  id: string;
  label: string;
  /** Code size in values (a conv code's H x W x C). */
  latent: number;
  activation: Activation;
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  outputBias: OutputBias;
  trainSize: number;
  testSize: number;
}

/** One unit of work: a shallow, deep or convolutional autoencoder to train, or the PCA baseline. */
export type RunSpec =
  | (TrainedRun & { kind: 'shallow' | 'deep'; spec: AutoencoderSpec })
  | (TrainedRun & {
      kind: 'conv';
      spec: ModelSpec;
      /** convShorthand's filter list, e.g. '16,8'. */
      filters: string;
      /** Input corruption during training (nn/noise.ts form). */
      noise: string;
    })
  | { kind: 'pca'; id: string; label: string; dims: number[]; trainSize: number; testSize: number };

/** A trainable run (not PCA). */
export type TrainSpec = Extract<RunSpec, { kind: 'shallow' | 'deep' | 'conv' }>;

/** MNIST's image shape, [H, W, C]. */
export const MNIST_SHAPE = [28, 28, 1];

/** The code size in values of a convShorthand model on MNIST (7 x 7 x 8 = 392 for '16,8'). */
export function convCodeValues(spec: ModelSpec): number {
  return spec.codeShape.reduce((a, b) => a * b, 1);
}

/** Bumped when a change to training or evaluation makes earlier saved runs incomparable. */
const RUN_FORMAT = 1;

function withId<T extends Omit<RunSpec, 'id'>>(run: T, name: string): T & { id: string } {
  const hash = createHash('sha256')
    .update(
      JSON.stringify({ RUN_FORMAT, data: 'mnist', scaling: 'divide255', loss: 'mse', ...run }),
    )
    .digest('hex')
    .slice(0, 10);
  return { ...run, id: `${name}-${hash}` };
}

/** The runs of a study: the sweep (latent-major), the deep AE, the conv AEs, then PCA. */
export function planRuns(c: StudyConfig): RunSpec[] {
  const common = { seed: c.seed, trainSize: c.trainSize, testSize: c.testSize };
  const trained = { ...common, outputBias: c.outputBias };
  const runs: RunSpec[] = [];
  for (const latent of c.latentDims) {
    for (const activation of c.activations) {
      const spec = stackSpec(784, [latent], {
        activation: 'relu',
        codeActivation: 'relu',
        outputActivation: activation,
      });
      runs.push(
        withId(
          {
            kind: 'shallow',
            label: `latent ${latent}, ${activation}`,
            latent,
            activation,
            spec,
            epochs: c.epochs,
            batchSize: c.batchSize,
            learningRate: c.learningRate,
            ...trained,
          },
          `latent${latent}-${activation}`,
        ),
      );
    }
  }
  const d = c.deep;
  const deepSpec = stackSpec(784, d.layers, {
    activation: 'relu',
    codeActivation: 'linear',
    outputActivation: 'sigmoid',
  });
  runs.push(
    withId(
      {
        kind: 'deep',
        label: `deep ${[784, ...d.layers].join('-')}`,
        latent: d.layers[d.layers.length - 1],
        activation: 'sigmoid' as Activation,
        spec: deepSpec,
        epochs: d.epochs,
        batchSize: d.batchSize,
        learningRate: d.learningRate,
        ...trained,
      },
      `deep-${d.layers.join('-')}`,
    ),
  );
  const convDims: number[] = [];
  for (const filters of c.conv.filters) {
    const spec = convShorthand(filters, MNIST_SHAPE);
    const latent = convCodeValues(spec);
    convDims.push(latent);
    runs.push(
      withId(
        {
          kind: 'conv',
          label: `conv ${filters}, ${spec.codeShape.join('x')} code, ${c.conv.noise}`,
          latent,
          activation: 'sigmoid' as Activation,
          spec,
          filters,
          noise: c.conv.noise,
          epochs: c.conv.epochs,
          batchSize: c.conv.batchSize,
          learningRate: c.conv.learningRate,
          ...trained,
        },
        `conv-${filters.replace(/,/g, '-')}`,
      ),
    );
  }
  runs.push(
    withId(
      {
        kind: 'pca',
        label: 'PCA baseline',
        dims: [...new Set([...c.latentDims, ...convDims])].sort((a, b) => a - b),
        trainSize: c.trainSize,
        testSize: c.testSize,
      },
      'pca',
    ),
  );
  return runs;
}

/**
 * A relative cost of a run, proportional to its expected seconds (fitted on this project's
 * trainer: an epoch costs about parameters + 45,000 multiply-adds per row, and 1e10 units take
 * about a second on one thread; PCA: the 784 x 784 eigendecomposition plus the covariance
 * product; a conv model: 6 units per multiply-add of its forward pass, see convUnits), used to
 * start long runs first and to estimate the time left.
 */
export function runCost(r: RunSpec): number {
  if (r.kind === 'pca') return 1e10 * (0.6 + (2.5 * r.trainSize) / MNIST_TRAIN_ROWS);
  if (r.kind === 'conv')
    return r.epochs * (r.trainSize * 1.3 + r.testSize * 0.3) * convUnits(r.spec);
  let params = 0;
  let d = r.spec.inputDim;
  for (const l of [...r.spec.encoder, ...r.spec.decoder]) {
    params += d * l.units + l.units;
    d = l.units;
  }
  return r.epochs * (r.trainSize * 1.3 + r.testSize * 0.3) * (params + 45000);
}

/**
 * Cost units per row and epoch of a layer spec: 6 per multiply-add of the forward pass (the
 * backward pass, im2col copies and the noise draws come on top), set from the study's measured
 * run times of the tutorial model against the dense runs (bench/README.md).
 */
function convUnits(spec: ModelSpec): number {
  let macs = 0;
  for (const { layer, input, output } of [...spec.encoder, ...spec.decoder]) {
    if (layer.type === 'Conv2D') {
      macs +=
        output[0] * output[1] * output[2] * layer.kernelSize[0] * layer.kernelSize[1] * input[2];
    } else if (layer.type === 'Conv2DTranspose') {
      macs +=
        input[0] * input[1] * input[2] * layer.kernelSize[0] * layer.kernelSize[1] * output[2];
    } else if (layer.type === 'Dense') {
      macs += input[0] * output[0];
    }
  }
  return 6 * macs + 45000;
}
