// Exact resume through the real command line: `aedr train` killed with SIGKILL between epochs,
// and killed while it writes an epoch's folder (the temporary folder seen on disk), then
// `aedr train --resume DIR` ends with weights and checkpoint bit-identical to a run never
// interrupted (same seed, --threads 1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { loadModel } from '../src/train/persist.js';
import { ROOT } from './helpers/cli.js';
import { planeData } from './helpers/plane-data.js';

const dir = mkdtempSync(join(tmpdir(), 'aedr-kill-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

const x = planeData(160, 31, 0.02);
const csv = join(dir, 'x.csv');
writeFileSync(
  csv,
  Array.from({ length: x.rows }, (_, i) =>
    Array.from(x.data.subarray(i * 12, (i + 1) * 12)).join(','),
  ).join('\n') + '\n',
);
const EPOCHS = 12;
const flags = (out: string): string[] => [
  'train',
  '--data',
  csv,
  '--layers',
  '6,2',
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
  '0.2',
  '--early-stopping',
  '--patience',
  '100',
  '--lr-schedule',
  'cosine',
  '--quiet',
  '--out',
  out,
];
const cli = ['--import', 'tsx', 'src/cli/main.ts'];

function run(args: string[]): void {
  const r = spawnSync(process.execPath, [...cli, ...args], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, `aedr ${args.join(' ')}: ${r.stderr}`);
}

/** Starts aedr, waits until `when()` holds (polled without pause), kills it with SIGKILL; returns whether it was killed before exiting. */
async function killWhen(args: string[], when: () => boolean): Promise<boolean> {
  const child = spawn(process.execPath, [...cli, ...args], { cwd: ROOT, stdio: 'ignore' });
  let exited = false;
  const done = new Promise<void>((res) => child.on('exit', () => res()));
  child.on('exit', () => (exited = true));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited || Date.now() > deadline) break;
    if (when()) {
      child.kill('SIGKILL');
      await done;
      return true;
    }
    // Yield to the event loop once in a while so 'exit' is seen.
    await new Promise((r) => setImmediate(r));
  }
  await done;
  return false;
}

const epochsSaved = (out: string): number => {
  try {
    return (JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')) as { history: unknown[] })
      .history.length;
  } catch {
    return 0;
  }
};
const tempsOf = (out: string): string[] =>
  readdirSync(dirname(out)).filter((n) => n.startsWith('.aedr-tmp-') && n.includes(basename(out)));
const weights = (out: string): Buffer =>
  Buffer.concat(
    loadModel(out).params.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength)),
  );

test('kill -9 between epochs and during a checkpoint write, then --resume: bit-identical to the uninterrupted run', async (t) => {
  const full = join(dir, 'full');
  run(flags(full));
  assert.equal(loadModel(full).history.length, EPOCHS);

  // Killed after at least 3 epochs were saved.
  const a = join(dir, 'a');
  assert.ok(await killWhen(flags(a), () => epochsSaved(a) >= 3), 'killed before it finished');
  assert.ok(epochsSaved(a) < EPOCHS, 'the kill interrupted the run (precondition)');
  run(['train', '--resume', a, '--quiet']);
  assert.ok(weights(a).equals(weights(full)), 'weights bit-identical after kill -9 + resume');
  assert.ok(
    readFileSync(join(a, 'checkpoint.bin')).equals(readFileSync(join(full, 'checkpoint.bin'))),
  );
  assert.deepEqual(loadModel(a).training?.bestEpoch, loadModel(full).training?.bestEpoch);

  // Killed while an epoch's folder is being written: the temporary folder beside it exists.
  const b = join(dir, 'b');
  let midWrite = 0;
  let attempts = 0;
  for (let attempt = 0; attempt < 6 && midWrite === 0; attempt++) {
    attempts += 1;
    const args = attempt === 0 ? flags(b) : ['train', '--resume', b, '--quiet'];
    const before = epochsSaved(b);
    const killed = await killWhen(args, () => epochsSaved(b) > before && tempsOf(b).length > 0);
    if (killed && tempsOf(b).length > 0) midWrite += 1;
    assert.ok(existsSync(join(b, 'checkpoint.json')), 'the folder survived the kill whole');
  }
  assert.ok(midWrite > 0, 'one kill landed during a folder write');
  t.diagnostic(`kills until one landed mid-write: ${attempts}`);
  run(['train', '--resume', b, '--quiet']);
  assert.deepEqual(tempsOf(b), [], "the killed writer's temporary folder was removed");
  assert.ok(
    weights(b).equals(weights(full)),
    'weights bit-identical after a kill mid-write + resume',
  );
  assert.ok(
    readFileSync(join(b, 'checkpoint.bin')).equals(readFileSync(join(full, 'checkpoint.bin'))),
  );
});
