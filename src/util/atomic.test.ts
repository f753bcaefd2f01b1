import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { removeStaleTemps, writeFileAtomic } from './atomic.js';

const dir = mkdtempSync(join(tmpdir(), 'aedr-atomic-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The id of a process that has exited (not reused this soon). */
const deadPid = spawnSync(process.execPath, ['-e', '0']).pid as number;

test('writeFileAtomic writes the content and leaves no temporary behind', () => {
  const target = join(dir, 'a', 'results.json');
  writeFileAtomic(target, '{"x":1}\n');
  writeFileAtomic(target, '{"x":2}\n');
  assert.equal(readFileSync(target, 'utf8'), '{"x":2}\n');
  assert.deepEqual(readdirSync(join(dir, 'a')), ['results.json']);
});

test("removeStaleTemps removes a killed writer's temporaries of that target only; a live writer's stay", () => {
  const sub = join(dir, 'b');
  mkdirSync(sub);
  const target = join(sub, 'model');
  const names = [
    `.aedr-tmp-${deadPid}-17-model`, // a killed saveModel's folder
    `.aedr-tmp-${deadPid}-17-model-old`, // the old folder it had moved aside
    `.aedr-tmp-${process.pid}-3-model`, // a live writer (this process)
    `.aedr-tmp-${deadPid}-2-other`, // another target's
    'model',
  ];
  for (const n of names.slice(0, 4)) mkdirSync(join(sub, n));
  writeFileSync(join(sub, 'model'), 'x');
  assert.deepEqual(removeStaleTemps(target).sort(), names.slice(0, 2).sort());
  assert.deepEqual(readdirSync(sub).sort(), names.slice(2).sort());
  // A file temporary of writeFileAtomic goes the same way, on the next write to its target.
  writeFileSync(join(sub, `.aedr-tmp-${deadPid}-9-results.json`), 'half');
  writeFileAtomic(join(sub, 'results.json'), 'done');
  assert.ok(!readdirSync(sub).includes(`.aedr-tmp-${deadPid}-9-results.json`));
  assert.deepEqual(removeStaleTemps(join(dir, 'missing', 'x')), [], 'no folder: nothing to do');
});
