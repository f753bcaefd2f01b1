/**
 * Random access for a front-to-back source (CSV, Arrow): one pass copies its rows into a float32
 * `.npy` with the stream writer, which then serves positional reads, so a seeded shuffled epoch
 * (`epoch.ts`) can run over any format. Costs one pass and the disk space of rows x cols x 4
 * bytes; memory stays at one block.
 */
import { NpySource } from './npy-source.js';
import { isRandomAccess, type RandomAccessSource, type RowSource } from './source.js';
import { NpyStreamWriter } from './writers.js';

/**
 * `source` itself when it reads rows at any position, else a `.npy` copy of it at `path` (the
 * caller removes it after closing the returned source). @throws DataError from the source
 */
export async function spillToNpy(
  source: RowSource,
  path: string,
  blockRows = 8192,
): Promise<RandomAccessSource> {
  if (isRandomAccess(source)) return source;
  const w = await NpyStreamWriter.open(path, source.cols);
  try {
    for await (const b of source.blocks(blockRows)) await w.append(b.data);
  } catch (err) {
    await w.abort();
    throw err;
  }
  await w.finish();
  return NpySource.open(path);
}
