/**
 * `aedr intrinsic-dim`: estimates the intrinsic dimension by an autoencoder sweep (the study's
 * saturation rule on held-out reconstruction error against latent size), MLE, TwoNN and PCA.
 * Without `--data` it runs the true-vs-estimated table over synthetic manifolds (d = 1..10 in
 * 24 dimensions, noise-free and noisy); with `--data mnist|PATH` it reports that data set (with
 * labels: kNN accuracy against latent size too); `--synthetic` adds the table to a data run.
 */
import { Option, type Command } from 'commander';
import { formatNumber } from '../../report/format.js';
import { parseLatentDims } from '../../experiments/study/config.js';
import {
  runIntrinsicDimExperiment,
  type IntrinsicDimOptions,
  type IntrinsicDimReport,
} from '../../experiments/intrinsic-dim/run.js';
import { dimFindings, writeIntrinsicDimReport } from '../../experiments/intrinsic-dim/report.js';
import {
  addComputeFlags,
  withComputeBackend,
  type ComputeEnv,
  type ComputeFlags,
} from '../compute.js';
import { UsageError, type CliContext, type CliIo } from '../context.js';
import { secondsText } from '../describe.js';
import { intArg, labelColumnArg, listArg, numberArg } from '../options.js';
import type { ColumnRef } from '../../data/csv-columns.js';
import { columnListArg } from '../data-columns.js';

/** The parsed flags of `aedr intrinsic-dim`. */
export interface IntrinsicDimFlags extends ComputeFlags {
  data?: string;
  labels?: string;
  labelColumn?: number | string;
  ignoreColumns?: ColumnRef[];
  synthetic?: boolean;
  n?: number;
  latent?: number[];
  epochs?: number;
  noise?: number;
  concurrency?: number;
  seed?: number;
  mle?: 'calibrated' | 'levina-bickel';
  out: string;
  quick?: boolean;
  quiet?: boolean;
}

/** Registers `aedr intrinsic-dim`. */
export function register(program: Command, ctx: CliContext): void {
  addComputeFlags(program.command('intrinsic-dim'))
    .summary(
      'estimate intrinsic dimension: AE sweep, MLE, TwoNN, PCA (synthetic table or a data set)',
    )
    .description(
      'Estimate the intrinsic dimension four ways: the knee of an autoencoder sweep (held-out\n' +
        "reconstruction error against latent size, the study's flattening rule), MLE (Levina-Bickel,\n" +
        'calibrated on uniform d-balls by default), ' +
        "TwoNN and PCA's components for 90%/95% of the variance. Without --data: the table of true vs\n" +
        'estimated dimension over synthetic manifolds (linear, sphere, smooth; d = 1..10 in 24 dims,\n' +
        'noise-free and noisy). With --data: that data set (and with labels, kNN accuracy against\n' +
        'latent size). Writes <out>/index.html, results.md, results.json and PNGs.',
    )
    .option(
      '--data <mnist|path>',
      'a data set: mnist (first --n training images) or a .csv/.tsv/.npy/.json/IDX file',
    )
    .option('--labels <path>', 'label file of --data (enables kNN accuracy against latent size)')
    .addOption(
      new Option(
        '--label-column <n|name>',
        'CSV column of --data holding labels (enables kNN accuracy against latent size)',
      ).argParser(labelColumnArg),
    )
    .addOption(
      new Option(
        '--ignore-columns <cols>',
        'CSV columns of --data to skip, such as IDs: names or 0-based indices, comma-separated',
      ).argParser(columnListArg),
    )
    .option('--synthetic', 'also run the synthetic table when --data is given')
    .addOption(
      new Option(
        '--n <rows>',
        'training rows (table default 2000; mnist 10000; files: all)',
      ).argParser(intArg(30)),
    )
    .addOption(
      new Option(
        '--latent <sizes>',
        'latent sizes of the AE sweep: start:stop:step or a list',
      ).argParser(
        listArg(parseLatentDims, 'Expected start:stop:step (1:14:1) or a list (1,2,4,8).'),
      ),
    )
    .addOption(
      new Option('--epochs <n>', 'epochs of each AE (table 20, mnist 10)').argParser(intArg(1)),
    )
    .addOption(
      new Option(
        '--noise <sd>',
        'noise sd of the noisy half of the table (default 0.01)',
      ).argParser(numberArg(0, { exclusiveMin: true })),
    )
    .addOption(
      new Option('--concurrency <n>', 'table cases run at once (default 2)').argParser(
        intArg(1, 16),
      ),
    )
    .addOption(new Option('--seed <n>', 'seed of the split and the AEs').argParser(intArg(0)))
    .addOption(
      new Option(
        '--mle <variant>',
        'MLE variant: calibrated (mapped through the same statistic on uniform d-balls of the same size, default) or levina-bickel (plain)',
      ).choices(['calibrated', 'levina-bickel']),
    )
    .option('--out <dir>', 'output folder', 'report/intrinsic-dim')
    .option(
      '--quick',
      'a small version (table: d in 1,4 with 500 points; data: 1000 rows, 3 epochs)',
    )
    .option('--quiet', 'print no progress')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  aedr intrinsic-dim                          # the synthetic table (a few minutes)\n' +
        '  aedr intrinsic-dim --data mnist             # MNIST, with kNN accuracy against latent size\n' +
        '  aedr intrinsic-dim --data points.csv --labels labels.txt --latent 1:20:1\n' +
        '  aedr intrinsic-dim --quick --out /tmp/idim',
    )
    .action(async (_opts: unknown, cmd: Command) => {
      await intrinsicDim(cmd.opts<IntrinsicDimFlags>(), ctx.io, ctx);
    });
}

/** Runs `aedr intrinsic-dim` with parsed flags. @throws UsageError, DataError, ConfigError */
export async function intrinsicDim(
  f: IntrinsicDimFlags,
  io: CliIo,
  env: ComputeEnv = {},
): Promise<IntrinsicDimReport> {
  if (f.labels !== undefined && f.data === undefined)
    throw new UsageError('--labels belongs to --data; give --data <path> too');
  if (f.synthetic && f.data === undefined)
    throw new UsageError(
      '--synthetic adds the table to a --data run; without --data the table runs anyway',
    );
  if (f.latent !== undefined && f.latent.length < 2)
    throw new UsageError(`--latent needs at least 2 sizes for a curve, got ${f.latent.join(',')}`);
  const common = {
    ...(f.latent ? { latentSizes: f.latent } : {}),
    ...(f.epochs !== undefined ? { epochs: f.epochs } : {}),
    ...(f.seed !== undefined ? { seed: f.seed } : {}),
    ...(f.mle !== undefined ? { mleVariant: f.mle } : {}),
  };
  const opts: IntrinsicDimOptions = {
    quick: f.quick === true,
    ...(f.data !== undefined ? { data: f.data, synthetic: f.synthetic === true } : {}),
    dataOptions: {
      ...common,
      ...(f.n !== undefined ? { n: f.n } : {}),
      ...(f.labels ? { labels: f.labels } : {}),
      ...(f.labelColumn !== undefined ? { labelColumn: f.labelColumn } : {}),
      ...(f.ignoreColumns ? { ignoreColumns: f.ignoreColumns } : {}),
    },
    table: {
      ...common,
      ...(f.n !== undefined ? { n: f.n } : {}),
      ...(f.noise !== undefined ? { noiseLevels: [0, f.noise] } : {}),
      ...(f.concurrency !== undefined ? { concurrency: f.concurrency } : {}),
    },
    ...(f.quiet ? {} : { onProgress: (line: string) => io.err(line + '\n') }),
  };
  const r = await withComputeBackend(f, env, (backend) =>
    runIntrinsicDimExperiment({
      ...opts,
      compute: { backend, ...(f.spin === false ? { spin: false } : {}) },
    }),
  );
  const files = await writeIntrinsicDimReport(f.out, r);
  if (!f.quiet) {
    const lines = dimFindings(r).map((x) => `- ${x}`);
    if (r.table) {
      const all = r.table.rates.find((g) => g.group === 'all');
      if (all)
        lines.unshift(
          `within ±1 over ${all.cases} cases: AE ${formatNumber(all.within.ae)}, MLE ${formatNumber(all.within.mle)}, TwoNN ${formatNumber(all.within.twoNN)}, PCA 95% ${formatNumber(all.within.pca95)}`,
        );
    }
    lines.push(
      `wrote ${files.length} files to ${f.out}/ (index.html, results.md, results.json, PNGs) in ${secondsText(r.seconds)}`,
      '',
    );
    io.out(lines.join('\n'));
  }
  return r;
}
