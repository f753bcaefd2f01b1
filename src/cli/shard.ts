/**
 * `--shard i/N` of `aedr encode`: the i-th (0-based, as Kubernetes' JOB_COMPLETION_INDEX and AWS
 * Batch's AWS_BATCH_JOB_ARRAY_INDEX count) of N disjoint, contiguous parts of the input. A set of
 * `.npy` shards is split by file (part i takes files ⌊iF/N⌋ .. ⌊(i+1)F/N⌋-1) when there are at
 * least N files, else any input by row range (rows ⌊iR/N⌋ .. ⌊(i+1)R/N⌋-1). Parts in index order
 * concatenate to the whole input, so their outputs concatenate to a non-sharded encode. Each
 * finished part gets a completion marker beside its output (`<output>.done`, JSON: rows, sha256
 * of the output, seconds); a rerun skips a part whose marker matches the plan and whose output's
 * hash matches the marker.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { writeFileAtomic } from '../util/atomic.js';

/** Part `index` of `count`. */
export interface ShardSpec {
  index: number;
  count: number;
}

/** `--shard 3/8` (0-based index below the count). @throws InvalidArgumentError */
export function shardArg(text: string): ShardSpec {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index >= count || !Number.isSafeInteger(count)) {
    throw new InvalidArgumentError(
      'Expected i/N with 0 <= i < N, e.g. 0/8 for the first of 8 parts (i is 0-based, as JOB_COMPLETION_INDEX).',
    );
  }
  return { index, count };
}

/** The rows of one part: `start .. end-1` of the whole input, and the shard files it covers. */
export interface PartPlan {
  start: number;
  end: number;
  /** 'files' when split by shard file, else 'rows'. */
  by: 'files' | 'rows';
  files?: string[];
}

/**
 * The part `s` of an input of `rows` rows, or of shard files with these row counts (split by
 * file when there are at least `s.count` of them).
 */
export function planPart(
  s: ShardSpec,
  rows: number,
  shardFiles?: readonly { file: string; rows: number }[],
): PartPlan {
  if (shardFiles !== undefined && shardFiles.length >= s.count) {
    const F = shardFiles.length;
    const a = Math.floor((s.index * F) / s.count);
    const b = Math.floor(((s.index + 1) * F) / s.count);
    let start = 0;
    for (let k = 0; k < a; k++) start += shardFiles[k].rows;
    let end = start;
    for (let k = a; k < b; k++) end += shardFiles[k].rows;
    return { start, end, by: 'files', files: shardFiles.slice(a, b).map((f) => f.file) };
  }
  return {
    start: Math.floor((s.index * rows) / s.count),
    end: Math.floor(((s.index + 1) * rows) / s.count),
    by: 'rows',
  };
}

/** `codes.npy` for part 3 of 8 -> `codes.part-0003-of-0008.npy` (at least 4 digits). */
export function partPath(out: string, s: ShardSpec): string {
  const width = Math.max(4, String(s.count).length);
  const pad = (n: number): string => String(n).padStart(width, '0');
  const ext = extname(out);
  const stem = basename(out, ext);
  return join(dirname(out), `${stem}.part-${pad(s.index)}-of-${pad(s.count)}${ext}`);
}

/** The completion marker of an output file. */
export function markerPath(output: string): string {
  return `${output}.done`;
}

/** What a completion marker records. */
export interface PartMarker {
  part: number;
  parts: number;
  input: string;
  start: number;
  end: number;
  rows: number;
  cols: number;
  output: string;
  sha256: string;
  seconds: number;
}

/** The SHA-256 of a file, hex, read as a stream. */
export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Writes the marker of a finished part (atomically, after its output is in place). */
export function writeMarker(m: PartMarker): void {
  writeFileAtomic(markerPath(m.output), JSON.stringify(m, null, 2) + '\n');
}

/**
 * The marker of a part already finished for this plan: present, for the same input, part and
 * rows, and its output hashing to the recorded sha256; undefined when the part must run.
 */
export async function finishedPart(
  output: string,
  expect: Pick<PartMarker, 'part' | 'parts' | 'input' | 'start' | 'end' | 'cols'>,
): Promise<PartMarker | undefined> {
  const mp = markerPath(output);
  if (!existsSync(mp) || !existsSync(output)) return undefined;
  let m: Partial<PartMarker>;
  try {
    m = JSON.parse(readFileSync(mp, 'utf8')) as Partial<PartMarker>;
  } catch {
    return undefined;
  }
  for (const k of ['part', 'parts', 'input', 'start', 'end', 'cols'] as const) {
    if (m[k] !== expect[k]) return undefined;
  }
  if (typeof m.sha256 !== 'string' || (await sha256File(output)) !== m.sha256) return undefined;
  return m as PartMarker;
}
