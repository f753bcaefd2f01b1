/**
 * A seeded uniform sample of rows without replacement, for reducers that fit on a sample and
 * map the rest out of sample (LLE, Isomap: `fitSample`). Reservoir sampling (Vitter 1985,
 * "Random sampling with a reservoir", Algorithm R, doi:10.1145/3147.3165): one front-to-back
 * pass, memory for the sample only, so a stream of unknown length (CSV) works too. The same
 * seed picks the same rows from a matrix and from a source of the same rows; the sample keeps
 * the rows' original order.
 */
import { ConfigError, ShapeError } from '../errors.js';
import { checkBlockRows, type RowSource } from '../data/stream/source.js';
import { matrix, type Matrix32 } from '../util/matrix.js';
import { Rng } from '../util/rng.js';

/** The Rng stream of sampling, apart from the reducers' other draws with the same seed. */
const SAMPLE_STREAM = 71;

/** Reservoir state: slot → row index and the slot's row values. */
class Reservoir {
  private readonly rng: Rng;
  private seen = 0;
  readonly index: Float64Array;
  readonly data: Float32Array;

  constructor(
    readonly count: number,
    readonly cols: number,
    seed: number,
  ) {
    this.rng = new Rng(seed, SAMPLE_STREAM);
    this.index = new Float64Array(count);
    this.data = new Float32Array(count * cols);
  }

  /** Offers `rows` rows of `data`, the next in order. */
  offer(data: Float32Array, rows: number): void {
    const d = this.cols;
    for (let i = 0; i < rows; i++, this.seen++) {
      const slot = this.seen < this.count ? this.seen : this.rng.int(this.seen + 1);
      if (slot < this.count) {
        this.index[slot] = this.seen;
        this.data.set(data.subarray(i * d, i * d + d), slot * d);
      }
    }
  }

  /** The kept rows in their original order (all rows when fewer than `count` came). */
  result(): Matrix32 {
    const m = Math.min(this.count, this.seen);
    const order = Array.from({ length: m }, (_, s) => s).sort(
      (a, b) => this.index[a] - this.index[b],
    );
    const d = this.cols;
    const out = new Float32Array(m * d);
    order.forEach((s, i) => out.set(this.data.subarray(s * d, s * d + d), i * d));
    return matrix(m, d, out);
  }
}

function checkCount(count: number): void {
  if (!Number.isSafeInteger(count) || count < 1) {
    throw new ConfigError(`fitSample must be a positive integer, got ${String(count)}`);
  }
}

/**
 * `count` rows of x drawn uniformly without replacement with `seed`, in their original order
 * (x itself when it has at most `count` rows). @throws ConfigError on a bad count
 * @example
 * sampleRows(x, 1000, 0).rows; // min(1000, x.rows)
 */
export function sampleRows(x: Matrix32, count: number, seed: number): Matrix32 {
  checkCount(count);
  if (x.rows <= count) return x;
  const r = new Reservoir(count, x.cols, seed);
  r.offer(x.data, x.rows);
  return r.result();
}

/**
 * The same sample as `sampleRows` on all of `source`'s rows, read in one pass of `blockRows`
 * blocks. @throws ConfigError on a bad count, ShapeError on an empty source, DataError from it
 */
export async function sampleSource(
  source: RowSource,
  count: number,
  seed: number,
  blockRows = 8192,
): Promise<Matrix32> {
  checkCount(count);
  checkBlockRows(blockRows);
  const r = new Reservoir(count, source.cols, seed);
  for await (const b of source.blocks(blockRows)) r.offer(b.data, b.rows);
  const out = r.result();
  if (out.rows === 0) throw new ShapeError(`sampleSource: ${source.name} has no rows`);
  return out;
}
