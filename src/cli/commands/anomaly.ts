/**
 * `aedr anomaly`: the MNIST one-class protocol (experiments/anomaly/): for each digit, a dense
 * AE, a convolutional AE and a VAE trained on that digit's training images score all test
 * images by reconstruction error (the VAE's through its mean code μ), beside PCA reconstruction
 * error; writes `<out>/index.html`, `results.md`, `results.json` and
 * PNGs (ROC curves, most and least anomalous images).
 */
import { Option, type Command } from 'commander';
import {
  checkAnomalySettings,
  defaultAnomalySettings,
  quickAnomalySettings,
  type AnomalySettings,
} from '../../experiments/anomaly/config.js';
import { writeAnomalyReport, anomalyFindings } from '../../experiments/anomaly/report.js';
import { mnistAnomalyData, runAnomaly, type AnomalyResult } from '../../experiments/anomaly/run.js';
import { ConfigError } from '../../errors.js';
import { sliceRows } from '../../util/matrix.js';
import { UsageError, type CliContext, type CliIo } from '../context.js';
import { secondsText, textTable } from '../describe.js';
import { withComputeBackend, type ComputeEnv } from '../compute.js';
import { intArg, layersArg, numberArg } from '../options.js';

/** The parsed flags of `aedr anomaly`. */
export interface AnomalyFlags {
  digits?: string;
  layers?: number[];
  epochs?: number;
  batchSize?: number;
  lr?: number;
  pcaComponents?: number;
  /** Conv AE filter counts (e.g. '16,8'), or false (--no-conv) to leave it out. */
  conv?: string | boolean;
  convEpochs?: number;
  /** false (--no-vae) leaves the VAE out. */
  vae?: boolean;
  vaeEpochs?: number;
  beta?: number;
  trainLimit?: number;
  testLimit?: number;
  seed?: number;
  threads?: number;
  spin?: boolean;
  out: string;
  quick?: boolean;
  quiet?: boolean;
}

/** Registers `aedr anomaly`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('anomaly')
    .summary('one-class MNIST: AUROC per digit of dense, conv and variational AEs vs PCA')
    .description(
      'For each digit c, train a dense, a convolutional and a variational autoencoder on the\n' +
        'training images of c only and score all 10,000 test images by reconstruction error (the\n' +
        "VAE's of its mean code μ; c is normal, the other digits anomalous);\n" +
        'PCA reconstruction error is the baseline. Writes <out>/index.html, results.md, results.json\n' +
        'and PNGs (ROC curves, most and least anomalous images).',
    )
    .option('--digits <list>', 'normal digits to run, comma-separated (default all ten)')
    .addOption(
      new Option(
        '--layers <sizes>',
        'AE encoder sizes, the last is the code (default 128,32)',
      ).argParser(layersArg),
    )
    .addOption(new Option('--epochs <n>', 'AE epochs (default 20)').argParser(intArg(1)))
    .addOption(new Option('--batch-size <n>', 'AE batch size (default 128)').argParser(intArg(1)))
    .addOption(
      new Option('--lr <rate>', 'Adam learning rate (default 0.001)').argParser(
        numberArg(0, { exclusiveMin: true }),
      ),
    )
    .option(
      '--conv <filters>',
      "conv AE filter counts: the TensorFlow tutorial's 3x3 stride-2 Conv2D family (default 16,8)",
    )
    .option('--no-conv', 'leave the conv AE out')
    .addOption(
      new Option('--conv-epochs <n>', 'conv AE epochs (default 10; --quick 4)').argParser(
        intArg(1),
      ),
    )
    .option('--no-vae', 'leave the VAE out')
    .addOption(
      new Option('--vae-epochs <n>', 'VAE epochs (default 20; --quick 8)').argParser(intArg(1)),
    )
    .addOption(
      new Option('--beta <b>', "the VAE's KL weight β (default 1)").argParser(numberArg(0)),
    )
    .addOption(
      new Option('--pca-components <n>', "PCA components (default: the AE's code size)").argParser(
        intArg(1),
      ),
    )
    .addOption(
      new Option('--train-limit <n>', 'training images per digit at most').argParser(intArg(2)),
    )
    .addOption(new Option('--test-limit <n>', 'the first n test images').argParser(intArg(2)))
    .addOption(new Option('--seed <n>', 'seed (default 0)').argParser(intArg(0)))
    .addOption(
      new Option(
        '--threads <n>',
        'CPU threads of onnxruntime (the AEs and PCA) (default: all cores)',
      ).argParser(intArg(1)),
    )
    .option(
      '--no-spin',
      "onnxruntime's idle threads sleep instead of spin-waiting (faster when other jobs share the cores)",
    )
    .option('--out <dir>', 'output folder', 'report/anomaly')
    .option(
      '--quick',
      'a small version: 500 training images per digit, 2,000 test images, AE 64,16 for 8 epochs, conv AE for 4, VAE for 8',
    )
    .option('--quiet', 'print no progress')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  aedr anomaly                         # the full protocol into report/anomaly\n' +
        '  aedr anomaly --quick --out /tmp/anomaly\n' +
        '  aedr anomaly --digits 3,8 --epochs 40 --conv-epochs 20\n' +
        '  aedr anomaly --quick --no-conv --no-vae',
    )
    .action(async (_opts: unknown, cmd: Command) => {
      await anomaly(cmd.opts<AnomalyFlags>(), ctx.io, ctx);
    });
}

/** The digits of `--digits`. @throws UsageError */
function parseDigits(text: string): number[] {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.some((p) => !/^\d$/.test(p)))
    throw new UsageError(
      `--digits ${JSON.stringify(text)}: expected comma-separated digits 0-9, e.g. 3,8`,
    );
  return [...new Set(parts.map(Number))];
}

/** The filter counts of `--conv`. @throws UsageError */
function parseFilters(text: string): number[] {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.some((p) => !/^[1-9]\d*$/.test(p)))
    throw new UsageError(
      `--conv ${JSON.stringify(text)}: expected comma-separated filter counts, e.g. 16,8`,
    );
  return parts.map(Number);
}

/** Runs `aedr anomaly` with parsed flags. @throws UsageError, DataError, ConfigError */
export async function anomaly(
  f: AnomalyFlags,
  io: CliIo,
  env: ComputeEnv = {},
): Promise<AnomalyResult> {
  const base = f.quick ? quickAnomalySettings() : defaultAnomalySettings();
  const layers = f.layers ?? base.layers;
  if (f.conv === false && f.convEpochs !== undefined)
    throw new UsageError('--conv-epochs applies to the conv AE; drop --no-conv or --conv-epochs');
  const convBase = base.conv ?? { filters: [16, 8], epochs: 10, batchSize: 32, learningRate: 1e-3 };
  const conv =
    f.conv === false
      ? undefined
      : {
          ...convBase,
          ...(typeof f.conv === 'string' ? { filters: parseFilters(f.conv) } : {}),
          ...(f.convEpochs !== undefined ? { epochs: f.convEpochs } : {}),
        };
  if (f.vae === false && (f.vaeEpochs !== undefined || f.beta !== undefined))
    throw new UsageError('--vae-epochs and --beta apply to the VAE; drop --no-vae or them');
  const vaeBase = base.vae ?? defaultAnomalySettings().vae;
  const vae =
    f.vae === false || vaeBase === undefined
      ? undefined
      : {
          ...vaeBase,
          ...(f.vaeEpochs !== undefined ? { epochs: f.vaeEpochs } : {}),
          ...(f.beta !== undefined ? { beta: f.beta } : {}),
        };
  const { conv: _c, vae: _v, ...rest } = base;
  const s: AnomalySettings = {
    ...rest,
    ...(conv ? { conv } : {}),
    ...(vae ? { vae } : {}),
    layers,
    epochs: f.epochs ?? base.epochs,
    batchSize: f.batchSize ?? base.batchSize,
    learningRate: f.lr ?? base.learningRate,
    pcaComponents: f.pcaComponents ?? (f.layers ? layers[layers.length - 1] : base.pcaComponents),
    seed: f.seed ?? base.seed,
    ...(f.digits !== undefined ? { classes: parseDigits(f.digits) } : {}),
    ...(f.trainLimit !== undefined ? { trainLimit: f.trainLimit } : {}),
    ...(f.testLimit !== undefined ? { testLimit: f.testLimit } : {}),
    ...(f.threads !== undefined ? { threads: f.threads } : {}),
    ...(f.spin === false ? { spin: false } : {}),
  };
  try {
    checkAnomalySettings(s);
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(err.message);
    throw err;
  }
  const data = mnistAnomalyData();
  const say = (t: string): void => {
    if (!f.quiet) io.err(t + '\n');
  };
  const r = await withComputeBackend(f, env, (backend) =>
    runAnomaly(
      data,
      s,
      (e) => {
        if (e.kind === 'start')
          say(
            `[${e.index + 1}/${e.total}] normal digit ${e.normal}: ${e.trainRows} training images`,
          );
        else if (e.kind === 'done') {
          const o = e.outcome;
          const conv = o.conv ? `  conv AE ${o.conv.auroc.toFixed(4)}` : '';
          const vae = o.vae ? `  VAE ${o.vae.auroc.toFixed(4)}` : '';
          const secs =
            o.ae.seconds + (o.conv?.seconds ?? 0) + (o.vae?.seconds ?? 0) + o.pca.seconds;
          say(
            `  AUROC AE ${o.ae.auroc.toFixed(4)}${conv}${vae}  PCA ${o.pca.auroc.toFixed(4)}  (${secondsText(secs)})`,
          );
        }
      },
      backend,
    ),
  );
  const testX = sliceRows(data.test.x, 0, r.data.testRows);
  const files = await writeAnomalyReport(f.out, r, { testX, h: 28, w: 28, pixelMax: 255 });
  if (!f.quiet) io.out(summaryText(r, f.out, files.length));
  return r;
}

function summaryText(r: AnomalyResult, out: string, nFiles: number): string {
  const f4 = (v: number | undefined): string => (v === undefined ? '' : v.toFixed(4));
  const table = textTable(
    ['digit', ...r.methods.map((m) => `${m}_auroc`)],
    [
      ...r.classes.map((c) => [String(c.normal), ...r.methods.map((m) => f4(c[m]?.auroc))]),
      ['mean', ...r.methods.map((m) => f4(r.meanAuroc[m]))],
    ],
  );
  return [
    table,
    '',
    ...anomalyFindings(r).map((x) => `- ${x}`),
    '',
    `wrote ${nFiles} files to ${out}/ (index.html, results.md, results.json, PNGs) in ${secondsText(r.seconds)}`,
    '',
  ].join('\n');
}
