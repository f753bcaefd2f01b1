/**
 * `aedr train`: loads data, fits the scaling on the training rows, builds a stacked autoencoder
 * (stackSpec), trains it with `fit` and saves the model folder after every epoch, so an
 * interrupted run (Ctrl-C, even kill -9) leaves the last finished epoch: saveModel swaps the
 * folder in atomically. Ctrl-C stops after the batches running at that moment (the first
 * Ctrl-C), a second one quits at once.
 */
import { Option, type Command } from 'commander';
import { DataError, TrainingDivergedError } from '../../errors.js';
import type { Dataset } from '../../data/dataset.js';
import { formatOf, loadDataset } from '../../data/load.js';
import { SCALING_KINDS, type ScalingKind } from '../../data/scaling.js';
import { ACTIVATIONS, type Activation } from '../../nn/activation.js';
import { LOSSES, type LossName } from '../../nn/loss.js';
import type { EpochRecord } from '../../train/model.js';
import { saveModel } from '../../train/persist.js';
import { checkModelCodes, codeCheckWarning } from '../../train/code-check.js';
import { prepareAutoencoder } from '../../train/setup.js';
import { fit, TrainingCancelledError } from '../../train/trainer.js';
import { EXIT_CANCELLED, UsageError, type CliContext, type CliIo } from '../context.js';
import { groupDigits, parameterCount, plural, secondsText, sizesText } from '../describe.js';
import { intArg, labelColumnArg, layersArg, numberArg } from '../options.js';
import { checkOutDir, defaultName } from '../out-dir.js';
import { createReporter } from '../progress.js';
import { formatNumber } from '../../report/format.js';

/** The parsed flags of `aedr train`. */
export interface TrainFlags {
  data: string;
  testData?: string;
  labels?: string;
  labelColumn?: number | string;
  latent?: number;
  layers?: number[];
  activation: Activation;
  codeActivation?: Activation;
  outputActivation?: Activation;
  loss: LossName;
  outputBias: 'mean' | 'zero';
  optimizer: 'adam' | 'sgd';
  lr?: number;
  momentum?: number;
  epochs: number;
  batchSize: number;
  seed: number;
  threads?: number;
  spin: boolean;
  scaling?: ScalingKind;
  limit?: number;
  out?: string;
  quiet?: boolean;
  json?: boolean;
}

const MNIST_TRAIN = /^mnist(:train)?$/i;

/** Registers `aedr train`. */
export function register(program: Command, ctx: CliContext): void {
  const act = (flag: string, what: string): Option =>
    new Option(`${flag} <name>`, what).choices(ACTIVATIONS);
  program
    .command('train')
    .summary('train an autoencoder and save it as a model folder')
    .description(
      'Train an autoencoder and save it as a model folder (encoder.onnx, decoder.onnx, model.json). ' +
        'The folder is saved after every epoch (atomically), so an interrupted run keeps the last ' +
        'finished epoch; an existing model folder at --out is replaced.',
    )
    .requiredOption(
      '--data <mnist|path>',
      'training data: mnist (60k train images, with the 10k test images as test data) or a ' +
        '.csv/.tsv/.txt/.npy/.json/IDX file, one sample per row',
    )
    .option('--test-data <path>', 'data to report test MSE on after every epoch')
    .option(
      '--labels <path>',
      'label file of --data, checked to hold one label per row (training does not use labels)',
    )
    .addOption(
      new Option(
        '--label-column <n|name>',
        'CSV column holding labels, left out of the features (0-based index, negative from the end, or header name)',
      ).argParser(labelColumnArg),
    )
    .addOption(
      new Option('--latent <n>', 'code size of a one-hidden-layer autoencoder (same as --layers N)')
        .argParser(intArg(1))
        .conflicts('layers'),
    )
    .addOption(
      new Option(
        '--layers <sizes>',
        'encoder sizes, the last is the code; the decoder mirrors them (e.g. 128,64,12,3)',
      ).argParser(layersArg),
    )
    .addOption(act('--activation', 'activation of the hidden layers').default('relu'))
    .addOption(
      act(
        '--code-activation',
        'activation of the code layer (default: linear, which cannot die; relu as in the study can leave code units at 0 for every row)',
      ),
    )
    .addOption(
      act(
        '--output-activation',
        'activation of the reconstruction (default: sigmoid when the scaled data lie in [0, 1], else linear)',
      ),
    )
    .addOption(
      new Option(
        '--output-bias <init>',
        'start of the output bias: mean (the mean training example, so no output unit starts dead) or zero (Keras)',
      )
        .choices(['mean', 'zero'])
        .default('mean'),
    )
    .addOption(new Option('--loss <name>', 'reconstruction loss').choices(LOSSES).default('mse'))
    .addOption(
      new Option('--optimizer <name>', 'optimiser').choices(['adam', 'sgd']).default('adam'),
    )
    .addOption(
      new Option('--lr <rate>', 'learning rate (default: 0.001 for adam, 0.01 for sgd)').argParser(
        numberArg(0, { exclusiveMin: true }),
      ),
    )
    .addOption(
      new Option('--momentum <m>', 'SGD momentum, in [0, 1) (default: 0)').argParser(
        numberArg(0, { max: 0.999999 }),
      ),
    )
    .addOption(
      new Option('--epochs <n>', 'passes over the training data').argParser(intArg(1)).default(10),
    )
    .addOption(new Option('--batch-size <n>', 'samples per step').argParser(intArg(1)).default(32))
    .addOption(
      new Option('--seed <n>', 'seed of weight init and shuffling').argParser(intArg(0)).default(0),
    )
    .addOption(
      new Option('--threads <n>', 'onnxruntime threads (default: all cores)').argParser(intArg(1)),
    )
    .option(
      '--no-spin',
      "onnxruntime's idle threads sleep instead of spin-waiting (faster when other jobs share the cores)",
    )
    .addOption(
      new Option(
        '--scaling <kind>',
        'input scaling fitted on the training rows (default: divide255 for mnist, minmax for files)',
      ).choices(SCALING_KINDS),
    )
    .addOption(new Option('--limit <n>', 'train on the first n rows only').argParser(intArg(1)))
    .option('--out <dir>', 'model folder (default: runs/<data name>-<layer sizes>)')
    .option('--quiet', 'print no progress')
    .option('--json', 'print the final summary as JSON on stdout')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  aedr train --data mnist --latent 50 --epochs 10 --out runs/mnist-50',
        '  aedr train --data mnist --layers 128,64,12,3 --lr 0.005',
        '  aedr train --data points.csv --label-column label --latent 2 --epochs 50',
        '',
        'Progress goes to stderr: a bar on a terminal, else one line per epoch:',
        '  epoch 3/10  loss 0.01234  train_mse 0.01211  test_mse 0.0119  1.02s',
        'Ctrl-C stops training; the folder keeps the last finished epoch (exit code 130).',
      ].join('\n'),
    )
    .action(async (_opts: unknown, cmd: Command) => {
      await train(cmd.opts<TrainFlags>(), ctx.io);
    });
}

/** Runs `aedr train` with parsed flags. @throws UsageError, DataError, ConfigError, TrainingDivergedError, TrainingCancelledError */
export async function train(f: TrainFlags, io: CliIo): Promise<void> {
  const started = performance.now();
  const layers = f.layers ?? (f.latent !== undefined ? [f.latent] : undefined);
  if (layers === undefined)
    throw new UsageError('give the code size with --latent N or --layers a,b,...,code');
  if (f.momentum !== undefined && f.optimizer !== 'sgd')
    throw new UsageError('--momentum applies to --optimizer sgd only');
  const isMnist = /^mnist(:(train|test))?$/i.test(f.data);
  if (isMnist && (f.labels !== undefined || f.labelColumn !== undefined))
    throw new UsageError(
      `--data ${f.data} has its own labels; --labels and --label-column do not apply`,
    );
  const out = f.out ?? `runs/${defaultName(f.data, layers)}`;
  const existed = checkOutDir(out);

  const data = loadDataset(f.data, {
    labels: f.labels,
    labelColumn: f.labelColumn,
    limit: f.limit,
  });
  const test = loadTestData(f, data);
  if (f.batchSize > data.x.rows) {
    throw new UsageError(
      `--batch-size ${f.batchSize} exceeds the ${data.x.rows} training rows of ${f.data}; give a smaller --batch-size`,
    );
  }
  const scalingKind = f.scaling ?? (isMnist ? 'divide255' : 'minmax');
  const { model, optimizer, loss, warnings } = prepareAutoencoder(data.x, {
    layers,
    activation: f.activation,
    codeActivation: f.codeActivation,
    outputActivation: f.outputActivation,
    scaling: scalingKind,
    outputBias: f.outputBias,
    optimizer: f.optimizer,
    learningRate: f.lr,
    momentum: f.momentum,
    loss: f.loss,
    seed: f.seed,
    threads: f.threads,
  });
  const spec = model.spec;
  if (!f.quiet) for (const w of warnings) io.err(`aedr: warning: ${w}\n`);

  const reporter = createReporter(f.quiet ? 'quiet' : io.errIsTty ? 'bar' : 'lines', io);
  const controller = new AbortController();
  const onSigint = (): void => {
    if (controller.signal.aborted) process.exit(EXIT_CANCELLED);
    reporter.stop();
    io.err('aedr: stopping after the running batches (Ctrl-C again to quit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  let saved = 0;
  let history: EpochRecord[];
  try {
    history = await fit(model, data.x, {
      epochs: f.epochs,
      batchSize: f.batchSize,
      optimizer,
      loss,
      seed: f.seed,
      threads: f.threads,
      spin: f.spin,
      ...(test ? { testData: test.x } : {}),
      signal: controller.signal,
      dataName: f.data,
      // After Ctrl-C the batches still running would redraw the bar under the message.
      onProgress: (p) => {
        if (!controller.signal.aborted) reporter.progress(p);
      },
      onEpochEnd: (r, m) => {
        saveModel(m, out);
        saved += 1;
        reporter.epochEnd(r, saved, f.epochs);
      },
    });
    reporter.stop();
    const codes = await checkModelCodes(model, data.x);
    saveModel(model, out);
    const warning = codeCheckWarning(
      codes,
      model.spec.encoder[model.spec.encoder.length - 1].activation,
    );
    if (warning !== undefined && !f.quiet) io.err(`aedr: warning: ${warning}\n`);
  } catch (err) {
    if (err instanceof TrainingCancelledError || err instanceof TrainingDivergedError) {
      const kept =
        saved > 0
          ? `${out} holds the model after epoch ${saved}`
          : `nothing was saved${existed ? `; ${out} is unchanged` : ''}`;
      err.message = `${err.message}; ${kept}`;
    }
    throw err;
  } finally {
    process.off('SIGINT', onSigint);
    reporter.stop();
    await model.dispose();
  }
  const last = history[history.length - 1];
  const seconds = (performance.now() - started) / 1000;
  const parameters = parameterCount(spec);
  if (f.json) {
    const summary = {
      out,
      data: f.data,
      ...(test ? { testData: test.source } : {}),
      architecture: sizesText(spec),
      latentDim: layers[layers.length - 1],
      parameters,
      scaling: scalingKind,
      trainRows: data.x.rows,
      ...(test ? { testRows: test.x.rows } : {}),
      epochs: history.length,
      wallSeconds: seconds,
      final: last,
      codeCheck: model.codeCheck,
      history,
    };
    io.out(JSON.stringify(summary, null, 2) + '\n');
  } else if (!f.quiet) {
    io.out(
      `trained ${sizesText(spec)} (${groupDigits(parameters)} parameters) on ${groupDigits(data.x.rows)} rows for ${plural(history.length, 'epoch')} in ${secondsText(seconds)}\n` +
        `final loss ${formatNumber(last.trainLoss)}  train_mse ${formatNumber(last.trainMse)}${last.testMse !== undefined ? `  test_mse ${formatNumber(last.testMse)}` : ''}\n` +
        `saved ${out}\n`,
    );
  }
}

function loadTestData(f: TrainFlags, data: Dataset): Dataset | undefined {
  const spec = f.testData ?? (MNIST_TRAIN.test(f.data) ? 'mnist:test' : undefined);
  if (spec === undefined) return undefined;
  const csv = formatOf(spec) === 'csv';
  const test = loadDataset(
    spec,
    csv && f.labelColumn !== undefined ? { labelColumn: f.labelColumn } : {},
  );
  if (test.x.cols !== data.x.cols) {
    throw new DataError(
      `test data has ${test.x.cols} columns but the training data (${f.data}) has ${data.x.cols}; expected the same features`,
      { file: spec },
    );
  }
  return test;
}
