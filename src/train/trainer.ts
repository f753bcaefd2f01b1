/**
 * The training loop, after Keras' Model.fit: seeded shuffling each epoch, batches run K at a
 * time through the Loop training graph (step-graph.ts), Keras-style running loss, evaluated
 * train/test/validation MSE after every epoch, a learning-rate schedule (schedule.ts), early
 * stopping (early-stopping.ts), callbacks that can stop the run, cancellation by AbortSignal,
 * and a stop with TrainingDivergedError at the first non-finite loss, the model keeping the
 * weights of the last good step. Like Keras' fit, the last partial batch of an epoch is trained.
 *
 * With `checkpointDir`, every epoch ends by saving the model folder together with a checkpoint
 * (checkpoint.ts) in one atomic swap; `resumeFrom` continues such a run. Guarantee: with the
 * same data, seed and threads, a run resumed from any epoch's checkpoint ends with weights
 * bit-identical to the uninterrupted run (the state is restored bit for bit, the step graph is
 * deterministic, and the rate enters the graph as an input, so the same graph runs throughout).
 */
import { AedrError, ConfigError, TrainingDivergedError } from '../errors.js';
import { applyScaling } from '../data/scaling.js';
import { paramInfos } from '../nn/autoencoder-spec.js';
import { parseLoss, type LossName } from '../nn/loss.js';
import { adam } from '../optim/adam.js';
import { optimizerFromConfig } from '../optim/create.js';
import type { Optimizer } from '../optim/optimizer.js';
import { RtTensor, Session } from '../runtime/session.js';
import { checkFinite, checkInt, checkMatrix, checkNumber } from '../util/check.js';
import type { Matrix32 } from '../util/matrix.js';
import { Rng } from '../util/rng.js';
import {
  encodeCheckpoint,
  fingerprint,
  readCheckpoint,
  CHECKPOINT_BIN,
  CHECKPOINT_JSON,
  type CheckpointState,
  type Fingerprint,
  type RunSettings,
} from './checkpoint.js';
import {
  earlyStoppingAfterEpoch,
  initialEarlyStoppingState,
  resolveEarlyStopping,
  type EarlyStoppingOptions,
  type EarlyStoppingState,
} from './early-stopping.js';
import { evalModel } from './inference-graph.js';
import { AutoencoderModel, type EpochRecord, type StopReason } from './model.js';
import { recoverInterruptedSave, saveModel } from './persist.js';
import {
  epochLr,
  initialScheduleState,
  resolveSchedule,
  scheduleAfterEpoch,
  type LrScheduleOptions,
  type Monitor,
} from './schedule.js';
import { buildTrainGraph, nextName, type TrainGraph } from './step-graph.js';
import { splitValidation } from './validation.js';

/** Training was cancelled through the AbortSignal; the model holds the weights reached. */
export class TrainingCancelledError extends AedrError {
  constructor(readonly epoch: number) {
    super(`training was cancelled during epoch ${epoch}`);
  }
}

/** Progress within an epoch, reported after every chunk of batches. */
export interface TrainProgress {
  /** Epoch of this run (1-based; a resumed run continues the count). */
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  /** Running mean loss of the epoch so far. */
  loss: number;
}

/** What a callback receives besides the record or progress. */
export interface CallbackContext {
  /** The model, holding the weights reached (after onEpochEnd: that epoch's). */
  model: AutoencoderModel;
  /** Ends training: after this epoch from onEpochEnd, after these batches from onBatchEnd (the epoch is then evaluated and recorded, as Keras' stop_training). */
  stop(): void;
}

/** Callbacks of `fit`; a returned promise is awaited before training goes on. */
export interface FitCallbacks {
  /** After every epoch, once its record is in model.history. */
  onEpochEnd?: (record: EpochRecord, ctx: CallbackContext) => void | Promise<void>;
  /** After every chunk of batches (one onnxruntime call, `stepsPerCall` batches). */
  onBatchEnd?: (progress: TrainProgress, ctx: CallbackContext) => void | Promise<void>;
}

/** Options of `fit`. */
export interface FitOptions {
  /** Epoch limit (default 10); with `resumeFrom`, the limit of the whole run (default: the saved one; may be raised). */
  epochs?: number;
  /** Samples per step (default 32, as Keras). */
  batchSize?: number;
  /** Default Adam with Keras' defaults. */
  optimizer?: Optimizer;
  /** 'mse' (default) or 'bce'. */
  loss?: LossName;
  /** Seeds the shuffling and the validation split (default: the model's seed). */
  seed?: number;
  /** Intra-op threads (default all cores; with `resumeFrom`, the saved count). */
  threads?: number;
  /** Idle onnxruntime threads spin-wait for work (default true; false on a shared machine, see runtime/session.ts). */
  spin?: boolean;
  /** Test data in data units; its MSE is reported every epoch. */
  testData?: Matrix32;
  /** Holds out this fraction of the training rows (seeded, validation.ts) as validation data. */
  validationSplit?: number;
  /** Validation data in data units (instead of validationSplit). */
  validationData?: Matrix32;
  /** Stop when the monitored loss stops improving; the model ends with the best epoch's weights. `true`: the defaults. */
  earlyStopping?: EarlyStoppingOptions | boolean;
  /** Learning-rate schedule (default constant). */
  lrSchedule?: LrScheduleOptions;
  /** A model folder saved after every epoch, with the checkpoint that `resumeFrom` reads. */
  checkpointDir?: string;
  /** More files (name -> content) saved into checkpointDir with every checkpoint (e.g. the CLI's command). */
  checkpointFiles?: Record<string, string | Uint8Array>;
  /** Continue the run checkpointed in this model folder, with its saved settings; leave out batchSize, optimizer, loss, seed, validationSplit, earlyStopping and lrSchedule. Give the same training (and validation) data. */
  resumeFrom?: string;
  callbacks?: FitCallbacks;
  /** Stops training between chunks; fit then rejects with TrainingCancelledError. */
  signal?: AbortSignal;
  onProgress?: (p: TrainProgress) => void;
  /** Called as callbacks.onEpochEnd (kept for existing callers). */
  onEpochEnd?: (record: EpochRecord, model: AutoencoderModel) => void | Promise<void>;
  /** Batches per onnxruntime call (default: about 8192 samples' worth). */
  stepsPerCall?: number;
  /** Label recorded in the model's training config (e.g. 'mnist'). */
  dataName?: string;
}

/** Parameters and optimiser slots between chunks. */
export interface State {
  params: Float32Array[];
  slots: Float32Array[][];
}

const RESUME_FIXED = [
  'batchSize',
  'optimizer',
  'loss',
  'seed',
  'validationSplit',
  'earlyStopping',
  'lrSchedule',
] as const;

/** The run's settings from `opts`, or from the checkpoint when resuming. @throws ConfigError */
function runSettings(
  opts: FitOptions,
  saved: CheckpointState | undefined,
  model: AutoencoderModel,
): RunSettings {
  if (saved) {
    for (const k of RESUME_FIXED) {
      if (opts[k] !== undefined)
        throw new ConfigError(
          `resumeFrom continues with the checkpoint's settings; leave out ${k} (it was ${JSON.stringify(k === 'optimizer' ? saved.settings.optimizer : saved.settings[k === 'validationSplit' ? 'validation' : k])})`,
        );
    }
    const epochs = checkInt('epochs', opts.epochs ?? saved.settings.epochs, 1);
    return { ...saved.settings, epochs, threads: opts.threads ?? saved.settings.threads };
  }
  const epochs = checkInt('epochs', opts.epochs ?? 10, 1);
  const batchSize = checkInt('batchSize', opts.batchSize ?? 32, 1);
  if (opts.validationSplit !== undefined && opts.validationData !== undefined)
    throw new ConfigError('give validationSplit or validationData, not both');
  const validation =
    opts.validationSplit !== undefined
      ? {
          kind: 'split' as const,
          fraction: checkNumber('validationSplit', opts.validationSplit, 0, 0.999999, {
            exclusiveMin: true,
          }),
        }
      : opts.validationData !== undefined
        ? { kind: 'data' as const }
        : undefined;
  const hasValidation = validation !== undefined;
  const defaultMonitor: Monitor = hasValidation ? 'val_loss' : 'loss';
  const es = opts.earlyStopping;
  return {
    epochs,
    batchSize,
    loss: parseLoss(opts.loss ?? 'mse'),
    optimizer: (opts.optimizer ?? adam()).config,
    seed: opts.seed ?? model.seed,
    ...(opts.threads !== undefined ? { threads: opts.threads } : {}),
    stepsPerCall: checkInt(
      'stepsPerCall',
      opts.stepsPerCall ?? Math.max(1, Math.round(8192 / batchSize)),
      1,
    ),
    ...(validation ? { validation } : {}),
    ...(es !== undefined && es !== false
      ? {
          earlyStopping: resolveEarlyStopping(es === true ? {} : es, {
            defaultMonitor,
            hasValidation,
          }),
        }
      : {}),
    lrSchedule: resolveSchedule(opts.lrSchedule, { epochs, defaultMonitor, hasValidation }),
  };
}

function sameFingerprint(a: Fingerprint | undefined, b: Fingerprint | undefined): boolean {
  return a?.rows === b?.rows && a?.cols === b?.cols && a?.sha256 === b?.sha256;
}

/**
 * Trains `model` on `x` (rows in data units) and returns the history records of this call.
 * @example
 * const model = AutoencoderModel.create(stackSpec(64, [32, 2]), { seed: 1 });
 * const h = await fit(model, x, { epochs: 200, validationSplit: 0.1, earlyStopping: true });
 * model.training?.stopReason; // 'early-stopped' (or 'completed')
 * @throws ConfigError, ShapeError, DataError, ModelFormatError (resumeFrom), TrainingDivergedError, TrainingCancelledError
 */
export async function fit(
  model: AutoencoderModel,
  x: Matrix32,
  opts: FitOptions = {},
): Promise<EpochRecord[]> {
  checkMatrix('training data', x, { cols: model.inputDim, minRows: 1 });
  checkFinite('training data', x);
  for (const [name, m] of [
    ['test data', opts.testData],
    ['validation data', opts.validationData],
  ] as const) {
    if (m) {
      checkMatrix(name, m, { cols: model.inputDim, minRows: 1 });
      checkFinite(name, m);
    }
  }
  const infos = paramInfos(model.spec);
  let resumed: ReturnType<typeof readCheckpoint> | undefined;
  if (opts.resumeFrom !== undefined) {
    recoverInterruptedSave(opts.resumeFrom);
    resumed = readCheckpoint(
      opts.resumeFrom,
      infos.map((p) => p.shape.reduce((a, b) => a * b, 1)),
    );
  }
  const saved = resumed?.state;
  const settings = runSettings(opts, saved, model);
  const { epochs, batchSize, loss, seed, threads } = settings;
  const optimizer = optimizerFromConfig(settings.optimizer);
  const needPrint = opts.checkpointDir !== undefined || saved !== undefined;
  const dataPrint = needPrint ? fingerprint(x) : undefined;
  const valPrint = needPrint && opts.validationData ? fingerprint(opts.validationData) : undefined;
  if (saved) {
    if (!sameFingerprint(saved.data, dataPrint))
      throw new ConfigError(
        `resumeFrom: the training data differ from the checkpointed run's (${saved.data.rows} x ${saved.data.cols}, sha256 ${saved.data.sha256.slice(0, 12)}...); give the same data`,
      );
    if (saved.settings.validation?.kind === 'data' && !sameFingerprint(saved.validation, valPrint))
      throw new ConfigError(
        'resumeFrom: the run was validated on validationData; give the same validationData again',
      );
    if (saved.stopReason === 'early-stopped')
      throw new ConfigError(
        `resumeFrom: the run stopped early at epoch ${saved.startEpoch + saved.epochsDone} (patience ran out); there is nothing to resume`,
      );
    if (saved.epochsDone >= epochs)
      throw new ConfigError(
        `resumeFrom: the run has finished its ${saved.epochsDone} epochs; give epochs above ${saved.epochsDone} to train on`,
      );
  }
  const v = settings.validation;
  const parts =
    v?.kind === 'split'
      ? splitValidation(x, v.fraction, seed)
      : { train: x, val: v?.kind === 'data' ? opts.validationData : undefined };
  if (v?.kind === 'data' && parts.val === undefined)
    throw new ConfigError('resumeFrom: the run was validated on validationData; give it again');
  const trainRows = parts.train.rows;
  if (batchSize > trainRows)
    throw new ConfigError(
      `batchSize ${batchSize} exceeds the ${trainRows} training rows${v?.kind === 'split' ? ' left after the validation split' : ''}`,
    );
  const data = applyScaling(model.scaling, parts.train);
  const test = opts.testData ? applyScaling(model.scaling, opts.testData) : undefined;
  const val = parts.val ? applyScaling(model.scaling, parts.val) : undefined;
  const fullSteps = Math.floor(trainRows / batchSize);
  const rest = trainRows - fullSteps * batchSize;
  const es = settings.earlyStopping;
  const startEpoch = saved ? saved.startEpoch : model.history.length;
  if (saved) {
    model.history = saved.history.slice();
    model.training = { ...saved.training };
  }
  model.training = {
    epochs: startEpoch + epochs,
    batchSize,
    loss,
    optimizer: settings.optimizer,
    seed,
    threads,
    trainSize: trainRows,
    testSize: opts.testData?.rows,
    data: opts.dataName ?? model.training?.data,
    outputBias: model.training?.outputBias ?? model.outputBiasInit,
    ...(parts.val
      ? {
          validation:
            v?.kind === 'split'
              ? { kind: 'split', fraction: v.fraction, rows: parts.val.rows }
              : { kind: 'data', rows: parts.val.rows },
        }
      : {}),
    ...(es ? { earlyStopping: es } : {}),
    lrSchedule: settings.lrSchedule,
  };

  const main = buildTrainGraph(model.spec, optimizer, loss, batchSize);
  const sessions: Session[] = [];
  const open = async (bytes: Uint8Array): Promise<Session> => {
    const s = await Session.create(bytes, {
      threads,
      ...(opts.spin === false ? { spin: false } : {}),
    });
    sessions.push(s);
    return s;
  };
  const baseLr = settings.optimizer.learningRate;
  const rng = new Rng(seed);
  let state: State = {
    params: model.params.map((p) => p.slice()),
    slots: main.slotNames.map((names, i) =>
      names.map(() => new Float32Array(model.params[i].length)),
    ),
  };
  let step = 0;
  let done = 0;
  let sched = initialScheduleState(baseLr);
  let early: EarlyStoppingState | undefined = es ? initialEarlyStoppingState() : undefined;
  let best: Float32Array[] | undefined;
  if (resumed && saved) {
    state = { params: resumed.arrays.params, slots: resumed.arrays.slots };
    best = resumed.arrays.best;
    step = saved.step;
    done = saved.epochsDone;
    sched = saved.schedule;
    early = saved.early;
    rng.setState(saved.rng);
    model.setParams(state.params);
  }

  /** The folder's weights: the best epoch's with early stopping, else the last epoch's. */
  const keptWeights = (): Float32Array[] => (es && best ? best : state.params);
  let lastCheckpoint: { json: string; bin: Uint8Array; weights: Float32Array[] } | undefined;
  const writeFolder = (stopReason: StopReason | undefined, fresh: boolean): void => {
    if (opts.checkpointDir === undefined || dataPrint === undefined) return;
    // Mid-epoch state is no checkpoint: a stop before this run's first epoch ended leaves the folder.
    if (!fresh && !lastCheckpoint) return;
    if (fresh || !lastCheckpoint) {
      const ck = encodeCheckpoint(
        {
          format: 'aedr-checkpoint',
          formatVersion: 1,
          settings,
          epochsDone: done,
          step,
          startEpoch,
          rng: rng.getState(),
          schedule: sched,
          ...(early ? { early } : {}),
          ...(stopReason ? { stopReason } : {}),
          history: model.history,
          training: model.training!,
          data: dataPrint,
          ...(valPrint ? { validation: valPrint } : {}),
        },
        { params: state.params, slots: state.slots, ...(es && best ? { best } : {}) },
      );
      lastCheckpoint = { ...ck, weights: keptWeights() };
    }
    const shadow = new AutoencoderModel(
      model.spec,
      lastCheckpoint.weights,
      model.scaling,
      model.seed,
    );
    shadow.history = model.history;
    shadow.training = { ...model.training!, ...(stopReason ? { stopReason } : {}) };
    saveModel(shadow, opts.checkpointDir, {
      ...opts.checkpointFiles,
      [CHECKPOINT_JSON]: lastCheckpoint.json,
      [CHECKPOINT_BIN]: lastCheckpoint.bin,
    });
  };
  const finish = (reason: StopReason): void => {
    model.training = {
      ...model.training!,
      epochsRun: model.history.length - startEpoch,
      ...(es && early ? { bestEpoch: early.bestEpoch } : {}),
      stopReason: reason,
    };
  };

  let stopRequested = false;
  const ctx: CallbackContext = { model, stop: () => void (stopRequested = true) };
  try {
    const mainSession = await open(main.bytes);
    const tail = rest > 0 ? buildTrainGraph(model.spec, optimizer, loss, rest) : undefined;
    const tailSession = tail ? await open(tail.bytes) : undefined;
    const evalSession = await open(evalModel(model.spec, { bce: loss === 'bce' }));
    const dataTensor = new RtTensor(data.data, [data.rows, data.cols]);
    const records: EpochRecord[] = [];
    for (let e = done + 1; e <= epochs; e++) {
      const epoch = model.history.length + 1;
      const lr = epochLr(settings.lrSchedule, baseLr, e, sched);
      const t0 = performance.now();
      const perm = rng.permutation(trainRows);
      let lossSum = 0;
      let seen = 0;
      const batches = fullSteps + (rest > 0 ? 1 : 0);
      const runChunk = async (
        g: TrainGraph,
        s: Session,
        first: number,
        count: number,
        size: number,
      ): Promise<void> => {
        if (opts.signal?.aborted) {
          model.setParams(state.params);
          finish('cancelled');
          writeFolder('cancelled', false);
          throw new TrainingCancelledError(epoch);
        }
        const { next, losses } = await runSteps(
          g,
          s,
          dataTensor,
          perm,
          first * batchSize,
          count,
          size,
          step,
          state,
          optimizer,
          lr,
        );
        const bad = losses.findIndex((l) => !Number.isFinite(l));
        if (bad >= 0 || losses.length < count) {
          const good = bad >= 0 ? bad : losses.length;
          // Replay the good steps from the chunk's input weights: same batches, same scalars.
          if (good > 0)
            state = (
              await runSteps(
                g,
                s,
                dataTensor,
                perm,
                first * batchSize,
                good,
                size,
                step,
                state,
                optimizer,
                lr,
              )
            ).next;
          model.setParams(state.params);
          finish('diverged');
          writeFolder('diverged', false);
          throw new TrainingDivergedError(
            `training diverged: the loss became ${losses[good]} at epoch ${epoch}, batch ${first + good + 1}; the model keeps the weights of the last good step (try a lower learning rate)`,
            epoch,
            first + good + 1,
          );
        }
        for (const l of losses) lossSum += l * size;
        seen += count * size;
        state = next;
        step += count;
        const p: TrainProgress = {
          epoch: e,
          epochs,
          batch: first + count,
          batches,
          loss: lossSum / seen,
        };
        opts.onProgress?.(p);
        await opts.callbacks?.onBatchEnd?.(p, ctx);
      };
      for (let b = 0; b < fullSteps && !stopRequested; b += settings.stepsPerCall) {
        const count = Math.min(settings.stepsPerCall, fullSteps - b);
        await runChunk(main, mainSession, b, count, batchSize);
      }
      if (tail && tailSession && !stopRequested)
        await runChunk(tail, tailSession, fullSteps, 1, rest);
      const seconds = (performance.now() - t0) / 1000;
      model.setParams(state.params);
      const t1 = performance.now();
      const trainEval = await evaluate(evalSession, main, state.params, data);
      const testEval = test ? await evaluate(evalSession, main, state.params, test) : undefined;
      const valEval = val ? await evaluate(evalSession, main, state.params, val) : undefined;
      const record: EpochRecord = {
        epoch,
        trainLoss: lossSum / seen,
        trainMse: trainEval.mse,
        ...(testEval ? { testMse: testEval.mse } : {}),
        seconds,
        evalSeconds: (performance.now() - t1) / 1000,
        ...(valEval
          ? { valLoss: loss === 'bce' ? valEval.bce : valEval.mse, valMse: valEval.mse }
          : {}),
        lr,
      };
      model.history.push(record);
      records.push(record);
      done = e;
      const value = (m: Monitor): number => (m === 'val_loss' ? record.valLoss! : record.trainLoss);
      if (settings.lrSchedule.kind === 'plateau')
        sched = scheduleAfterEpoch(settings.lrSchedule, sched, value(settings.lrSchedule.monitor));
      let esStop = false;
      if (es && early) {
        const r = earlyStoppingAfterEpoch(es, early, value(es.monitor), epoch);
        early = r.state;
        if (r.improved) best = state.params;
        esStop = r.stop;
      }
      // The folder is saved before the callbacks run, so an epoch reported is an epoch saved.
      const ended: StopReason | undefined = esStop
        ? 'early-stopped'
        : stopRequested
          ? 'callback'
          : e === epochs
            ? 'completed'
            : undefined;
      if (ended) finish(ended);
      else model.training = { ...model.training!, epochsRun: model.history.length - startEpoch };
      writeFolder(ended, true);
      await opts.onEpochEnd?.(record, model);
      await opts.callbacks?.onEpochEnd?.(record, ctx);
      if (ended === undefined && stopRequested) {
        finish('callback');
        writeFolder('callback', false);
      }
      if (ended !== undefined || stopRequested) {
        if (es && best) model.setParams(best);
        break;
      }
    }
    return records;
  } finally {
    for (const s of sessions) await s.dispose();
  }
}

/** Runs `count` steps starting at row offset `offset` of `perm` at base rate `lr`; returns the new state and the losses. */
export async function runSteps(
  g: TrainGraph,
  s: Session,
  data: RtTensor,
  perm: Uint32Array,
  offset: number,
  count: number,
  size: number,
  stepBefore: number,
  state: State,
  optimizer: Optimizer,
  lr?: number,
): Promise<{ next: State; losses: Float32Array }> {
  const idx = new BigInt64Array(count * size);
  for (let i = 0; i < idx.length; i++) idx[i] = BigInt(perm[offset + i]);
  const feeds: Record<string, RtTensor> = { data, batches: new RtTensor(idx, [count, size]) };
  for (const name of g.scalars) {
    const values = new Float32Array(count);
    for (let i = 0; i < count; i++)
      values[i] = optimizer.scalarValues(stepBefore + i + 1, lr)[name];
    feeds[name] = new RtTensor(values, [count]);
  }
  g.params.forEach((p, i) => {
    feeds[p.name] = new RtTensor(state.params[i], p.shape);
    g.slotNames[i].forEach((n, k) => (feeds[n] = new RtTensor(state.slots[i][k], p.shape)));
  });
  const res = await s.run(feeds);
  return {
    next: {
      params: g.params.map((p) => res[nextName(p.name)].data as Float32Array),
      slots: g.params.map((_, i) =>
        g.slotNames[i].map((n) => res[nextName(n)].data as Float32Array),
      ),
    },
    losses: res.losses.data as Float32Array,
  };
}

const EVAL_ROWS = 10000;

/** Mean squared reconstruction error per element over the rows of `data` (scaled), and the mean BCE when the graph has it. */
async function evaluate(
  s: Session,
  g: TrainGraph,
  params: Float32Array[],
  data: Matrix32,
): Promise<{ mse: number; bce: number }> {
  const feeds: Record<string, RtTensor> = {};
  g.params.forEach((p, i) => (feeds[p.name] = new RtTensor(params[i], p.shape)));
  let sse = 0;
  let bce = 0;
  for (let r0 = 0; r0 < data.rows; r0 += EVAL_ROWS) {
    const r1 = Math.min(data.rows, r0 + EVAL_ROWS);
    feeds.data = new RtTensor(data.data.subarray(r0 * data.cols, r1 * data.cols), [
      r1 - r0,
      data.cols,
    ]);
    const res = await s.run(feeds);
    sse += res.sse.data[0] as number;
    if (res.bce) bce += (res.bce.data[0] as number) * (r1 - r0);
  }
  return { mse: sse / (data.rows * data.cols), bce: bce / data.rows };
}
