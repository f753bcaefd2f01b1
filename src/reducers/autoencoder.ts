/**
 * The autoencoder as a reducer: the same fit / transform / inverseTransform / toJSON interface
 * as PCA, LDA, LLE and Isomap, over the engine's AutoencoderModel. Differences from a Keras or
 * PyTorch hand-written AE: the data scaling is fitted with the model and folded into the saved
 * encoder.onnx / decoder.onnx, so transform() takes data in its own units; `save(dir)` writes
 * the model folder any ONNX runtime can use; training is seeded and deterministic.
 */
import { DataError, NotFittedError } from '../errors.js';
import type { ScalingKind } from '../data/scaling.js';
import { parseActivation, type Activation } from '../nn/activation.js';
import { parseLoss, type LossName } from '../nn/loss.js';
import { checkInt, checkNumber, checkOneOf } from '../util/check.js';
import type { Matrix32 } from '../util/matrix.js';
import type { AutoencoderModel, EpochRecord } from '../train/model.js';
import { deserializeModel, loadModel, saveModel, serializeModel } from '../train/persist.js';
import type { CodeCheck } from '../train/code-check.js';
import { checkModelCodes, prepareAutoencoder } from '../train/setup.js';
import { fit, type TrainProgress } from '../train/trainer.js';
import { checkData } from './common.js';
import { REDUCER_JSON_VERSION, type Reducer, type ReducerJSON } from './reducer.js';

/** Options of the Autoencoder reducer (scikit-learn-style camelCase names). */
export interface AutoencoderOptions {
  /** Code size (default 2). */
  nComponents?: number;
  /** Hidden encoder sizes before the code; the decoder mirrors them (default [] = shallow AE). */
  hiddenLayers?: number[];
  /** Hidden activation (default relu). */
  activation?: Activation;
  /** Code activation (default linear: a ReLU code unit can die, 0 for every row). */
  codeActivation?: Activation;
  /** Output activation (default: sigmoid when the scaled data lie in [0, 1], else linear). */
  outputActivation?: Activation;
  /** Default 10. */
  epochs?: number;
  /** Default 32. */
  batchSize?: number;
  /** Default 0.001 (adam) or 0.01 (sgd). */
  learningRate?: number;
  /** 'adam' (default) or 'sgd'. */
  optimizer?: 'adam' | 'sgd';
  /** 'mse' (default) or 'bce'. */
  loss?: LossName;
  /** Input scaling fitted on the training data (default 'minmax'). */
  scaling?: ScalingKind;
  /** Start of the output bias: 'mean' (default: the mean training row, as `aedr train`; keeps output units from starting dead) or 'zero' (Keras). */
  outputBias?: 'zero' | 'mean';
  /** Seeds weights and shuffling (default 0). */
  seed?: number;
  /** onnxruntime threads (default all cores). */
  threads?: number;
  /** Called after every chunk of batches. */
  onProgress?: (p: TrainProgress) => void;
}

/**
 * Autoencoder dimensionality reduction.
 * @example
 * const ae = new Autoencoder({ nComponents: 10, epochs: 5 });
 * const z = await ae.fitTransform(x); // x: n x d in data units -> z: n x 10
 */
export class Autoencoder implements Reducer {
  readonly name = 'autoencoder';
  readonly options: Readonly<AutoencoderOptions>;
  private model: AutoencoderModel | undefined;

  /** @throws ConfigError on an option out of range. */
  constructor(options: AutoencoderOptions = {}) {
    const o = { ...options };
    checkInt('nComponents', o.nComponents ?? 2, 1);
    for (const h of o.hiddenLayers ?? []) checkInt('hiddenLayers[]', h, 1);
    for (const a of [o.activation, o.codeActivation, o.outputActivation])
      if (a !== undefined) parseActivation(a);
    checkInt('epochs', o.epochs ?? 10, 1);
    checkInt('batchSize', o.batchSize ?? 32, 1);
    if (o.learningRate !== undefined)
      checkNumber('learningRate', o.learningRate, 0, Infinity, { exclusiveMin: true });
    checkOneOf('optimizer', o.optimizer ?? 'adam', ['adam', 'sgd']);
    parseLoss(o.loss ?? 'mse');
    checkOneOf('outputBias', o.outputBias ?? 'mean', ['zero', 'mean']);
    checkOneOf('scaling', o.scaling ?? 'minmax', ['none', 'divide255', 'minmax', 'standardize']);
    this.options = Object.freeze(o);
  }

  /** Wraps an already trained model (e.g. from loadModel). */
  static fromModel(model: AutoencoderModel): Autoencoder {
    const ae = new Autoencoder({ nComponents: model.latentDim });
    ae.model = model;
    return ae;
  }

  /** The trained engine model. @throws NotFittedError */
  get trained(): AutoencoderModel {
    if (!this.model) throw new NotFittedError('Autoencoder is not fitted; call fit(x) first');
    return this.model;
  }

  /** Dead and constant code units on the training rows after fit (undefined for a loaded model saved without the check). */
  get codeCheck(): CodeCheck | undefined {
    return this.trained.codeCheck;
  }

  /** Training history of the fit (one entry per epoch). */
  get history(): EpochRecord[] {
    return this.trained.history;
  }

  /** Trains a new model on x (labels are ignored). @throws ShapeError, DataError, ConfigError, TrainingDivergedError */
  async fit(x: Matrix32): Promise<this> {
    checkData('Autoencoder fit x', x, { minRows: 2 });
    const o = this.options;
    const { model, optimizer, loss } = prepareAutoencoder(x, {
      layers: [...(o.hiddenLayers ?? []), o.nComponents ?? 2],
      activation: o.activation,
      codeActivation: o.codeActivation,
      outputActivation: o.outputActivation,
      scaling: o.scaling ?? 'minmax',
      outputBias: o.outputBias ?? 'mean',
      optimizer: o.optimizer,
      learningRate: o.learningRate,
      loss: o.loss,
      seed: o.seed ?? 0,
      threads: o.threads,
    });
    const batchSize = Math.min(o.batchSize ?? 32, x.rows);
    await fit(model, x, {
      epochs: o.epochs ?? 10,
      batchSize,
      optimizer,
      loss,
      threads: o.threads,
      onProgress: o.onProgress,
    });
    await checkModelCodes(model, x);
    await this.model?.dispose();
    this.model = model;
    return this;
  }

  /** Codes of the rows of x. @throws NotFittedError, ShapeError */
  async transform(x: Matrix32): Promise<Matrix32> {
    return this.trained.encode(x);
  }

  /** fit(x) then transform(x). */
  async fitTransform(x: Matrix32): Promise<Matrix32> {
    await this.fit(x);
    return this.transform(x);
  }

  /** Reconstructions (data units) of codes z. @throws NotFittedError, ShapeError */
  async inverseTransform(z: Matrix32): Promise<Matrix32> {
    return this.trained.decode(z);
  }

  /** Writes the model folder (encoder.onnx, decoder.onnx, model.json). */
  save(dir: string): void {
    saveModel(this.trained, dir);
  }

  /** JSON form: options plus the model folder's three files (ONNX as base64). */
  toJSON(): ReducerJSON {
    const { onProgress: _drop, ...options } = this.options;
    if (!this.model)
      return { kind: 'autoencoder', version: REDUCER_JSON_VERSION, options, state: null };
    const f = serializeModel(this.model);
    return {
      kind: 'autoencoder',
      version: REDUCER_JSON_VERSION,
      options,
      state: {
        modelJson: JSON.stringify(f.manifest),
        encoderOnnx: Buffer.from(f.encoder).toString('base64'),
        decoderOnnx: Buffer.from(f.decoder).toString('base64'),
      },
    };
  }

  /** Restores from `toJSON()`. @throws DataError, ModelFormatError */
  static fromJSON(json: ReducerJSON): Autoencoder {
    const ae = new Autoencoder(json.options as AutoencoderOptions);
    if (json.state === null) return ae;
    const s = json.state;
    for (const k of ['modelJson', 'encoderOnnx', 'decoderOnnx']) {
      if (typeof s[k] !== 'string')
        throw new DataError(`expected a string, got ${typeof s[k]}`, { field: `state.${k}` });
    }
    ae.model = deserializeModel(
      {
        modelJson: s.modelJson as string,
        encoder: Buffer.from(s.encoderOnnx as string, 'base64'),
        decoder: Buffer.from(s.decoderOnnx as string, 'base64'),
      },
      'autoencoder JSON',
      { threads: ae.options.threads },
    );
    return ae;
  }

  /** Loads a saved model folder as a fitted reducer. @throws ModelFormatError */
  static load(dir: string, opts: { threads?: number } = {}): Autoencoder {
    return Autoencoder.fromModel(loadModel(dir, opts));
  }

  /** Releases onnxruntime sessions. */
  async dispose(): Promise<void> {
    await this.model?.dispose();
  }
}
