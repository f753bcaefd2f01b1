/**
 * One writer per output folder: a lock file `.<name>.aedr-lock` beside the folder (the folder
 * itself is swapped by renames on every save) holding the owner's process id, created with
 * O_EXCL so two processes cannot both take it. A lock whose process no longer runs (killed,
 * even by kill -9) is stale and taken over. The lock is released by `release()` and, as a last
 * resort, when the process exits.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ConfigError } from '../errors.js';
import { alive } from './atomic.js';

/** A held lock. */
export interface FolderLock {
  /** The lock file's path. */
  path: string;
  /** Removes the lock file (idempotent). */
  release(): void;
}

/** The lock file of folder `dir`. */
export function lockPathFor(dir: string): string {
  const abs = resolve(dir);
  return join(dirname(abs), `.${basename(abs)}.aedr-lock`);
}

function readOwner(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the lock of output folder `dir` for this process.
 * @throws ConfigError naming the folder and the owner's process id when a live process holds it
 */
export function lockFolder(dir: string, what = 'output folder'): FolderLock {
  const path = lockPathFor(dir);
  mkdirSync(dirname(path), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      let held = true;
      const release = (): void => {
        if (!held) return;
        held = false;
        process.off('exit', release);
        if (readOwner(path) === process.pid) rmSync(path, { force: true });
      };
      process.on('exit', release);
      return { path, release };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = readOwner(path);
      if (owner !== undefined && owner !== process.pid && alive(owner)) {
        throw new ConfigError(
          `${what} ${dir} is in use by process ${owner} (lock ${path}); wait for it to finish, or choose another folder`,
        );
      }
      if (owner === process.pid) {
        throw new ConfigError(`${what} ${dir} is already in use by this process (lock ${path})`);
      }
      // Stale (its process is gone) or unreadable: remove it and try again.
      rmSync(path, { force: true });
    }
  }
  throw new ConfigError(
    `${what} ${dir}: could not take the lock ${path}; another process keeps taking it`,
  );
}
