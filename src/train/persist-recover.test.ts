import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stackSpec } from '../nn/autoencoder-spec.js';
import { AutoencoderModel } from './model.js';
import { loadModel, recoverInterruptedSave, saveModel } from './persist.js';

const dir = mkdtempSync(join(tmpdir(), 'aedr-recover-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

test('a save killed between its two renames is completed by recoverInterruptedSave', () => {
  const m = AutoencoderModel.create(stackSpec(5, [2]), { seed: 1 });
  const target = join(dir, 'm');
  saveModel(m, target);
  // The state a kill leaves after `rename(target, old)` and before `rename(tmp, target)`; the
  // writer's pid is one that has exited.
  const pid = spawnSync(process.execPath, ['-e', '0']).pid!;
  renameSync(target, join(dir, `.aedr-tmp-${pid}-1-m-old`));
  cpSync(join(dir, `.aedr-tmp-${pid}-1-m-old`), join(dir, `.aedr-tmp-${pid}-1-m`), {
    recursive: true,
  });
  assert.equal(existsSync(target), false);
  assert.equal(recoverInterruptedSave(target), true);
  assert.deepEqual(readdirSync(dir), ['m']);
  assert.deepEqual(loadModel(target).params, m.params);
  assert.equal(recoverInterruptedSave(target), false, 'an existing folder is left alone');
});
