/**
 * A seeded epoch order for training from a stream, in the manner of tf.data's `shuffle` with a
 * buffer and of WebDataset's shard shuffling: the blocks of `blockRows` contiguous rows are
 * permuted per (seed, epoch), consecutive blocks of that order are grouped into windows sized by
 * a memory budget, and the rows of each window are permuted before batching. Every row is visited
 * exactly once per epoch. Each window's permutation depends only on (seed, epoch, window), so a
 * run resumes exactly from (epoch, position) by reloading one window. While the consumer works
 * on a window, the next one is read into a second buffer; the budget covers both.
 */
import { ShapeError } from '../../errors.js';
import { Rng } from '../../util/rng.js';
import type { RandomAccessSource } from './source.js';

/** Options of `epochBatches`. */
export interface EpochOptions {
  seed: number;
  /** 0-based epoch: each epoch has its own order. */
  epoch: number;
  /** Rows per batch; the last batch of an epoch may be smaller. */
  batchSize: number;
  /** Rows per contiguous read. */
  blockRows: number;
  /** Bytes for the two window buffers (float32 rows); at least one block per window is used. */
  memoryBytes: number;
  /** Rows of this epoch already consumed: the first batch starts after them. */
  position?: number;
  /**
   * Buffers kept between epochs (filled in on first use): fresh memory costs a page fault per
   * 4 kB on first touch, which for a small data set read every epoch dominates the reads.
   */
  scratch?: EpochScratch;
}

/** The window and batch buffers of `epochBatches`, reusable across its calls. */
export interface EpochScratch {
  windows?: Float32Array[];
  batch?: Float32Array;
}

/** A batch: `rows` rows in `data` (a reused buffer), and the epoch position after it. */
export interface EpochBatch {
  data: Float32Array;
  rows: number;
  position: number;
}

/** How an epoch is cut: the block order and the windows (runs of `windowBlocks` blocks of it). */
export interface EpochPlan {
  blockOrder: Uint32Array;
  windowBlocks: number;
  /** First epoch position of each window, and the row count as a last entry. */
  windowStart: number[];
}

/** The window count above which a window's stream id would pass 2^32 per epoch. */
const STREAMS_PER_EPOCH = 2 ** 32;

function checkOptions(o: EpochOptions): void {
  for (const k of ['batchSize', 'blockRows'] as const) {
    if (!Number.isInteger(o[k]) || o[k] < 1) {
      throw new ShapeError(`epochBatches: ${k} must be a positive integer, got ${o[k]}`);
    }
  }
  if (!Number.isInteger(o.epoch) || o.epoch < 0) {
    throw new ShapeError(`epochBatches: epoch must be a non-negative integer, got ${o.epoch}`);
  }
  if (!(o.memoryBytes > 0)) {
    throw new ShapeError(`epochBatches: memoryBytes must be positive, got ${o.memoryBytes}`);
  }
}

/** The block order and windows of one epoch over `rows` rows of `cols` values. */
export function epochPlan(rows: number, cols: number, o: EpochOptions): EpochPlan {
  checkOptions(o);
  const nBlocks = Math.ceil(rows / o.blockRows);
  const blockOrder = new Rng(o.seed, o.epoch * STREAMS_PER_EPOCH).permutation(nBlocks);
  const perWindow = Math.floor(o.memoryBytes / (2 * o.blockRows * cols * 4));
  const windowBlocks = Math.max(1, Math.min(nBlocks, perWindow));
  const windowStart = [0];
  for (let b = 0; b < nBlocks; b += windowBlocks) {
    let n = 0;
    for (let k = b; k < Math.min(b + windowBlocks, nBlocks); k++) {
      n += Math.min(o.blockRows, rows - blockOrder[k] * o.blockRows);
    }
    windowStart.push(windowStart[windowStart.length - 1] + n);
  }
  return { blockOrder, windowBlocks, windowStart };
}

/** The row permutation of window `w`: a function of (seed, epoch, w) only. */
function windowOrder(o: EpochOptions, w: number, n: number): Uint32Array {
  return new Rng(o.seed, o.epoch * STREAMS_PER_EPOCH + w + 1).permutation(n);
}

/** The rows of the whole epoch in visiting order (for checks and small data). */
export function epochRowOrder(rows: number, cols: number, o: EpochOptions): Uint32Array {
  const plan = epochPlan(rows, cols, o);
  const out = new Uint32Array(rows);
  let k = 0;
  for (let w = 0; w + 1 < plan.windowStart.length; w++) {
    const rowsOf = windowRows(plan, w, rows, o.blockRows);
    for (const i of windowOrder(o, w, rowsOf.length)) out[k++] = rowsOf[i];
  }
  return out;
}

/** The file rows of window `w` in buffer order. */
function windowRows(plan: EpochPlan, w: number, rows: number, blockRows: number): number[] {
  const out: number[] = [];
  const end = Math.min((w + 1) * plan.windowBlocks, plan.blockOrder.length);
  for (let k = w * plan.windowBlocks; k < end; k++) {
    const first = plan.blockOrder[k] * blockRows;
    for (let r = first; r < Math.min(first + blockRows, rows); r++) out.push(r);
  }
  return out;
}

/**
 * The batches of one epoch over `source`, in the order of the module doc, starting at
 * `position`. @throws ShapeError on bad options, DataError from the source
 * @example
 * for await (const b of epochBatches(src, { seed: 1, epoch: 0, batchSize: 256, blockRows: 4096, memoryBytes: 2 ** 28 })) {
 *   step(b.data.subarray(0, b.rows * src.cols)); // b.position: rows done, for a checkpoint
 * }
 */
export async function* epochBatches(
  source: RandomAccessSource,
  o: EpochOptions,
): AsyncGenerator<EpochBatch> {
  const { rows, cols } = source;
  const plan = epochPlan(rows, cols, o);
  const position = o.position ?? 0;
  if (!Number.isInteger(position) || position < 0 || position > rows) {
    throw new ShapeError(
      `epochBatches: position must be an integer in 0..${rows}, got ${position}`,
    );
  }
  const nWindows = plan.windowStart.length - 1;
  const cap = plan.windowBlocks * o.blockRows * cols;
  const size = Math.min(cap, rows * cols);
  const scratch = o.scratch ?? {};
  if (scratch.windows === undefined || scratch.windows[0].length < size)
    scratch.windows = [new Float32Array(size), new Float32Array(size)];
  const buffers = scratch.windows;
  // Every block read of a window is issued at once: the reads proceed in libuv's thread pool
  // even while the consumer's step holds the main thread (onnxruntime-node runs synchronously).
  const load = async (w: number, buf: Float32Array): Promise<Float32Array> => {
    let k = 0;
    const end = Math.min((w + 1) * plan.windowBlocks, plan.blockOrder.length);
    const reads: Promise<Float32Array>[] = [];
    for (let b = w * plan.windowBlocks; b < end; b++) {
      const first = plan.blockOrder[b] * o.blockRows;
      const n = Math.min(o.blockRows, rows - first);
      reads.push(source.readBlock(first, n, buf.subarray(k * cols, (k + n) * cols)));
      k += n;
    }
    await Promise.all(reads);
    return buf;
  };
  let w = 0;
  while (w < nWindows && plan.windowStart[w + 1] <= position) w++;
  if (scratch.batch === undefined || scratch.batch.length < o.batchSize * cols)
    scratch.batch = new Float32Array(o.batchSize * cols);
  const batch = scratch.batch.subarray(0, o.batchSize * cols);
  let filled = 0;
  let pos = position;
  let pending: Promise<Float32Array> | undefined =
    w < nWindows ? load(w, buffers[w % 2]) : undefined;
  try {
    for (; w < nWindows; w++) {
      const current = await pending!;
      pending = undefined;
      if (w + 1 < nWindows) {
        pending = load(w + 1, buffers[(w + 1) % 2]);
        // Failures surface when the window is awaited; none may go unhandled meanwhile.
        pending.catch(() => undefined);
      }
      const n = plan.windowStart[w + 1] - plan.windowStart[w];
      const order = windowOrder(o, w, n);
      for (let i = pos - plan.windowStart[w]; i < n; i++) {
        const r = order[i];
        batch.set(current.subarray(r * cols, (r + 1) * cols), filled * cols);
        pos++;
        if (++filled === o.batchSize) {
          yield { data: batch, rows: filled, position: pos };
          filled = 0;
        }
      }
    }
    if (filled > 0) yield { data: batch.subarray(0, filled * cols), rows: filled, position: pos };
  } finally {
    // A consumer that stops early leaves a read in flight: let it settle before the caller closes.
    if (pending !== undefined) await pending.catch(() => undefined);
  }
}
