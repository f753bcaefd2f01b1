/**
 * The one place where options become an autoencoder ready to fit: the layer spec, the data
 * scaling fitted on the training rows, the output-bias start, the optimiser and the loss, with
 * the guards that catch combinations which cannot train well. `aedr train`, the `Autoencoder`
 * reducer and the study all call `prepareAutoencoder`, so a default changed here changes for all.
 *
 * Defaults, and why:
 * - code activation `linear`: a ReLU code unit whose input is negative for every row gets no
 *   gradient and stays 0 for ever (a dead unit); a linear code cannot die. The study passes its
 *   published model's ReLU explicitly.
 * - output activation: `sigmoid` when the scaled training data lie in [0, 1] (minmax, divide255
 *   on pixels), else `linear`, so the reconstruction can reach the data's range.
 * - output bias `mean`: the output layer starts at the mean training row (through the inverse of
 *   the output activation), so no output unit starts dead; Keras starts it at 0.
 *
 * Guards: an explicit output activation that cannot reach the scaled data's range, and BCE on
 * targets outside [0, 1], are ConfigErrors; a code as wide as the input or wider is a warning
 * (it is no reduction, but over-complete sparse or denoising AEs are legitimate).
 */
import { ConfigError } from '../errors.js';
import { fitScaling, scalingAffine, type Scaling, type ScalingKind } from '../data/scaling.js';
import { groupMeans } from '../linalg/scatter.js';
import type { Activation } from '../nn/activation.js';
import {
  inputSize,
  latentDim,
  outputActivation,
  stackSpec,
  type NetSpec,
} from '../nn/autoencoder-spec.js';
import { parseLoss, type LossName } from '../nn/loss.js';
import { adam } from '../optim/adam.js';
import type { Optimizer } from '../optim/optimizer.js';
import { sgd } from '../optim/sgd.js';
import { matrix, type Matrix32 } from '../util/matrix.js';
import { checkCodes, type CodeCheck } from './code-check.js';
import { AutoencoderModel } from './model.js';

/** Options that describe an autoencoder and how to train it. */
export interface AutoencoderSetup {
  /**
   * A complete spec, dense or a checked layer spec (nn/layer-spec.ts, convolutional); when
   * given, `layers` and the activations are ignored.
   */
  spec?: NetSpec;
  /** Encoder sizes, the last is the code; the decoder mirrors them. */
  layers?: number[];
  /** Hidden layers' activation (default relu). */
  activation?: Activation;
  /** The code layer's activation (default linear: it cannot die). */
  codeActivation?: Activation;
  /** The reconstruction's activation (default: sigmoid when the scaled data lie in [0, 1], else linear). */
  outputActivation?: Activation;
  /** A scaling kind fitted on `x`, or an already fitted scaling (default minmax). */
  scaling?: ScalingKind | Scaling;
  /** Start of the output bias: the mean training row (default) or zero (Keras). */
  outputBias?: 'mean' | 'zero';
  /** Column means of `x` in data units, when the caller has them already (saves a pass). */
  trainMean?: ArrayLike<number>;
  /** adam (default) or sgd. */
  optimizer?: 'adam' | 'sgd';
  /** Default 0.001 for adam, 0.01 for sgd. */
  learningRate?: number;
  /** SGD momentum (default 0). */
  momentum?: number;
  /** mse (default) or bce. */
  loss?: LossName;
  /** A variational autoencoder (nn/autoencoder-spec.ts): `layers` end with the code size of μ and log σ². */
  variational?: boolean;
  /** Seeds the weights (default 0). */
  seed?: number;
  /** onnxruntime threads of the model's inference sessions (default all cores). */
  threads?: number;
}

/** A model ready for `fit`, with the optimiser and loss to fit it with. */
export interface PreparedAutoencoder {
  model: AutoencoderModel;
  optimizer: Optimizer;
  loss: LossName;
  /** Warnings for the user (the library never prints; the CLI does). */
  warnings: string[];
}

/** Value range an activation's output can take. */
const ACTIVATION_RANGE: Record<Activation, [number, number]> = {
  sigmoid: [0, 1],
  tanh: [-1, 1],
  relu: [0, Infinity],
  'leaky-relu': [-Infinity, Infinity],
  linear: [-Infinity, Infinity],
};

/** Slack on range checks: float32 rounding of a scaled value. */
const RANGE_TOL = 1e-5;

/** The smallest and largest value of x after scaling (per column through the scaling's affine map). */
export function scaledRange(scaling: Scaling, x: Matrix32): [number, number] {
  const { rows, cols, data } = x;
  const { off, div } = scalingAffine(scaling, cols, 'scaledRange');
  let lo = Infinity;
  let hi = -Infinity;
  const cmin = new Float64Array(cols).fill(Infinity);
  const cmax = new Float64Array(cols).fill(-Infinity);
  for (let i = 0; i < rows; i++) {
    const r = i * cols;
    for (let j = 0; j < cols; j++) {
      const v = data[r + j];
      if (v < cmin[j]) cmin[j] = v;
      if (v > cmax[j]) cmax[j] = v;
    }
  }
  for (let j = 0; j < cols; j++) {
    lo = Math.min(lo, (cmin[j] - off[j]) / div[j]);
    hi = Math.max(hi, (cmax[j] - off[j]) / div[j]);
  }
  return [lo, hi];
}

const fmt = (v: number): string => (Number.isInteger(v) ? String(v) : v.toPrecision(3));

/**
 * Builds the model, optimiser and loss that `opts` describe, for training on `x` (data units).
 * @example
 * const { model, optimizer, loss } = prepareAutoencoder(x, { layers: [8] });
 * await fit(model, x, { optimizer, loss, epochs: 50 });
 * @throws ConfigError on options that cannot train well (see module doc), ShapeError
 */
export function prepareAutoencoder(x: Matrix32, opts: AutoencoderSetup): PreparedAutoencoder {
  const warnings: string[] = [];
  const loss = parseLoss(opts.loss ?? 'mse');
  const scaling =
    typeof opts.scaling === 'object' ? opts.scaling : fitScaling(opts.scaling ?? 'minmax', x);
  const [lo, hi] = scaledRange(scaling, x);
  const inRange = (a: Activation): boolean => {
    const [amin, amax] = ACTIVATION_RANGE[a];
    return lo >= amin - RANGE_TOL && hi <= amax + RANGE_TOL;
  };
  let spec = opts.spec;
  if (spec === undefined) {
    if (opts.layers === undefined || opts.layers.length === 0)
      throw new ConfigError('give the layer sizes (layers, ending with the code size) or a spec');
    const outputActivation = opts.outputActivation ?? (inRange('sigmoid') ? 'sigmoid' : 'linear');
    spec = stackSpec(x.cols, opts.layers, {
      activation: opts.activation ?? 'relu',
      codeActivation: opts.codeActivation ?? 'linear',
      outputActivation,
      ...(opts.variational ? { variational: true } : {}),
    });
  } else if (opts.variational) {
    throw new ConfigError(
      'variational applies to dense layer sizes (layers), not to a given spec; give layers',
    );
  }
  if (inputSize(spec) !== x.cols) {
    throw new ConfigError(
      `the spec's input takes ${inputSize(spec)} values per row but the training data have ${x.cols} columns; give a matching input shape`,
    );
  }
  const outAct = outputActivation(spec);
  const scaledText = `the training data scaled by ${scaling.kind} span [${fmt(lo)}, ${fmt(hi)}]`;
  if (!inRange(outAct)) {
    const [amin, amax] = ACTIVATION_RANGE[outAct];
    throw new ConfigError(
      `output activation ${outAct} reaches [${fmt(amin)}, ${fmt(amax)}] but ${scaledText}; ` +
        `use output activation linear, or scaling minmax`,
    );
  }
  if (loss === 'bce' && (lo < -RANGE_TOL || hi > 1 + RANGE_TOL)) {
    throw new ConfigError(
      `loss bce needs targets in [0, 1] but ${scaledText}; use loss mse, or scaling minmax`,
    );
  }
  const code = latentDim(spec);
  if (code >= inputSize(spec)) {
    warnings.push(
      `the code has ${code} values for ${inputSize(spec)} input columns: it is no reduction; give a smaller code size`,
    );
  }
  const outputBias = opts.outputBias ?? 'mean';
  const mean = outputBias === 'mean' ? (opts.trainMean ?? groupMeans(x).means.data) : undefined;
  const model = AutoencoderModel.create(spec, {
    seed: opts.seed ?? 0,
    scaling,
    threads: opts.threads,
    ...(mean !== undefined ? { outputBiasMean: mean } : {}),
  });
  const optimizer =
    opts.optimizer === 'sgd'
      ? sgd({ learningRate: opts.learningRate ?? 0.01, momentum: opts.momentum ?? 0 })
      : adam({ learningRate: opts.learningRate ?? 0.001 });
  return { model, optimizer, loss, warnings };
}

/** Rows of the training data the check encodes at most (the first ones; enough to see a unit move). */
export const CODE_CHECK_ROWS = 10_000;

/**
 * Encodes up to CODE_CHECK_ROWS rows of x with `model`, records the result as `model.codeCheck`
 * and returns it.
 */
export async function checkModelCodes(model: AutoencoderModel, x: Matrix32): Promise<CodeCheck> {
  const rows = Math.min(x.rows, CODE_CHECK_ROWS);
  const head = rows === x.rows ? x : matrix(rows, x.cols, x.data.subarray(0, rows * x.cols));
  const c = checkCodes(await model.encode(head));
  model.codeCheck = c;
  return c;
}
