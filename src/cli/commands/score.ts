/**
 * `aedr score`: anomaly scores by reconstruction error (train/anomaly.ts, in the model's scaled
 * units) for every row of a data set, written as .npy (float64, shape [n]) or .csv/.tsv
 * (`score`, then `flagged` 0/1 when there is a threshold, then `label` when the data has labels).
 * The threshold is a fixed number, model.json's `anomaly` record (fitted at training time), or a
 * rule (`mean+std`, `mean+Kstd`, `quantile:Q`) fitted here on the scores of `--train-data`, the
 * rows the model was trained on; rows strictly above it are flagged. With labels and
 * `--normal-label`, rows of the normal label(s) are negatives and all others positives, and the
 * command prints ROC-AUC, PR-AUC and, with a threshold, precision/recall/F1 (metrics/roc.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { ConfigError, DataError } from '../../errors.js';
import type { Dataset } from '../../data/dataset.js';
import { encodeNpy } from '../../data/npy.js';
import { writeCsv } from '../../data/csv.js';
import { prAuc, rocAuc, thresholdMetrics, type ThresholdMetrics } from '../../metrics/roc.js';
import {
  formatThresholdRule,
  parseThresholdRule,
  type ThresholdRule,
} from '../../metrics/threshold.js';
import {
  ANOMALY_METRICS,
  fitAnomalyThreshold,
  parseAnomalyRecord,
  scoreAnomalies,
  type AnomalyMetric,
} from '../../train/anomaly.js';
import type { AutoencoderModel } from '../../train/model.js';
import { writeFileAtomic } from '../../util/atomic.js';
import { matrix } from '../../util/matrix.js';
import { UsageError, type CliContext, type CliIo } from '../context.js';
import { groupDigits } from '../describe.js';
import { openModel } from '../load-model.js';
import { outputKind } from '../matrix-files.js';
import { intArg, labelColumnArg } from '../options.js';
import type { ColumnRef } from '../../data/csv-columns.js';
import { columnListArg, loadForModel, rememberedColumns } from '../data-columns.js';

/** The parsed flags of `aedr score`. */
export interface ScoreFlags {
  model: string;
  data: string;
  out: string;
  metric?: AnomalyMetric;
  threshold?: string;
  trainData?: string;
  labels?: string;
  labelColumn?: number | string;
  ignoreColumns?: ColumnRef[];
  normalLabel?: string;
  limit?: number;
  threads?: number;
  spin?: boolean;
  json?: boolean;
  quiet?: boolean;
}

/** Registers `aedr score`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('score')
    .summary('anomaly scores by reconstruction error')
    .description(
      "Score each row of a data set by the model's reconstruction error (mean squared or absolute error " +
        'per feature, in the scaled units the model was trained in) and write the scores: .npy (float64, n) ' +
        'or .csv/.tsv (score, flagged when there is a threshold, label when the data has labels). ' +
        'With labels and --normal-label, print ROC-AUC, PR-AUC and precision/recall/F1 at the threshold.',
    )
    .requiredOption('--model <dir>', 'model folder written by `aedr train`')
    .requiredOption('--data <mnist|path>', 'data to score: mnist:test, mnist:train or a data file')
    .requiredOption('--out <file>', 'output file: scores.npy, scores.csv or scores.tsv')
    .addOption(
      new Option('--metric <name>', "per-row error (default: model.json's, else mse)").choices(
        ANOMALY_METRICS,
      ),
    )
    .option(
      '--threshold <rule>',
      'flag rows above: mean+std, mean+Kstd, quantile:Q (fitted on --train-data) or a number',
    )
    .option('--train-data <mnist|path>', "the model's training data, to fit a --threshold rule on")
    .option('--labels <path>', 'label file of --data')
    .addOption(
      new Option(
        '--label-column <n|name>',
        "CSV column of --data holding labels (default: the model's, for its training file)",
      ).argParser(labelColumnArg),
    )
    .addOption(
      new Option(
        '--ignore-columns <cols>',
        "CSV columns of --data to skip: names or 0-based indices, comma-separated (default: the model's)",
      ).argParser(columnListArg),
    )
    .option(
      '--normal-label <l[,l...]>',
      'label(s) of the normal rows; every other label is anomalous',
    )
    .addOption(new Option('--limit <n>', 'score the first n rows only').argParser(intArg(1)))
    .addOption(
      new Option('--threads <n>', 'onnxruntime threads (default: all cores)').argParser(intArg(1)),
    )
    .option(
      '--no-spin',
      "onnxruntime's idle threads sleep instead of spin-waiting (faster when other jobs share the cores)",
    )
    .option('--json', 'print the summary as JSON on stdout')
    .option('--quiet', 'print nothing on success')
    .addHelpText(
      'after',
      '\nExample:\n  aedr score --model runs/digit0 --data mnist:test --out scores.csv \\\n' +
        '    --threshold quantile:0.99 --train-data digit0.npy --normal-label 0',
    )
    .action(async (_opts: unknown, cmd: Command) => {
      await score(cmd.opts<ScoreFlags>(), ctx.io);
    });
}

/** A threshold in use and where it came from. */
interface Threshold {
  value: number;
  rule: string;
  source: 'flag' | 'model.json' | 'train-data';
  trainRows?: number;
}

/** What `aedr score` reports (the --json summary). */
export interface ScoreSummary {
  out: string;
  rows: number;
  metric: AnomalyMetric;
  units: 'scaled';
  threshold?: Threshold;
  flagged?: number;
  normal?: number;
  anomalous?: number;
  rocAuc?: number;
  prAuc?: number;
  atThreshold?: ThresholdMetrics;
}

/** Runs `aedr score`. @throws UsageError, ModelFormatError, DataError */
export async function score(f: ScoreFlags, io: CliIo): Promise<ScoreSummary> {
  const kind = outputKind(f.out, ['npy', 'csv'], '--out');
  let rule: ThresholdRule | undefined;
  if (f.threshold !== undefined) {
    try {
      rule = parseThresholdRule(f.threshold, '--threshold');
    } catch (err) {
      if (err instanceof ConfigError) throw new UsageError(err.message);
      throw err;
    }
  }
  if (f.trainData !== undefined && (rule === undefined || rule.kind === 'value')) {
    throw new UsageError(
      '--train-data is only used to fit a --threshold rule (mean+std, mean+Kstd, quantile:Q); drop it or give such a rule',
    );
  }
  const model = openModel(f.model, f.threads, f.spin);
  try {
    const jsonPath = join(f.model, 'model.json');
    const stored = parseAnomalyRecord(JSON.parse(readFileSync(jsonPath, 'utf8')), jsonPath);
    const metric = f.metric ?? stored?.metric ?? 'mse';
    const data = loadForModel(
      f.data,
      {
        labels: f.labels,
        labelColumn: f.labelColumn,
        ignoreColumns: f.ignoreColumns,
        limit: f.limit,
      },
      rememberedColumns(model.training),
      (line) => {
        if (!f.quiet && !f.json) io.err(`aedr: ${line}\n`);
      },
    );
    const isNormal = normalMask(f, data);
    const scores = await scoreAnomalies(model, checkWidth(data, f.data, f.model, model), {
      metric,
    });

    let threshold: Threshold | undefined;
    if (rule?.kind === 'value') {
      threshold = { value: rule.value, rule: formatThresholdRule(rule), source: 'flag' };
    } else if (rule !== undefined) {
      const text = formatThresholdRule(rule);
      if (stored && stored.metric === metric && sameRule(stored.rule, text)) {
        threshold = { value: stored.threshold, rule: text, source: 'model.json' };
      } else if (f.trainData !== undefined) {
        const train = loadForModel(f.trainData, {}, rememberedColumns(model.training));
        const fitted = await fitAnomalyThreshold(
          model,
          checkWidth(train, f.trainData, f.model, model),
          text,
          { metric },
        );
        threshold = {
          value: fitted.threshold,
          rule: text,
          source: 'train-data',
          trainRows: train.x.rows,
        };
      } else {
        const has = stored ? ` (it holds ${stored.rule} on ${stored.metric} scores)` : '';
        throw new UsageError(
          `--threshold ${text} is fitted on the ${metric} scores of the model's training rows, and ${jsonPath} holds no such threshold${has}; give --train-data <the model's training data>, or a fixed number`,
        );
      }
    } else if (stored) {
      if (stored.metric === metric) {
        threshold = { value: stored.threshold, rule: stored.rule, source: 'model.json' };
      } else if (!f.quiet) {
        io.err(
          `note: model.json's threshold (${stored.rule}) is for ${stored.metric} scores, not ${metric}; no rows are flagged\n`,
        );
      }
    }

    const summary: ScoreSummary = { out: f.out, rows: scores.length, metric, units: 'scaled' };
    let flagged: Float64Array | undefined;
    if (threshold) {
      const t = threshold.value;
      flagged = scores.map((s) => (s > t ? 1 : 0));
      summary.threshold = threshold;
      summary.flagged = flagged.reduce((a, b) => a + b, 0);
    }
    if (isNormal) {
      const positive = Uint8Array.from(isNormal, (v) => 1 - v);
      summary.normal = positive.length - positive.reduce((a, b) => a + b, 0);
      summary.anomalous = positive.length - summary.normal;
      summary.rocAuc = rocAuc(scores, positive);
      summary.prAuc = prAuc(scores, positive);
      if (threshold) summary.atThreshold = thresholdMetrics(scores, positive, threshold.value);
    }
    writeScores(f.out, kind, scores, flagged, data);
    if (f.json) io.out(JSON.stringify(summary, null, 2) + '\n');
    else if (!f.quiet) io.out(summaryText(summary, f.normalLabel));
    return summary;
  } finally {
    await model.dispose();
  }
}

function checkWidth(
  d: Dataset,
  spec: string,
  modelDir: string,
  model: AutoencoderModel,
): Dataset['x'] {
  if (d.x.cols !== model.inputDim) {
    throw new DataError(
      `has ${d.x.cols} columns, but the model ${modelDir} takes ${model.inputDim} inputs; expected data like its training data`,
      { file: spec },
    );
  }
  return d.x;
}

function sameRule(a: string, b: string): boolean {
  try {
    return formatThresholdRule(parseThresholdRule(a)) === b;
  } catch {
    return false;
  }
}

/** Which rows carry a normal label; undefined without --normal-label. @throws UsageError, DataError */
function normalMask(f: ScoreFlags, d: Dataset): Uint8Array | undefined {
  if (f.normalLabel === undefined) return undefined;
  const labels = d.labels;
  if (!labels) {
    throw new UsageError(
      `--normal-label needs labels for ${f.data}: give --labels <file> or --label-column <n|name>`,
    );
  }
  const codes = new Set<number>();
  for (const text of f.normalLabel.split(',').map((s) => s.trim())) {
    // Text labels match by name; integer labels by value.
    const code = d.labelNames
      ? d.labelNames.indexOf(text)
      : /^[+-]?\d+$/.test(text)
        ? Number(text)
        : NaN;
    if (d.labelNames ? code < 0 : !Number.isInteger(code)) {
      const known = d.labelNames ? `; the labels are ${d.labelNames.join(', ')}` : '';
      throw new UsageError(
        `--normal-label ${JSON.stringify(text)} is not a label of ${f.data}${known}`,
      );
    }
    codes.add(code);
  }
  const mask = Uint8Array.from(labels, (l) => (codes.has(l) ? 1 : 0));
  const nNormal = mask.reduce((a, b) => a + b, 0);
  if (nNormal === 0 || nNormal === mask.length) {
    const which = nNormal === 0 ? 'no row has' : 'every row has';
    throw new DataError(
      `${which} the normal label ${f.normalLabel}; ROC-AUC needs both normal and anomalous rows`,
      { file: f.labels ?? f.data },
    );
  }
  return mask;
}

function writeScores(
  path: string,
  kind: 'npy' | 'csv',
  scores: Float64Array,
  flagged: Float64Array | undefined,
  d: Dataset,
): void {
  if (kind === 'npy') {
    writeFileAtomic(path, encodeNpy([scores.length], scores));
    return;
  }
  const cols = flagged ? 2 : 1;
  const m = matrix(scores.length, cols, new Float64Array(scores.length * cols));
  for (let i = 0; i < scores.length; i++) {
    m.data[i * cols] = scores[i];
    if (flagged) m.data[i * cols + 1] = flagged[i];
  }
  writeCsv(path, m, {
    header: flagged ? ['score', 'flagged'] : ['score'],
    ...(d.labels ? { labels: d.labels } : {}),
    ...(d.labels && d.labelNames ? { labelNames: d.labelNames } : {}),
  });
}

const f4 = (v: number): string => v.toFixed(4);

function summaryText(s: ScoreSummary, normalLabel: string | undefined): string {
  const lines = [`wrote ${s.out}: ${groupDigits(s.rows)} ${s.metric} scores (scaled units)`];
  const t = s.threshold;
  if (t) {
    const from =
      t.source === 'train-data'
        ? ` fitted on ${groupDigits(t.trainRows ?? 0)} training rows`
        : t.source === 'model.json'
          ? ' from model.json'
          : '';
    lines.push(
      `threshold ${t.value.toPrecision(6)} (${t.rule}${from}): ${groupDigits(s.flagged ?? 0)} of ${groupDigits(s.rows)} rows flagged`,
    );
  }
  if (s.rocAuc !== undefined && s.prAuc !== undefined) {
    lines.push(
      `normal label ${normalLabel ?? ''}: ${groupDigits(s.normal ?? 0)} normal, ${groupDigits(s.anomalous ?? 0)} anomalous rows`,
      `ROC-AUC ${f4(s.rocAuc)}  PR-AUC ${f4(s.prAuc)}`,
    );
  }
  const a = s.atThreshold;
  if (a) {
    lines.push(
      `at the threshold: precision ${f4(a.precision)}  recall ${f4(a.recall)}  F1 ${f4(a.f1)}  (tp ${a.tp}, fp ${a.fp}, fn ${a.fn}, tn ${a.tn})`,
    );
  }
  return lines.join('\n') + '\n';
}
