/**
 * The settings side of `aedr train`: its parsed flags, what `--resume` takes from the saved
 * command, the layer spec from `--conv`/`--spec`, the learning-rate schedule from the flags,
 * the test data, and the summary texts. commands/train.ts registers the flags and runs the
 * training.
 */
import { DataError } from '../errors.js';
import type { Dataset } from '../data/dataset.js';
import { formatOf, loadDataset } from '../data/load.js';
import { type ScalingKind } from '../data/scaling.js';
import { type Activation } from '../nn/activation.js';
import { type LossName } from '../nn/loss.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  convShorthand,
  parseInputShape,
  parseModelSpec,
  type ModelSpec,
} from '../nn/layer-spec.js';
import { loadModel, recoverInterruptedSave } from '../train/persist.js';
import type { LR_SCHEDULES } from '../train/schedule.js';
import { type LrScheduleOptions, type Monitor } from '../train/schedule.js';
import type { AnomalyMetric, AnomalyRecord, AutoencoderModel } from '../train/model.js';
import { fitAnomalyThreshold } from '../train/anomaly.js';
import { parseThresholdRule } from '../metrics/threshold.js';
import { ConfigError } from '../errors.js';
import type { Matrix32 } from '../util/matrix.js';
import { UsageError } from './context.js';
import { groupDigits } from './describe.js';
import type { ColumnRef } from '../data/csv-columns.js';

/** The parsed flags of `aedr train`. */
export interface TrainFlags {
  data: string;
  testData?: string;
  labels?: string;
  labelColumn?: number | string;
  ignoreColumns?: ColumnRef[];
  latent?: number;
  layers?: number[];
  /** A layer-spec JSON file (nn/layer-spec.ts). */
  spec?: string;
  /** Filter counts of the TensorFlow tutorial's convolutional family, e.g. 16,8. */
  conv?: string;
  /** HxWxC of the rows, for --spec and --conv (MNIST's is known). */
  inputShape?: string;
  /** Denoising: input corruption such as gaussian:0.2 (nn/noise.ts). */
  noise?: string;
  /** A variational autoencoder, with its KL weight β. */
  variational?: boolean;
  beta?: number;
  /** Sparsity penalties on the code (nn/sparsity.ts). */
  activityL1?: number;
  sparsity?: number;
  sparsityWeight?: number;
  activation: Activation;
  codeActivation?: Activation;
  outputActivation?: Activation;
  loss: LossName;
  outputBias: 'mean' | 'zero';
  optimizer: 'adam' | 'sgd';
  lr?: number;
  momentum?: number;
  epochs: number;
  batchSize: number;
  seed: number;
  threads?: number;
  spin: boolean;
  scaling?: ScalingKind;
  limit?: number;
  out?: string;
  quiet?: boolean;
  json?: boolean;
  validationSplit?: number;
  validationData?: string;
  earlyStopping?: boolean;
  monitor?: Monitor;
  patience: number;
  minDelta?: number;
  lrSchedule: (typeof LR_SCHEDULES)[number];
  lrFactor?: number;
  lrPatience?: number;
  minLr?: number;
  lrStepSize?: number;
  resume?: string;
  /** Train from a stream with this window budget in bytes (cli/train-stream.ts). */
  memory?: number;
  /** Parquet/Arrow: the columns that make a row. */
  columns?: string[];
  /** Streamed training: a mid-epoch checkpoint every this many rows (default: every 60 s). */
  checkpointEvery?: number;
  /** Anomaly threshold rule fitted on the training rows after training (metrics/threshold.ts). */
  threshold?: string;
  /** The reconstruction error the threshold is on (default mse). */
  metric?: AnomalyMetric;
}

/** The file in the model folder that records the flags of the run, for --resume. */
export const COMMAND_FILE = 'train-command.json';
/** Flags --resume accepts besides the folder; every other setting comes from the saved run. */
export const RESUME_FLAGS = new Set(['resume', 'epochs', 'threads', 'spin', 'quiet', 'json']);

export const MNIST_TRAIN = /^mnist(:train)?$/i;

/** The saved run's flags, with the ones --resume takes from this command line. @throws UsageError */
export function resumeFlags(dir: string, now: TrainFlags, given: Set<string>): TrainFlags {
  recoverInterruptedSave(dir);
  const file = join(dir, COMMAND_FILE);
  if (!existsSync(file))
    throw new UsageError(
      `--resume ${dir}: no ${COMMAND_FILE} there; expected a model folder written by aedr train (with a checkpoint)`,
    );
  const saved = JSON.parse(readFileSync(file, 'utf8')) as TrainFlags;
  const keep: Partial<TrainFlags> = {};
  for (const k of ['epochs', 'threads', 'quiet', 'json'] as const)
    if (given.has(k)) Object.assign(keep, { [k]: now[k] });
  return { ...saved, spin: now.spin, ...keep, out: dir, resume: dir };
}

/** The model that --spec or --conv describe, if either is given. @throws UsageError, ConfigError, ShapeError */
export function layerSpecOf(f: TrainFlags, isMnist: boolean): ModelSpec | undefined {
  if (f.spec === undefined && f.conv === undefined) return undefined;
  const shape =
    f.inputShape !== undefined ? parseInputShape(f.inputShape) : isMnist ? [28, 28, 1] : undefined;
  if (f.conv !== undefined) {
    if (shape === undefined)
      throw new UsageError(`--conv needs the image shape of ${f.data}: give --input-shape HxWxC`);
    return convShorthand(f.conv, shape, {
      activation: f.activation,
      ...(f.outputActivation ? { outputActivation: f.outputActivation } : {}),
    });
  }
  const file = f.spec!;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`--spec ${file}: cannot read it as JSON (${(err as Error).message})`);
  }
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw) && !('inputShape' in raw)) {
    if (shape === undefined)
      throw new UsageError(
        `--spec ${file} has no inputShape; add "inputShape": [H, W, C] or give --input-shape HxWxC`,
      );
    raw = { inputShape: shape, ...raw };
  }
  return parseModelSpec(raw, file);
}

/** The learning-rate schedule the flags describe. @throws UsageError */
export function scheduleOf(f: TrainFlags): LrScheduleOptions {
  const only = (flag: string, v: unknown, kinds: string[]): void => {
    if (v !== undefined && !kinds.includes(f.lrSchedule))
      throw new UsageError(`${flag} applies to --lr-schedule ${kinds.join(' or ')} only`);
  };
  only('--lr-factor', f.lrFactor, ['plateau', 'step']);
  only('--lr-patience', f.lrPatience, ['plateau']);
  only('--min-lr', f.minLr, ['plateau', 'cosine']);
  only('--lr-step-size', f.lrStepSize, ['step']);
  switch (f.lrSchedule) {
    case 'constant':
      return { kind: 'constant' };
    case 'plateau':
      return {
        kind: 'plateau',
        ...(f.monitor ? { monitor: f.monitor } : {}),
        ...(f.lrFactor !== undefined ? { factor: f.lrFactor } : {}),
        ...(f.lrPatience !== undefined ? { patience: f.lrPatience } : {}),
        ...(f.minLr !== undefined ? { minLr: f.minLr } : {}),
      };
    case 'cosine':
      return { kind: 'cosine', ...(f.minLr !== undefined ? { minLr: f.minLr } : {}) };
    case 'step':
      return {
        kind: 'step',
        stepSize: f.lrStepSize ?? 10,
        ...(f.lrFactor !== undefined ? { gamma: f.lrFactor } : {}),
      };
  }
}
/** "1,800 rows (200 more held out for validation)" or "2,000 rows". */
export function rowsText(model: AutoencoderModel, rows: number): string {
  const v = model.training?.validation;
  return v?.kind === 'split'
    ? `${groupDigits(rows - v.rows)} rows (${groupDigits(v.rows)} more held out for validation)`
    : `${groupDigits(rows)} rows`;
}

/** Why training ended and which epoch the folder holds, when that is not simply the last one. */
export function stopText(model: AutoencoderModel): string {
  const t = model.training;
  if (t?.stopReason === undefined || t.stopReason === 'completed') {
    return t?.bestEpoch !== undefined
      ? `kept epoch ${t.bestEpoch}'s weights (lowest ${t.earlyStopping?.monitor ?? 'loss'})\n`
      : '';
  }
  const best = t.bestEpoch !== undefined ? `; kept epoch ${t.bestEpoch}'s weights` : '';
  return `stopped: ${t.stopReason}${best}\n`;
}

/** The model of the run saved in `dir`, with its optimiser and loss for fit's type (fit takes the saved ones). */
export function resumedModel(
  dir: string,
  threads: number | undefined,
): { model: AutoencoderModel; optimizer: undefined; loss: undefined; warnings: string[] } {
  return {
    model: loadModel(dir, { threads }),
    optimizer: undefined,
    loss: undefined,
    warnings: [],
  };
}

export function loadTestData(f: TrainFlags, data: Dataset): Dataset | undefined {
  const spec = f.testData ?? (MNIST_TRAIN.test(f.data) ? 'mnist:test' : undefined);
  if (spec === undefined) return undefined;
  const csv = formatOf(spec) === 'csv';
  const test = loadDataset(spec, {
    ...(csv && f.labelColumn !== undefined ? { labelColumn: f.labelColumn } : {}),
    ...(csv && f.ignoreColumns !== undefined ? { ignoreColumns: f.ignoreColumns } : {}),
  });
  if (test.x.cols !== data.x.cols) {
    throw new DataError(
      `test data has ${test.x.cols} columns but the training data (${f.data}) has ${data.x.cols}; expected the same features`,
      { file: spec },
    );
  }
  return test;
}

/** Checks --threshold and --metric before training. @throws UsageError */
export function checkThresholdFlags(f: TrainFlags): void {
  if (f.metric !== undefined && f.threshold === undefined)
    throw new UsageError('--metric applies to --threshold only');
  if (f.threshold === undefined) return;
  try {
    parseThresholdRule(f.threshold, '--threshold');
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(err.message);
    throw err;
  }
}

/**
 * The anomaly threshold to store with the trained weights: --threshold fitted on the rows of
 * --data (validation rows of a split included: they are as normal as the rest), or, on --resume
 * of a model that holds one without the flag, its rule and metric fitted again.
 */
export async function trainedThreshold(
  f: TrainFlags,
  model: AutoencoderModel,
  previous: AnomalyRecord | undefined,
  x: Matrix32,
): Promise<AnomalyRecord | undefined> {
  const rule = f.threshold ?? previous?.rule;
  if (rule === undefined) return undefined;
  const metric = f.threshold !== undefined ? (f.metric ?? 'mse') : previous!.metric;
  return fitAnomalyThreshold(model, x, rule, { metric, flag: '--threshold' });
}

/** "anomaly threshold 0.0123 (quantile:0.99 of the mse scores of the 60,000 training rows)". */
export function thresholdText(a: AnomalyRecord, rows: number): string {
  const fitted = /^[a-z]/.test(a.rule)
    ? `${a.rule} of the ${a.metric} scores of the ${groupDigits(rows)} training rows`
    : `fixed, on ${a.metric} scores`;
  return `anomaly threshold ${a.threshold.toPrecision(6)} (${fitted}; aedr score flags rows above it)\n`;
}
