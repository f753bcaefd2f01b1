/**
 * `aedr encode`: runs a saved model's encoder over a data set and writes the codes as .npy
 * (float32 [n, k]) or .csv/.tsv (header z0..z{k-1}, plus a `label` column when the data has
 * labels, holding the labels as given: class names stay names). The data is read as `train` read
 * it: without column flags, a CSV is read with the label and skipped columns the model remembers
 * (data-columns.ts); the model applies its own scaling.
 *
 * Large inputs are streamed (encode-stream.ts) with flat memory: a folder or glob of .npy shards,
 * Parquet and Arrow always, a .npy or CSV above `STREAM_BYTES` (or with `--stream`), and every
 * `--shard i/N` run (shard.ts), which writes one output per part plus a completion marker and
 * skips parts already done. Streamed codes carry no label column; `.parquet` output streams too.
 */
import { statSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { DataError } from '../../errors.js';
import type { ColumnRef } from '../../data/csv-columns.js';
import { openSource, sourceFormatOf } from '../../data/stream/open.js';
import { NpyShardSource } from '../../data/stream/shards.js';
import type { RowSource } from '../../data/stream/source.js';
import type { AutoencoderModel } from '../../train/model.js';
import { UsageError, type CliContext, type CliIo } from '../context.js';
import { groupDigits } from '../describe.js';
import {
  checkWidth,
  countRows,
  openStreamWriter,
  rowProgress,
  STREAM_BYTES,
  streamOutputKind,
  streamRows,
} from '../encode-stream.js';
import { openModel } from '../load-model.js';
import { outputKind, writeMatrixFile } from '../matrix-files.js';
import { intArg, labelColumnArg } from '../options.js';
import {
  columnFlagsText,
  columnListArg,
  loadForModel,
  rememberedColumns,
} from '../data-columns.js';
import {
  finishedPart,
  partPath,
  planPart,
  sha256File,
  shardArg,
  writeMarker,
  type ShardSpec,
} from '../shard.js';

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
  spin?: boolean;
  quiet?: boolean;
  /** Parquet/Arrow: the columns that make a row. */
  columns?: string[];
  /** Stream the input even when it is small. */
  stream?: boolean;
  shard?: ShardSpec;
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
      'data to encode: mnist (its 60k training images; = mnist:train), mnist:test (the 10k test images), a data file as for train, ' +
        'a folder or glob of .npy shards, .parquet or .arrow/.feather',
    )
    .requiredOption(
      '--out <file>',
      'output file: codes.npy, codes.csv, codes.tsv or (streamed) codes.parquet',
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
      await encode(cmd.opts<EncodeFlags>(), ctx.io);
    });
}

/** Runs `aedr encode`. @throws UsageError, ModelFormatError, DataError */
export async function encode(f: EncodeFlags, io: CliIo): Promise<void> {
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
  if (streamsInput(f) && (await encodeStream(f, io))) return;
  const kind = outputKind(f.out, ['npy', 'csv'], '--out');
  const model = openModel(f.model, f.threads, f.spin);
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

/** Whether `f` takes the streaming path (see the module doc). */
export function streamsInput(f: EncodeFlags): boolean {
  const format = sourceFormatOf(f.data);
  if (format === undefined) return false;
  if (f.stream === true || f.shard !== undefined || /\.(parquet|pq)$/i.test(f.out)) return true;
  if (format === 'npy-shards' || format === 'parquet' || format === 'arrow') return true;
  const labelled =
    f.labels !== undefined || f.labelColumn !== undefined || f.ignoreColumns !== undefined;
  const size = statSync(f.data, { throwIfNoEntry: false })?.size ?? 0;
  return !labelled && size >= STREAM_BYTES;
}

/**
 * The streaming `aedr encode`, with `--shard`. Returns false, having done nothing, for a CSV
 * streamed only for its size whose columns the model reads with remembered label or skipped
 * columns, which the in-memory reader applies.
 */
async function encodeStream(f: EncodeFlags, io: CliIo): Promise<boolean> {
  streamOutputKind(f.out, '--out');
  for (const [flag, v] of [
    ['--labels', f.labels],
    ['--label-column', f.labelColumn],
    ['--ignore-columns', f.ignoreColumns],
  ] as const) {
    if (v !== undefined) {
      throw new UsageError(
        `${flag} does not apply to a streamed input (${f.data}); streamed codes have no label column. Drop ${flag}, or encode a file under 256 MB without --stream/--shard/.parquet`,
      );
    }
  }
  if (f.shard !== undefined && f.limit !== undefined) {
    throw new UsageError('--limit and --shard do not go together; drop --limit');
  }
  const format = sourceFormatOf(f.data);
  const explicit = f.stream === true || f.shard !== undefined || /\.(parquet|pq)$/i.test(f.out);
  const model = openModel(f.model, f.threads, f.spin);
  try {
    const source = await openSource(f.data, f.columns ? { columns: f.columns } : {});
    try {
      const remembered = rememberedColumns(model.training);
      if (source.cols !== model.inputDim && remembered !== undefined && format === 'csv') {
        if (!explicit) return false;
        throw new UsageError(
          `${f.data}: the model reads this CSV with ${columnFlagsText(remembered)}, which a streamed CSV cannot apply; write the feature columns alone (CSV, .npy or Parquet) to stream them`,
        );
      }
      checkWidth(source, model.inputDim, 'takes', f.model);
      if (f.shard === undefined) {
        const total =
          source.rows === undefined ? undefined : Math.min(source.rows, f.limit ?? Infinity);
        const r = await encodePart(model, source, f.out, 0, f.limit ?? Infinity, total, f, io);
        if (!f.quiet) {
          io.out(`wrote ${f.out}: ${groupDigits(r.rows)} codes of ${model.latentDim} dimensions\n`);
        }
        return true;
      }
      const total = await countRows(source);
      const files =
        source instanceof NpyShardSource
          ? source.layouts.map((L) => ({ file: L.file, rows: L.rows }))
          : undefined;
      const plan = planPart(f.shard, total, files);
      const out = partPath(f.out, f.shard);
      const expect = {
        part: f.shard.index,
        parts: f.shard.count,
        input: f.data,
        start: plan.start,
        end: plan.end,
        cols: model.latentDim,
      };
      const label = `part ${f.shard.index}/${f.shard.count}`;
      const done = await finishedPart(out, expect);
      if (done !== undefined) {
        if (!f.quiet) {
          io.out(`${label}: ${out} is already done (${groupDigits(done.rows)} codes); skipped\n`);
        }
        return true;
      }
      const r = await encodePart(
        model,
        source,
        out,
        plan.start,
        plan.end,
        plan.end - plan.start,
        f,
        io,
      );
      writeMarker({
        ...expect,
        rows: r.rows,
        output: out,
        sha256: await sha256File(out),
        seconds: Math.round(r.seconds * 1000) / 1000,
      });
      if (!f.quiet) {
        const what = plan.by === 'files' ? `${plan.files?.length ?? 0} shard files, ` : '';
        io.out(
          `${label}: wrote ${out}: ${groupDigits(r.rows)} codes of ${model.latentDim} dimensions (${what}rows ${groupDigits(plan.start)}..${groupDigits(plan.end)})\n`,
        );
      }
      return true;
    } finally {
      await source.close();
    }
  } finally {
    await model.dispose();
  }
}

/** Rows `start .. end-1` of `source` encoded into `out` (temp file renamed at the end). */
async function encodePart(
  model: AutoencoderModel,
  source: RowSource,
  out: string,
  start: number,
  end: number,
  total: number | undefined,
  f: EncodeFlags,
  io: CliIo,
): Promise<{ rows: number; seconds: number }> {
  const t0 = performance.now();
  const writer = await openStreamWriter(out, model.latentDim, 'z');
  const progress = rowProgress(io, 'encode', total, f.quiet);
  try {
    const rows = await streamRows(source, writer, {
      start,
      end,
      transform: (x) => model.encode(x),
      onRows: (n) => progress.update(n),
    });
    await writer.finish();
    return { rows, seconds: (performance.now() - t0) / 1000 };
  } catch (err) {
    await writer.abort();
    throw err;
  } finally {
    progress.done();
  }
}
