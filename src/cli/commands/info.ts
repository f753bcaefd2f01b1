/**
 * `aedr info`: what a model folder holds: architecture, parameter count, scaling, how it was
 * trained, its history per epoch, and its files with their ONNX input and output names (what a
 * program loading encoder.onnx or decoder.onnx feeds and reads). The folder is fully checked
 * (hashes, weights) before anything is printed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { formatNumber } from '../../report/format.js';
import { parseManifest, type Manifest } from '../../train/persist.js';
import type { CliContext, CliIo } from '../context.js';
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
  const parameters = parameterCount(m.architecture);
  if (f.json) {
    io.out(JSON.stringify({ model: f.model, parameters, ...m }, null, 2) + '\n');
    return;
  }
  io.out(describeManifest(f.model, m, parameters) + '\n');
}

/** The text `aedr info` prints. */
export function describeManifest(dir: string, m: Manifest, parameters: number): string {
  const a = m.architecture;
  const lines = [
    `model         ${dir}${m.savedAt ? ` (saved ${m.savedAt})` : ''}`,
    `architecture  ${sizesText(a)}, ${groupDigits(parameters)} parameters, code size ${m.latentDim}`,
    `  encoder     ${layersText(a.inputDim, a.encoder)}`,
    `  decoder     ${layersText(m.latentDim, a.decoder)}`,
    `scaling       ${m.scaling.kind}`,
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
      `              ${plural(t.epochs, 'epoch')}, batch ${t.batchSize}, loss ${t.loss}, ${name} (${opt}), seed ${t.seed}${t.threads !== undefined ? `, ${t.threads} threads` : ''}${t.outputBias === 'mean' ? ', output bias from the data mean' : ''}`,
    );
  }
  lines.push('files');
  const dims = { input: a.inputDim, code: m.latentDim, output: a.inputDim };
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
