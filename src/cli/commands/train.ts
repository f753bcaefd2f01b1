/**
 * `aedr train`: loads data, fits the scaling on the training rows, builds a stacked autoencoder
 * (stackSpec), trains it with `fit` and saves the model folder after every epoch together with
 * a training checkpoint and the command's settings (train-command.json), so an interrupted run
 * (Ctrl-C, even kill -9) leaves the last finished epoch, and `--resume DIR` continues it with
 * the same result as a run never interrupted: saveModel swaps the folder in atomically. Ctrl-C
 * stops after the batches running at that moment (the first Ctrl-C), a second one quits at once.
 */
import { Option, type Command } from 'commander';
import { TrainingDivergedError } from '../../errors.js';
import { loadDataset } from '../../data/load.js';
import { SCALING_KINDS } from '../../data/scaling.js';
import { ACTIVATIONS } from '../../nn/activation.js';
import { partLayers } from '../../nn/autoencoder-spec.js';
import { LOSSES } from '../../nn/loss.js';
import { parseNoise } from '../../nn/noise.js';
import type { EpochRecord } from '../../train/model.js';
import { saveModel } from '../../train/persist.js';
import { codeCheckWarning } from '../../train/code-check.js';
import { checkModelCodes, prepareAutoencoder } from '../../train/setup.js';
import { fit } from '../../train/trainer.js';
import { ANOMALY_METRICS } from '../../train/anomaly.js';
import { TrainingCancelledError } from '../../errors.js';
import { basename } from 'node:path';
import { checkpointFiles } from '../../train/checkpoint.js';
import { LR_SCHEDULES } from '../../train/schedule.js';
import { cancelOnSigint } from '../cancel.js';
import { UsageError, type CliContext, type CliIo } from '../context.js';
import { groupDigits, parameterCount, plural, secondsText, sizesText } from '../describe.js';
import { intArg, labelColumnArg, layersArg, numberArg } from '../options.js';
import { lockFolder } from '../../util/lock.js';
import { checkOutDir, defaultName } from '../out-dir.js';
import { columnListArg, dataColumnsOf, recordDataColumns } from '../data-columns.js';
import { measureFinalMse, mseText, recordFinalMse } from '../mse-units.js';
import { createReporter } from '../progress.js';
import { memoryArg, streamReason, trainStream } from '../train-stream.js';
import { formatNumber } from '../../report/format.js';
import {
  checkThresholdFlags,
  COMMAND_FILE,
  loadTestData,
  layerSpecOf,
  RESUME_FLAGS,
  resumedModel,
  resumeFlags,
  rowsText,
  scheduleOf,
  stopText,
  thresholdText,
  trainedThreshold,
  type TrainFlags,
} from '../train-settings.js';

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
    .option(
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
      new Option(
        '--ignore-columns <cols>',
        'CSV columns to skip, such as IDs: comma-separated header names or 0-based indices (remembered by the model)',
      ).argParser(columnListArg),
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
    .addOption(
      new Option(
        '--spec <file>',
        'a model spec JSON file: {"inputShape": [28, 28, 1], "encoder": [layers], "decoder": [layers]}, layers as in Keras Sequential (Conv2D, Conv2DTranspose, MaxPooling2D, UpSampling2D, Dense, Flatten, Reshape, Dropout); inputShape may come from --input-shape',
      ).conflicts(['layers', 'latent', 'conv']),
    )
    .addOption(
      new Option(
        '--conv <filters>',
        "convolutional AE of the TensorFlow tutorial's family: 3x3 stride-2 Conv2D layers with these filter counts, Conv2DTranspose back, a sigmoid Conv2D out (e.g. 16,8)",
      ).conflicts(['layers', 'latent']),
    )
    .option(
      '--noise <kind:amount>',
      "denoising: corrupt each batch's input, seeded and clipped to the data range; the target stays clean: gaussian:0.2, masking:0.3 or salt-pepper:0.1 (commas chain several); test MSE is then reported with clean and noisy input",
    )
    .option(
      '--variational',
      'a variational autoencoder (VAE): the encoder gives the mean μ (the code) and log σ²; the loss is the reconstruction summed per example plus β·KL, in nats per example with --loss bce',
    )
    .addOption(
      new Option(
        '--beta <B>',
        'with --variational: the weight of the KL term (default: 1)',
      ).argParser(numberArg(0)),
    )
    .addOption(
      new Option(
        '--activity-l1 <lambda>',
        "sparse AE: add lambda * sum of |code| per example, averaged over the batch (Keras' activity_regularizer l1), e.g. 1e-5",
      ).argParser(numberArg(0, { exclusiveMin: true })),
    )
    .addOption(
      new Option(
        '--sparsity <rho>',
        "sparse AE: Ng's KL sparsity towards a mean code activation rho in (0, 1), e.g. 0.05; needs --code-activation sigmoid",
      ).argParser(numberArg(0, { exclusiveMin: true, max: 1 })),
    )
    .addOption(
      new Option(
        '--sparsity-weight <beta>',
        'with --sparsity: the weight of the KL sparsity term (default: 1)',
      ).argParser(numberArg(0, { exclusiveMin: true })),
    )
    .option(
      '--input-shape <HxWxC>',
      'image shape of the rows for --spec and --conv, e.g. 28x28x1 (default for mnist); rows hold the pixels channel by channel, each channel row-major',
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
    .addOption(
      new Option(
        '--validation-split <f>',
        'hold out this fraction of the training rows (seeded by --seed) as validation data',
      )
        .argParser(numberArg(0, { exclusiveMin: true, max: 0.999999 }))
        .conflicts('validationData'),
    )
    .option(
      '--validation-data <path>',
      'validation data (same features as --data); val_loss and val_mse are reported every epoch',
    )
    .option(
      '--early-stopping',
      "stop when the monitored loss has not improved for --patience epochs; the folder always holds the best epoch's weights",
    )
    .addOption(
      new Option(
        '--monitor <name>',
        'what early stopping and --lr-schedule plateau watch (default: val_loss with validation data, else loss)',
      ).choices(['val_loss', 'loss']),
    )
    .addOption(
      new Option('--patience <n>', 'epochs without improvement before early stopping')
        .argParser(intArg(1))
        .default(10),
    )
    .addOption(
      new Option(
        '--min-delta <d>',
        'least decrease of the monitored loss that counts as improvement (default: 0)',
      ).argParser(numberArg(0)),
    )
    .addOption(
      new Option(
        '--lr-schedule <kind>',
        'learning-rate schedule: constant, plateau (Keras ReduceLROnPlateau), cosine (to --min-lr over --epochs), step (x --lr-factor every --lr-step-size epochs)',
      )
        .choices(LR_SCHEDULES)
        .default('constant'),
    )
    .addOption(
      new Option(
        '--lr-factor <f>',
        'plateau and step: multiply the rate by this (default: 0.1)',
      ).argParser(numberArg(0, { exclusiveMin: true, max: 1 })),
    )
    .addOption(
      new Option(
        '--lr-patience <n>',
        'plateau: epochs without improvement before the rate drops (default: 10)',
      ).argParser(intArg(0)),
    )
    .addOption(
      new Option('--min-lr <rate>', 'plateau and cosine: the lowest rate (default: 0)').argParser(
        numberArg(0),
      ),
    )
    .addOption(
      new Option('--lr-step-size <n>', 'step: epochs between drops (default: 10)').argParser(
        intArg(1),
      ),
    )
    .option(
      '--threshold <rule>',
      "anomaly threshold fitted on the training rows' reconstruction errors after training and stored in model.json (aedr score uses it): mean+std, mean+Kstd, quantile:Q or a number",
    )
    .addOption(
      new Option('--metric <name>', 'the error --threshold is on (default: mse)').choices(
        ANOMALY_METRICS,
      ),
    )
    .option(
      '--resume <dir>',
      'continue the run saved in this model folder with its saved settings and data (--epochs may raise the limit; --threads must match for identical results)',
    )
    .addOption(
      new Option(
        '--memory <size>',
        'train from a stream with this budget for the shuffle windows, e.g. 1GB (streaming is automatic for .npy shards, Parquet, Arrow, and a .npy over a quarter of free memory or 2 GiB)',
      ).argParser(memoryArg),
    )
    .addOption(
      new Option(
        '--columns <names>',
        'Parquet/Arrow: the float columns that make a row, or one list column (comma-separated; default: all numeric)',
      ).argParser((t: string) => t.split(',').map((c) => c.trim())),
    )
    .addOption(
      new Option(
        '--checkpoint-every <rows>',
        'streamed training: save a resumable checkpoint every this many rows within an epoch (default: every 60 s)',
      ).argParser(intArg(1)),
    )
    .option('--quiet', 'print no progress')
    .option('--json', 'print the final summary as JSON on stdout')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  aedr train --data mnist --latent 50 --epochs 10 --out runs/mnist-50',
        '  aedr train --data mnist --layers 128,64,12,3 --lr 0.005',
        '  aedr train --data mnist --conv 16,8 --noise gaussian:0.2 --epochs 3',
        '  aedr train --data images.npy --input-shape 32x32x3 --spec model.json',
        '  aedr train --data points.csv --label-column label --latent 2 --epochs 50',
        '  aedr train --data x.npy --latent 10 --epochs 300 --validation-split 0.1 --early-stopping',
        '  aedr train --resume runs/x-10 --epochs 400',
        '  aedr train --data normal.npy --latent 8 --threshold quantile:0.99 --out runs/detector',
        '',
        'Progress goes to stderr: a bar on a terminal, else one line per epoch:',
        '  epoch 3/10  loss 0.01234  train_mse 0.01211  test_mse 0.0119  1.02s',
        'Losses and MSEs per epoch are in the scaled units the network sees (--scaling); the',
        "summary adds the final MSE in the data's own units.",
        'With validation data the line adds  val_loss 0.0125  val_mse 0.0125.',
        'Ctrl-C stops training; the folder keeps the last finished epoch (exit code 130), and',
        '--resume continues it; the result equals an uninterrupted run with the same --threads.',
      ].join('\n'),
    )
    .action(async (_opts: unknown, cmd: Command) => {
      const opts = cmd.opts<TrainFlags>();
      if (opts.resume === undefined) return train(opts, ctx.io);
      const given = Object.keys(opts).filter((k) => cmd.getOptionValueSource(k) === 'cli');
      const extra = given.filter((k) => !RESUME_FLAGS.has(k));
      if (extra.length > 0)
        throw new UsageError(
          `--resume continues with the saved settings; leave out ${extra.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ')} (only --epochs, --threads, --no-spin, --quiet and --json apply)`,
        );
      await train(resumeFlags(opts.resume, opts, new Set(given)), ctx.io);
    });
}

/** Runs `aedr train` with parsed flags. @throws UsageError, DataError, ConfigError, TrainingDivergedError, TrainingCancelledError */
export async function train(f: TrainFlags, io: CliIo): Promise<void> {
  const why = streamReason(f);
  if (why !== undefined) return trainStream(f, io, why);
  const started = performance.now();
  if (f.data === undefined)
    throw new UsageError('give the training data with --data (or --resume DIR)');
  const layers = f.layers ?? (f.latent !== undefined ? [f.latent] : undefined);
  if (layers === undefined && f.spec === undefined && f.conv === undefined)
    throw new UsageError(
      'give the code size with --latent N or --layers a,b,...,code, or a model with --conv or --spec',
    );
  if (f.inputShape !== undefined && f.spec === undefined && f.conv === undefined)
    throw new UsageError('--input-shape applies to --spec and --conv only');
  if (f.noise !== undefined) parseNoise(f.noise, '--noise');
  if (f.beta !== undefined && !f.variational)
    throw new UsageError('--beta weights the KL term of --variational; add --variational');
  if (f.variational && (f.spec !== undefined || f.conv !== undefined))
    throw new UsageError(
      '--variational applies to dense models (--latent, --layers), not --spec or --conv',
    );
  if (f.sparsityWeight !== undefined && f.sparsity === undefined)
    throw new UsageError('--sparsity-weight weights --sparsity; give --sparsity rho too');
  if (f.sparsity !== undefined && f.sparsity >= 1)
    throw new UsageError(`--sparsity must lie in (0, 1), got ${f.sparsity} (e.g. 0.05)`);
  checkThresholdFlags(f);
  if (f.momentum !== undefined && f.optimizer !== 'sgd')
    throw new UsageError('--momentum applies to --optimizer sgd only');
  const isMnist = /^mnist(:(train|test))?$/i.test(f.data);
  if (
    isMnist &&
    (f.labels !== undefined || f.labelColumn !== undefined || f.ignoreColumns !== undefined)
  )
    throw new UsageError(
      `--data ${f.data} has its own labels and columns; --labels, --label-column and --ignore-columns do not apply`,
    );
  // --conv 16,8 on mnist: runs/mnist-conv16-8; --spec ae.json: runs/mnist-ae.
  const modelTag =
    f.conv !== undefined
      ? `conv${f.conv.replace(/,/g, '-')}`
      : basename(f.spec ?? 'spec').replace(/\.json$/i, '');
  const out = f.out ?? `runs/${defaultName(f.data, layers ?? [])}${layers ? '' : modelTag}`;
  const existed = f.resume !== undefined || checkOutDir(out);
  if (f.resume === undefined) {
    if (f.monitor !== undefined && !f.earlyStopping && f.lrSchedule !== 'plateau')
      throw new UsageError('--monitor applies to --early-stopping and --lr-schedule plateau only');
    if (f.minDelta !== undefined && !f.earlyStopping)
      throw new UsageError('--min-delta applies to --early-stopping only');
  }

  const loadOpts = {
    labels: f.labels,
    labelColumn: f.labelColumn,
    ignoreColumns: f.ignoreColumns,
    limit: f.limit,
  };
  const data = loadDataset(f.data, loadOpts);
  const columns = dataColumnsOf(data, loadOpts);
  const test = loadTestData(f, data);
  const validation =
    f.validationData !== undefined
      ? loadTestData({ ...f, testData: f.validationData }, data)
      : undefined;
  if (f.batchSize > data.x.rows) {
    throw new UsageError(
      `--batch-size ${f.batchSize} exceeds the ${data.x.rows} training rows of ${f.data}; give a smaller --batch-size`,
    );
  }
  const scalingKind = f.scaling ?? (isMnist ? 'divide255' : 'minmax');
  const netSpec = f.resume === undefined ? layerSpecOf(f, isMnist) : undefined;
  const { model, optimizer, loss, warnings } =
    f.resume !== undefined
      ? resumedModel(f.resume, f.threads)
      : prepareAutoencoder(data.x, {
          ...(netSpec ? { spec: netSpec } : {}),
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
          ...(f.variational ? { variational: true } : {}),
        });
  const spec = model.spec;
  // A threshold belongs to the weights it was fitted on: refitted after training.
  const previousThreshold = model.anomaly;
  model.anomaly = undefined;
  if (!f.quiet) for (const w of warnings) io.err(`aedr: warning: ${w}\n`);

  const reporter = createReporter(f.quiet ? 'quiet' : io.errIsTty ? 'bar' : 'lines', io);
  const cancel = cancelOnSigint(io, 'stopping after the running batches', () => reporter.stop());
  let saved = 0;
  let history: EpochRecord[];
  let finalMse: Awaited<ReturnType<typeof measureFinalMse>>;
  const command = JSON.stringify({ ...f, resume: undefined, out: undefined }, null, 2) + '\n';
  const settings =
    f.resume !== undefined
      ? { resumeFrom: out, ...(f.epochs !== undefined ? { epochs: f.epochs } : {}) }
      : {
          epochs: f.epochs,
          batchSize: f.batchSize,
          optimizer,
          loss,
          seed: f.seed,
          ...(f.validationSplit !== undefined ? { validationSplit: f.validationSplit } : {}),
          ...(f.earlyStopping
            ? {
                earlyStopping: {
                  patience: f.patience,
                  ...(f.monitor ? { monitor: f.monitor } : {}),
                  ...(f.minDelta !== undefined ? { minDelta: f.minDelta } : {}),
                },
              }
            : {}),
          lrSchedule: scheduleOf(f),
          ...(f.noise !== undefined ? { noise: f.noise } : {}),
          ...(f.beta !== undefined ? { beta: f.beta } : {}),
          ...(f.activityL1 !== undefined ? { activityL1: f.activityL1 } : {}),
          ...(f.sparsity !== undefined ? { sparsity: f.sparsity } : {}),
          ...(f.sparsityWeight !== undefined ? { sparsityWeight: f.sparsityWeight } : {}),
        };
  // One writer per folder: a second run into the same --out stops here, before writing.
  const lock = lockFolder(out, '--out folder');
  try {
    history = await fit(model, data.x, {
      ...settings,
      threads: f.threads,
      spin: f.spin,
      ...(test ? { testData: test.x } : {}),
      ...(validation ? { validationData: validation.x } : {}),
      signal: cancel.signal,
      dataName: f.data,
      checkpointDir: out,
      checkpointFiles: { [COMMAND_FILE]: command },
      // After Ctrl-C the batches still running would redraw the bar under the message.
      onProgress: (p) => {
        if (!cancel.signal.aborted) reporter.progress(p);
      },
      onEpochEnd: (r, m) => {
        recordDataColumns(m, columns);
        saved += 1;
        reporter.epochEnd(r, r.epoch, m.training?.epochs ?? f.epochs);
      },
    });
    reporter.stop();
    const codes = await checkModelCodes(model, data.x);
    finalMse = await measureFinalMse(model, data.x, test?.x);
    recordDataColumns(model, columns);
    recordFinalMse(model, finalMse);
    model.anomaly = await trainedThreshold(f, model, previousThreshold, data.x);
    // The final save keeps the checkpoint, so --resume with a higher --epochs can continue.
    saveModel(model, out, checkpointFiles(out, [COMMAND_FILE]));
    const encoderLayers = partLayers(model.spec, 'encoder');
    const warning = codeCheckWarning(codes, encoderLayers[encoderLayers.length - 1].activation);
    if (warning !== undefined && !f.quiet) io.err(`aedr: warning: ${warning}\n`);
  } catch (err) {
    if (err instanceof TrainingCancelledError || err instanceof TrainingDivergedError) {
      const kept =
        saved > 0
          ? `${out} holds the run up to epoch ${model.history.length} (continue it with --resume ${out})`
          : `nothing was saved${existed ? `; ${out} is unchanged` : ''}`;
      err.message = `${err.message}; ${kept}`;
    }
    throw err;
  } finally {
    lock.release();
    cancel.release();
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
      latentDim: model.latentDim,
      parameters,
      scaling: scalingKind,
      trainRows: data.x.rows,
      ...(test ? { testRows: test.x.rows } : {}),
      epochs: history.length,
      ...(model.training?.validation ? { validationRows: model.training.validation.rows } : {}),
      stopReason: model.training?.stopReason,
      ...(model.training?.bestEpoch !== undefined ? { bestEpoch: model.training.bestEpoch } : {}),
      wallSeconds: seconds,
      final: last,
      finalMse,
      codeCheck: model.codeCheck,
      ...(model.anomaly ? { anomaly: model.anomaly } : {}),
      history,
    };
    io.out(JSON.stringify(summary, null, 2) + '\n');
  } else if (!f.quiet) {
    io.out(
      `trained ${sizesText(spec)} (${groupDigits(parameters)} parameters) on ${rowsText(model, data.x.rows)} for ${plural(history.length, 'epoch')} in ${secondsText(seconds)}\n` +
        `final loss ${formatNumber(last.trainLoss)}  train_mse ${mseText(finalMse.train, model.scaling.kind)}${finalMse.test ? `  test_mse ${mseText(finalMse.test, model.scaling.kind)}` : ''}\n` +
        regularizedText(last, model.training?.beta) +
        stopText(model) +
        (model.anomaly ? thresholdText(model.anomaly, data.x.rows) : '') +
        `saved ${out}\n`,
    );
  }
}

/** The VAE's loss parts and a sparse run's mean code activation, for the summary ('' otherwise). */
function regularizedText(last: EpochRecord, beta: number | undefined): string {
  let text = '';
  if (last.trainRecon !== undefined && last.trainKl !== undefined) {
    const b = beta === undefined || beta === 1 ? '' : `${formatNumber(beta)}·`;
    text += `VAE loss per example: train ${formatNumber(last.trainLoss)} = recon ${formatNumber(last.trainRecon)} + ${b}KL ${formatNumber(last.trainKl)}`;
    if (last.testLoss !== undefined && last.testRecon !== undefined && last.testKl !== undefined)
      text += `; test ${formatNumber(last.testLoss)} = recon ${formatNumber(last.testRecon)} + ${b}KL ${formatNumber(last.testKl)}`;
    text += '\n';
  }
  if (last.codeMean !== undefined)
    text += `mean code activation ${formatNumber(last.codeMean)}${last.trainPenalty !== undefined ? `  sparsity penalty ${formatNumber(last.trainPenalty)}` : ''}\n`;
  return text;
}
