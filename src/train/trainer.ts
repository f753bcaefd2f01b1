/**
 * The training loop, after Keras' Model.fit: seeded shuffling each epoch, batches run K at a
 * time through the Loop training graph (step-graph.ts, called by run-steps.ts), Keras-style
 * running loss, evaluated train/test/validation MSE after every epoch, a learning-rate schedule
 * (schedule.ts), early stopping (early-stopping.ts), callbacks that can stop the run,
 * cancellation by AbortSignal, and a stop with TrainingDivergedError at the first non-finite
 * loss, the model keeping the weights of the last good step. Like Keras' fit, the last partial
 * batch of an epoch is trained.
 *
 * With `checkpointDir`, every epoch ends by saving the model folder together with a checkpoint
 * (checkpoint.ts) in one atomic swap; `resumeFrom` continues such a run. Guarantee: with the
 * same data, seed and threads, a run resumed from any epoch's checkpoint ends with weights
 * bit-identical to the uninterrupted run (the state is restored bit for bit, the step graph is
 * deterministic, and the rate enters the graph as an input, so the same graph runs throughout).
 * The options and their resolution live in fit-options.ts.
 *
 * A variational model (nn/autoencoder-spec.ts) trains on the VAE loss (step-graph.ts) with ε
 * drawn per step (run-steps.ts); its test loss uses one fixed ε per test row (its own stream),
 * as the denoising test input is fixed. Sparsity penalties add to the loss of any model, and the
 * mean code activation is evaluated after every epoch.
 */
import { ConfigError, TrainingCancelledError, TrainingDivergedError } from '../errors.js';
import { applyScaling } from '../data/scaling.js';
import { isVariational, latentDim, paramInfos, rowsPerCall } from '../nn/autoencoder-spec.js';
import { optimizerFromConfig } from '../optim/create.js';
import { RtTensor, Session } from '../runtime/session.js';
import { checkFinite, checkMatrix } from '../util/check.js';
import { matrix, type Matrix32 } from '../util/matrix.js';
import { Rng } from '../util/rng.js';
import {
  encodeCheckpoint,
  fingerprint,
  readCheckpoint,
  CHECKPOINT_BIN,
  CHECKPOINT_JSON,
} from './checkpoint.js';
import { initialEarlyStoppingState, type EarlyStoppingState } from './early-stopping.js';
import {
  runSettings,
  sameFingerprint,
  type CallbackContext,
  type FitOptions,
  type TrainProgress,
} from './fit-options.js';
import { afterEpoch, recordEpochsRun } from './epoch-end.js';
import { evalModel } from './inference-graph.js';
import { AutoencoderModel, type EpochRecord, type StopReason } from './model.js';
import { recoverInterruptedSave, saveModel } from './persist.js';
import {
  EVAL_ROWS,
  evaluate,
  fillNormal,
  runSteps,
  stepRng,
  type State,
  type StepDraws,
} from './run-steps.js';
import { gatherRows } from './step-draws.js';
import { NoisePool } from './noise-pool.js';
import { corrupt, dataRange, parseNoise } from '../nn/noise.js';
import { epochLr, initialScheduleState } from './schedule.js';
import { buildTrainGraph, type TrainGraph, type TrainGraphOptions } from './step-graph.js';
import { splitValidation } from './validation.js';

export type { CallbackContext, FitCallbacks, FitOptions, TrainProgress } from './fit-options.js';
export { runSteps, type State } from './run-steps.js';

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
  const noise = settings.noise !== undefined ? parseNoise(settings.noise, 'noise') : [];
  const range = noise.length > 0 ? dataRange(data.data) : undefined;
  const draws: StepDraws = { seed, ...(range ? { noise, range } : {}) };
  // One fixed corruption of the test rows (its own stream), so epochs are compared on the same input.
  const noisyTest =
    test && range
      ? { ...test, data: corrupt(test.data, noise, stepRng(seed, -1), range) }
      : undefined;
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
    ...(settings.noise !== undefined ? { noise: settings.noise } : {}),
    ...(settings.beta !== undefined ? { beta: settings.beta } : {}),
    ...(settings.activityL1 !== undefined ? { activityL1: settings.activityL1 } : {}),
    ...(settings.sparsity !== undefined
      ? { sparsity: settings.sparsity, sparsityWeight: settings.sparsityWeight }
      : {}),
  };

  const noisy: TrainGraphOptions = {
    noisy: noise.length > 0,
    ...(settings.beta !== undefined ? { beta: settings.beta } : {}),
    ...(settings.activityL1 !== undefined ? { activityL1: settings.activityL1 } : {}),
    ...(settings.sparsity !== undefined
      ? { sparsity: settings.sparsity, sparsityWeight: settings.sparsityWeight }
      : {}),
  };
  const variational = isVariational(model.spec);
  const sparse = settings.activityL1 !== undefined || settings.sparsity !== undefined;
  // One fixed ε per evaluated row, each set on its own stream, so epochs compare alike.
  const fixedEps = (m: Matrix32 | undefined, stream: number): Matrix32 | undefined => {
    if (!m || !variational) return undefined;
    const k = latentDim(model.spec);
    return matrix(m.rows, k, fillNormal(stepRng(seed, stream), new Float32Array(m.rows * k)));
  };
  const main = buildTrainGraph(model.spec, optimizer, loss, batchSize, noisy);
  // Denoising draws for the next chunk are made in a worker thread (noise-pool.ts).
  const noisePool = main.noisy ? new NoisePool() : undefined;
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
  const finish = (reason: StopReason): void => recordEpochsRun(model, startEpoch, reason, early);

  let stopRequested = false;
  const ctx: CallbackContext = { model, stop: () => void (stopRequested = true) };
  try {
    const mainSession = await open(main.bytes);
    const tail = rest > 0 ? buildTrainGraph(model.spec, optimizer, loss, rest, noisy) : undefined;
    const tailSession = tail ? await open(tail.bytes) : undefined;
    const evalSession = await open(
      evalModel(model.spec, { bce: loss === 'bce', codeSum: sparse, recon: loss }),
    );
    // The training rows' record needs no sampled loss (trainRecon/trainKl are the running means).
    const trainEvalSession = variational
      ? await open(evalModel(model.spec, { bce: loss === 'bce', codeSum: sparse, sampled: false }))
      : evalSession;
    const evalRows = rowsPerCall(model.spec, EVAL_ROWS);
    const noisyEvalSession = noisyTest
      ? await open(evalModel(model.spec, { target: true, recon: loss }))
      : undefined;
    const testEps = fixedEps(test, -2);
    const valEps = fixedEps(val, -3);
    const dataTensor = new RtTensor(data.data, [data.rows, data.cols]);
    const records: EpochRecord[] = [];
    for (let e = done + 1; e <= epochs; e++) {
      const epoch = model.history.length + 1;
      const lr = epochLr(settings.lrSchedule, baseLr, e, sched);
      const t0 = performance.now();
      const perm = rng.permutation(trainRows);
      let lossSum = 0;
      let seen = 0;
      const termSums: Record<string, number> = {};
      const batches = fullSteps + (rest > 0 ? 1 : 0);
      const stepAtStart = step;
      // The next chunk's corrupted input, drawn in the worker while this chunk runs.
      const drawAhead = (first: number): Promise<Float32Array> | undefined => {
        if (!noisePool || !draws.noise || !draws.range || first >= fullSteps) return undefined;
        const count = Math.min(settings.stepsPerCall, fullSteps - first);
        const clean = gatherRows(data.data, data.cols, perm, first * batchSize, count * batchSize);
        const job = { count, size: batchSize, d: data.cols, seed, stepBefore: stepAtStart + first };
        const p = noisePool.corrupt(clean, { ...job, noise: draws.noise, range: draws.range });
        p.catch(() => undefined); // awaited by its chunk; a discarded one must not go unhandled
        return p;
      };
      const runChunk = async (
        g: TrainGraph,
        s: Session,
        first: number,
        count: number,
        size: number,
        ahead?: Promise<Float32Array>,
      ): Promise<void> => {
        if (opts.signal?.aborted) {
          model.setParams(state.params);
          finish('cancelled');
          writeFolder('cancelled', false);
          throw new TrainingCancelledError(epoch);
        }
        const { next, losses, terms } = await runSteps(
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
          draws,
          ahead ? await ahead : undefined,
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
                draws,
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
        for (const [t, values] of Object.entries(terms))
          for (const v of values) termSums[t] = (termSums[t] ?? 0) + v * size;
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
      let ahead = drawAhead(0);
      for (let b = 0; b < fullSteps && !stopRequested; b += settings.stepsPerCall) {
        const count = Math.min(settings.stepsPerCall, fullSteps - b);
        const mine = ahead;
        ahead = drawAhead(b + count);
        await runChunk(main, mainSession, b, count, batchSize, mine);
      }
      if (tail && tailSession && !stopRequested)
        await runChunk(tail, tailSession, fullSteps, 1, rest);
      const seconds = (performance.now() - t0) / 1000;
      model.setParams(state.params);
      const t1 = performance.now();
      const trainEval = await evaluate(
        trainEvalSession,
        main,
        state.params,
        data,
        undefined,
        evalRows,
      );
      const testEval = test
        ? await evaluate(evalSession, main, state.params, test, undefined, evalRows, testEps)
        : undefined;
      const noisyEval =
        noisyEvalSession && noisyTest && test
          ? await evaluate(noisyEvalSession, main, state.params, noisyTest, test, evalRows, testEps)
          : undefined;
      const valEval = val
        ? await evaluate(evalSession, main, state.params, val, undefined, evalRows, valEps)
        : undefined;
      const beta = settings.beta ?? 1;
      const vaeLoss = (ev: typeof valEval): number => (ev?.recon ?? NaN) + beta * (ev?.kl ?? NaN);
      const mean = (t: string): number => (termSums[t] ?? NaN) / seen;
      const record: EpochRecord = {
        epoch,
        trainLoss: lossSum / seen,
        trainMse: trainEval.mse,
        ...(testEval ? { testMse: testEval.mse } : {}),
        ...(noisyEval ? { testMseNoisy: noisyEval.mse } : {}),
        seconds,
        evalSeconds: (performance.now() - t1) / 1000,
        ...(valEval
          ? {
              valLoss: variational ? vaeLoss(valEval) : loss === 'bce' ? valEval.bce : valEval.mse,
              valMse: valEval.mse,
            }
          : {}),
        lr,
        ...(variational ? { trainRecon: mean('recon'), trainKl: mean('kl') } : {}),
        ...(variational && testEval
          ? { testRecon: testEval.recon, testKl: testEval.kl, testLoss: vaeLoss(testEval) }
          : {}),
        ...(sparse ? { trainPenalty: mean('penalty'), codeMean: trainEval.codeMean } : {}),
      };
      model.history.push(record);
      records.push(record);
      done = e;
      const end = afterEpoch(settings, { sched, early }, record, {
        stopRequested,
        lastEpoch: e === epochs,
      });
      ({ sched, early } = end.state);
      if (end.improved) best = state.params;
      const ended = end.ended;
      // The folder is saved before the callbacks run, so an epoch reported is an epoch saved.
      recordEpochsRun(model, startEpoch, ended, early);
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
    await noisePool?.close();
  }
}
