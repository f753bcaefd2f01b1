// Two `aedr train` runs into one --out folder: the second stops before writing, naming the
// first one's process; a stale lock (its process gone) is taken over.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockPathFor } from '../src/util/lock.js';
import { aedr } from './helpers/cli.js';

function dataFile(dir: string): string {
  const rows: string[] = [];
  for (let i = 0; i < 40; i++) rows.push([i % 5, (i * 7) % 11, (i * 3) % 4, i % 2].join(','));
  const p = join(dir, 'd.csv');
  writeFileSync(p, rows.join('\n') + '\n');
  return p;
}

test('a second writer to an --out folder in use is refused; a stale lock is taken over', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'aedr-cli-lock-'));
  try {
    const data = dataFile(dir);
    const out = join(dir, 'model');
    const args = [
      'train',
      '--data',
      data,
      '--latent',
      '2',
      '--epochs',
      '1',
      '--threads',
      '1',
      '--quiet',
    ];
    writeFileSync(lockPathFor(out), '1\n'); // PID 1 always runs
    const busy = await aedr(...args, '--out', out);
    assert.equal(busy.code, 1);
    assert.match(busy.err, /^aedr: error: --out folder .*model is in use by process 1 \(lock /);
    assert.equal(existsSync(out), false);
    writeFileSync(lockPathFor(out), '999999999\n'); // no such process
    const ok = await aedr(...args, '--out', out);
    assert.equal(ok.code, 0, ok.err);
    assert.equal(existsSync(join(out, 'model.json')), true);
    assert.equal(existsSync(lockPathFor(out)), false, 'the lock is released at the end');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
