// Every command that computes takes --threads and --no-spin (their reach into sessions is shown
// by test/compute-backend.test.ts with a recording session factory).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aedr } from './helpers/cli.js';

const COMPUTING = [
  'train',
  'encode',
  'decode',
  'study',
  'compare',
  'curves',
  'intrinsic-dim',
  'serve',
  'score',
  'anomaly',
  'pumap',
];

test('every computing command lists --threads and --no-spin in its help', async () => {
  const missing: string[] = [];
  for (const cmd of COMPUTING) {
    const r = await aedr(cmd, '--help');
    assert.equal(r.code, 0, `${cmd} --help: ${r.err}`);
    for (const flag of ['--threads <n>', '--no-spin'])
      if (!r.out.includes(flag)) missing.push(`${cmd} ${flag}`);
  }
  assert.deepEqual(missing, []);
});
