/**
 * `aedr info`: what a model folder holds: architecture, parameter count, scaling, how it was
 * trained (the epochs actually run of those planned, and why training stopped), the final MSE in
 * scaled and data units, its history per epoch, and its files with their ONNX input and output
 * names (what a program loading encoder.onnx or decoder.onnx feeds and reads), and the anomaly
 * threshold stored at training time, if any. The folder is
 * fully checked (hashes, weights) before anything is printed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { formatNumber } from '../../report/format.js';
import type { TrainingConfig } from '../../train/model.js';
import { inputSize, isLayerSpec, type NetSpec } from '../../nn/autoencoder-spec.js';
import { describeLayers } from '../../nn/layer-spec.js';
import { parseManifest, restoredSpec, type Manifest } from '../../train/persist.js';
import type { CliContext, CliIo } from '../context.js';
import { columnFlagsText, rememberedColumns } from '../data-columns.js';
import { mseText, rememberedFinalMse, scaledUnitsText } from '../mse-units.js';
import {
  groupDigits,
  layersText,
  parameterCount,
  plural,
  sizesText,
  textTable,
} from '../describe.js';
import { openModel } from '../load-model.js';

/** The parsed flags of `aedr info`. */
export interface InfoFlags {
  model: string;
  json?: boolean;
}

/** Registers `aedr info`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('info')
    .summary('describe a model folder')
    .description(
      'Print what a model folder holds: architecture, parameter count, scaling, training settings, ' +
        'history per epoch, and its files with their ONNX input/output names.',
    )
    .requiredOption('--model <dir>', 'model folder written by `aedr train`')
    .option('--json', 'print model.json with the parameter count added, as JSON')
    .addHelpText('after', '\nExample:\n  aedr info --model runs/mnist-50')
    .action(async (_opts: unknown, cmd: Command) => {
      await info(cmd.opts<InfoFlags>(), ctx.io);
    });
}

/** Runs `aedr info`. @throws ModelFormatError */
export async function info(f: InfoFlags, io: CliIo): Promise<void> {
  const model = openModel(f.model);
  await model.dispose();
  const file = join(f.model, 'model.json');
  const m = parseManifest(JSON.parse(readFileSync(file, 'utf8')) as unknown, file);
  const parameters = parameterCount(restoredSpec(m.architecture));
  if (f.json) {
    io.out(JSON.stringify({ model: f.model, parameters, ...m }, null, 2) + '\n');
    return;
  }
  io.out(describeManifest(f.model, m, parameters) + '\n');
}

/** A VAE's β and the sparsity penalties, as one line ('' for a plain autoencoder). */
function regularizationText(a: NetSpec, t: TrainingConfig): string {
  const parts: string[] = [];
  if (!isLayerSpec(a) && a.variational)
    parts.push(
      `variational (VAE): code = mean μ, encoder.onnx also gives logvar; beta ${formatNumber(t.beta ?? 1)}`,
    );
  if (t.activityL1 !== undefined) parts.push(`activity L1 ${formatNumber(t.activityL1)}`);
  if (t.sparsity !== undefined)
    parts.push(
      `KL sparsity rho ${formatNumber(t.sparsity)}, weight ${formatNumber(t.sparsityWeight ?? 1)}`,
    );
  return parts.join('; ');
}

/** The text `aedr info` prints. */
export function describeManifest(dir: string, m: Manifest, parameters: number): string {
  const a = restoredSpec(m.architecture);
  const inputDim = inputSize(a);
  const lines = [
    `model         ${dir}${m.savedAt ? ` (saved ${m.savedAt})` : ''}`,
    `architecture  ${sizesText(a)}, ${groupDigits(parameters)} parameters, code size ${m.latentDim}`,
    ...(isLayerSpec(a)
      ? describeLayers(a).map((l) => `  ${l}`)
      : [
          `  encoder     ${layersText(a.inputDim, a.encoder)}`,
          `  decoder     ${layersText(m.latentDim, a.decoder)}`,
        ]),
    `scaling       ${m.scaling.kind}; losses and MSEs are in ${scaledUnitsText(m.scaling)}`,
  ];
  const t = m.training;
  if (t) {
    const { name, ...settings } = t.optimizer;
    const opt = Object.entries(settings)
      .map(([k, v]) => `${k} ${typeof v === 'number' ? formatNumber(v) : String(v)}`)
      .join(', ');
    const rows = `${groupDigits(t.trainSize)} train rows${t.testSize !== undefined ? `, ${groupDigits(t.testSize)} test rows` : ''}`;
    lines.push(
      `training      ${t.data !== undefined ? `data ${t.data}, ` : ''}${rows}`,
      `              ${stopText(t, m.history.at(-1)?.epoch ?? 0)}`,
      `              batch ${t.batchSize}, loss ${t.loss}, ${name} (${opt}), seed ${t.seed}${t.threads !== undefined ? `, ${t.threads} threads` : ''}${t.outputBias === 'mean' ? ', output bias from the data mean' : ''}`,
    );
    const reg = regularizationText(a, t);
    if (reg) lines.push(`              ${reg}`);
    const cols = rememberedColumns(t);
    if (cols) lines.push(`columns       ${columnFlagsText(cols)} (encode and serve apply them)`);
    const fm = rememberedFinalMse(t);
    if (fm) {
      const test = fm.test ? `, test ${mseText(fm.test, m.scaling.kind)}` : '';
      lines.push(`final MSE     train ${mseText(fm.train, m.scaling.kind)}${test}`);
    }
  }
  const an = m.anomaly;
  if (an) {
    const how = /^[a-z]/.test(an.rule) ? `${an.rule}, fitted on the training rows` : 'fixed';
    lines.push(
      `anomaly       threshold ${formatNumber(an.threshold)} on ${an.metric} scores (${how}); aedr score flags rows above it`,
    );
  }
  lines.push('files');
  const dims = { input: inputDim, code: m.latentDim, output: inputDim };
  const shape = (name: string): string => `[batch, ${dims[name as keyof typeof dims] ?? '?'}]`;
  lines.push(
    textTable(
      ['file', 'input', 'output', 'sha256'],
      Object.values(m.files)
        .map((e) => [
          e.path,
          `'${e.input}' ${shape(e.input)}`,
          `'${e.output}' ${shape(e.output)}`,
          e.sha256.slice(0, 12),
        ])
        .concat([['model.json', '', '', '']]),
    ),
  );
  lines.push(`history (${plural(m.history.length, 'epoch')})`);
  if (m.history.length > 0) {
    const test = m.history.some((r) => r.testMse !== undefined);
    lines.push(
      textTable(
        ['epoch', 'loss', 'train MSE', ...(test ? ['test MSE'] : []), 'seconds'],
        m.history.map((r) => [
          String(r.epoch),
          formatNumber(r.trainLoss),
          formatNumber(r.trainMse),
          ...(test ? [r.testMse !== undefined ? formatNumber(r.testMse) : ''] : []),
          r.seconds.toFixed(2),
        ]),
      ),
    );
  }
  return lines.join('\n');
}

/**
 * How many epochs the folder's model was trained for, of how many planned, and why it stopped:
 * `model.json`'s `training.stopReason` when recorded, else what the history length implies.
 * `historyEpochs` is the last history record's epoch number (a parametric UMAP's folder keeps
 * only its last epoch's record).
 */
export function stopText(t: TrainingConfig, historyEpochs: number): string {
  const planned = t.epochs;
  const ran = `${plural(historyEpochs, 'epoch')} run`;
  const of = historyEpochs === planned ? '' : ` of ${planned} planned`;
  switch (t.stopReason) {
    case 'completed':
      return `${ran}${of}: completed`;
    case 'early-stopped': {
      const es = t.earlyStopping;
      const why = es ? ` (${es.monitor} did not improve for ${plural(es.patience, 'epoch')})` : '';
      const best =
        t.bestEpoch !== undefined ? `; the folder holds the best epoch, ${t.bestEpoch}` : '';
      return `${ran}${of}: stopped early${why}${best}`;
    }
    case 'cancelled':
      return `${ran}${of}: cancelled (Ctrl-C); the folder holds the last finished epoch`;
    case 'callback':
      return `${ran}${of}: stopped by a callback`;
    case 'diverged':
      return `${ran}${of}: the loss diverged; the folder holds the last good epoch`;
    case undefined:
      return historyEpochs < planned
        ? `${ran}${of}: the run ended early (cancelled or interrupted)`
        : `${ran}${of}`;
  }
}
