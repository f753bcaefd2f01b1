/**
 * Maps every row of a stream through a fitted reducer block by block: codes appended to a
 * `StreamWriter` (memory: one block in, one block of codes out) or gathered into one matrix.
 * Any reducer's `transform` works (PCA, LDA, and LLE/Isomap fitted on a sample); the rows come
 * out in source order.
 */
import { ShapeError } from '../errors.js';
import { checkBlockRows, type RowSource } from '../data/stream/source.js';
import type { StreamWriter } from '../data/stream/writers.js';
import { matrix, type Matrix32 } from '../util/matrix.js';

/** What transformStream needs of a reducer. */
export interface Transformer {
  transform(x: Matrix32): Promise<Matrix32>;
}

/** Options of transformStream. */
export interface TransformStreamOptions {
  /** Rows per block; default 8192. */
  blockRows?: number;
  /** Append codes here (the caller calls finish/abort); otherwise they are returned. */
  writer?: StreamWriter;
}

/**
 * transform(block) for each block of `source`: into `opts.writer` (returns undefined), else one
 * rows x k matrix. @throws ShapeError on a bad blockRows or an empty source without a writer;
 * the reducer's and source's errors
 * @example
 * const lle = await new LLE().fit(await sampleSource(src, 5000, 0));
 * const z = await transformStream(lle, src); // src.rows x 2
 */
export async function transformStream(
  reducer: Transformer,
  source: RowSource,
  opts: TransformStreamOptions & { writer: StreamWriter },
): Promise<undefined>;
export async function transformStream(
  reducer: Transformer,
  source: RowSource,
  opts?: TransformStreamOptions & { writer?: undefined },
): Promise<Matrix32>;
export async function transformStream(
  reducer: Transformer,
  source: RowSource,
  opts: TransformStreamOptions = {},
): Promise<Matrix32 | undefined> {
  const blockRows = opts.blockRows ?? 8192;
  checkBlockRows(blockRows);
  const parts: Float32Array[] = [];
  let rows = 0;
  let k = -1;
  for await (const b of source.blocks(blockRows)) {
    // The block's buffer is reused by the source: transform copies what it keeps.
    const z = await reducer.transform(matrix(b.rows, source.cols, b.data));
    k = z.cols;
    rows += z.rows;
    if (opts.writer !== undefined) await opts.writer.append(z.data);
    else parts.push(z.data);
  }
  if (opts.writer !== undefined) return undefined;
  if (k < 0) throw new ShapeError(`transformStream: ${source.name} has no rows`);
  const out = new Float32Array(rows * k);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return matrix(rows, k, out);
}
