/**
 * Parametric UMAP (Sainburg, McInnes & Gentner 2021, Neural Computation 33(11),
 * doi:10.1162/neco_a_01434), after umap-learn 0.5's `ParametricUMAP`: UMAP's fuzzy graph of the
 * training rows (pumap-edges.ts, the code umap.ts uses), then an encoder network trained on
 * aedr's engine with UMAP's cross-entropy over edges sampled by weight and negative pairs from
 * the same batch (train/pumap-graph.ts), optionally plus a decoder's reconstruction loss
 * (`autoencoderLoss`, umap-learn's `autoencoder_loss` with `parametric_reconstruction`).
 * `transform` is one forward pass of the encoder, the same ONNX graph the model folder saves.
 * The same seed and thread count give the same weights.
 * Differences from umap-learn: the kNN is exact (umap-learn uses NN-descent); the data scaling
 * (default minmax) is fitted with the model and folded into the encoder, so rows go in in their
 * own units; an epoch draws as many edges as the graph has, by weight, where umap-learn makes one
 * pass over each edge repeated ⌊200·w / max w⌋ times; the optimiser is Adam with Keras'
 * defaults as umap-learn's (learning rate 1e-3), batch 1000; no landmark loss, no global
 * correlation loss, no spectral-embedding pretraining.
 */
import { ConfigError, ModelFormatError } from '../errors.js';
import {
  scalingAffine,
  applyScaling,
  fitScaling,
  SCALING_KINDS,
  type Scaling,
  type ScalingKind,
} from '../data/scaling.js';
import type { BackendOption, ComputeBackend } from '../linalg/backend.js';
import { parseActivation, type Activation } from '../nn/activation.js';
import {
  initParams,
  isLayerSpec,
  type AutoencoderSpec,
  type LayerSpec,
} from '../nn/autoencoder-spec.js';
import { parseLoss, type LossName } from '../nn/loss.js';
import { adam } from '../optim/adam.js';
import { RtTensor, Session } from '../runtime/session.js';
import { AutoencoderModel } from '../train/model.js';
import { loadModel, saveModel } from '../train/persist.js';
import { decoderModel, DECODER_IO, encoderModel, ENCODER_IO } from '../train/inference-graph.js';
import { checkInt, checkNumber, checkOneOf } from '../util/check.js';
import { matrix, type Matrix32 } from '../util/matrix.js';
import { Rng } from '../util/rng.js';
import { checkData, fitted, splitBackend } from './common.js';
import { umapEdges } from './pumap-edges.js';
import { trainPumap } from './pumap-train.js';
import { savedForm, type Reducer, type ReducerJSON } from './reducer.js';
import { findAbParams } from './umap-curve.js';
import { readPumapState, writePumapState, type PumapState } from './pumap-state.js';

/** Options of ParametricUMAP, named after umap-learn's. */
export interface ParametricUMAPOptions {
  /** Neighbours per point, the point itself included (as umap-learn); default 15. */
  nNeighbors?: number;
  /** Output dimensions; default 2. */
  nComponents?: number;
  /** Smallest distance between embedded points; 0 <= minDist <= spread; default 0.1. */
  minDist?: number;
  /** Scale of the embedded clusters; default 1. */
  spread?: number;
  /** Epochs, each drawing as many edges as the graph has (see the module doc); default 10. */
  nEpochs?: number;
  /** Negative pairs per edge; default 5. */
  negativeSampleRate?: number;
  /** Weight of the repulsive terms; default 1. */
  repulsionStrength?: number;
  /** 'euclidean' (default) or 'cosine'. */
  metric?: 'euclidean' | 'cosine';
  /** Hidden encoder layer sizes (the decoder mirrors them); default umap-learn's [100, 100, 100]. */
  hiddenLayers?: number[];
  /** Hidden activation; default relu (umap-learn's). */
  activation?: Activation;
  /**
   * The hidden encoder layers as the autoencoders' dense layer specs ({ units, activation } each,
   * nn/autoencoder-spec.ts), instead of hiddenLayers + activation; the decoder mirrors them.
   */
  encoderLayers?: LayerSpec[];
  /** Edges per step; default 1000 (umap-learn's), at most the graph's edge count. */
  batchSize?: number;
  /** Adam's learning rate; default 0.001 (umap-learn's). */
  learningRate?: number;
  /** Also train a decoder on the head rows' reconstruction (umap-learn's autoencoder_loss); default false. */
  autoencoderLoss?: boolean;
  /** Weight of the reconstruction loss; default 1 (umap-learn's parametric_reconstruction_loss_weight). */
  reconstructionWeight?: number;
  /** 'bce' (default, with a sigmoid output, as umap-learn's) or 'mse' (linear output). */
  reconstructionLoss?: LossName;
  /** Input scaling fitted on the training rows; default 'minmax'. */
  scaling?: ScalingKind;
  /** Seeds the weights and every draw; default 0. */
  seed?: number;
  /** Training steps per onnxruntime call; default 50. */
  stepsPerCall?: number;
  /** onnxruntime threads (default all cores). */
  threads?: number;
  /** false: idle onnxruntime threads sleep instead of spin-waiting. */
  spin?: boolean;
  /** Called after every call of the training graph. */
  onProgress?: (p: { epoch: number; step: number; steps: number; loss: number }) => void;
}

/** Rows per inference call. */
const CHUNK_ROWS = 8192;

/**
 * Parametric UMAP: an encoder network trained with UMAP's loss.
 * @example
 * const pumap = new ParametricUMAP({ nEpochs: 10, seed: 1 });
 * await pumap.fit(x); // x: n x d, data units
 * const z = await pumap.transform(xNew); // one forward pass: m x 2
 */
export class ParametricUMAP implements Reducer {
  readonly name = 'pumap';
  readonly options: Readonly<ParametricUMAPOptions>;
  /** The kNN's backend (not saved). */
  readonly backend: ComputeBackend;
  private state: PumapState | undefined;
  private sessions = new Map<'encoder' | 'decoder', Promise<Session>>();

  /** @throws ConfigError on an option out of range. */
  constructor(options: ParametricUMAPOptions & BackendOption = {}) {
    const { backend, options: o } = splitBackend(options);
    this.backend = backend;
    checkInt('nNeighbors', o.nNeighbors ?? 15, 2);
    checkInt('nComponents', o.nComponents ?? 2, 1);
    const spread = checkNumber('spread', o.spread ?? 1, 0, Infinity, { exclusiveMin: true });
    checkNumber('minDist', o.minDist ?? 0.1, 0, spread);
    checkInt('nEpochs', o.nEpochs ?? 10, 1);
    checkInt('negativeSampleRate', o.negativeSampleRate ?? 5, 0);
    checkNumber('repulsionStrength', o.repulsionStrength ?? 1, 0);
    checkOneOf('metric', o.metric ?? 'euclidean', ['euclidean', 'cosine'] as const);
    for (const h of o.hiddenLayers ?? []) checkInt('hiddenLayers[]', h, 1);
    (o.encoderLayers ?? []).forEach((l, i) => {
      checkInt(`encoderLayers[${i}].units`, l.units, 1);
      parseActivation(l.activation, `encoderLayers[${i}].activation`);
    });
    parseActivation(o.activation ?? 'relu', 'activation');
    checkInt('batchSize', o.batchSize ?? 1000, 1);
    checkNumber('learningRate', o.learningRate ?? 0.001, 0, Infinity, { exclusiveMin: true });
    checkNumber('reconstructionWeight', o.reconstructionWeight ?? 1, 0);
    parseLoss(o.reconstructionLoss ?? 'bce');
    checkOneOf('scaling', o.scaling ?? 'minmax', SCALING_KINDS);
    checkInt('seed', o.seed ?? 0, -(2 ** 53), 2 ** 53);
    checkInt('stepsPerCall', o.stepsPerCall ?? 50, 1);
    this.options = Object.freeze(o);
  }

  /** The network: hidden layers, a linear code, and with autoencoderLoss the mirrored decoder. */
  private spec(inputDim: number): AutoencoderSpec {
    const o = this.options;
    const act = o.activation ?? 'relu';
    const hidden =
      o.encoderLayers?.map((l) => ({ ...l })) ??
      (o.hiddenLayers ?? [100, 100, 100]).map((units) => ({ units, activation: act }));
    const encoder = [...hidden, { units: o.nComponents ?? 2, activation: 'linear' as const }];
    const decoder = o.autoencoderLoss
      ? [
          ...[...hidden].reverse(),
          {
            units: inputDim,
            activation:
              (o.reconstructionLoss ?? 'bce') === 'bce'
                ? ('sigmoid' as const)
                : ('linear' as const),
          },
        ]
      : [];
    return { inputDim, encoder, decoder };
  }

  /**
   * Builds the UMAP graph of x and trains the network on it.
   * @throws ConfigError (nNeighbors >= n), DataError (NaN/Inf; a zero row under
   * 'cosine'), ShapeError, TrainingDivergedError
   */
  async fit(x: Matrix32): Promise<this> {
    checkData('ParametricUMAP fit x', x, { minRows: 2 });
    const o = this.options;
    const edges = await umapEdges(x, o.nNeighbors ?? 15, o.metric ?? 'euclidean', this.backend);
    // A graph with fewer edges than a batch trains on batches of all its edges' size.
    const batchSize = Math.min(o.batchSize ?? 1000, edges.weight.length);
    const scaling = fitScaling(o.scaling ?? 'minmax', x);
    const data = applyScaling(scaling, x);
    const spec = this.spec(x.cols);
    const seed = o.seed ?? 0;
    const { a, b } = findAbParams(o.spread ?? 1, o.minDist ?? 0.1);
    const res = await trainPumap(
      spec,
      initParams(spec, new Rng(seed)),
      data,
      edges,
      adam({ learningRate: o.learningRate ?? 0.001 }),
      {
        a,
        b,
        repulsionStrength: o.repulsionStrength ?? 1,
        negativeSampleRate: o.negativeSampleRate ?? 5,
      },
      o.autoencoderLoss
        ? { loss: o.reconstructionLoss ?? 'bce', weight: o.reconstructionWeight ?? 1 }
        : undefined,
      {
        nEpochs: o.nEpochs ?? 10,
        batchSize,
        stepsPerCall: o.stepsPerCall ?? 50,
        seed,
        threads: o.threads,
        spin: o.spin,
        onProgress: o.onProgress,
      },
    );
    await this.dropSessions();
    this.state = {
      spec,
      params: res.params,
      scaling,
      a,
      b,
      epochLosses: res.epochLosses,
      trainRows: x.rows,
    };
    if (o.autoencoderLoss) this.state.trainMse = await this.scaledMse(x);
    return this;
  }

  /** Codes of the rows of x: one forward pass of the encoder. @throws NotFittedError, ShapeError, DataError */
  async transform(x: Matrix32): Promise<Matrix32> {
    const s = fitted(this.state, 'ParametricUMAP');
    checkData('ParametricUMAP transform x', x, { cols: s.spec.inputDim, minRows: 0 });
    return this.run('encoder', x, s.spec.encoder[s.spec.encoder.length - 1].units);
  }

  /** fit(x) then transform(x). */
  async fitTransform(x: Matrix32): Promise<Matrix32> {
    await this.fit(x);
    return this.transform(x);
  }

  /**
   * Rows (data units) decoded from codes z; only for a model trained with autoencoderLoss.
   * @throws NotFittedError, ConfigError (no decoder), ShapeError
   */
  async inverseTransform(z: Matrix32): Promise<Matrix32> {
    const s = fitted(this.state, 'ParametricUMAP');
    if (!this.hasDecoder) {
      throw new ConfigError(
        'ParametricUMAP.inverseTransform needs a decoder: fit with autoencoderLoss: true',
      );
    }
    checkData('ParametricUMAP inverseTransform z', z, { cols: this.codeDim, minRows: 0 });
    return this.run('decoder', z, s.spec.inputDim);
  }

  /** Whether a decoder was trained (autoencoderLoss). @throws NotFittedError */
  get hasDecoder(): boolean {
    return fitted(this.state, 'ParametricUMAP').spec.decoder.length > 0;
  }

  /** The code size. @throws NotFittedError */
  get codeDim(): number {
    const e = fitted(this.state, 'ParametricUMAP').spec.encoder;
    return e[e.length - 1].units;
  }

  /** Mean training loss of each epoch. @throws NotFittedError */
  get epochLosses(): readonly number[] {
    return fitted(this.state, 'ParametricUMAP').epochLosses;
  }

  /** The fitted curve parameters a, b of 1 / (1 + a·d^(2b)). @throws NotFittedError */
  get curve(): { a: number; b: number } {
    const s = fitted(this.state, 'ParametricUMAP');
    return { a: s.a, b: s.b };
  }

  /** The fitted network, weights (paramInfos order) and scaling. @throws NotFittedError */
  get network(): { spec: AutoencoderSpec; params: readonly Float32Array[]; scaling: Scaling } {
    const s = fitted(this.state, 'ParametricUMAP');
    return { spec: s.spec, params: s.params, scaling: s.scaling };
  }

  /** encoder.onnx bytes (scaling folded in). @throws NotFittedError */
  encoderOnnx(): Uint8Array {
    const s = fitted(this.state, 'ParametricUMAP');
    return encoderModel(s.spec, s.params, s.scaling);
  }

  /** decoder.onnx bytes (inverse scaling folded in). @throws NotFittedError, ConfigError without a decoder */
  decoderOnnx(): Uint8Array {
    const s = fitted(this.state, 'ParametricUMAP');
    if (!this.hasDecoder)
      throw new ConfigError('this ParametricUMAP has no decoder (fit with autoencoderLoss: true)');
    return decoderModel(s.spec, s.params, s.scaling);
  }

  /** MSE per element, in scaled units, of the reconstructions of x (the trainer's trainMse). */
  private async scaledMse(x: Matrix32): Promise<number> {
    const s = fitted(this.state, 'ParametricUMAP');
    const back = await this.inverseTransform(await this.transform(x));
    const { div } = scalingAffine(s.scaling, x.cols, 'ParametricUMAP');
    let sum = 0;
    for (let i = 0; i < x.data.length; i++)
      sum += ((back.data[i] - x.data[i]) / div[i % x.cols]) ** 2;
    return sum / x.data.length;
  }

  /**
   * Writes the model folder (encoder.onnx, decoder.onnx, model.json with
   * `training.parametricUmap`), which `aedr encode`, `decode` and `serve` read like an
   * autoencoder's; the folder format needs a decoder, so only a model fitted with
   * autoencoderLoss can be saved this way (toJSON saves any).
   * @throws NotFittedError, ConfigError (no decoder)
   */
  save(dir: string): void {
    const s = fitted(this.state, 'ParametricUMAP');
    if (!this.hasDecoder) {
      throw new ConfigError(
        'ParametricUMAP.save writes a model folder, which holds a decoder: fit with autoencoderLoss: true, or save toJSON() instead',
      );
    }
    const o = this.options;
    const model = new AutoencoderModel(s.spec, s.params, s.scaling, o.seed ?? 0);
    const last = s.epochLosses[s.epochLosses.length - 1] ?? NaN;
    model.history = [
      {
        epoch: s.epochLosses.length,
        trainLoss: last,
        trainMse: s.trainMse ?? NaN,
        seconds: 0,
        evalSeconds: 0,
      },
    ];
    model.training = {
      epochs: o.nEpochs ?? 10,
      batchSize: o.batchSize ?? 1000,
      loss: o.reconstructionLoss ?? 'bce',
      optimizer: adam({ learningRate: o.learningRate ?? 0.001 }).config,
      seed: o.seed ?? 0,
      trainSize: s.trainRows,
      epochsRun: s.epochLosses.length,
      stopReason: 'completed',
      parametricUmap: {
        nNeighbors: o.nNeighbors ?? 15,
        minDist: o.minDist ?? 0.1,
        spread: o.spread ?? 1,
        metric: o.metric ?? 'euclidean',
        negativeSampleRate: o.negativeSampleRate ?? 5,
        repulsionStrength: o.repulsionStrength ?? 1,
        reconstructionWeight: o.reconstructionWeight ?? 1,
        a: s.a,
        b: s.b,
        epochLosses: s.epochLosses,
      },
    };
    saveModel(model, dir);
  }

  /**
   * Loads a model folder written by `save` (or `aedr pumap`) as a fitted ParametricUMAP.
   * @throws ModelFormatError (not a folder, corrupt, or not trained as parametric UMAP)
   */
  static load(dir: string, opts: { threads?: number; spin?: boolean } = {}): ParametricUMAP {
    const m = loadModel(dir, opts);
    const t = m.training;
    const pu = t?.parametricUmap;
    if (t === undefined || pu === undefined || isLayerSpec(m.spec)) {
      throw new ModelFormatError(
        'model.json has no training.parametricUmap: this folder holds an autoencoder, not a parametric UMAP; load it with Autoencoder.load',
        { file: dir },
      );
    }
    const hidden = m.spec.encoder.slice(0, -1);
    return ParametricUMAP.fromParts(
      {
        spec: m.spec,
        params: [...m.params],
        scaling: m.scaling,
        a: pu.a,
        b: pu.b,
        epochLosses: pu.epochLosses,
        trainRows: t.trainSize,
        ...(m.history.length > 0 ? { trainMse: m.history[m.history.length - 1].trainMse } : {}),
      },
      {
        nNeighbors: pu.nNeighbors,
        nComponents: m.latentDim,
        minDist: pu.minDist,
        spread: pu.spread,
        metric: pu.metric,
        negativeSampleRate: pu.negativeSampleRate,
        repulsionStrength: pu.repulsionStrength,
        encoderLayers: hidden.map((l) => ({ ...l })),
        nEpochs: t.epochs,
        batchSize: t.batchSize,
        learningRate: t.optimizer.learningRate,
        autoencoderLoss: true,
        reconstructionWeight: pu.reconstructionWeight,
        reconstructionLoss: t.loss,
        scaling: m.scaling.kind,
        seed: t.seed,
        ...opts,
      },
    );
  }

  private session(which: 'encoder' | 'decoder'): Promise<Session> {
    let s = this.sessions.get(which);
    if (!s) {
      const bytes = which === 'encoder' ? this.encoderOnnx() : this.decoderOnnx();
      s = Session.create(bytes, { threads: this.options.threads, spin: this.options.spin });
      this.sessions.set(which, s);
    }
    return s;
  }

  private async run(which: 'encoder' | 'decoder', x: Matrix32, outCols: number): Promise<Matrix32> {
    const out = new Float32Array(x.rows * outCols);
    if (x.rows === 0) return matrix(0, outCols, out);
    const io = which === 'encoder' ? ENCODER_IO : DECODER_IO;
    const s = await this.session(which);
    for (let r0 = 0; r0 < x.rows; r0 += CHUNK_ROWS) {
      const r1 = Math.min(x.rows, r0 + CHUNK_ROWS);
      const input = Float32Array.from(x.data.subarray(r0 * x.cols, r1 * x.cols));
      const res = await s.run({ [io.input]: new RtTensor(input, [r1 - r0, x.cols]) });
      out.set(res[io.output].data as Float32Array, r0 * outCols);
    }
    return matrix(x.rows, outCols, out);
  }

  private async dropSessions(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    for (const s of all) await (await s).dispose();
  }

  /** Releases onnxruntime sessions (the model stays usable; they are made again on demand). */
  async dispose(): Promise<void> {
    await this.dropSessions();
  }

  /** Saved form: the network (dense spec), weights, scaling and curve; see reducer.ts. */
  toJSON(): ReducerJSON {
    const { onProgress: _drop, ...options } = this.options;
    return savedForm('pumap', options, this.state, writePumapState);
  }

  /** Restores a ParametricUMAP saved by toJSON. @throws DataError naming the bad field; ConfigError on bad options */
  static fromJSON(json: ReducerJSON, opts: BackendOption = {}): ParametricUMAP {
    const p = new ParametricUMAP({
      ...(json.options as ParametricUMAPOptions),
      backend: opts.backend,
    });
    if (json.state !== null) p.state = readPumapState(json.state);
    return p;
  }

  /** A fitted ParametricUMAP from its parts (a model folder's). */
  static fromParts(state: PumapState, options: ParametricUMAPOptions = {}): ParametricUMAP {
    const p = new ParametricUMAP(options);
    p.state = state;
    return p;
  }
}
