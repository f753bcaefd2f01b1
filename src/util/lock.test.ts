import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../errors.js';
import { lockFolder, lockPathFor } from './lock.js';

const scratch = (): string => mkdtempSync(join(tmpdir(), 'aedr-lock-'));

test('a lock holds the pid, refuses a second taker and is removed on release', () => {
  const d = scratch();
  try {
    const out = join(d, 'model');
    const l = lockFolder(out);
    assert.equal(l.path, join(d, '.model.aedr-lock'));
    assert.equal(readFileSync(l.path, 'utf8'), `${process.pid}\n`);
    assert.throws(() => lockFolder(out), /already in use by this process/);
    l.release();
    l.release();
    assert.equal(existsSync(l.path), false);
    lockFolder(out).release();
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});

test("a live owner is named in the error; a dead owner's lock is taken over", () => {
  const d = scratch();
  try {
    const out = join(d, 'm');
    // PID 1 always runs.
    writeFileSync(lockPathFor(out), '1\n');
    assert.throws(
      () => lockFolder(out),
      (e: unknown) =>
        e instanceof ConfigError &&
        /^output folder .*m is in use by process 1 \(lock .*\.m\.aedr-lock\); wait for it to finish, or choose another folder$/.test(
          e.message,
        ),
    );
    // A process that has exited: its id is free.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    writeFileSync(lockPathFor(out), `${dead.stdout.toString()}\n`);
    const l = lockFolder(out);
    assert.equal(readFileSync(l.path, 'utf8'), `${process.pid}\n`);
    l.release();
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});
