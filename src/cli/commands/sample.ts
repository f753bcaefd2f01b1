/**
 * `aedr sample`: draws codes z ~ N(0, I) from the seed and decodes them through a saved
 * model's decoder (train/vae.ts `sampleFromPrior`, as pytorch/examples' VAE samples after each
 * epoch), writing the samples as a PNG grid of square grayscale images (mapped to [0, 1] as
 * `aedr decode` does) or as .npy/.csv/.tsv rows in data units. `--codes FILE` also writes the
 * drawn codes. The prior is a VAE's: a plain autoencoder's codes follow no such distribution,
 * so for one the command still samples but warns that the samples are decodings of arbitrary
 * points.
 */
import { Option, type Command } from 'commander';
import { ConfigError } from '../../errors.js';
import { imageGrid } from '../../report/image-grid.js';
import { sampleFromPrior } from '../../train/vae.js';
import { writeFileAtomic } from '../../util/atomic.js';
import type { CliContext, CliIo } from '../context.js';
import { groupDigits } from '../describe.js';
import { openModel } from '../load-model.js';
import { outputKind, writeMatrixFile } from '../matrix-files.js';
import { intArg } from '../options.js';
import { toUnit } from './decode.js';

/** The parsed flags of `aedr sample`. */
export interface SampleFlags {
  model: string;
  out: string;
  n: number;
  seed: number;
  codes?: string;
  cols?: number;
  scale: number;
  threads?: number;
  spin?: boolean;
  quiet?: boolean;
}

/** Registers `aedr sample`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('sample')
    .summary("decode random codes from a VAE's prior N(0, I)")
    .description(
      "Draw codes z ~ N(0, I) (seeded) and run a model's decoder over them: new examples from a variational " +
        'model (aedr train --variational). A plain autoencoder is sampled too, with a warning: its codes ' +
        'follow no N(0, I), so its samples are decodings of arbitrary points.',
    )
    .requiredOption('--model <dir>', 'model folder written by `aedr train` (a --variational one)')
    .requiredOption(
      '--out <file>',
      'samples.png (a grid of square grayscale images; the input size must be a square, e.g. 784), or samples.npy/.csv/.tsv rows in data units',
    )
    .addOption(new Option('--n <n>', 'number of samples').argParser(intArg(1)).default(64))
    .addOption(new Option('--seed <n>', 'seed of the draws').argParser(intArg(0)).default(0))
    .option('--codes <file>', 'also write the drawn codes (.npy or .csv/.tsv)')
    .addOption(
      new Option(
        '--cols <n>',
        'PNG: images per row (default: 8 up to 64 samples, else √n)',
      ).argParser(intArg(1)),
    )
    .addOption(
      new Option('--scale <n>', 'PNG: pixels per image pixel').argParser(intArg(1)).default(2),
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
      '\nExample:\n  aedr train --data mnist --layers 400,20 --variational --loss bce --batch-size 128 --out runs/vae\n' +
        '  aedr sample --model runs/vae --n 64 --seed 1 --out samples.png',
    )
    .action(async (_opts: unknown, cmd: Command) => {
      await sample(cmd.opts<SampleFlags>(), ctx.io);
    });
}

/** Runs `aedr sample`. @throws UsageError, ModelFormatError, ConfigError */
export async function sample(f: SampleFlags, io: CliIo): Promise<void> {
  const kind = outputKind(f.out, ['npy', 'csv', 'png'], '--out');
  const codesKind =
    f.codes !== undefined ? outputKind(f.codes, ['npy', 'csv'], '--codes') : undefined;
  const model = openModel(f.model, f.threads, f.spin);
  try {
    const side = Math.round(Math.sqrt(model.inputDim));
    if (kind === 'png' && side * side !== model.inputDim) {
      throw new ConfigError(
        `--out ${f.out}: a PNG needs square images, but the model's input size ${model.inputDim} is not a square number; write .npy or .csv instead`,
      );
    }
    const { codes, samples, priorMatters } = await sampleFromPrior(model, { n: f.n, seed: f.seed });
    if (!priorMatters && !f.quiet)
      io.err(
        `aedr: warning: ${f.model} is not variational: its codes follow no N(0, I), so these samples decode arbitrary points (train with --variational for a model to sample from)\n`,
      );
    if (kind === 'png') {
      const cols = Math.min(
        samples.rows,
        f.cols ?? (samples.rows <= 64 ? 8 : Math.ceil(Math.sqrt(samples.rows))),
      );
      const png = imageGrid(toUnit(samples, model.scaling), {
        n: samples.rows,
        h: side,
        w: side,
        cols,
        scale: f.scale,
      });
      writeFileAtomic(f.out, png);
    } else {
      writeMatrixFile(f.out, kind, samples, { prefix: 'x' });
    }
    if (f.codes !== undefined && codesKind !== undefined)
      writeMatrixFile(f.codes, codesKind, codes, { prefix: 'z' });
    if (!f.quiet) {
      const what = kind === 'png' ? `${side}x${side} images` : `rows of ${samples.cols} values`;
      io.out(
        `wrote ${f.out}: ${groupDigits(samples.rows)} samples (${what}) from N(0, I) in ${codes.cols} dimensions, seed ${f.seed}\n`,
      );
    }
  } finally {
    await model.dispose();
  }
}
