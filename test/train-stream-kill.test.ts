// Exact resume of streamed training through the real command line: `aedr train --memory ...`
// on a generated 3,000 x 16 .npy, killed with SIGKILL inside an epoch (after a mid-epoch
// checkpoint, --checkpoint-every 64 rows) and between epochs, then `aedr train --resume DIR`
// ends with weights and checkpoint.bin bit-identical to the run never interrupted (same seed,
// --threads 1). Also: the streamed folder has the in-memory path's contract (history with
// valLoss/valMse/lr, bestEpoch, stopReason), and flags the stream does not take are refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeNpy } from '../src/data/npy.js';
import { loadModel } from '../src/train/persist.js';
import { matrix } from '../src/util/matrix.js';
import { Rng } from '../src/util/rng.js';
import { aedr, ROOT } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'aedr-stream-kill-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

// 3,000 rows near a 2-d plane in 16 dimensions.
const data = join(dir, 'x.npy');
{
  const rng = new Rng(8);
  const n = 3000;
  const x = new Float32Array(n * 16);
  for (let i = 0; i < n; i++) {
    const a = rng.normal();
    const b = rng.normal();
    for (let j = 0; j < 16; j++)
      x[i * 16 + j] = a * Math.sin(j) + b * Math.cos(j) + 0.05 * rng.normal();
  }
  writeNpy(data, matrix(n, 16, x));
}
const EPOCHS = 4;
const flags = (out: string, midEpoch: boolean): string[] => [
  'train',
  '--data',
  data,
  '--memory',
  '64KB',
  '--layers',
  '8,2',
  '--activation',
  'tanh',
  '--epochs',
  String(EPOCHS),
  '--batch-size',
  '8',
  '--seed',
  '3',
  '--threads',
  '1',
  '--no-spin',
  '--validation-split',
  '0.1',
  '--early-stopping',
  '--patience',
  '100',
  '--lr-schedule',
  'cosine',
  ...(midEpoch ? ['--checkpoint-every', '64'] : []),
  '--quiet',
  '--out',
  out,
];
const cli = ['--import', 'tsx', 'src/cli/main.ts'];

function run(args: string[]): void {
  const r = spawnSync(process.execPath, [...cli, ...args], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, `aedr ${args.join(' ')}: ${r.stderr}`);
}

interface Ck {
  epochsDone: number;
  stream: { position: number };
}
const checkpoint = (out: string): Ck | undefined => {
  try {
    return JSON.parse(readFileSync(join(out, 'checkpoint.json'), 'utf8')) as Ck;
  } catch {
    return undefined;
  }
};

/** Starts aedr, polls `when()` without pause, kills it with SIGKILL when it holds; whether it was killed before exiting. */
async function killWhen(args: string[], when: () => boolean): Promise<boolean> {
  const child = spawn(process.execPath, [...cli, ...args], { cwd: ROOT, stdio: 'ignore' });
  let exited = false;
  const done = new Promise<void>((res) => child.on('exit', () => res()));
  child.on('exit', () => (exited = true));
  const deadline = Date.now() + 60_000;
  while (!exited && Date.now() < deadline) {
    if (when()) {
      child.kill('SIGKILL');
      await done;
      return true;
    }
    await new Promise((r) => setImmediate(r));
  }
  await done;
  return false;
}

const weights = (out: string): Buffer =>
  Buffer.concat(
    loadModel(out).params.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength)),
  );
const sameRun = (a: string, b: string): void => {
  assert.ok(weights(a).equals(weights(b)), `${a}: weights bit-identical to ${b}`);
  assert.ok(
    readFileSync(join(a, 'checkpoint.bin')).equals(readFileSync(join(b, 'checkpoint.bin'))),
    `${a}: checkpoint.bin bit-identical`,
  );
  const h = (o: string): unknown =>
    loadModel(o).history.map((r) => [r.trainLoss, r.trainMse, r.valLoss, r.valMse, r.lr]);
  assert.deepEqual(h(a), h(b));
};

test('streamed aedr train: kill -9 mid-epoch and between epochs, then --resume: bit-identical to the uninterrupted run', async () => {
  const full = join(dir, 'full');
  run(flags(full, true));
  const m = loadModel(full);
  assert.equal(m.history.length, EPOCHS);
  assert.equal(m.training?.stopReason, 'completed');
  assert.ok(m.training?.bestEpoch !== undefined);
  // Blocks of floor(3000 / 64) = 46 rows: 66 blocks, ceil(6.6) = 7 held out, 322 rows.
  assert.deepEqual(m.training?.validation, { kind: 'split', fraction: 0.1, rows: 322 });
  assert.ok(m.history.every((r) => r.valLoss !== undefined && r.lr !== undefined));

  // Killed after a mid-epoch checkpoint of epoch 2 or later.
  const a = join(dir, 'a');
  const mid = (): boolean => {
    const c = checkpoint(a);
    return c !== undefined && c.epochsDone >= 1 && c.stream.position > 0;
  };
  assert.ok(await killWhen(flags(a, true), mid), 'killed before it finished');
  const at = checkpoint(a)!;
  assert.ok(at.stream.position > 0 && at.epochsDone < EPOCHS, 'killed inside an epoch');
  run(['train', '--resume', a, '--quiet']);
  sameRun(a, full);

  // Checkpoints only at epoch ends: killed after epoch 2's.
  const full2 = join(dir, 'full2');
  run(flags(full2, false));
  const b = join(dir, 'b');
  assert.ok(
    await killWhen(flags(b, false), () => (checkpoint(b)?.epochsDone ?? 0) >= 2),
    'killed before it finished',
  );
  const bt = checkpoint(b)!;
  assert.ok(bt.stream.position === 0 && bt.epochsDone < EPOCHS, 'killed between epochs');
  run(['train', '--resume', b, '--quiet']);
  sameRun(b, full2);
});

test('streamed aedr train refuses flags it does not take, and --memory below 4KB', async () => {
  const r = await aedr(
    'train',
    '--data',
    data,
    '--memory',
    '1MB',
    '--latent',
    '2',
    '--noise',
    'gaussian:0.1',
    '--out',
    join(dir, 'n'),
  );
  assert.equal(r.code, 2, r.err);
  assert.match(r.err, /training streams \(--memory 1,000,000 bytes\) and does not take --noise/);
  const s = await aedr('train', '--data', data, '--memory', '1KB', '--latent', '2');
  assert.notEqual(s.code, 0);
  assert.match(s.err, /Expected a size of at least 4KB/);
});
