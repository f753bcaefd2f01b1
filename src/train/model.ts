/**
 * The trained autoencoder: architecture, weights, the data scaling it was trained with, its
 * training config and history. `encode`, `decode` and `reconstruct` take batches of any size in
 * the user's data units and run the same ONNX graphs that are saved as encoder.onnx and
 * decoder.onnx, so saved and in-memory results agree exactly.
 */
import { ConfigError, ShapeError } from '../errors.js';
import { scalingAffine, type Scaling } from '../data/scaling.js';
import { outputBiasForMean } from '../nn/init.js';
import {
  inputSize,
  isLayerSpec,
  isVariational,
  latentDim,
  initParams,
  outputActivation,
  paramInfos,
  rowsPerCall,
  validateSpec,
  type NetSpec,
} from '../nn/autoencoder-spec.js';
import type { LossName } from '../nn/loss.js';
import type { OptimizerConfig } from '../optim/optimizer.js';
import type { EarlyStopping } from './early-stopping.js';
import type { LrSchedule } from './schedule.js';
import { RtTensor, Session, type SessionOptions } from '../runtime/session.js';
import { checkMatrix } from '../util/check.js';
import { matrix, type Matrix32 } from '../util/matrix.js';
import { Rng } from '../util/rng.js';
import type { CodeCheck } from './code-check.js';
import {
  DECODER_IO,
  decoderModel,
  ENCODER_IO,
  encoderModel,
  LOGVAR_OUTPUT,
} from './inference-graph.js';

/** One epoch of training history (model.json `history[]`). */
export interface EpochRecord {
  epoch: number;
  /** Mean of the batch losses during the epoch, as Keras prints it. */
  trainLoss: number;
  /** MSE per element of the reconstructions of the whole training set after the epoch (scaled units). */
  trainMse: number;
  /** The same on the test data, when given (clean input). */
  testMse?: number;
  /** A denoising run's test MSE with a fixed corruption of the test rows as input, against the clean rows. */
  testMseNoisy?: number;
  /** Seconds of training in this epoch (evaluation excluded). */
  seconds: number;
  /** Seconds spent evaluating trainMse/testMse (and the validation metrics). */
  evalSeconds: number;
  /** The loss on the validation rows after the epoch (scaled units), when validation is on. */
  valLoss?: number;
  /** MSE per element of the validation rows' reconstructions after the epoch (scaled units). */
  valMse?: number;
  /** The learning rate of the epoch (the optimiser's base rate, before Adam's bias correction). */
  lr?: number;
  /**
   * A VAE's loss parts, per example (nats with BCE): the running means of the epoch's batches
   * (trainLoss = trainRecon + β·trainKl), and on the test rows after the epoch with a fixed ε
   * (testLoss = testRecon + β·testKl, pytorch/examples' "test set loss"). trainMse/testMse stay
   * the MSE per element of the reconstructions through μ.
   */
  trainRecon?: number;
  trainKl?: number;
  testRecon?: number;
  testKl?: number;
  testLoss?: number;
  /** A sparse run's penalty: running mean over the epoch's batches (included in trainLoss). */
  trainPenalty?: number;
  /** A sparse run's mean code activation over the training rows and code units after the epoch. */
  codeMean?: number;
}

/** Why a training run ended. */
export type StopReason = 'completed' | 'early-stopped' | 'cancelled' | 'callback' | 'diverged';

/** How a model was trained (model.json `training`). */
export interface TrainingConfig {
  epochs: number;
  batchSize: number;
  loss: LossName;
  optimizer: OptimizerConfig;
  seed: number;
  threads?: number;
  trainSize: number;
  testSize?: number;
  data?: string;
  /** How the output bias started: 'zero' (Keras) or 'mean' (the mean training example). */
  outputBias?: 'zero' | 'mean';
  /** The held-out validation rows: a seeded fraction of the training rows, or separate data. */
  validation?: { kind: 'split'; fraction: number; rows: number } | { kind: 'data'; rows: number };
  earlyStopping?: EarlyStopping;
  lrSchedule?: LrSchedule;
  /** Input corruption of a denoising run (nn/noise.ts form, e.g. 'gaussian:0.2'). */
  noise?: string;
  /** A VAE's KL weight β (the architecture says `variational`). */
  beta?: number;
  /** Sparsity penalties on the code (nn/sparsity.ts). */
  activityL1?: number;
  sparsity?: number;
  sparsityWeight?: number;
  /**
   * Set when the encoder was trained with parametric UMAP's loss (reducers/pumap.ts): the graph
   * and curve settings, the reconstruction weight, and the mean loss of each epoch.
   */
  parametricUmap?: {
    nNeighbors: number;
    minDist: number;
    spread: number;
    metric: 'euclidean' | 'cosine';
    negativeSampleRate: number;
    repulsionStrength: number;
    reconstructionWeight: number;
    a: number;
    b: number;
    epochLosses: number[];
  };
  /** Epochs the last run trained (history entries it added). */
  epochsRun?: number;
  /** History epoch whose weights the model holds, with early stopping (the lowest monitored value). */
  bestEpoch?: number;
  /** Why the last run ended. */
  stopReason?: StopReason;
}

/** The reconstruction-error metrics of anomaly scores (train/anomaly.ts). */
export type AnomalyMetric = 'mse' | 'mae';

/**
 * An anomaly threshold fitted on the training rows (train/anomaly.ts `fitAnomalyThreshold`), as
 * model.json's `anomaly` field stores it.
 */
export interface AnomalyRecord {
  metric: AnomalyMetric;
  /** The `--threshold` text it came from (`mean+3std`, `quantile:0.99`, a number). */
  rule: string;
  threshold: number;
}

/** Rows per inference call: bounds intermediate memory for large inputs. */
const CHUNK_ROWS = 8192;

/**
 * An autoencoder with its weights; see module doc. `spec` is a dense spec or a layer spec
 * (convolutional); both take and give flat rows of inputDim values.
 */
export class AutoencoderModel {
  history: EpochRecord[] = [];
  training: TrainingConfig | undefined;
  /** How `create` set the output bias (recorded in the training config by `fit`). */
  outputBiasInit: 'zero' | 'mean' = 'zero';
  /** Dead and constant code units on the training rows, when checked (model.json `codeCheck`). */
  codeCheck: CodeCheck | undefined;
  /**
   * The anomaly threshold fitted on the training rows for these weights (model.json `anomaly`),
   * when asked for; saveModel writes it and loadModel reads it back.
   */
  anomaly: AnomalyRecord | undefined;
  private sessions = new Map<'encoder' | 'decoder', Promise<Session>>();

  constructor(
    readonly spec: NetSpec,
    private weights: Float32Array[],
    readonly scaling: Scaling,
    readonly seed: number,
    private readonly sessionOptions: SessionOptions = {},
  ) {
    if (!isLayerSpec(spec)) validateSpec(spec);
    const infos = paramInfos(spec);
    if (weights.length !== infos.length) {
      throw new ShapeError(`model needs ${infos.length} parameter arrays, got ${weights.length}`);
    }
    infos.forEach((p, i) => {
      const n = p.shape.reduce((a, b) => a * b, 1);
      if (weights[i].length !== n)
        throw new ShapeError(`parameter ${p.name} needs ${n} values, got ${weights[i].length}`);
    });
  }

  /**
   * A freshly initialised model: Glorot-uniform kernels and zero biases (Keras), seeded; with
   * `outputBiasMean` (the training rows' column means in data units, e.g. from linalg/scatter.ts
   * `groupMeans`), the output bias instead starts at that mean after scaling, mapped through the
   * output activation's inverse (nn/init.ts `outputBiasForMean`). A convolutional output
   * layer has one bias per channel, so it starts at the mean of that channel's values.
   * @throws ShapeError when `outputBiasMean` does not have inputDim values
   */
  static create(
    spec: NetSpec,
    opts: {
      seed?: number;
      scaling?: Scaling;
      threads?: number;
      outputBiasMean?: ArrayLike<number>;
    } = {},
  ): AutoencoderModel {
    const seed = opts.seed ?? 0;
    const scaling = opts.scaling ?? { kind: 'none' };
    const params = initParams(spec, new Rng(seed));
    const mean = opts.outputBiasMean;
    if (mean !== undefined) {
      const d = inputSize(spec);
      if (mean.length !== d)
        throw new ShapeError(`outputBiasMean must have ${d} values (inputDim), got ${mean.length}`);
      const { off, div } = scalingAffine(scaling, d, 'outputBiasMean');
      const scaled = Float64Array.from({ length: d }, (_, j) => (mean[j] - off[j]) / div[j]);
      const channels = params[params.length - 1].length;
      const per = d / channels;
      // Rows are channel-major (C, H, W): channel c holds values [c * per, (c + 1) * per).
      const target =
        channels === d
          ? scaled
          : Float64Array.from({ length: channels }, (_, c) => {
              let s = 0;
              for (let j = c * per; j < (c + 1) * per; j++) s += scaled[j];
              return s / per;
            });
      params[params.length - 1] = outputBiasForMean(outputActivation(spec), target);
    }
    const model = new AutoencoderModel(spec, params, scaling, seed, { threads: opts.threads });
    if (mean !== undefined) model.outputBiasInit = 'mean';
    return model;
  }

  /** Input size. */
  get inputDim(): number {
    return inputSize(this.spec);
  }

  /** Code size. */
  get latentDim(): number {
    return latentDim(this.spec);
  }

  /** The parameters in paramInfos order (shared, not copied). */
  get params(): readonly Float32Array[] {
    return this.weights;
  }

  /** Replaces the parameters (the trainer's hand-off); drops cached sessions. */
  setParams(next: Float32Array[]): void {
    this.weights = next;
    this.dropSessions();
  }

  /** encoder.onnx bytes for the current weights. */
  encoderOnnx(): Uint8Array {
    return encoderModel(this.spec, this.weights, this.scaling);
  }

  /** decoder.onnx bytes for the current weights. */
  decoderOnnx(): Uint8Array {
    return decoderModel(this.spec, this.weights, this.scaling);
  }

  /** Whether this is a VAE (its encoder also gives log σ²; `code` is the mean μ). */
  get variational(): boolean {
    return isVariational(this.spec);
  }

  /**
   * A VAE's log σ² for the rows of `x` (data units): encoder.onnx's second output.
   * @throws ConfigError when the model is not variational, ShapeError
   */
  async encodeLogvar(x: Matrix32): Promise<Matrix32> {
    if (!this.variational)
      throw new ConfigError(
        'encodeLogvar: this model is not variational (trained without --variational); it has codes only',
      );
    checkMatrix('encode input', x, { cols: this.inputDim, minRows: 0 });
    const io = { input: ENCODER_IO.input, output: LOGVAR_OUTPUT };
    return this.runChunked('encoder', x, io, this.latentDim);
  }

  /** Codes of the rows of `x` (data units); a VAE's are the means μ. @throws ShapeError */
  async encode(x: Matrix32): Promise<Matrix32> {
    checkMatrix('encode input', x, { cols: this.inputDim, minRows: 0 });
    return this.runChunked('encoder', x, ENCODER_IO, this.latentDim);
  }

  /** Reconstructions (data units) of the codes `z`. @throws ShapeError */
  async decode(z: Matrix32): Promise<Matrix32> {
    checkMatrix('decode input', z, { cols: this.latentDim, minRows: 0 });
    return this.runChunked('decoder', z, DECODER_IO, this.inputDim);
  }

  /** decode(encode(x)). */
  async reconstruct(x: Matrix32): Promise<Matrix32> {
    return this.decode(await this.encode(x));
  }

  private session(which: 'encoder' | 'decoder'): Promise<Session> {
    let s = this.sessions.get(which);
    if (!s) {
      s = Session.create(
        which === 'encoder' ? this.encoderOnnx() : this.decoderOnnx(),
        this.sessionOptions,
      );
      this.sessions.set(which, s);
    }
    return s;
  }

  private async runChunked(
    which: 'encoder' | 'decoder',
    x: Matrix32,
    io: { input: string; output: string },
    outCols: number,
  ): Promise<Matrix32> {
    const out = new Float32Array(x.rows * outCols);
    if (x.rows === 0) return matrix(0, outCols, out);
    const s = await this.session(which);
    const chunk = rowsPerCall(this.spec, CHUNK_ROWS);
    for (let r0 = 0; r0 < x.rows; r0 += chunk) {
      const r1 = Math.min(x.rows, r0 + chunk);
      const input = new RtTensor(x.data.subarray(r0 * x.cols, r1 * x.cols), [r1 - r0, x.cols]);
      const res = await s.run({ [io.input]: input });
      out.set(res[io.output].data as Float32Array, r0 * outCols);
    }
    return matrix(x.rows, outCols, out);
  }

  private dropSessions(): void {
    const old = [...this.sessions.values()];
    this.sessions.clear();
    for (const s of old) void s.then((x) => x.dispose()).catch(() => undefined);
  }

  /** Releases onnxruntime sessions. */
  async dispose(): Promise<void> {
    const old = [...this.sessions.values()];
    this.sessions.clear();
    for (const s of old) await (await s).dispose();
  }
}
