/**
 * Views of a random-access source: a list of row ranges read as one source (for a row limit, and
 * for the training and validation parts of a block hold-out), and the seeded hold-out itself.
 * The hold-out takes whole blocks of `blockRows` contiguous rows, as tf.data's `take`/`skip` on
 * shards do, rather than scattered rows (scikit-learn's train_test_split): a stream cannot gather
 * rows at random without reading all of it, and the blocks keep reads contiguous. The blocks are
 * drawn from their own PCG32 stream of the seed, so the split is the same on every run and on
 * resume.
 */
import { ConfigError } from '../../errors.js';
import { Rng } from '../../util/rng.js';
import {
  blocksByRange,
  blockTarget,
  type RandomAccessSource,
  type ReadOptions,
  type RowBlock,
} from './source.js';

/** A row range of the underlying source: `count` rows from `start`. */
export interface RowRange {
  start: number;
  count: number;
}

/** The PCG32 stream of the block hold-out (apart from every other draw of the seed). */
const HOLD_OUT_STREAM = 11;

/** The rows of `ranges` of `base`, in that order, as one source. Closing it leaves `base` open. */
export class RowRangesSource implements RandomAccessSource {
  readonly name: string;
  readonly cols: number;
  readonly rows: number;
  readonly unitRows: number | undefined;
  /** First view row of each range, then the row count. */
  private readonly firsts: number[];

  /** @throws ConfigError on a range outside `base` */
  constructor(
    private readonly base: RandomAccessSource,
    readonly ranges: readonly RowRange[],
    label = 'rows',
  ) {
    this.name = `${base.name} (${label})`;
    this.cols = base.cols;
    this.unitRows = base.unitRows;
    this.firsts = [0];
    for (const r of ranges) {
      if (r.start < 0 || r.count < 0 || r.start + r.count > base.rows)
        throw new ConfigError(
          `RowRangesSource: range ${r.start}+${r.count} lies outside the ${base.rows} rows of ${base.name}`,
        );
      this.firsts.push(this.firsts[this.firsts.length - 1] + r.count);
    }
    this.rows = this.firsts[this.firsts.length - 1];
  }

  async readBlock(
    start: number,
    count: number,
    out?: Float32Array,
    options?: ReadOptions,
  ): Promise<Float32Array> {
    const target = blockTarget(this, start, count, out);
    // The range holding `start`: the last first row at or before it.
    let k = 0;
    let hi = this.ranges.length - 1;
    while (k < hi) {
      const mid = (k + hi + 1) >> 1;
      if (this.firsts[mid] <= start) k = mid;
      else hi = mid - 1;
    }
    let done = 0;
    while (done < count) {
      const r = this.ranges[k];
      const off = start + done - this.firsts[k];
      const n = Math.min(count - done, r.count - off);
      if (n > 0) {
        await this.base.readBlock(
          r.start + off,
          n,
          target.subarray(done * this.cols, (done + n) * this.cols),
          options,
        );
        done += n;
      }
      k++;
    }
    return target;
  }

  blocks(blockRows: number): AsyncIterableIterator<RowBlock> {
    return blocksByRange(this, blockRows);
  }

  async close(): Promise<void> {}
}

/**
 * Splits rows 0..rows-1 into blocks of `blockRows` and holds out ceil(fraction * blocks) of them,
 * drawn from the seed; both parts keep file order, adjacent blocks merged into one range.
 * @throws ConfigError when either part would be empty
 */
export function holdOutBlocks(
  rows: number,
  blockRows: number,
  fraction: number,
  seed: number,
): { train: RowRange[]; val: RowRange[] } {
  const nBlocks = Math.ceil(rows / blockRows);
  const nVal = Math.ceil(fraction * nBlocks);
  if (nVal < 1 || nVal >= nBlocks)
    throw new ConfigError(
      `validationSplit ${fraction} of ${nBlocks} blocks of ${blockRows} rows holds out ${nVal} blocks and keeps ${nBlocks - nVal}; both need at least 1 (give a smaller blockRows or another fraction)`,
    );
  const perm = new Rng(seed, HOLD_OUT_STREAM).permutation(nBlocks);
  const isVal = new Uint8Array(nBlocks);
  for (let i = 0; i < nVal; i++) isVal[perm[i]] = 1;
  const train: RowRange[] = [];
  const val: RowRange[] = [];
  for (let b = 0; b < nBlocks; b++) {
    const list = isVal[b] ? val : train;
    const start = b * blockRows;
    const count = Math.min(blockRows, rows - start);
    const last = list[list.length - 1];
    if (last !== undefined && last.start + last.count === start) last.count += count;
    else list.push({ start, count });
  }
  return { train, val };
}
