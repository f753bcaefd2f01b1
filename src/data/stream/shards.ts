/**
 * A folder or glob of `.npy` shards read as one random-access source: the shards, in natural
 * name order (`part-2` before `part-10`), are concatenated row-wise. Every shard's header is read
 * when the source opens, so a shard of another width or dtype, or a truncated one, is reported
 * then, by name; only one shard's file handle is open at a time, whatever their number.
 */
import { readdirSync, statSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { DataError } from '../../errors.js';
import type { NpyLayout } from './npy-layout.js';
import { openHandle, readNpyLayout, readNpyRows, type Scratch } from './npy-source.js';
import { blocksByRange, blockTarget, type RandomAccessSource, type RowBlock } from './source.js';

/** Whether `spec` is a glob pattern (`*`, `?` or `[...]` in its last path component). */
export function isGlob(spec: string): boolean {
  return /[*?[]/.test(basename(spec));
}

function globRegex(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 1);
      if (close < 0) re += '\\[';
      else {
        const body = pattern
          .slice(i + 1, close)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\');
        re += `[${body}]`;
        i = close;
      }
    } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

const natural = new Intl.Collator('en', { numeric: true });

/**
 * The shard files a folder (its `*.npy` files) or a glob (`dir/part-*.npy`, wildcards in the last
 * component only) names, in natural order. @throws DataError when there are none
 */
export function listShards(spec: string): string[] {
  const glob = isGlob(spec);
  const dir = glob ? dirname(spec) : spec;
  const re = glob ? globRegex(basename(spec)) : /\.npy$/i;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new DataError(
      code === 'ENOENT' ? 'folder not found' : `cannot list folder (${code ?? String(err)})`,
      { file: dir },
      { cause: err },
    );
  }
  const files = names
    .filter((n) => re.test(n))
    .map((n) => join(dir, n))
    .filter((p) => statSync(p, { throwIfNoEntry: false })?.isFile() === true)
    .sort((a, b) => natural.compare(a, b));
  if (files.length === 0) {
    throw new DataError(
      glob ? `no files match ${basename(spec)}` : 'the folder holds no .npy files',
      { file: spec },
    );
  }
  return files;
}

/** `.npy` shards as one source; see the module doc. */
export class NpyShardSource implements RandomAccessSource {
  readonly rows: number;
  readonly cols: number;
  readonly unitRows: number | undefined;
  /** First row of each shard, and the total as a last entry. */
  private readonly offsets: number[];
  private readonly scratch: Scratch = { bytes: new Uint8Array(0) };
  private current: { index: number; fh: FileHandle } | undefined;
  // Reads run one after another: they share the open handle and the scratch buffer.
  private tail: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly name: string,
    /** Each shard's header, in reading order. */
    readonly layouts: readonly NpyLayout[],
  ) {
    this.cols = layouts[0].cols;
    this.offsets = [0];
    for (const L of layouts) this.offsets.push(this.offsets[this.offsets.length - 1] + L.rows);
    this.rows = this.offsets[this.offsets.length - 1];
    const sizes = new Set(layouts.map((L) => L.rows));
    this.unitRows = sizes.size === 1 ? layouts[0].rows : undefined;
  }

  /**
   * Opens the shards `spec` names (a folder, a glob or a list of paths) and checks that they
   * agree. @throws DataError naming the first shard that is unreadable or differs from the first
   */
  static async open(spec: string | readonly string[]): Promise<NpyShardSource> {
    const files = typeof spec === 'string' ? listShards(spec) : [...spec];
    if (files.length === 0) throw new DataError('no shard files given', {});
    const layouts: NpyLayout[] = [];
    for (const f of files) {
      const fh = await openHandle(f);
      try {
        const L = await readNpyLayout(fh, f);
        const first = layouts[0];
        if (first !== undefined && L.cols !== first.cols) {
          throw new DataError(
            `shard has ${L.cols} values per row (shape (${L.shape.join(', ')})), but ${first.file} has ${first.cols} (shape (${first.shape.join(', ')})); all shards must have the same width`,
            { file: f },
          );
        }
        if (first !== undefined && L.descr !== first.descr) {
          throw new DataError(
            `shard has dtype '${L.descr}', but ${first.file} has '${first.descr}'; all shards must have the same dtype`,
            { file: f },
          );
        }
        layouts.push(L);
      } finally {
        await fh.close();
      }
    }
    return new NpyShardSource(typeof spec === 'string' ? spec : files[0], layouts);
  }

  /** The shard holding global row `row`, by binary search. */
  private shardOf(row: number): number {
    let lo = 0;
    let hi = this.layouts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.offsets[mid] <= row) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private async handle(index: number): Promise<FileHandle> {
    if (this.current?.index === index) return this.current.fh;
    if (this.current !== undefined) {
      const old = this.current.fh;
      this.current = undefined;
      await old.close();
    }
    const fh = await openHandle(this.layouts[index].file);
    this.current = { index, fh };
    return fh;
  }

  private async read(start: number, count: number, dst: Float32Array): Promise<void> {
    let row = start;
    let k = 0;
    while (row < start + count) {
      let s = this.shardOf(row);
      while (this.layouts[s].rows === 0) s++;
      const L = this.layouts[s];
      const local = row - this.offsets[s];
      const n = Math.min(L.rows - local, start + count - row);
      const view = dst.subarray(k * this.cols, (k + n) * this.cols);
      // A bad value is reported by its shard's file and its row within that shard.
      await readNpyRows(await this.handle(s), L, local, n, view, this.scratch);
      row += n;
      k += n;
    }
  }

  async readBlock(start: number, count: number, out?: Float32Array): Promise<Float32Array> {
    const dst = blockTarget(this, start, count, out);
    const run = this.tail.then(() => this.read(start, count, dst));
    this.tail = run.catch(() => undefined);
    await run;
    return dst;
  }

  blocks(blockRows: number): AsyncIterableIterator<RowBlock> {
    return blocksByRange(this, blockRows);
  }

  async close(): Promise<void> {
    await this.tail;
    if (this.current !== undefined) await this.current.fh.close();
    this.current = undefined;
  }
}
