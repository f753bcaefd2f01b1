/**
 * `aedr pumap`: trains a parametric UMAP (reducers/pumap.ts: an encoder trained with UMAP's loss
 * on the data's fuzzy kNN graph, plus a decoder's reconstruction loss, umap-learn's
 * `autoencoder_loss`) and saves it as a model folder that `aedr encode`, `decode`, `info` and
 * `serve` read like an autoencoder's (model.json's `training.parametricUmap` says what it is).
 * A command of its own rather than a flag of `aedr train`: train's epochs, checkpoints, resume
 * and early stopping belong to the autoencoder trainer (train/trainer.ts), while this fit first
 * builds the kNN graph of all rows and then samples its edges.
 */
import { Option, type Command } from 'commander';
import { loadDataset } from '../../data/load.js';
import { SCALING_KINDS, type ScalingKind } from '../../data/scaling.js';
import { ParametricUMAP } from '../../reducers/pumap.js';
import { lockFolder } from '../../util/lock.js';
import { addComputeFlags, withComputeBackend, type ComputeFlags } from '../compute.js';
import type { CliContext, CliIo } from '../context.js';
import { groupDigits, secondsText } from '../describe.js';
import { intArg, layersArg, numberArg } from '../options.js';
import { checkOutDir } from '../out-dir.js';

/** The parsed flags of `aedr pumap`. */
export interface PumapFlags extends ComputeFlags {
  data: string;
  out: string;
  limit?: number;
  dims: number;
  layers: number[];
  neighbors: number;
  minDist: number;
  epochs: number;
  batchSize: number;
  lr: number;
  reconstructionWeight: number;
  metric: 'euclidean' | 'cosine';
  scaling: ScalingKind;
  seed: number;
  quiet?: boolean;
}

/** Registers `aedr pumap`. */
export function register(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('pumap')
    .summary('train a parametric UMAP (encoder + decoder) and save it as a model folder')
    .description(
      "Train a parametric UMAP (Sainburg, McInnes & Gentner 2021, after umap-learn's ParametricUMAP with " +
        "autoencoder_loss): the kNN graph of --data, then an encoder trained with UMAP's loss on its edges " +
        'and a decoder trained to reconstruct the rows from the codes. The model folder (encoder.onnx, ' +
        'decoder.onnx, model.json) works with aedr encode, decode, info and serve.',
    )
    .requiredOption(
      '--data <mnist|path>',
      'training data: mnist (60k images) or a data file, one sample per row',
    )
    .requiredOption('--out <dir>', 'model folder to write (replaced if it holds a model)')
    .addOption(new Option('--limit <n>', 'use the first n rows').argParser(intArg(2)))
    .addOption(new Option('--dims <n>', 'code dimensions').argParser(intArg(1)).default(2))
    .addOption(
      new Option('--layers <sizes>', 'hidden encoder sizes (the decoder mirrors them)')
        .argParser(layersArg)
        .default([100, 100, 100], "100,100,100 (umap-learn's)"),
    )
    .addOption(
      new Option('--neighbors <n>', 'kNN graph neighbours (self included)')
        .argParser(intArg(2))
        .default(15),
    )
    .addOption(new Option('--min-dist <x>', "UMAP's minDist").argParser(numberArg(0)).default(0.1))
    .addOption(
      new Option('--epochs <n>', 'epochs, each drawing as many edges as the graph has')
        .argParser(intArg(1))
        .default(10),
    )
    .addOption(new Option('--batch-size <n>', 'edges per step').argParser(intArg(1)).default(1000))
    .addOption(
      new Option('--lr <x>', "Adam's learning rate")
        .argParser(numberArg(0, { exclusiveMin: true }))
        .default(0.001),
    )
    .addOption(
      new Option(
        '--reconstruction-weight <x>',
        'weight of the reconstruction loss beside the UMAP loss',
      )
        .argParser(numberArg(0))
        .default(1),
    )
    .addOption(
      new Option('--metric <name>', 'kNN distance')
        .choices(['euclidean', 'cosine'])
        .default('euclidean'),
    )
    .addOption(
      new Option('--scaling <kind>', 'input scaling fitted on the rows')
        .choices(SCALING_KINDS)
        .default('minmax'),
    )
    .addOption(
      new Option('--seed <n>', 'seed of the weights and every draw')
        .argParser(intArg(0))
        .default(0),
    )
    .option('--quiet', 'print nothing on success')
    .addHelpText(
      'after',
      '\nExample:\n  aedr pumap --data mnist --epochs 5 --lr 0.003 --out runs/mnist-pumap\n' +
        '  aedr encode --model runs/mnist-pumap --data mnist:test --out codes.npy\n' +
        '  aedr serve --model runs/mnist-pumap',
    );
  addComputeFlags(cmd).action(async (_opts: unknown, c: Command) => {
    await pumap(c.opts<PumapFlags>(), ctx, ctx.io);
  });
}

/** Runs `aedr pumap`. @throws UsageError, ConfigError, DataError, TrainingDivergedError */
export async function pumap(f: PumapFlags, env: CliContext, io: CliIo): Promise<void> {
  checkOutDir(f.out);
  const lock = lockFolder(f.out);
  try {
    const d = loadDataset(f.data, f.limit !== undefined ? { limit: f.limit } : {});
    const started = performance.now();
    await withComputeBackend(f, env, async (backend) => {
      let lastEpoch = 0;
      const p = new ParametricUMAP({
        nComponents: f.dims,
        hiddenLayers: f.layers,
        nNeighbors: f.neighbors,
        minDist: f.minDist,
        nEpochs: f.epochs,
        batchSize: f.batchSize,
        learningRate: f.lr,
        autoencoderLoss: true,
        reconstructionWeight: f.reconstructionWeight,
        reconstructionLoss: 'bce',
        metric: f.metric,
        scaling: f.scaling,
        seed: f.seed,
        ...(f.threads !== undefined ? { threads: f.threads } : {}),
        spin: false,
        backend,
        onProgress: (q) => {
          if (f.quiet || q.step !== q.steps || q.epoch === lastEpoch) return;
          lastEpoch = q.epoch;
          io.err(`epoch ${q.epoch}/${f.epochs}: loss ${q.loss.toFixed(4)} (${q.steps} steps)\n`);
        },
      });
      try {
        await p.fit(d.x);
        p.save(f.out);
      } finally {
        await p.dispose();
      }
    });
    if (!f.quiet) {
      io.out(
        `wrote ${f.out}: parametric UMAP of ${groupDigits(d.x.rows)} rows to ${f.dims} dimensions, ` +
          `${f.epochs} epochs in ${secondsText((performance.now() - started) / 1000)}\n`,
      );
    }
  } finally {
    lock.release();
  }
}
