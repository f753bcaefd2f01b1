/**
 * The streamed path of `aedr train`: when the data are too large to hold (see `streamReason`),
 * a folder or glob of `.npy` shards, Parquet or Arrow, or when `--memory SIZE` is given, the rows
 * are read as a stream: one pass summarises the columns (the scaling, the output-bias mean and
 * the scaled range that picks the output activation), then `fitStream` trains in the seeded
 * block-and-window order with the window budget of `--memory`, reading ahead, checkpointing the
 * model folder at every epoch end and within epochs (every 60 s, or `--checkpoint-every` rows),
 * so `--resume DIR` continues from the exact row. The model folder is the in-memory path's
 * (model.json with history, bestEpoch and stopReason; encoder.onnx, decoder.onnx).
 *
 * Choices, and why:
 * - A `.npy` streams when it is larger than a quarter of the free memory or 2 GiB: the in-memory
 *   path peaks at about 2.1x the data (bench/README.md), and Node reads no file over 2 GiB whole.
 * - Block size: 4,096 rows, or rows/64 for smaller data, so a validation hold-out of a few
 *   percent and the block shuffle have blocks to draw from.
 * - `--memory` (default: a quarter of the free memory, at most 1 GiB) sizes the two shuffle
 *   windows; the rest of the process (the model, one call's rows) is small beside it.
 * - A CSV has no positional reads: with `--memory` it is first copied to a temporary `.npy`.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { freemem, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { TrainingCancelledError, TrainingDivergedError } from '../errors.js';
import { summarizeColumns } from '../data/stream/column-summary.js';
import { openSource, sourceFormatOf } from '../data/stream/open.js';
import { RowRangesSource } from '../data/stream/row-ranges.js';
import type { RandomAccessSource, RowSource } from '../data/stream/source.js';
import { spillToNpy } from '../data/stream/spill.js';
import { partLayers } from '../nn/autoencoder-spec.js';
import { checkpointFiles, CHECKPOINT_JSON } from '../train/checkpoint.js';
import { codeCheckWarning } from '../train/code-check.js';
import { fitStream, type FitStreamOptions } from '../train/fit-stream.js';
import type { EpochRecord } from '../train/model.js';
import { loadModel, saveModel } from '../train/persist.js';
import { checkModelCodes, prepareAutoencoder } from '../train/setup.js';
import { formatNumber } from '../report/format.js';
import { matrix } from '../util/matrix.js';
import { lockFolder } from '../util/lock.js';
import { cancelOnSigint } from './cancel.js';
import { UsageError, type CliIo } from './context.js';
import { groupDigits, parameterCount, plural, secondsText, sizesText } from './describe.js';
import { rowProgress } from './encode-stream.js';
import { checkOutDir, defaultName } from './out-dir.js';
import { createReporter } from './progress.js';
import {
  COMMAND_FILE,
  layerSpecOf,
  rowsText,
  scheduleOf,
  stopText,
  type TrainFlags,
} from './train-settings.js';

/** Largest `.npy` read whole: 2 GiB (Node's limit for one read) or a quarter of free memory. */
export function inMemoryLimit(free = freemem()): number {
  return Math.min(2 ** 31 - 1, Math.floor(free / 4));
}

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1e3,
  kb: 1e3,
  kib: 2 ** 10,
  m: 1e6,
  mb: 1e6,
  mib: 2 ** 20,
  g: 1e9,
  gb: 1e9,
  gib: 2 ** 30,
  t: 1e12,
  tb: 1e12,
  tib: 2 ** 40,
};

/** A byte size such as 512MB, 1.5GiB or 800000000 (commander argParser form). */
export function memoryArg(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m ? UNITS[m[2].toLowerCase()] : undefined;
  const v = m && unit !== undefined ? Number(m[1]) * unit : NaN;
  if (!Number.isFinite(v) || v < 4096)
    throw new InvalidArgumentError('Expected a size of at least 4KB, such as 512MB or 2GB.');
  return Math.floor(v);
}

/** Why `aedr train` with these flags trains from a stream, or undefined for the in-memory path. */
export function streamReason(f: TrainFlags): string | undefined {
  if (f.resume !== undefined) {
    const file = join(f.resume, CHECKPOINT_JSON);
    if (!existsSync(file)) return undefined;
    const ck = JSON.parse(readFileSync(file, 'utf8')) as { stream?: unknown };
    return typeof ck.stream === 'object' ? 'the run was streamed' : undefined;
  }
  if (f.data === undefined || /^mnist(:(train|test))?$/i.test(f.data)) return undefined;
  if (f.memory !== undefined) return `--memory ${groupDigits(f.memory)} bytes`;
  const format = sourceFormatOf(f.data);
  if (format === 'npy-shards' || format === 'parquet' || format === 'arrow')
    return `${f.data} is ${format === 'npy-shards' ? 'a set of .npy shards' : format}`;
  const size = statSync(f.data, { throwIfNoEntry: false })?.size ?? 0;
  if (format === 'npy' && size > inMemoryLimit())
    return `${f.data} is larger than ${groupDigits(inMemoryLimit())} bytes`;
  return undefined;
}

/** Flags of the in-memory path that the streamed one does not take (checked by name, as some are newer). */
const NOT_STREAMED = [
  'labels',
  'labelColumn',
  'ignoreColumns',
  'noise',
  'variational',
  'activityL1',
  'sparsity',
  'threshold',
];

/** Rows per contiguous read for `rows` rows (see module doc). */
export function streamBlockRows(rows: number): number {
  return Math.max(1, Math.min(4096, Math.floor(rows / 64)));
}

/** Opens `path` with random access, copying a CSV to `spillDir` first. */
async function openRandomAccess(
  path: string,
  f: TrainFlags,
  spillDir: () => string,
): Promise<RandomAccessSource> {
  const s = await openSource(path, f.columns !== undefined ? { columns: f.columns } : {});
  return spillToNpy(s, join(spillDir(), `${basename(path)}.npy`));
}

/** Runs `aedr train` on a stream (see module doc). @throws UsageError, DataError, ConfigError, TrainingDivergedError, TrainingCancelledError */
export async function trainStream(f: TrainFlags, io: CliIo, why: string): Promise<void> {
  const started = performance.now();
  const given = f as unknown as Record<string, unknown>;
  const bad = NOT_STREAMED.filter((k) => given[k] !== undefined && given[k] !== false);
  if (bad.length > 0)
    throw new UsageError(
      `training streams (${why}) and does not take ${bad.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ')}; leave them out, or train in memory on a sample (--limit)`,
    );
  if (f.data === undefined) throw new UsageError('give the training data with --data');
  const layers = f.layers ?? (f.latent !== undefined ? [f.latent] : undefined);
  if (layers === undefined && f.spec === undefined && f.conv === undefined)
    throw new UsageError(
      'give the code size with --latent N or --layers a,b,...,code, or a model with --conv or --spec',
    );
  const resume = f.resume !== undefined;
  const out = f.out ?? `runs/${defaultName(f.data, layers ?? [])}`;
  const existed = resume || checkOutDir(out);
  let tmp: string | undefined;
  const spillDir = (): string => (tmp ??= mkdtempSync(join(tmpdir(), 'aedr-train-spill-')));
  const opened: RowSource[] = [];
  const lock = lockFolder(out, '--out folder');
  const reporter = createReporter(f.quiet ? 'quiet' : io.errIsTty ? 'bar' : 'lines', io);
  const cancel = cancelOnSigint(io, 'stopping after the running batches', () => reporter.stop());
  let saved = 0;
  try {
    const open = async (path: string): Promise<RandomAccessSource> => {
      const s = await openRandomAccess(path, f, spillDir);
      opened.push(s);
      return s;
    };
    const base = await open(f.data);
    const source =
      f.limit !== undefined && f.limit < base.rows
        ? new RowRangesSource(base, [{ start: 0, count: f.limit }], `first ${f.limit} rows`)
        : base;
    const testData = f.testData !== undefined ? await open(f.testData) : undefined;
    const validationData =
      f.validationData !== undefined ? await open(f.validationData) : undefined;
    if (!resume && f.batchSize > source.rows)
      throw new UsageError(
        `--batch-size ${f.batchSize} exceeds the ${source.rows} training rows of ${f.data}; give a smaller --batch-size`,
      );
    const scalingKind = f.scaling ?? 'minmax';
    let model;
    let settings: FitStreamOptions;
    if (resume) {
      model = loadModel(out, { threads: f.threads });
      settings = { resumeFrom: out, ...(f.epochs !== undefined ? { epochs: f.epochs } : {}) };
    } else {
      if (f.monitor !== undefined && !f.earlyStopping && f.lrSchedule !== 'plateau')
        throw new UsageError(
          '--monitor applies to --early-stopping and --lr-schedule plateau only',
        );
      if (f.minDelta !== undefined && !f.earlyStopping)
        throw new UsageError('--min-delta applies to --early-stopping only');
      const summary = await summarizeColumns(source, scalingKind);
      // Two rows, the column minima and maxima, stand for the data: prepareAutoencoder reads
      // only their range (the output activation, the guards) and the width.
      const extremes = new Float32Array(2 * source.cols);
      extremes.set(summary.min);
      extremes.set(summary.max, source.cols);
      const netSpec = layerSpecOf(f, false);
      const prepared = prepareAutoencoder(matrix(2, source.cols, extremes), {
        ...(netSpec ? { spec: netSpec } : {}),
        layers,
        activation: f.activation,
        codeActivation: f.codeActivation,
        outputActivation: f.outputActivation,
        scaling: summary.scaling,
        trainMean: summary.mean,
        outputBias: f.outputBias,
        optimizer: f.optimizer,
        learningRate: f.lr,
        momentum: f.momentum,
        loss: f.loss,
        seed: f.seed,
        threads: f.threads,
      });
      if (!f.quiet) for (const w of prepared.warnings) io.err(`aedr: warning: ${w}\n`);
      model = prepared.model;
      settings = {
        epochs: f.epochs,
        batchSize: f.batchSize,
        optimizer: prepared.optimizer,
        loss: prepared.loss,
        seed: f.seed,
        blockRows: streamBlockRows(source.rows),
        memoryBytes: f.memory ?? Math.min(2 ** 30, Math.floor(freemem() / 4)),
        ...(f.validationSplit !== undefined ? { validationSplit: f.validationSplit } : {}),
        ...(f.earlyStopping
          ? {
              earlyStopping: {
                patience: f.patience,
                ...(f.monitor ? { monitor: f.monitor } : {}),
                ...(f.minDelta !== undefined ? { minDelta: f.minDelta } : {}),
              },
            }
          : {}),
        lrSchedule: scheduleOf(f),
        // A checkpoint every N rows needs calls of at most N rows.
        ...(f.checkpointEvery !== undefined
          ? {
              stepsPerCall: Math.max(
                1,
                Math.min(
                  Math.round(8192 / f.batchSize),
                  Math.floor(f.checkpointEvery / f.batchSize),
                ),
              ),
            }
          : {}),
      };
    }
    const command = JSON.stringify({ ...f, resume: undefined, out: undefined }, null, 2) + '\n';
    let progress: ReturnType<typeof rowProgress> | undefined;
    let history: EpochRecord[];
    try {
      history = await fitStream(model, source, {
        ...settings,
        threads: f.threads,
        spin: f.spin,
        ...(testData ? { testData } : {}),
        ...(validationData ? { validationData } : {}),
        ...(f.checkpointEvery !== undefined
          ? { checkpointEvery: { rows: f.checkpointEvery } }
          : {}),
        signal: cancel.signal,
        dataName: f.data,
        checkpointDir: out,
        checkpointFiles: { [COMMAND_FILE]: command },
        onProgress: (p) => {
          if (cancel.signal.aborted) return;
          progress ??= rowProgress(io, `epoch ${p.epoch}/${p.epochs}`, p.rows, f.quiet);
          progress.update(p.position);
        },
        onEpochEnd: (r, m) => {
          progress?.done();
          progress = undefined;
          saved += 1;
          reporter.epochEnd(r, r.epoch, m.training?.epochs ?? f.epochs);
        },
      });
    } finally {
      progress?.done();
    }
    reporter.stop();
    const head = Math.min(source.rows, 10_000);
    const codes = await checkModelCodes(
      model,
      matrix(head, source.cols, await source.readBlock(0, head)),
    );
    // The final save keeps the checkpoint, so --resume with a higher --epochs can continue.
    saveModel(model, out, checkpointFiles(out, [COMMAND_FILE]));
    const encoderLayers = partLayers(model.spec, 'encoder');
    const warning = codeCheckWarning(codes, encoderLayers[encoderLayers.length - 1].activation);
    if (warning !== undefined && !f.quiet) io.err(`aedr: warning: ${warning}\n`);
    const last = history[history.length - 1];
    const seconds = (performance.now() - started) / 1000;
    const trainRows = model.training?.trainSize ?? source.rows;
    if (f.json) {
      io.out(
        JSON.stringify(
          {
            out,
            data: f.data,
            streamed: why,
            architecture: sizesText(model.spec),
            latentDim: model.latentDim,
            parameters: parameterCount(model.spec),
            scaling: model.scaling.kind,
            trainRows,
            ...(model.training?.validation
              ? { validationRows: model.training.validation.rows }
              : {}),
            epochs: history.length,
            stopReason: model.training?.stopReason,
            ...(model.training?.bestEpoch !== undefined
              ? { bestEpoch: model.training.bestEpoch }
              : {}),
            wallSeconds: seconds,
            final: last,
            codeCheck: model.codeCheck,
            history,
          },
          null,
          2,
        ) + '\n',
      );
    } else if (!f.quiet && last !== undefined) {
      const rows =
        model.training?.validation?.kind === 'split'
          ? rowsText(model, trainRows + model.training.validation.rows)
          : `${groupDigits(trainRows)} rows`;
      io.out(
        `trained ${sizesText(model.spec)} (${groupDigits(parameterCount(model.spec))} parameters) on ${rows}, streamed (${why}), for ${plural(history.length, 'epoch')} in ${secondsText(seconds)}\n` +
          `final loss ${formatNumber(last.trainLoss)}  train_mse ${formatNumber(last.trainMse)} (scaled, first ${groupDigits(Math.min(trainRows, 65536))} rows)${last.testMse !== undefined ? `  test_mse ${formatNumber(last.testMse)}` : ''}\n` +
          stopText(model) +
          `saved ${out}\n`,
      );
    }
    await model.dispose();
  } catch (err) {
    if (err instanceof TrainingCancelledError || err instanceof TrainingDivergedError) {
      const kept =
        saved > 0 || existsSync(join(out, CHECKPOINT_JSON))
          ? `${out} holds the run up to its last checkpoint (continue it with --resume ${out})`
          : `nothing was saved${existed ? `; ${out} is unchanged` : ''}`;
      err.message = `${err.message}; ${kept}`;
    }
    throw err;
  } finally {
    lock.release();
    cancel.release();
    reporter.stop();
    for (const s of opened) await s.close();
    if (tmp !== undefined) rmSync(tmp, { recursive: true, force: true });
  }
}
