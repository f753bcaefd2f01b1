/**
 * Training from a row stream, with what `fit` (trainer.ts) has for matrices: validation (a
 * stream, or a seeded hold-out of whole blocks), test data, early stopping with the best weights
 * kept, learning-rate schedules (graph inputs, schedule.ts), callbacks, cancellation, and exact
 * resume, here from (epoch, position) inside an epoch as well as between epochs.
 *
 * Each epoch visits every training row once in the seeded block-and-window order of
 * `data/stream/epoch.ts`; memory follows `memoryBytes`, not the data size. The next window is
 * read, checked and scaled by the model's own scaling (window-prep.ts, in a worker thread) while
 * the steps run, and each onnxruntime call trains `stepsPerCall` batches through the trainer's
 * Loop graph (step-graph.ts, run-steps.ts), gathering their rows from the window by index as
 * `fit` does from the whole data; the epoch's last partial batch gets its own graph, as in `fit`.
 *
 * Checkpoints (checkpoint.ts's files, plus the settings that fix the order and a `stream` entry
 * with the position) are written at every epoch end and, within an epoch, at the first call
 * boundary after `checkpointEvery` (60 s by default: a few kB to a few MB of weights and Adam
 * slots, against minutes of data). Calls are cut at multiples of `stepsPerCall * batchSize` rows
 * from the epoch's start, so a resumed run makes the same calls on the same rows with the same
 * step counts and rates: with the same data, seed and threads it ends bit-identical to the run
 * never interrupted.
 *
 * Differs from `fit`: the order within an epoch is windowed, not a full permutation; the
 * validation hold-out takes blocks, not rows; `trainMse` is measured on the first
 * `trainMseRows` training rows (all of them for small data), not on every row; no input noise.
 * This module passes 300 lines because the epoch loop shares its state with the checkpoint
 * writer, as trainer.ts does.
 */
import { ConfigError, TrainingCancelledError, TrainingDivergedError } from '../errors.js';
import { applyScaling, scalingAffine } from '../data/scaling.js';
import {
  epochSlices,
  readAhead,
  windowBuffers,
  type EpochOptions,
  type EpochScratch,
} from '../data/stream/epoch.js';
import { holdOutBlocks, RowRangesSource } from '../data/stream/row-ranges.js';
import { isRandomAccess, type RandomAccessSource, type RowSource } from '../data/stream/source.js';
import { WindowWorker } from '../data/stream/window-prep.js';
import { paramInfos, rowsPerCall } from '../nn/autoencoder-spec.js';
import { optimizerFromConfig } from '../optim/create.js';
import { RtTensor, Session } from '../runtime/session.js';
import { matrix } from '../util/matrix.js';
import { Rng } from '../util/rng.js';
import { encodeCheckpoint, readCheckpoint, CHECKPOINT_BIN, CHECKPOINT_JSON } from './checkpoint.js';
import { initialEarlyStoppingState, type EarlyStoppingState } from './early-stopping.js';
import type { CallbackContext } from './fit-options.js';
import { sameFingerprint } from './fit-options.js';
import {
  isStreamCheckpoint,
  streamFingerprint,
  streamRunSettings,
  type FitStreamOptions,
  type StreamCheckpoint,
  type StreamCheckpointState,
  type StreamProgress,
} from './fit-stream-options.js';
import { afterEpoch, recordEpochsRun } from './epoch-end.js';
import { evalModel } from './inference-graph.js';
import { AutoencoderModel, type EpochRecord, type StopReason } from './model.js';
import { recoverInterruptedSave, saveModel } from './persist.js';
import { EVAL_ROWS, evaluate, runSteps, type State } from './run-steps.js';
import { epochLr, initialScheduleState } from './schedule.js';
import { buildTrainGraph, type TrainGraph } from './step-graph.js';

export {
  isStreamCheckpoint,
  streamFingerprint,
  type FitStreamOptions,
  type StreamProgress,
} from './fit-stream-options.js';

/** Mean error of `model`'s reconstructions over a stream, in scaled units. */
async function evaluateStream(
  s: Session,
  g: TrainGraph,
  params: Float32Array[],
  model: AutoencoderModel,
  source: RowSource,
  rows: number,
  evalRows: number,
): Promise<{ mse: number; bce: number }> {
  let sse = 0;
  let bce = 0;
  let n = 0;
  for await (const b of source.blocks(evalRows)) {
    const take = Math.min(b.rows, rows - n);
    if (take <= 0) break;
    const x = applyScaling(
      model.scaling,
      matrix(take, source.cols, b.data.subarray(0, take * source.cols)),
    );
    const r = await evaluate(s, g, params, x, undefined, evalRows);
    sse += r.mse * take * source.cols;
    bce += r.bce * take;
    n += take;
  }
  return { mse: sse / (n * source.cols), bce: bce / n };
}

/**
 * Trains `model` on `source` (rows of `model.inputDim` values, in data units) and returns the
 * history records of this call; the model ends with the last epoch's weights, or the best
 * epoch's with early stopping.
 * @throws ShapeError on a source of another width, ConfigError on bad options or a resume that
 * does not match, ModelFormatError (resumeFrom), DataError from the sources,
 * TrainingDivergedError, TrainingCancelledError, RuntimeFailure from onnxruntime
 * @example
 * const src = await NpySource.open('big.npy');
 * const { scaling } = await summarizeColumns(src, 'minmax');
 * const model = AutoencoderModel.create(stackSpec(784, [32]), { scaling });
 * await fitStream(model, src, { epochs: 2, memoryBytes: 2 ** 30, validationSplit: 0.05 });
 * model.history.map((r) => r.valMse); // [0.031..., 0.024...]
 */
export async function fitStream(
  model: AutoencoderModel,
  source: RandomAccessSource,
  opts: FitStreamOptions = {},
): Promise<EpochRecord[]> {
  for (const [what, s] of [
    ['the training source', source],
    ['testData', opts.testData],
    ['validationData', opts.validationData],
  ] as const) {
    if (s !== undefined && s.cols !== model.inputDim)
      throw new ConfigError(
        `fitStream: ${what} ${s.name} has ${s.cols} values per row, the model takes ${model.inputDim}`,
      );
  }
  const sizes = paramInfos(model.spec).map((p) => p.shape.reduce((a, b) => a * b, 1));
  let saved: StreamCheckpointState | undefined;
  let resumed: ReturnType<typeof readCheckpoint>['arrays'] | undefined;
  if (opts.resumeFrom !== undefined) {
    recoverInterruptedSave(opts.resumeFrom);
    const ck = readCheckpoint(opts.resumeFrom, sizes);
    if (!isStreamCheckpoint(ck.state))
      throw new ConfigError(
        `resumeFrom: ${opts.resumeFrom} holds the checkpoint of an in-memory run; continue it with fit`,
      );
    saved = ck.state;
    resumed = ck.arrays;
  }
  const settings = streamRunSettings(opts, saved, model);
  const { epochs, batchSize, loss, seed, threads, blockRows, memoryBytes } = settings;
  const optimizer = optimizerFromConfig(settings.optimizer);
  const needPrint = opts.checkpointDir !== undefined || saved !== undefined;
  const dataPrint = needPrint ? await streamFingerprint(source) : undefined;
  const valSource = opts.validationData;
  const valPrint =
    needPrint && valSource !== undefined && isRandomAccess(valSource)
      ? await streamFingerprint(valSource)
      : undefined;
  if (saved) {
    if (!sameFingerprint(saved.data, dataPrint))
      throw new ConfigError(
        `resumeFrom: the training data differ from the checkpointed run's (${saved.data.rows} x ${saved.data.cols}); give the same data`,
      );
    if (saved.settings.validation?.kind === 'data') {
      if (valSource === undefined)
        throw new ConfigError('resumeFrom: the run was validated on validationData; give it again');
      if (saved.validation !== undefined && !sameFingerprint(saved.validation, valPrint))
        throw new ConfigError('resumeFrom: validationData differ from the checkpointed run’s');
    }
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
  let train: RandomAccessSource = source;
  let val: RowSource | undefined = v?.kind === 'data' ? valSource : undefined;
  if (v?.kind === 'split') {
    const parts = holdOutBlocks(source.rows, blockRows, v.fraction, seed);
    train = new RowRangesSource(source, parts.train, 'training blocks');
    val = new RowRangesSource(source, parts.val, 'validation blocks');
  }
  const trainRows = train.rows;
  if (batchSize > trainRows)
    throw new ConfigError(
      `batchSize ${batchSize} exceeds the ${trainRows} training rows${v?.kind === 'split' ? ' left after the validation split' : ''} of ${source.name}`,
    );
  const valRows = val === undefined ? 0 : await countRows(val);
  const testRows = opts.testData ? await countRows(opts.testData) : undefined;
  const mseRows = Math.min(trainRows, opts.trainMseRows ?? 65536);
  const es = settings.earlyStopping;
  const startEpoch = saved ? saved.startEpoch : model.history.length;
  if (saved) model.history = saved.history.slice();
  model.training = {
    ...(saved ? saved.training : {}),
    epochs: startEpoch + epochs,
    batchSize,
    loss,
    optimizer: settings.optimizer,
    seed,
    threads,
    trainSize: trainRows,
    ...(testRows !== undefined ? { testSize: testRows } : {}),
    data: opts.dataName ?? saved?.training.data ?? model.training?.data,
    outputBias: model.training?.outputBias ?? model.outputBiasInit,
    ...(val !== undefined && v !== undefined
      ? {
          validation:
            v.kind === 'split'
              ? { kind: 'split', fraction: v.fraction, rows: valRows }
              : { kind: 'data', rows: valRows },
        }
      : {}),
    ...(es ? { earlyStopping: es } : {}),
    lrSchedule: settings.lrSchedule,
  };

  const chunkRows = settings.stepsPerCall * batchSize;
  const main = buildTrainGraph(model.spec, optimizer, loss, batchSize);
  const rest = trainRows % batchSize;
  const sessions: Session[] = [];
  const windowPrep = new WindowWorker();
  const open = async (bytes: Uint8Array): Promise<Session> => {
    const s = await Session.create(bytes, {
      threads,
      ...(opts.spin === false ? { spin: false } : {}),
    });
    sessions.push(s);
    return s;
  };
  const baseLr = settings.optimizer.learningRate;
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
  let partial: StreamCheckpoint = { position: 0, lossSum: 0, seen: 0, seconds: 0 };
  if (resumed && saved) {
    state = { params: resumed.params, slots: resumed.slots };
    best = resumed.best;
    step = saved.step;
    done = saved.epochsDone;
    sched = saved.schedule;
    early = saved.early;
    partial = saved.stream;
    model.setParams(state.params);
  }

  const keptWeights = (): Float32Array[] => (es && best ? best : state.params);
  const writeFolder = (stopReason: StopReason | undefined): void => {
    if (opts.checkpointDir === undefined || dataPrint === undefined) return;
    const ckState: Omit<StreamCheckpointState, 'bin'> = {
      format: 'aedr-checkpoint',
      formatVersion: 1,
      settings,
      epochsDone: done,
      step,
      startEpoch,
      // The stream draws nothing from a shared RNG (orders and dropout come from the seed and
      // the epoch or step): the state is recorded for the format.
      rng: new Rng(seed).getState(),
      schedule: sched,
      ...(early ? { early } : {}),
      ...(stopReason ? { stopReason } : {}),
      history: model.history,
      training: model.training!,
      data: dataPrint,
      ...(valPrint ? { validation: valPrint } : {}),
      stream: partial,
    };
    const ck = encodeCheckpoint(ckState, {
      params: state.params,
      slots: state.slots,
      ...(es && best ? { best } : {}),
    });
    const shadow = new AutoencoderModel(model.spec, keptWeights(), model.scaling, model.seed);
    shadow.history = model.history;
    shadow.training = { ...model.training!, ...(stopReason ? { stopReason } : {}) };
    saveModel(shadow, opts.checkpointDir, {
      ...opts.checkpointFiles,
      [CHECKPOINT_JSON]: ck.json,
      [CHECKPOINT_BIN]: ck.bin,
    });
  };
  const finish = (reason: StopReason): void => recordEpochsRun(model, startEpoch, reason, early);
  const every = opts.checkpointEvery ?? {};
  const everySeconds = every.seconds ?? 60;
  const everyRows = every.rows ?? Infinity;

  let stopRequested = false;
  const ctx: CallbackContext = { model, stop: () => void (stopRequested = true) };
  // Buffers reused by every epoch (see EpochScratch). The windows arrive scaled (applyScaling's
  // arithmetic) and each call gathers its rows from a window by index, as `fit` does from the
  // whole data: the host touches each value once after its read, off the main thread.
  const cols = train.cols;
  const scratch: EpochScratch = {};
  const affine = scalingAffine(model.scaling, cols, 'fitStream');
  const epochOptions = (e: number, position: number): EpochOptions => ({
    seed,
    epoch: e - 1,
    batchSize: chunkRows,
    blockRows,
    memoryBytes,
    position,
    scratch,
    affine,
    prepare: windowPrep,
    ...(e < epochs ? { next: { epoch: e } } : {}),
  });
  try {
    // The window buffers are touched before the first epoch's clock starts, as `fit` has its
    // data in memory before; the first window is read while the sessions are created.
    if (done < epochs) {
      windowBuffers(trainRows, cols, epochOptions(done + 1, 0), scratch);
      await windowPrep.ready();
      readAhead(train, { ...epochOptions(done + 1, partial.position), scratch });
    }
    const mainSession = await open(main.bytes);
    const tail = rest > 0 ? buildTrainGraph(model.spec, optimizer, loss, rest) : undefined;
    const tailSession = tail ? await open(tail.bytes) : undefined;
    const evalSession = await open(evalModel(model.spec, { bce: loss === 'bce' }));
    const evalRows = rowsPerCall(model.spec, EVAL_ROWS);
    let fed: { data: Float32Array; tensor: RtTensor } | undefined;
    const records: EpochRecord[] = [];
    let lastCkTime = performance.now();
    let lastCkRows = 0;
    for (let e = done + 1; e <= epochs; e++) {
      const epoch = model.history.length + 1;
      const lr = epochLr(settings.lrSchedule, baseLr, e, sched);
      const t0 = performance.now() - partial.seconds * 1000;
      let { lossSum, seen } = partial;
      const batches = Math.ceil(trainRows / batchSize);
      for await (const chunk of epochSlices(train, epochOptions(e, partial.position))) {
        if (opts.signal?.aborted) {
          model.setParams(state.params);
          finish('cancelled');
          writeFolder('cancelled');
          throw new TrainingCancelledError(epoch);
        }
        if (fed?.data !== chunk.data)
          fed = {
            data: chunk.data,
            tensor: new RtTensor(chunk.data, [chunk.data.length / cols, cols]),
          };
        const data = fed.tensor;
        const full = Math.floor(chunk.rows / batchSize);
        const parts: Array<[TrainGraph, Session, number, number, number]> = [];
        if (full > 0) parts.push([main, mainSession, 0, full, batchSize]);
        if (chunk.rows % batchSize > 0 && tail && tailSession)
          parts.push([tail, tailSession, full * batchSize, 1, rest]);
        for (const [g, s, offset, count, size] of parts) {
          const { next, losses } = await runSteps(
            g,
            s,
            data,
            chunk.index,
            chunk.offset + offset,
            count,
            size,
            step,
            state,
            optimizer,
            lr,
            { seed },
          );
          const bad = losses.findIndex((l) => !Number.isFinite(l));
          if (bad >= 0) {
            // Replay the good steps from the call's input weights: same rows, same scalars.
            if (bad > 0)
              state = (
                await runSteps(
                  g,
                  s,
                  data,
                  chunk.index,
                  chunk.offset + offset,
                  bad,
                  size,
                  step,
                  state,
                  optimizer,
                  lr,
                  {
                    seed,
                  },
                )
              ).next;
            model.setParams(state.params);
            finish('diverged');
            const batch = (partial.position + offset) / batchSize + bad + 1;
            throw new TrainingDivergedError(
              `training diverged: the loss became ${losses[bad]} at epoch ${epoch}, batch ${batch}; the model keeps the weights of the last good step (try a lower learning rate)`,
              epoch,
              batch,
            );
          }
          for (const l of losses) lossSum += l * size;
          seen += count * size;
          state = next;
          step += count;
        }
        const p: StreamProgress = {
          epoch: e,
          epochs,
          batch: Math.ceil(chunk.position / batchSize),
          batches,
          loss: lossSum / seen,
          position: chunk.position,
          rows: trainRows,
        };
        partial = {
          position: chunk.position,
          lossSum,
          seen,
          seconds: (performance.now() - t0) / 1000,
        };
        lastCkRows += chunk.rows;
        if (
          chunk.position < trainRows &&
          (lastCkRows >= everyRows || performance.now() - lastCkTime >= everySeconds * 1000)
        ) {
          writeFolder(undefined);
          lastCkTime = performance.now();
          lastCkRows = 0;
        }
        opts.onProgress?.(p);
        await opts.callbacks?.onBatchEnd?.(p, ctx);
        if (stopRequested) break;
      }
      const seconds = (performance.now() - t0) / 1000;
      partial = { position: 0, lossSum: 0, seen: 0, seconds: 0 };
      model.setParams(state.params);
      const t1 = performance.now();
      const trainEval = await evaluateStream(
        evalSession,
        main,
        state.params,
        model,
        train,
        mseRows,
        evalRows,
      );
      const testEval = opts.testData
        ? await evaluateStream(
            evalSession,
            main,
            state.params,
            model,
            opts.testData,
            Infinity,
            evalRows,
          )
        : undefined;
      const valEval = val
        ? await evaluateStream(evalSession, main, state.params, model, val, Infinity, evalRows)
        : undefined;
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
      const end = afterEpoch(settings, { sched, early }, record, {
        stopRequested,
        lastEpoch: e === epochs,
      });
      ({ sched, early } = end.state);
      if (end.improved) best = state.params;
      const ended = end.ended;
      recordEpochsRun(model, startEpoch, ended, early);
      writeFolder(ended);
      lastCkTime = performance.now();
      lastCkRows = 0;
      await opts.onEpochEnd?.(record, model);
      await opts.callbacks?.onEpochEnd?.(record, ctx);
      if (ended === undefined && stopRequested) {
        finish('callback');
        writeFolder('callback');
      }
      if (ended !== undefined || stopRequested) break;
    }
    if (es && best) model.setParams(best);
    return records;
  } finally {
    // A window read ahead for an epoch that did not come may still be in flight.
    await scratch.ahead?.data.catch(() => undefined);
    await windowPrep.close();
    for (const s of sessions) await s.dispose();
  }
}

/** Rows of a source, counted by reading it when it does not know them (CSV). */
async function countRows(s: RowSource): Promise<number> {
  if (s.rows !== undefined) return s.rows;
  let n = 0;
  for await (const b of s.blocks(s.unitRows ?? 8192)) n += b.rows;
  return n;
}
