/**
 * `aedr encode`: runs a saved model's encoder over a data set and writes the codes as .npy
 * (float32 [n, k]) or .csv/.tsv (header z0..z{k-1}, plus a `label` column when the data has
 * labels, holding the labels as given: class names stay names). The data is read as `train` read
 * it: without column flags, a CSV is read with the label and skipped columns the model remembers
 * (data-columns.ts); the model applies its own scaling.
 *
 * Large inputs are streamed (encode-run.ts, encode-stream.ts) with flat memory: a folder or glob of .npy shards,
 * Parquet and Arrow always, a .npy or CSV above `STREAM_BYTES` (or with `--stream`), and every
 * `--shard i/N` run (shard.ts), which writes one output per part plus a completion marker and
 * skips parts already done. Streamed codes carry no label column; `.parquet` output streams too.
 *
 * A VAE's codes are its means μ; `--logvar FILE` also writes log σ² (encoder.onnx's `logvar`
 * output) in the same form, for in-memory inputs.
 */
import { Option, type Command } from 'commander';
import { DataError } from '../../errors.js';
import { sourceFormatOf } from '../../data/stream/open.js';
import { UsageError, type CliContext, type CliIo } from '../context.js';
import { columnListArg, loadForModel, rememberedColumns } from '../data-columns.js';
import { groupDigits } from '../describe.js';
import { encodeStream, streamsInput, type EncodeFlags } from '../encode-run.js';
import { openModel } from '../load-model.js';
import { outputKind, writeMatrixFile } from '../matrix-files.js';
import { intArg, labelColumnArg } from '../options.js';
import { shardArg } from '../shard.js';

export type { EncodeFlags };

/** `aedr encode`'s flags: the streaming ones, and a VAE's log σ² output. */
export type EncodeCommandFlags = EncodeFlags & { logvar?: string };

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
      'data to encode: mnist (its 60k training images; = mnist:train), mnist:test (the 10k test images), a data file as for train, ' +
        'a folder or glob of .npy shards, .parquet or .arrow/.feather',
    )
    .requiredOption(
      '--out <file>',
      'output file: codes.npy, codes.csv, codes.tsv or (streamed) codes.parquet',
    )
    .option(
      '--logvar <file>',
      "a variational model's log σ² of each row, written like --out (.npy or .csv/.tsv); --out holds the means μ",
    )
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
    .addOption(
      new Option(
        '--columns <names>',
        'Parquet/Arrow: the float columns that make a row, or one list column (comma-separated; default: all numeric)',
      ).argParser((t: string) => t.split(',').map((c) => c.trim())),
    )
    .addOption(new Option('--limit <n>', 'encode the first n rows only').argParser(intArg(1)))
    .option(
      '--stream',
      'read the input in blocks with flat memory (automatic for shards, Parquet, Arrow, files over 256 MB and --shard)',
    )
    .addOption(
      new Option(
        '--shard <i/N>',
        'encode part i (0-based) of N disjoint parts (by shard file, else by row range) to <out>.part-000i-of-000N.<ext> ' +
          'with a .done marker; a rerun skips finished parts',
      ).argParser(shardArg),
    )
    .addOption(
      new Option('--threads <n>', 'onnxruntime threads (default: all cores)').argParser(intArg(1)),
    )
    .option(
      '--no-spin',
      "onnxruntime's idle threads sleep instead of spin-waiting (faster when other jobs share the cores)",
    )
    .option('--quiet', 'print nothing on success')
    .addHelpText(
      'after',
      '\nExample:\n  aedr encode --model runs/mnist-50 --data mnist:test --out codes.csv\n' +
        '  aedr encode --model runs/emb --data shards/ --out codes.npy --shard $JOB_COMPLETION_INDEX/8',
    )
    .action(async (_opts: unknown, cmd: Command) => {
      await encode(cmd.opts<EncodeCommandFlags>(), ctx.io);
    });
}

/** Runs `aedr encode`. @throws UsageError, ModelFormatError, DataError */
export async function encode(f: EncodeCommandFlags, io: CliIo): Promise<void> {
  const format = sourceFormatOf(f.data);
  for (const [flag, given] of [
    ['--shard', f.shard !== undefined],
    ['--stream', f.stream === true],
    ['--columns', f.columns !== undefined],
  ] as const) {
    const ok =
      flag === '--columns' ? format === 'parquet' || format === 'arrow' : format !== undefined;
    if (given && !ok) {
      const what =
        flag === '--columns'
          ? 'a .parquet or .arrow/.feather file'
          : 'a .npy file, a folder or glob of .npy shards, a CSV, .parquet or .arrow file';
      throw new UsageError(`${flag} needs --data to be ${what}, not ${f.data}`);
    }
  }
  if (f.logvar !== undefined && streamsInput(f))
    throw new UsageError(
      `--logvar is written for inputs read whole; ${f.data} is streamed (drop --stream/--shard, or encode without --logvar)`,
    );
  if (streamsInput(f) && (await encodeStream(f, io))) return;
  const kind = outputKind(f.out, ['npy', 'csv'], '--out');
  const logvarKind =
    f.logvar !== undefined ? outputKind(f.logvar, ['npy', 'csv'], '--logvar') : undefined;
  const model = openModel(f.model, f.threads, f.spin);
  try {
    if (f.logvar !== undefined && !model.variational)
      throw new UsageError(
        `--logvar needs a variational model (trained with --variational); ${f.model} gives codes only`,
      );
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
    const labelOpts = (
      k: 'npy' | 'csv',
    ): { labels?: Int32Array; labelNames?: readonly string[] } => ({
      ...(k === 'csv' && data.labels ? { labels: data.labels } : {}),
      ...(k === 'csv' && data.labels && data.labelNames ? { labelNames: data.labelNames } : {}),
    });
    writeMatrixFile(f.out, kind, codes, { prefix: 'z', ...labelOpts(kind) });
    if (f.logvar !== undefined && logvarKind !== undefined) {
      const logvar = await model.encodeLogvar(data.x);
      writeMatrixFile(f.logvar, logvarKind, logvar, { prefix: 'logvar', ...labelOpts(logvarKind) });
    }
    if (!f.quiet) {
      const labelled = kind === 'csv' && data.labels ? ', with labels' : '';
      io.out(
        `wrote ${f.out}: ${groupDigits(codes.rows)} codes of ${codes.cols} dimensions${labelled}\n`,
      );
      if (f.logvar !== undefined) io.out(`wrote ${f.logvar}: log σ² of the same rows\n`);
    }
  } finally {
    await model.dispose();
  }
}
