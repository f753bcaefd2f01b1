/**
 * pytorch/examples' VAE (vae/main.py) on full MNIST, aedr against PyTorch in the same run
 * (issue 15's targets: aedr's test loss <= 106.5 nats per image after 10 epochs, seconds per
 * epoch <= 0.67x PyTorch's). The configuration: 784-400-20-400-784 with μ and log σ² heads,
 * ReLU, sigmoid output, BCE summed over pixels + KL, Adam 1e-3, batch 128, pixels / 255.
 * aedr trains through `aedr train`'s library path (prepareAutoencoder + fit: Glorot kernels,
 * output bias from the mean image, Keras' Adam); PyTorch runs bench/torch_vae.py twice: with
 * the example's per-image data pipeline (torchvision's MNIST + ToTensor, emulated) and with
 * batches sliced from one preloaded tensor. Each side runs in its own process, one after the
 * other. Seconds per epoch count training only (evaluation apart), wall and CPU.
 * No assertions: figures only (bench/README.md keeps them). Run it under the bench lock:
 *
 *   flock /tmp/aedr-signals/bench.lock node --import tsx bench/vae.ts [--epochs 10] [--threads 2]
 *     [--loaders examples,tensor] [--json PATH]
 *   node --import tsx bench/vae.ts --side aedr --epochs 1 --limit 1000 (one side, a smoke run)
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { loadMnist, mnistDir } from '../src/data/mnist.js';
import { prepareAutoencoder } from '../src/train/setup.js';
import { fit } from '../src/train/trainer.js';
import { sliceRows, type Matrix32 } from '../src/util/matrix.js';
import { findTorchPython } from './train.js';

interface EpochTiming {
  epoch: number;
  seconds: number;
  cpuSeconds: number;
  evalSeconds: number;
  trainLoss: number;
  testLoss: number;
  testRecon: number;
  testKl: number;
}
interface SideResult {
  side: string;
  threads: number;
  epochs: EpochTiming[];
  maxRssMB: number;
}

/** One aedr run in this process; prints its JSON line. */
async function aedrSide(
  epochs: number,
  threads: number,
  seed: number,
  limit?: number,
): Promise<SideResult> {
  const head = (m: Matrix32): Matrix32 => (limit && limit < m.rows ? sliceRows(m, 0, limit) : m);
  const train = { x: head(loadMnist('train').x) };
  const test = { x: head(loadMnist('test').x) };
  const { model, optimizer, loss } = prepareAutoencoder(train.x, {
    layers: [400, 20],
    variational: true,
    loss: 'bce',
    scaling: 'divide255',
    learningRate: 1e-3,
    seed,
    threads,
  });
  const rows: EpochTiming[] = [];
  let cpu0 = process.cpuUsage();
  await fit(model, train.x, {
    epochs,
    batchSize: 128,
    optimizer,
    loss,
    threads,
    testData: test.x,
    callbacks: {
      onEpochEnd: (r) => {
        const c = process.cpuUsage(cpu0);
        // CPU of the whole epoch (training and evaluation), scaled to the training share of wall time.
        const share = r.seconds / (r.seconds + r.evalSeconds);
        rows.push({
          epoch: r.epoch,
          seconds: r.seconds,
          cpuSeconds: ((c.user + c.system) / 1e6) * share,
          evalSeconds: r.evalSeconds,
          trainLoss: r.trainLoss,
          testLoss: r.testLoss!,
          testRecon: r.testRecon!,
          testKl: r.testKl!,
        });
        cpu0 = process.cpuUsage();
      },
    },
  });
  await model.dispose();
  return {
    side: 'aedr',
    threads,
    epochs: rows,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
  };
}

/** Runs one side in its own process; prints its JSON line at once (a cut-short run keeps it). */
function runJson(cmd: string, args: string[]): SideResult {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 22 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stderr}`);
  const line = r.stdout.trim().split('\n').pop() ?? '';
  console.log(line);
  return JSON.parse(line) as SideResult;
}

const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
/** Steady epochs: all but the first (graph building and warm-up), unless there is only one. */
const steady = (r: SideResult): EpochTiming[] =>
  r.epochs.length > 1 ? r.epochs.slice(1) : r.epochs;

/** Runs every side and prints the table; returns the results. */
export function benchVae(
  opts: { epochs?: number; threads?: number; loaders?: string[]; seed?: number } = {},
): SideResult[] {
  const epochs = opts.epochs ?? 10;
  const threads = opts.threads ?? 2;
  const seed = opts.seed ?? 1;
  const self = fileURLToPath(import.meta.url);
  console.log(
    `\n## VAE (pytorch/examples configuration): full MNIST, ${epochs} epochs, ${threads} threads, load average ${loadavg()
      .map((v) => v.toFixed(2))
      .join(' ')}`,
  );
  const results = [
    runJson(process.execPath, [
      '--import',
      'tsx',
      self,
      '--side',
      'aedr',
      '--epochs',
      String(epochs),
      '--threads',
      String(threads),
      '--seed',
      String(seed),
    ]),
  ];
  const py = findTorchPython();
  if (py) {
    for (const loader of opts.loaders ?? ['examples', 'tensor']) {
      const args = ['bench/torch_vae.py', mnistDir(), '--epochs', String(epochs)];
      args.push('--threads', String(threads), '--loader', loader, '--seed', String(seed));
      results.push(runJson(py, args));
    }
  } else console.log('PyTorch not found: aedr only');
  console.log(
    'side | s/epoch (wall, steady) | CPU s/epoch | eval s | train loss | test loss (recon + KL) | peak MB | s/epoch vs side',
  );
  const base = mean(steady(results[0]).map((e) => e.seconds));
  for (const r of results) {
    const st = steady(r);
    const last = r.epochs[r.epochs.length - 1];
    const wall = mean(st.map((e) => e.seconds));
    console.log(
      [
        r.side,
        wall.toFixed(3),
        mean(st.map((e) => e.cpuSeconds)).toFixed(3),
        mean(st.map((e) => e.evalSeconds)).toFixed(3),
        last.trainLoss.toFixed(2),
        `${last.testLoss.toFixed(2)} (${last.testRecon.toFixed(2)} + ${last.testKl.toFixed(2)})`,
        r.maxRssMB.toFixed(0),
        r === results[0] ? '1' : `aedr/this = ${(base / wall).toFixed(2)}`,
      ].join(' | '),
    );
  }
  console.log(
    `load average after: ${loadavg()
      .map((v) => v.toFixed(2))
      .join(' ')}`,
  );
  return results;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values: a } = parseArgs({
    options: {
      side: { type: 'string' },
      epochs: { type: 'string', default: '10' },
      threads: { type: 'string', default: '2' },
      seed: { type: 'string', default: '1' },
      loaders: { type: 'string', default: 'examples,tensor' },
      json: { type: 'string' },
      limit: { type: 'string' },
    },
  });
  const [epochs, threads, seed] = [a.epochs, a.threads, a.seed].map(Number);
  if (a.side === 'aedr') {
    const limit = a.limit !== undefined ? Number(a.limit) : undefined;
    console.log(JSON.stringify(await aedrSide(epochs, threads, seed, limit)));
  } else {
    const results = benchVae({ epochs, threads, seed, loaders: a.loaders.split(',') });
    if (a.json !== undefined) writeFileSync(a.json, JSON.stringify(results, null, 1) + '\n');
  }
}
