// Runs the `aedr` command line for tests: in-process through runCli with captured output (fast),
// or as a real process through tsx (to pin what main.ts sets, such as the exit code), and the
// check that a bad command gives one `aedr: error: ...` line.
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CliIo } from '../../src/cli/context.js';
import { runCli } from '../../src/cli/run.js';

/** The repository root, where the real process runs. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Runs `aedr ...args` in-process: its exit code and what it wrote to stdout and stderr. */
export async function aedr(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return aedrIo(false, ...args);
}

/** aedr, with stderr reported as a terminal when `errIsTty` (live status lines). */
export async function aedrIo(
  errIsTty: boolean,
  ...args: string[]
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), errIsTty };
  const code = await runCli(args, io);
  return { code, out, err };
}

/** Runs `aedr ...args` as a real process (node --import tsx src/cli/main.ts) in ROOT. */
export function aedrProcess(...args: string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });
}

/** Asserts that in-process `aedr ...args` exits with `code`, stderr starting `aedr: error: ` and matching `re`. */
export async function failsWithError(code: number, re: RegExp, ...args: string[]): Promise<void> {
  const r = await aedr(...args);
  assert.equal(r.code, code, `exit code of ${args.join(' ')}: ${r.err}`);
  assert.match(r.err.split('\n')[0], /^aedr: error: /);
  assert.match(r.err, re);
}
