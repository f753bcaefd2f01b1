/**
 * `aedr serve`: the latent-space explorer, a local web page over a trained model: the scatter of
 * the data's codes, originals and reconstructions, decoding by hand with one slider per code
 * coordinate, interpolation between two points, and the model's training record. Without
 * --model it trains (once, cached in runs/explorer-default) a 3-d MNIST model so the page works
 * out of the box. Runs until Ctrl-C or SIGTERM, then closes connections and exits 0.
 */
import { Option, type Command } from 'commander';
import { loadDataset } from '../../data/load.js';
import type { CliContext, CliIo } from '../context.js';
import { intArg, labelColumnArg } from '../options.js';
import { DEFAULT_MODEL_DIR, ensureDefaultModel } from '../serve/default-model.js';
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
}

/** Registers `aedr serve`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .summary('explore a model’s latent space in the browser')
    .description(
      'Serve a local web page over a trained model: the codes of a data set as a scatter coloured by label, ' +
        'originals beside reconstructions, live decoding from code sliders, interpolation between two points, ' +
        `and the training record. Without --model, a 3-d MNIST model is trained once into ${DEFAULT_MODEL_DIR} and reused.`,
    )
    .option('--model <dir>', `model folder (default: ${DEFAULT_MODEL_DIR}, trained if missing)`)
    .option(
      '--data <mnist|path>',
      'samples to show: mnist (its test set), mnist:train or a data file',
      'mnist',
    )
    .option('--labels <path>', 'label file of --data (colours the points)')
    .addOption(
      new Option('--label-column <n|name>', 'CSV column of --data holding labels').argParser(
        labelColumnArg,
      ),
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
      '\nExamples:\n  aedr serve\n  aedr serve --model runs/mnist-50 --port 8081',
    )
    .action(async (_opts: unknown, cmd: Command) => {
      await serve(cmd.opts<ServeFlags>(), ctx.io);
    });
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
    const dir =
      f.model ??
      (await ensureDefaultModel(DEFAULT_MODEL_DIR, {
        signal: controller.signal,
        log: (line) => io.err(`aedr serve: ${line}\n`),
      }));
    if (controller.signal.aborted) return;
    const spec = /^mnist$/i.test(f.data) ? 'mnist:test' : f.data;
    const data = await prepareExplorerData(
      dir,
      loadDataset(spec, { limit: f.limit, labels: f.labels, labelColumn: f.labelColumn }),
    );
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
