/**
 * A seeded epoch order for training from a stream, in the manner of tf.data's `shuffle` with a
 * buffer and of WebDataset's shard shuffling: the blocks of `blockRows` contiguous rows are
 * permuted per (seed, epoch), consecutive blocks of that order are grouped into windows sized by
 * a memory budget, and the rows of each window are permuted before batching. Every row is visited
 * exactly once per epoch. Each window's permutation depends only on (seed, epoch, window), so a
 * run resumes exactly from (epoch, position) by reloading one window. While the consumer works
 * on a window, the next one is read into a second buffer (during an epoch's last window, the
 * next epoch's first: `next`; before training, the first: `readAhead`); the budget covers both.
 *
 * Each value of a window is touched once on the host after its read (window-prep.ts): checked for
 * finiteness and scaled in place, on a worker thread when one is given. `epochSlices` then hands
 * out each batch as indices into the window (for a graph that gathers its rows, as the trainer's
 * does) and copies rows only for a batch that spans two windows; `epochBatches` copies every
 * batch's rows into one buffer.
 */
import { DataError, ShapeError } from '../../errors.js';
import { Rng } from '../../util/rng.js';
import type { RandomAccessSource } from './source.js';
import { prepareHere, type ColumnAffine, type WindowPrep } from './window-prep.js';

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
  /** Maps every value as it is loaded: (x - off[j]) / div[j] (the model's scaling; default none). */
  affine?: ColumnAffine;
  /** Where the finite check and the affine map run (default: this thread; `WindowWorker`). */
  prepare?: WindowPrep;
  /**
   * The epoch that follows (its `epoch`): its first window is read ahead (`readAhead`) into
   * `scratch` (when given) while this epoch's last window is consumed; the caller lets
   * `scratch.ahead` settle before it closes the source.
   */
  next?: { epoch: number };
}

/** The window and batch buffers of `epochBatches`, reusable across its calls. */
export interface EpochScratch {
  windows?: Float32Array[];
  batch?: Float32Array;
  identity?: Uint32Array;
  /** A window read ahead (`readAhead`): for which epoch and window, into which buffer. */
  ahead?: { epoch: number; window: number; slot: number; data: Promise<Float32Array> };
}

/** A batch: `rows` rows in `data` (a reused buffer), and the epoch position after it. */
export interface EpochBatch {
  data: Float32Array;
  rows: number;
  position: number;
}

/**
 * A batch as rows of a buffer: row i of the batch is row `index[offset + i]` of `data` (a window,
 * or for a batch spanning two windows a reused buffer with `index` 0, 1, 2, ...). `data` is valid
 * until the generator advances.
 */
export interface EpochSlice {
  data: Float32Array;
  index: Uint32Array;
  offset: number;
  rows: number;
  /** Rows of the epoch done after this batch. */
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
 * The two window buffers of an epoch over `rows` rows of `cols` values with options `o`, kept in
 * `scratch`: allocated on first use with every page touched, so that the page faults of fresh
 * memory (one per 4 kB) are paid here, where a caller can do it before it starts a clock, and
 * not by the first reads of an epoch.
 */
export function windowBuffers(
  rows: number,
  cols: number,
  o: EpochOptions,
  scratch: EpochScratch,
  plan = epochPlan(rows, cols, o),
): Float32Array[] {
  const size = Math.min(plan.windowBlocks * o.blockRows * cols, rows * cols);
  if (scratch.windows === undefined || scratch.windows.some((b) => b.length < size))
    scratch.windows = [new Float32Array(size).fill(0), new Float32Array(size).fill(0)];
  return scratch.windows;
}

/** The window of the epoch's plan that holds `position` (checked), and the plan. @throws ShapeError */
function startOf(
  source: RandomAccessSource,
  o: EpochOptions,
): { plan: EpochPlan; w: number; position: number } {
  const plan = epochPlan(source.rows, source.cols, o);
  const position = o.position ?? 0;
  if (!Number.isInteger(position) || position < 0 || position > source.rows) {
    throw new ShapeError(
      `epochBatches: position must be an integer in 0..${source.rows}, got ${position}`,
    );
  }
  let w = 0;
  while (w < plan.windowStart.length - 1 && plan.windowStart[w + 1] <= position) w++;
  return { plan, w, position };
}

/**
 * Reads window `w` of `plan` into buffer `slot` of `scratch.windows` and runs the pass over it:
 * on `o.prepare` when `ahead` (read while the consumer works), else here. Every block read is
 * issued at once, unchecked: the reads proceed in libuv's thread pool and the pass on its worker
 * even while the consumer's step holds the main thread (onnxruntime-node runs synchronously).
 */
async function loadWindow(
  source: RandomAccessSource,
  o: EpochOptions,
  plan: EpochPlan,
  scratch: EpochScratch,
  w: number,
  slot: number,
  ahead: boolean,
): Promise<Float32Array> {
  const { rows, cols } = source;
  const windows = scratch.windows!;
  const buf = windows[slot];
  let k = 0;
  const end = Math.min((w + 1) * plan.windowBlocks, plan.blockOrder.length);
  const reads: Promise<Float32Array>[] = [];
  for (let b = w * plan.windowBlocks; b < end; b++) {
    const first = plan.blockOrder[b] * o.blockRows;
    const n = Math.min(o.blockRows, rows - first);
    reads.push(
      source.readBlock(first, n, buf.subarray(k * cols, (k + n) * cols), { unchecked: true }),
    );
    k += n;
  }
  await Promise.all(reads);
  const prep = ahead ? (o.prepare ?? prepareHere) : prepareHere;
  const done = await prep.run(buf, k * cols, cols, o.affine);
  windows[slot] = done.data;
  if (done.bad >= 0) await reportBad(source, plan, o.blockRows, w, done.bad);
  return done.data.subarray(0, k * cols);
}

/**
 * Starts reading the first window of the epoch `o` describes (from `o.position`) into
 * `o.scratch`, so that its `epochSlices` call finds it read: before training starts, while the
 * caller sets up, or (`EpochOptions.next`) while the previous epoch's last window is consumed.
 * A window read ahead for another epoch or position is discarded. @throws ShapeError on bad options
 */
export function readAhead(
  source: RandomAccessSource,
  o: EpochOptions & { scratch: EpochScratch },
  slot = 0,
): void {
  const { plan, w } = startOf(source, o);
  if (w >= plan.windowStart.length - 1) return;
  windowBuffers(source.rows, source.cols, o, o.scratch, plan);
  const data = loadWindow(source, o, plan, o.scratch, w, slot, true);
  // Failures surface when the epoch awaits the window; none may go unhandled meanwhile.
  data.catch(() => undefined);
  o.scratch.ahead = { epoch: o.epoch, window: w, slot, data };
}

/**
 * The batches of one epoch over `source`, in the order of the module doc, starting at
 * `position`, as slices of the windows (see `EpochSlice`). @throws ShapeError on bad options,
 * DataError from the source or on a non-finite value (naming its file, row and byte)
 */
export async function* epochSlices(
  source: RandomAccessSource,
  o: EpochOptions,
): AsyncGenerator<EpochSlice> {
  const cols = source.cols;
  const start = startOf(source, o);
  const { plan, position } = start;
  let w = start.w;
  const nWindows = plan.windowStart.length - 1;
  const scratch = o.scratch ?? {};
  // A window read ahead owns its buffer until it settles; the one this epoch starts with is used.
  const ahead = scratch.ahead;
  scratch.ahead = undefined;
  let slot = 0;
  let pending: Promise<Float32Array> | undefined;
  if (ahead !== undefined) {
    await ahead.data.catch(() => undefined);
    if (ahead.epoch === o.epoch && ahead.window === w && w < nWindows) {
      pending = ahead.data;
      slot = ahead.slot;
    }
  }
  // Checked after any read ahead has settled: a buffer out in a worker reads as empty.
  windowBuffers(source.rows, cols, o, scratch, plan);
  if (pending === undefined && w < nWindows)
    pending = loadWindow(source, o, plan, scratch, w, slot, false);
  const batchSize = o.batchSize;
  if (scratch.batch === undefined || scratch.batch.length < batchSize * cols)
    scratch.batch = new Float32Array(batchSize * cols);
  const batch = scratch.batch;
  if (scratch.identity === undefined || scratch.identity.length < batchSize)
    scratch.identity = Uint32Array.from({ length: batchSize }, (_, i) => i);
  const identity = scratch.identity;
  let filled = 0;
  let pos = position;
  try {
    for (; w < nWindows; w++, slot = 1 - slot) {
      const current = await pending!;
      // The other buffer is free: the rows of the window before this one that a batch spanning
      // both needed were copied before the loop came here.
      pending = undefined;
      if (w + 1 < nWindows) {
        pending = loadWindow(source, o, plan, scratch, w + 1, 1 - slot, true);
        // Failures surface when the window is awaited; none may go unhandled meanwhile.
        pending.catch(() => undefined);
      } else if (o.next !== undefined && o.scratch !== undefined) {
        readAhead(source, { ...o, ...o.next, position: 0, next: undefined, scratch }, 1 - slot);
      }
      const n = plan.windowStart[w + 1] - plan.windowStart[w];
      const order = windowOrder(o, w, n);
      let i = pos - plan.windowStart[w];
      const copy = (count: number): void => {
        for (let end = i + count; i < end; i++, filled++) {
          const r = order[i];
          batch.set(current.subarray(r * cols, (r + 1) * cols), filled * cols);
        }
        pos += count;
      };
      if (filled > 0) {
        copy(Math.min(batchSize - filled, n - i));
        if (filled === batchSize) {
          yield { data: batch, index: identity, offset: 0, rows: filled, position: pos };
          filled = 0;
        }
      }
      for (; n - i >= batchSize; i += batchSize) {
        pos += batchSize;
        yield { data: current, index: order, offset: i, rows: batchSize, position: pos };
      }
      if (i < n) copy(n - i);
    }
    if (filled > 0)
      yield {
        data: batch.subarray(0, filled * cols),
        index: identity,
        offset: 0,
        rows: filled,
        position: pos,
      };
  } finally {
    // A consumer that stops early leaves a read in flight: let it settle before the caller closes.
    if (pending !== undefined) await pending.catch(() => undefined);
  }
}

/**
 * The batches of one epoch over `source`, in the order of the module doc, starting at
 * `position`, each copied into one reused buffer. @throws ShapeError on bad options, DataError
 * from the source or on a non-finite value
 * @example
 * for await (const b of epochBatches(src, { seed: 1, epoch: 0, batchSize: 256, blockRows: 4096, memoryBytes: 2 ** 28 })) {
 *   step(b.data.subarray(0, b.rows * src.cols)); // b.position: rows done, for a checkpoint
 * }
 */
export async function* epochBatches(
  source: RandomAccessSource,
  o: EpochOptions,
): AsyncGenerator<EpochBatch> {
  const cols = source.cols;
  const scratch = o.scratch ?? {};
  let out: Float32Array | undefined;
  for await (const s of epochSlices(source, { ...o, scratch })) {
    // A batch spanning two windows comes already copied, in order.
    if (s.index === scratch.identity) {
      yield { data: s.data, rows: s.rows, position: s.position };
      continue;
    }
    out ??= new Float32Array(o.batchSize * cols);
    for (let i = 0; i < s.rows; i++) {
      const r = s.index[s.offset + i];
      out.set(s.data.subarray(r * cols, (r + 1) * cols), i * cols);
    }
    yield { data: out, rows: s.rows, position: s.position };
  }
}

/**
 * Reports the non-finite value at index `bad` of window `w`: the block holding it is read again
 * with the source's own check, whose DataError names the file, row, field and byte.
 * @throws DataError always
 */
async function reportBad(
  source: RandomAccessSource,
  plan: EpochPlan,
  blockRows: number,
  w: number,
  bad: number,
): Promise<never> {
  const rowsOf = windowRows(plan, w, source.rows, blockRows);
  const row = rowsOf[Math.floor(bad / source.cols)];
  await source.readBlock(row, 1);
  throw new DataError(
    `a non-finite value in the data (it was not there when the row was read again: did the file change?); expected finite numbers`,
    { file: source.name, row: row + 1, field: (bad % source.cols) + 1 },
  );
}
