/**
 * `aedr study`: the MNIST latent-dimension study (what `npm start` runs) of the blog post
 * "Auto-Encoder (AE) 기반 차원 축소" (after Wang, Yao & Zhao, Neurocomputing 184 (2016) 232-242). Trains the
 * sweep (latent 10..100 x decoder relu/sigmoid), the deep AE, the convolutional denoising AE
 * and the PCA baselines, then writes
 * `<out>/index.html`, `results.json`, `results.md` and the figures. Finished runs are kept in
 * `<out>/runs/` and reused by a rerun with the same settings (`--fresh` ignores them), so Ctrl-C
 * or kill -9 loses at most the runs in progress.
 *
 * Progress goes to stderr: on a terminal one status line (active runs, ETA) above which each
 * finished run is printed; elsewhere plain lines, one per epoch and per run.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { ConfigError } from '../../errors.js';
import { ACTIVATIONS, type Activation } from '../../nn/activation.js';
import { formatNumber } from '../../report/format.js';
import {
  parseLatentDims,
  resolveStudyConfig,
  type StudyOptions,
} from '../../experiments/study/config.js';
import type { StudyEvent, StudyOutcome } from '../../experiments/study/outcome.js';
import { writeStudyReport } from '../../experiments/study/report.js';
import { runStudy } from '../../experiments/study/run.js';
import { cancelOnSigint } from '../cancel.js';
import { UsageError, type CliContext, type CliIo } from '../context.js';
import { statusLine } from '../progress.js';
import { secondsText, textTable } from '../describe.js';
import { intArg, listArg, numberArg } from '../options.js';

/** The parsed flags of `aedr study`. */
export interface StudyFlags {
  latent?: number[];
  activations?: Activation[];
  epochs?: number;
  batchSize?: number;
  lr?: number;
  trainSize?: number;
  testSize?: number;
  seed?: number;
  outputBias?: 'mean' | 'zero';
  deepEpochs?: number;
  conv?: string[];
  convEpochs?: number;
  saturation?: number;
  threads?: number;
  workers?: number;
  spin?: boolean;
  out?: string;
  quick?: boolean;
  fresh?: boolean;
  quiet?: boolean;
}

function activationsArg(text: string): Activation[] {
  const names = text.split(',').map((s) => s.trim());
  const ok: readonly string[] = ACTIVATIONS;
  if (names.some((n) => !ok.includes(n)))
    throw new InvalidArgumentError(`Expected a comma list of ${ok.join(', ')}.`);
  return names as Activation[];
}

/** `--conv 16,8/16,4` -> ['16,8', '16,4']; `none` -> []. */
function convListArg(text: string): string[] {
  const t = text.trim();
  if (t === 'none') return [];
  const lists = t.split('/').map((s) => s.replace(/\s+/g, ''));
  if (lists.some((l) => !/^\d+(,\d+)*$/.test(l) || l.split(',').some((v) => Number(v) < 1)))
    throw new InvalidArgumentError("Expected filter lists such as 16,8 or 16,8/16,4, or 'none'.");
  return lists;
}

/** Registers `aedr study`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('study')
    .summary('run the MNIST latent-size study and write an HTML report')
    .description(
      'Run the MNIST latent-dimension study (the blog post "Auto-Encoder (AE) 기반 차원 축소", after\n' +
        'Wang, Yao & Zhao, Neurocomputing 2016): shallow autoencoders 784-k-784 for every\n' +
        'latent size k and decoder output activation, the deep AE 784-128-64-12-3, the convolutional\n' +
        'denoising AE of the TensorFlow tutorial (3 epochs) and PCA at every code size;\n' +
        'then pick the saturation point and write <out>/index.html, results.json, results.md and PNGs.\n' +
        'Finished runs are kept in <out>/runs/ and reused when the settings are the same.',
    )
    .addOption(
      new Option(
        '--latent <dims>',
        'latent sizes: start:stop:step or a list (default 10:100:10)',
      ).argParser(
        listArg(parseLatentDims, 'Expected start:stop:step (10:100:10) or a list (10,50,100).'),
      ),
    )
    .addOption(
      new Option(
        '--activations <list>',
        'decoder output activations (default relu,sigmoid)',
      ).argParser(activationsArg),
    )
    .addOption(
      new Option('--epochs <n>', 'epochs of each sweep run (default 10)').argParser(intArg(1)),
    )
    .addOption(new Option('--batch-size <n>', 'batch size (default 32)').argParser(intArg(1)))
    .addOption(
      new Option('--lr <rate>', 'Adam learning rate of the sweep (default 0.001)').argParser(
        numberArg(0, { exclusiveMin: true }),
      ),
    )
    .addOption(
      new Option('--train-size <n>', 'first n MNIST training images (default 60000)').argParser(
        intArg(2, 60000),
      ),
    )
    .addOption(
      new Option('--test-size <n>', 'first n MNIST test images (default 10000)').argParser(
        intArg(10, 10000),
      ),
    )
    .addOption(new Option('--seed <n>', 'seed of every run (default 0)').argParser(intArg(0)))
    .addOption(
      new Option(
        '--output-bias <init>',
        "start of every model's output bias: mean (the mean training image, default) or zero (Keras)",
      ).choices(['mean', 'zero']),
    )
    .addOption(
      new Option('--deep-epochs <n>', 'epochs of the deep AE (default 10)').argParser(intArg(1)),
    )
    .addOption(
      new Option(
        '--conv <filters>',
        "convolutional denoising AEs' filter lists, '/' between models (default 16,8: the TensorFlow tutorial's, code 7x7x8 = 392 values; none: no conv model)",
      ).argParser(convListArg),
    )
    .addOption(
      new Option('--conv-epochs <n>', 'epochs of each conv AE (default 3)').argParser(intArg(1)),
    )
    .addOption(
      new Option(
        '--saturation <fraction>',
        'saturation rule: normalised slope below which the curve counts as flat (default 0.5)',
      ).argParser(numberArg(0, { exclusiveMin: true, max: 10 })),
    )
    .addOption(
      new Option('--threads <n>', 'CPU threads in all (default: all cores)').argParser(intArg(1)),
    )
    .addOption(
      new Option(
        '--workers <n>',
        'runs trained at once, each on threads/workers threads (default: = threads)',
      ).argParser(intArg(1)),
    )
    .option(
      '--no-spin',
      "onnxruntime's idle threads sleep instead of spin-waiting (faster when other jobs share the cores)",
    )
    .option('--out <dir>', 'output folder', 'report')
    .option(
      '--quick',
      'a small version (3000/1000 images, latent 10,50, 2 epochs, small deep AE, 2 conv epochs)',
    )
    .option('--fresh', 'retrain every run, ignoring finished runs in <out>/runs/')
    .option('--quiet', 'print no progress')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  aedr study                          # the full study into report/\n' +
        '  aedr study --quick --out /tmp/q     # a small version in well under a minute\n' +
        '  aedr study --latent 10,50,100 --activations sigmoid --epochs 5\n' +
        'Ctrl-C stops (exit code 130); finished runs are kept and a rerun continues.',
    )
    .action(async (_opts: unknown, cmd: Command) => {
      await study(cmd.opts<StudyFlags>(), ctx.io);
    });
}

/** Runs `aedr study` with parsed flags. @throws ConfigError, StudyCancelledError, training errors */
export async function study(f: StudyFlags, io: CliIo): Promise<StudySummary> {
  const options: StudyOptions = {
    ...(f.latent ? { latentDims: f.latent } : {}),
    ...(f.activations ? { activations: f.activations } : {}),
    ...(f.epochs !== undefined ? { epochs: f.epochs } : {}),
    ...(f.batchSize !== undefined ? { batchSize: f.batchSize } : {}),
    ...(f.lr !== undefined ? { learningRate: f.lr } : {}),
    ...(f.trainSize !== undefined ? { trainSize: f.trainSize } : {}),
    ...(f.testSize !== undefined ? { testSize: f.testSize } : {}),
    ...(f.seed !== undefined ? { seed: f.seed } : {}),
    ...(f.outputBias !== undefined ? { outputBias: f.outputBias } : {}),
    ...(f.deepEpochs !== undefined ? { deep: { epochs: f.deepEpochs } } : {}),
    ...(f.conv !== undefined || f.convEpochs !== undefined
      ? {
          conv: {
            ...(f.conv !== undefined ? { filters: f.conv } : {}),
            ...(f.convEpochs !== undefined ? { epochs: f.convEpochs } : {}),
          },
        }
      : {}),
    ...(f.saturation !== undefined ? { saturationFraction: f.saturation } : {}),
    ...(f.threads !== undefined ? { threads: f.threads } : {}),
    ...(f.workers !== undefined ? { workers: f.workers } : {}),
    ...(f.spin === false ? { spin: false } : {}),
    out: f.out ?? 'report',
    quick: f.quick === true,
    fresh: f.fresh === true,
  };
  try {
    resolveStudyConfig(options);
  } catch (err) {
    // A flag combination the parser could not reject (e.g. --workers above --threads).
    if (err instanceof ConfigError) throw new UsageError(err.message, { cause: err });
    throw err;
  }
  const printer = f.quiet ? () => undefined : progressPrinter(io);
  const cancel = cancelOnSigint(io, 'stopping; finished runs are kept', () => io.err('\n'));
  let summary: StudySummary;
  const startedAt = performance.now();
  try {
    const outcome = await runStudy(options, { signal: cancel.signal, onEvent: printer });
    printer({ type: 'phase', message: 'drawing figures and writing the report' });
    const files = await writeStudyReport(outcome.config.out, outcome, startedAt);
    summary = { ...outcome, files };
  } finally {
    cancel.release();
    printer({ type: 'phase', message: '' });
  }
  if (!f.quiet) io.out(summaryText(summary));
  return summary;
}

/** A study's outcome and the report files written. */
export interface StudySummary extends StudyOutcome {
  files: string[];
}

/** The closing text: the sweep table, the saturation answer and where the report is. */
function summaryText(s: StudySummary): string {
  const rows = s.rows.map((r) => [
    String(r.latent),
    r.activation,
    formatNumber(r.trainLoss),
    formatNumber(r.testMse),
    r.studyTestLoss !== undefined ? formatNumber(r.studyTestLoss) : '',
    r.pcaTestMse !== undefined ? formatNumber(r.pcaTestMse) : '',
    r.seconds.toFixed(1),
  ]);
  const table = textTable(
    ['latent', 'decoder', 'train_loss', 'test_mse', 'study_test', 'pca_test', 'seconds'],
    rows,
  );
  return (
    `${table}\n` +
    `deep AE ${s.deep.label.replace(/^deep /, '')}: test_mse ${formatNumber(s.deep.testMse)}\n` +
    s.conv
      .map(
        (c) =>
          `conv denoising AE ${c.filters} (code ${c.codeShape.join('x')} = ${c.latent}): test_mse ${formatNumber(c.testMse)}, noisy input ${formatNumber(c.testMseNoisy)}\n`,
      )
      .join('') +
    `recommended latent dimension: ${s.saturation.recommended ?? 'none'} (${s.saturation.rule})\n` +
    `${s.reused > 0 ? `${s.reused} run(s) reused; ` : ''}total ${secondsText(s.totalSeconds)}\n` +
    `report: ${s.files.find((p) => p.endsWith('index.html')) ?? s.config.out}\n`
  );
}

const eta = (s: number | undefined): string => (s === undefined ? '' : `  ETA ${secondsText(s)}`);

/** Prints study events: a redrawn status line on a terminal, plain lines otherwise. */
function progressPrinter(io: CliIo): (e: StudyEvent) => void {
  const tty = io.errIsTty;
  const active = new Map<string, string>();
  const status = statusLine(io);
  const line = status.line;
  const clear = status.clear;
  let lastDraw = 0;
  const draw = (left: number | undefined, force = false): void => {
    if (!tty) return;
    const now = performance.now();
    if (!force && now - lastDraw < 250) return;
    lastDraw = now;
    if (active.size === 0) return;
    status.draw(`${[...active.values()].join(' | ')}${eta(left)}`);
  };
  let total = 0;
  return (e) => {
    if (e.type === 'plan') {
      total = e.total;
      line(
        e.reused === e.total
          ? `study: ${e.total} runs, all reused from an earlier invocation`
          : `study: ${e.total} runs${e.reused > 0 ? ` (${e.reused} reused)` : ''}, ${e.workers} at a time over ${e.threads} thread(s)`,
      );
    } else if (e.type === 'run-start') {
      active.set(e.run.id, e.run.label);
      if (!tty)
        line(`[${String(e.position).padStart(2)}/${total}] start ${e.run.label}${eta(e.eta)}`);
      draw(e.eta, true);
    } else if (e.type === 'progress') {
      const p = e.progress;
      active.set(
        e.run.id,
        `${e.run.label} e${p.epoch}/${p.epochs} ${Math.round((100 * p.batch) / p.batches)}%`,
      );
      draw(e.eta);
    } else if (e.type === 'epoch') {
      const r = e.record;
      if (!tty)
        line(
          `        ${e.run.label}  epoch ${r.epoch}/${e.epochs}  loss ${formatNumber(r.trainLoss)}  test_mse ${formatNumber(r.testMse ?? NaN)}  ${r.seconds.toFixed(2)}s${eta(e.eta)}`,
        );
    } else if (e.type === 'run-done') {
      active.delete(e.run.id);
      const r = e.result;
      const what =
        r.kind === 'pca'
          ? `test_mse ${r.testMse.map((v) => formatNumber(v)).join(' ')}`
          : `test_mse ${formatNumber(r.testMse)}`;
      line(
        `[${String(e.done).padStart(2)}/${e.total}] done  ${e.run.label}  ${what}  ${secondsText(r.wallSeconds)}`,
      );
      draw(e.eta, true);
    } else if (e.message !== '') line(e.message);
    else clear();
  };
}
