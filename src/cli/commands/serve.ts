/**
 * `aedr serve`: the latent-space explorer, a local web page over a trained model: the scatter of
 * the data's codes, originals and reconstructions, decoding by hand with one slider per code
 * coordinate, interpolation between two points, and the model's training record. Without
 * --model it trains a 3-d model on the data shown, once, and caches it: on MNIST's training
 * images for MNIST data (runs/explorer-default), on the file itself for a data file
 * (runs/explorer-<file name>). `mnist` means the training images here as in every command; the
 * default data is `mnist:test`. Runs until Ctrl-C or SIGTERM, then closes connections and exits 0.
 */
import { Option, type Command } from 'commander';
import type { ColumnRef } from '../../data/csv-columns.js';
import type { Dataset } from '../../data/dataset.js';
import { loadDataset } from '../../data/load.js';
import type { CliContext, CliIo } from '../context.js';
import { columnListArg, dataColumnsOf, loadForModel, rememberedColumns } from '../data-columns.js';
import { addComputeFlags } from '../compute.js';
import { openModel } from '../load-model.js';
import { intArg, labelColumnArg } from '../options.js';
import {
  DEFAULT_MODEL_DIR,
  dataModelDir,
  ensureDataModel,
  ensureDefaultModel,
} from '../serve/default-model.js';
import { prepareExplorerData } from '../serve/explorer-data.js';
import { isLoopback } from '../serve/http-safety.js';
import { startExplorer, type RunningExplorer } from '../serve/server.js';
import { defaultAssetsDir, loadAssets } from '../serve/static-assets.js';

/** The parsed flags of `aedr serve`. */
export interface ServeFlags {
  model?: string;
  data: string;
  port: number;
  host: string;
  limit: number;
  labels?: string;
  labelColumn?: number | string;
  ignoreColumns?: ColumnRef[];
  threads?: number;
  spin?: boolean;
}

const MNIST = /^mnist(:(train|test))?$/i;

/** Registers `aedr serve`. */
export function register(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('serve')
    .summary('explore a model’s latent space in the browser')
    .description(
      'Serve a local web page over a trained model: the codes of a data set as a scatter coloured by label, ' +
        'originals beside reconstructions, live decoding from code sliders, interpolation between two points, ' +
        `and the training record. Without --model, a 3-d model is trained once on the data and reused: ` +
        `for MNIST in ${DEFAULT_MODEL_DIR}, for a data file in runs/explorer-<file name>.`,
    )
    .option(
      '--model <dir>',
      `model folder (default: one trained on --data: ${DEFAULT_MODEL_DIR} for MNIST, runs/explorer-<file name> for a file)`,
    )
    .option(
      '--data <mnist|path>',
      'samples to show: mnist:test (the 10k test images), mnist (= mnist:train, the 60k training images) or a data file',
      'mnist:test',
    )
    .option('--labels <path>', 'label file of --data (colours the points)')
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
    .option('--port <n>', 'port to listen on (0 picks a free one)', intArg(0, 65535), 8080)
    .option(
      '--host <addr>',
      'interface to bind; 0.0.0.0 opens the page to the network',
      '127.0.0.1',
    )
    .option('--limit <n>', 'show at most this many samples', intArg(1), 10000)
    .addHelpText(
      'after',
      '\nExamples:\n  aedr serve\n  aedr serve --model runs/mnist-50 --port 8081\n' +
        '  aedr serve --data emb.csv --ignore-columns id --label-column species',
    )
    .action(async (_opts: unknown, c: Command) => {
      await serve(c.opts<ServeFlags>(), ctx.io);
    });
  addComputeFlags(cmd);
}

/**
 * Runs `aedr serve` until SIGINT/SIGTERM or until `stop` resolves (tests); `onReady` receives
 * the running server; `assetsDir` replaces dist/web.
 * @throws ModelFormatError for a bad --model; DataError/ConfigError for bad --data; listen errors
 */
export async function serve(
  f: ServeFlags,
  io: CliIo,
  hooks: { stop?: Promise<void>; onReady?: (r: RunningExplorer) => void; assetsDir?: string } = {},
): Promise<void> {
  const controller = new AbortController();
  let wake: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (wake = resolve));
  const onSignal = (): void => {
    controller.abort();
    wake();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const pageFiles = (): ReturnType<typeof loadAssets> =>
      loadAssets(hooks.assetsDir ?? defaultAssetsDir());
    // Without --model the page files are checked first: a missing build should not wait for training.
    let assets = f.model === undefined ? pageFiles() : undefined;
    const log = (line: string): void => io.err(`aedr serve: ${line}\n`);
    const loadOpts = {
      limit: f.limit,
      labels: f.labels,
      labelColumn: f.labelColumn,
      ignoreColumns: f.ignoreColumns,
    };
    let dir: string;
    let shown: Dataset;
    if (f.model !== undefined) {
      dir = f.model;
      // The model's remembered columns apply to its training file; openModel checks the folder.
      const m = openModel(dir, f.threads, f.spin);
      const remembered = rememberedColumns(m.training);
      await m.dispose();
      shown = loadForModel(f.data, loadOpts, remembered, log);
    } else if (MNIST.test(f.data)) {
      shown = loadDataset(f.data, loadOpts);
      dir = await ensureDefaultModel(DEFAULT_MODEL_DIR, {
        signal: controller.signal,
        log,
        threads: f.threads,
        spin: f.spin,
      });
    } else {
      // The data is read (and checked) before any training, so a bad file costs nothing.
      shown = loadDataset(f.data, loadOpts);
      const columns = dataColumnsOf(shown, loadOpts);
      dir = await ensureDataModel(dataModelDir(f.data), shown, {
        signal: controller.signal,
        log,
        threads: f.threads,
        spin: f.spin,
        ...(columns ? { columns } : {}),
      });
    }
    if (controller.signal.aborted) return;
    const data = await prepareExplorerData(dir, shown, { threads: f.threads, spin: f.spin });
    try {
      assets ??= pageFiles();
    } catch (err) {
      await data.model.dispose();
      throw err;
    }
    let running: RunningExplorer;
    try {
      running = await startExplorer(data, { host: f.host, port: f.port, assets });
    } catch (err) {
      await data.model.dispose();
      throw err;
    }
    if (!isLoopback(f.host))
      io.err(
        `aedr serve: listening on ${f.host}: other machines on the network can open the page\n`,
      );
    io.out(
      `explorer ready at ${running.url}  (model ${dir}, ${data.meta.data.count} samples of ${data.meta.data.source}; Ctrl-C stops it)\n`,
    );
    hooks.onReady?.(running);
    await Promise.race([stopped, hooks.stop ?? new Promise<void>(() => undefined)]);
    await running.close();
    await data.model.dispose();
    io.err('aedr serve: stopped\n');
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
