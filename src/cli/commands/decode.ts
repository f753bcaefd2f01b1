/**
 * `aedr decode`: runs a saved model's decoder over codes (from `aedr encode`, or made up) and
 * writes the reconstructions in data units as .npy/.csv/.tsv, or as a PNG grid of square
 * grayscale images (report/image-grid.ts). For the PNG, values are mapped to [0, 1] by the
 * model's scaling: 0..255 for divide255, the fitted min..max range for minmax, and the
 * reconstructions' own min..max for none/standardize (0..1 when they already lie in it).
 * Large codes (a .npy over `STREAM_BYTES`, a folder or glob of .npy shards, Parquet or
 * Arrow, or `--stream`) and `.parquet` output are streamed block by block (encode-stream.ts).
 */
import { statSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { ConfigError } from '../../errors.js';
import { openSource, sourceFormatOf } from '../../data/stream/open.js';
import type { Scaling } from '../../data/scaling.js';
import { imageGrid } from '../../report/image-grid.js';
import { writeFileAtomic } from '../../util/atomic.js';
import { sliceRows, type Matrix32 } from '../../util/matrix.js';
import type { CliContext, CliIo } from '../context.js';
import { groupDigits } from '../describe.js';
import { openModel } from '../load-model.js';
import { outputKind, readCodes, writeMatrixFile } from '../matrix-files.js';
import { intArg } from '../options.js';
import {
  checkWidth,
  openStreamWriter,
  rowProgress,
  STREAM_BYTES,
  streamRows,
} from '../encode-stream.js';

/** The parsed flags of `aedr decode`. */
export interface DecodeFlags {
  model: string;
  codes: string;
  out: string;
  cols?: number;
  scale: number;
  limit?: number;
  threads?: number;
  spin?: boolean;
  quiet?: boolean;
  /** Stream the codes even when they are small. */
  stream?: boolean;
}

/** Registers `aedr decode`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('decode')
    .summary('turn codes back into data or a PNG image grid')
    .description(
      "Run a model's decoder over codes and write the reconstructions (data units): .npy, .csv/.tsv, " +
        'or .png, a grid of square grayscale images (the input size must be a square, e.g. 784).',
    )
    .requiredOption('--model <dir>', 'model folder written by `aedr train`')
    .requiredOption(
      '--codes <file>',
      'codes: .npy, .csv/.tsv or .json (a CSV label column is carried over to a CSV output); ' +
        'streamed: a folder or glob of .npy shards, .parquet, .arrow/.feather',
    )
    .requiredOption(
      '--out <file>',
      'output file: out.npy, out.csv, out.tsv, out.png or (streamed) out.parquet',
    )
    .addOption(
      new Option(
        '--cols <n>',
        'PNG: images per row (default: 10, or the square root for more than 100)',
      ).argParser(intArg(1)),
    )
    .addOption(
      new Option('--scale <n>', 'PNG: output pixels per image pixel')
        .argParser(intArg(1, 64))
        .default(2),
    )
    .addOption(new Option('--limit <n>', 'decode the first n codes only').argParser(intArg(1)))
    .addOption(
      new Option('--threads <n>', 'onnxruntime threads (default: all cores)').argParser(intArg(1)),
    )
    .option(
      '--no-spin',
      "onnxruntime's idle threads sleep instead of spin-waiting (faster when other jobs share the cores)",
    )
    .option(
      '--stream',
      'read the codes in blocks with flat memory (automatic for shards, Parquet, Arrow and files over 256 MB)',
    )
    .option('--quiet', 'print nothing on success')
    .addHelpText(
      'after',
      '\nExample:\n  aedr encode --model runs/mnist-50 --data mnist:test --limit 100 --out codes.npy\n' +
        '  aedr decode --model runs/mnist-50 --codes codes.npy --out digits.png --cols 10',
    )
    .action(async (_opts: unknown, cmd: Command) => {
      await decode(cmd.opts<DecodeFlags>(), ctx.io);
    });
}

/** Runs `aedr decode`. @throws UsageError, ModelFormatError, DataError, ConfigError */
export async function decode(f: DecodeFlags, io: CliIo): Promise<void> {
  if (streamsCodes(f)) {
    await decodeStream(f, io);
    return;
  }
  const kind = outputKind(f.out, ['npy', 'csv', 'png'], '--out');
  const model = openModel(f.model, f.threads, f.spin);
  try {
    const side = Math.round(Math.sqrt(model.inputDim));
    if (kind === 'png' && side * side !== model.inputDim) {
      throw new ConfigError(
        `--out ${f.out}: a PNG needs square images, but the model's input size ${model.inputDim} is not a square number; write .npy or .csv instead`,
      );
    }
    const codes = readCodes(f.codes, model.latentDim);
    let z = codes.x;
    if (f.limit !== undefined && z.rows > f.limit) z = sliceRows(z, 0, f.limit);
    const x = await model.decode(z);
    if (kind === 'png') {
      const cols = Math.min(x.rows, f.cols ?? (x.rows > 100 ? Math.ceil(Math.sqrt(x.rows)) : 10));
      const png = imageGrid(toUnit(x, model.scaling), {
        n: x.rows,
        h: side,
        w: side,
        cols,
        scale: f.scale,
      });
      writeFileAtomic(f.out, png);
      if (!f.quiet) {
        const rows = Math.ceil(x.rows / cols);
        io.out(
          `wrote ${f.out}: ${groupDigits(x.rows)} images of ${side}x${side} in ${rows} rows of ${cols}\n`,
        );
      }
      return;
    }
    const labels =
      codes.labels && z.rows < codes.labels.length ? codes.labels.slice(0, z.rows) : codes.labels;
    writeMatrixFile(f.out, kind, x, {
      prefix: 'x',
      ...(kind === 'csv' && labels ? { labels } : {}),
      ...(kind === 'csv' && labels && codes.labelNames ? { labelNames: codes.labelNames } : {}),
    });
    if (!f.quiet) io.out(`wrote ${f.out}: ${groupDigits(x.rows)} rows of ${x.cols} values\n`);
  } finally {
    await model.dispose();
  }
}

/** Whether `f` takes the streaming path (see the module doc); never for a PNG. */
export function streamsCodes(f: DecodeFlags): boolean {
  if (/\.png$/i.test(f.out)) return false;
  const format = sourceFormatOf(f.codes);
  if (format === undefined) return false;
  if (f.stream === true || /\.(parquet|pq)$/i.test(f.out)) return true;
  if (format === 'npy-shards' || format === 'parquet' || format === 'arrow') return true;
  return (
    format === 'npy' && (statSync(f.codes, { throwIfNoEntry: false })?.size ?? 0) >= STREAM_BYTES
  );
}

/** The streaming `aedr decode`. */
async function decodeStream(f: DecodeFlags, io: CliIo): Promise<void> {
  const model = openModel(f.model, f.threads, f.spin);
  try {
    const source = await openSource(f.codes);
    try {
      checkWidth(source, model.latentDim, 'has a latent size of', f.model);
      const end = f.limit ?? Infinity;
      const total = source.rows === undefined ? undefined : Math.min(source.rows, end);
      const writer = await openStreamWriter(f.out, model.inputDim, 'x');
      const progress = rowProgress(io, 'decode', total, f.quiet);
      let rows: number;
      try {
        rows = await streamRows(source, writer, {
          end,
          transform: (z) => model.decode(z),
          onRows: (n) => progress.update(n),
        });
        await writer.finish();
      } catch (err) {
        await writer.abort();
        throw err;
      } finally {
        progress.done();
      }
      if (!f.quiet)
        io.out(`wrote ${f.out}: ${groupDigits(rows)} rows of ${model.inputDim} values\n`);
    } finally {
      await source.close();
    }
  } finally {
    await model.dispose();
  }
}

/** Data-unit values mapped to [0, 1] for display (see module doc). */
export function toUnit(x: Matrix32, s: Scaling): Float32Array {
  let lo: number;
  let hi: number;
  if (s.kind === 'divide255') [lo, hi] = [0, 255];
  else if (s.kind === 'minmax')
    [lo, hi] = [s.min.reduce((a, b) => Math.min(a, b)), s.max.reduce((a, b) => Math.max(a, b))];
  else {
    lo = Infinity;
    hi = -Infinity;
    for (const v of x.data) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (lo >= 0 && hi <= 1) [lo, hi] = [0, 1];
  }
  const span = hi > lo ? hi - lo : 1;
  const out = new Float32Array(x.data.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.min(1, Math.max(0, (x.data[i] - lo) / span));
  return out;
}
