/**
 * Crash-safe file writing: data goes to a temporary file in the same folder, is flushed, then
 * renamed over the target, so a reader (or a `kill -9`) never sees a half-written file.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

let counter = 0;

/** A temporary path beside `target`, unique within this process. */
export function tempPathFor(target: string): string {
  counter += 1;
  return join(dirname(target), `.aedr-tmp-${process.pid}-${counter}-${basename(target)}`);
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
  const tmp = tempPathFor(target);
  try {
    writeFileSynced(tmp, data);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  renameSync(tmp, target);
}
