/**
 * The streaming path of `aedr encode` (see commands/encode.ts): which inputs stream, and one
 * streamed run, whole or `--shard i/N` (shard.ts: part plan, output name, completion marker).
 */
import { statSync } from 'node:fs';
import type { ColumnRef } from '../data/csv-columns.js';
import { openSource, sourceFormatOf } from '../data/stream/open.js';
import { NpyShardSource } from '../data/stream/shards.js';
import type { RowSource } from '../data/stream/source.js';
import type { AutoencoderModel } from '../train/model.js';
import { UsageError, type CliIo } from './context.js';
import { columnFlagsText, rememberedColumns } from './data-columns.js';
import { groupDigits } from './describe.js';
import {
  checkWidth,
  countRows,
  openStreamWriter,
  rowProgress,
  STREAM_BYTES,
  streamOutputKind,
  streamRows,
} from './encode-stream.js';
import { openModel } from './load-model.js';
import {
  finishedPart,
  partPath,
  planPart,
  sha256File,
  writeMarker,
  type ShardSpec,
} from './shard.js';

/** The parsed flags of `aedr encode`. */
export interface EncodeFlags {
  model: string;
  data: string;
  out: string;
  labels?: string;
  labelColumn?: number | string;
  ignoreColumns?: ColumnRef[];
  limit?: number;
  threads?: number;
  spin?: boolean;
  quiet?: boolean;
  /** Parquet/Arrow: the columns that make a row. */
  columns?: string[];
  /** Stream the input even when it is small. */
  stream?: boolean;
  shard?: ShardSpec;
}

/** Whether `f` takes the streaming path (see the module doc). */
export function streamsInput(f: EncodeFlags): boolean {
  const format = sourceFormatOf(f.data);
  if (format === undefined) return false;
  if (f.stream === true || f.shard !== undefined || /\.(parquet|pq)$/i.test(f.out)) return true;
  if (format === 'npy-shards' || format === 'parquet' || format === 'arrow') return true;
  const labelled =
    f.labels !== undefined || f.labelColumn !== undefined || f.ignoreColumns !== undefined;
  const size = statSync(f.data, { throwIfNoEntry: false })?.size ?? 0;
  return !labelled && size >= STREAM_BYTES;
}

/**
 * The streaming `aedr encode`, with `--shard`. Returns false, having done nothing, for a CSV
 * streamed only for its size whose columns the model reads with remembered label or skipped
 * columns, which the in-memory reader applies.
 */
export async function encodeStream(f: EncodeFlags, io: CliIo): Promise<boolean> {
  streamOutputKind(f.out, '--out');
  for (const [flag, v] of [
    ['--labels', f.labels],
    ['--label-column', f.labelColumn],
    ['--ignore-columns', f.ignoreColumns],
  ] as const) {
    if (v !== undefined) {
      throw new UsageError(
        `${flag} does not apply to a streamed input (${f.data}); streamed codes have no label column. Drop ${flag}, or encode a file under 256 MB without --stream/--shard/.parquet`,
      );
    }
  }
  if (f.shard !== undefined && f.limit !== undefined) {
    throw new UsageError('--limit and --shard do not go together; drop --limit');
  }
  const format = sourceFormatOf(f.data);
  const explicit = f.stream === true || f.shard !== undefined || /\.(parquet|pq)$/i.test(f.out);
  const model = openModel(f.model, f.threads, f.spin);
  try {
    const source = await openSource(f.data, f.columns ? { columns: f.columns } : {});
    try {
      const remembered = rememberedColumns(model.training);
      if (source.cols !== model.inputDim && remembered !== undefined && format === 'csv') {
        if (!explicit) return false;
        throw new UsageError(
          `${f.data}: the model reads this CSV with ${columnFlagsText(remembered)}, which a streamed CSV cannot apply; write the feature columns alone (CSV, .npy or Parquet) to stream them`,
        );
      }
      checkWidth(source, model.inputDim, 'takes', f.model);
      if (f.shard === undefined) {
        const total =
          source.rows === undefined ? undefined : Math.min(source.rows, f.limit ?? Infinity);
        const r = await encodePart(model, source, f.out, 0, f.limit ?? Infinity, total, f, io);
        if (!f.quiet) {
          io.out(`wrote ${f.out}: ${groupDigits(r.rows)} codes of ${model.latentDim} dimensions\n`);
        }
        return true;
      }
      const total = await countRows(source);
      const files =
        source instanceof NpyShardSource
          ? source.layouts.map((L) => ({ file: L.file, rows: L.rows }))
          : undefined;
      const plan = planPart(f.shard, total, files);
      const out = partPath(f.out, f.shard);
      const expect = {
        part: f.shard.index,
        parts: f.shard.count,
        input: f.data,
        start: plan.start,
        end: plan.end,
        cols: model.latentDim,
      };
      const label = `part ${f.shard.index}/${f.shard.count}`;
      const done = await finishedPart(out, expect);
      if (done !== undefined) {
        if (!f.quiet) {
          io.out(`${label}: ${out} is already done (${groupDigits(done.rows)} codes); skipped\n`);
        }
        return true;
      }
      const r = await encodePart(
        model,
        source,
        out,
        plan.start,
        plan.end,
        plan.end - plan.start,
        f,
        io,
      );
      writeMarker({
        ...expect,
        rows: r.rows,
        output: out,
        sha256: await sha256File(out),
        seconds: Math.round(r.seconds * 1000) / 1000,
      });
      if (!f.quiet) {
        const what = plan.by === 'files' ? `${plan.files?.length ?? 0} shard files, ` : '';
        io.out(
          `${label}: wrote ${out}: ${groupDigits(r.rows)} codes of ${model.latentDim} dimensions (${what}rows ${groupDigits(plan.start)}..${groupDigits(plan.end)})\n`,
        );
      }
      return true;
    } finally {
      await source.close();
    }
  } finally {
    await model.dispose();
  }
}

/** Rows `start .. end-1` of `source` encoded into `out` (temp file renamed at the end). */
async function encodePart(
  model: AutoencoderModel,
  source: RowSource,
  out: string,
  start: number,
  end: number,
  total: number | undefined,
  f: EncodeFlags,
  io: CliIo,
): Promise<{ rows: number; seconds: number }> {
  const t0 = performance.now();
  const writer = await openStreamWriter(out, model.latentDim, 'z');
  const progress = rowProgress(io, 'encode', total, f.quiet);
  try {
    const rows = await streamRows(source, writer, {
      start,
      end,
      transform: (x) => model.encode(x),
      onRows: (n) => progress.update(n),
    });
    await writer.finish();
    return { rows, seconds: (performance.now() - t0) / 1000 };
  } catch (err) {
    await writer.abort();
    throw err;
  } finally {
    progress.done();
  }
}
