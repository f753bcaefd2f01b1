/**
 * `aedr encode`: runs a saved model's encoder over a data set and writes the codes as .npy
 * (float32 [n, k]) or .csv/.tsv (header z0..z{k-1}, plus a `label` column when the data has
 * labels, holding the labels as given: class names stay names). The data is read as `train` read
 * it: without column flags, a CSV is read with the label and skipped columns the model remembers
 * (data-columns.ts); the model applies its own scaling.
 */
import { Option, type Command } from 'commander';
import { DataError } from '../../errors.js';
import type { ColumnRef } from '../../data/csv-columns.js';
import type { CliContext, CliIo } from '../context.js';
import { groupDigits } from '../describe.js';
import { openModel } from '../load-model.js';
import { outputKind, writeMatrixFile } from '../matrix-files.js';
import { intArg, labelColumnArg } from '../options.js';
import { columnListArg, loadForModel, rememberedColumns } from '../data-columns.js';

/** The parsed flags of `aedr encode`. */
export interface EncodeFlags {
  model: string;
  data: string;
  out: string;
  labels?: string;
  labelColumn?: number | string;
  ignoreColumns?: ColumnRef[];
  limit?: number;
  threads?: number;
  quiet?: boolean;
}

/** Registers `aedr encode`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('encode')
    .summary('write the codes of a data set')
    .description(
      "Run a model's encoder over data and write the codes: .npy (float32, n x k) or .csv/.tsv " +
        '(header z0..z{k-1}, plus a label column when the data has labels; .npy holds the codes only).',
    )
    .requiredOption('--model <dir>', 'model folder written by `aedr train`')
    .requiredOption(
      '--data <mnist|path>',
      'data to encode: mnist (its 60k training images; = mnist:train), mnist:test (the 10k test images) or a data file as for train',
    )
    .requiredOption('--out <file>', 'output file: codes.npy, codes.csv or codes.tsv')
    .option('--labels <path>', 'label file of --data, written as the CSV label column')
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
    .addOption(new Option('--limit <n>', 'encode the first n rows only').argParser(intArg(1)))
    .addOption(
      new Option('--threads <n>', 'onnxruntime threads (default: all cores)').argParser(intArg(1)),
    )
    .option('--quiet', 'print nothing on success')
    .addHelpText(
      'after',
      '\nExample:\n  aedr encode --model runs/mnist-50 --data mnist:test --out codes.csv',
    )
    .action(async (_opts: unknown, cmd: Command) => {
      await encode(cmd.opts<EncodeFlags>(), ctx.io);
    });
}

/** Runs `aedr encode`. @throws UsageError, ModelFormatError, DataError */
export async function encode(f: EncodeFlags, io: CliIo): Promise<void> {
  const kind = outputKind(f.out, ['npy', 'csv'], '--out');
  const model = openModel(f.model, f.threads);
  try {
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
        if (!f.quiet) io.err(`aedr: ${line}\n`);
      },
    );
    if (data.x.cols !== model.inputDim) {
      throw new DataError(
        `has ${data.x.cols} columns, but the model ${f.model} takes ${model.inputDim} inputs; expected data like its training data`,
        { file: f.data },
      );
    }
    const codes = await model.encode(data.x);
    writeMatrixFile(f.out, kind, codes, {
      prefix: 'z',
      ...(kind === 'csv' && data.labels ? { labels: data.labels } : {}),
      ...(kind === 'csv' && data.labels && data.labelNames ? { labelNames: data.labelNames } : {}),
    });
    if (!f.quiet) {
      const labelled = kind === 'csv' && data.labels ? ', with labels' : '';
      io.out(
        `wrote ${f.out}: ${groupDigits(codes.rows)} codes of ${codes.cols} dimensions${labelled}\n`,
      );
    }
  } finally {
    await model.dispose();
  }
}
