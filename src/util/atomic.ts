/**
 * Crash-safe file writing: data goes to a temporary file in the same folder, is flushed, then
 * renamed over the target, so a reader (or a `kill -9`) never sees a half-written file. What a
 * killed writer leaves behind (its `.aedr-tmp-<pid>-…` temporaries) is removed by the next write
 * to the same target.
 */
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

let counter = 0;

/** A temporary path beside `target`, unique within this process. */
export function tempPathFor(target: string): string {
  counter += 1;
  return join(dirname(target), `.aedr-tmp-${process.pid}-${counter}-${basename(target)}`);
}

/** Whether a process with this id exists (signal 0 checks without sending anything). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temporaries (files or folders, `tempPathFor` / model-folder names) that a killed
 * writer left beside `target`: those whose process id no longer runs. A live writer's (this
 * process's included) are kept. Returns the names removed.
 */
export function removeStaleTemps(target: string): string[] {
  const dir = dirname(target);
  const tail = `-${basename(target)}`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = /^\.aedr-tmp-(\d+)-\d+(-.*)$/.exec(name);
    if (m === null || !(m[2] === tail || m[2] === `${tail}-old`)) continue;
    if (alive(Number(m[1]))) continue;
    rmSync(join(dir, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

/** Writes `data` to `path` and flushes it to disk before returning (no rename). */
export function writeFileSynced(path: string, data: string | Uint8Array): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const fd = openSync(path, 'w');
  try {
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Writes `data` to `target` atomically (temp file, fsync, rename); creates the folder if needed. */
export function writeFileAtomic(target: string, data: string | Uint8Array): void {
  mkdirSync(dirname(target), { recursive: true });
  removeStaleTemps(target);
  const tmp = tempPathFor(target);
  try {
    writeFileSynced(tmp, data);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  renameSync(tmp, target);
}
