// One `aedr ...` command in its own process, so its peak RSS (VmHWM, bench/peak-rss.ts) is its
// own: run as a script it executes the command in-process and prints a JSON line with wall and
// CPU seconds, peak RSS and the load average; `child(args)` spawns it from a benchmark.
//   node --import tsx bench/cli-child.ts train --data ...
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { runCli } from '../src/cli/run.js';
import { peakRssMB } from './peak-rss.js';

/** What one child command measured. */
export interface ChildResult {
  code: number;
  seconds: number;
  cpuSeconds: number;
  peakMB: number;
  /** 1, 5 and 15 minute load averages at the end. */
  load: number[];
}

/** Runs `aedr ...args` in a child process; its measurements. @throws Error when it fails */
export function child(args: string[]): ChildResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/cli-child.ts', ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`aedr ${args.join(' ')} failed with ${r.status}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as ChildResult;
}

if (process.argv[1]?.endsWith('cli-child.ts')) {
  const t = performance.now();
  const c0 = process.cpuUsage();
  const code = await runCli(process.argv.slice(2), {
    out: (s) => void process.stderr.write(s),
    err: (s) => void process.stderr.write(s),
    errIsTty: false,
  });
  const c = process.cpuUsage(c0);
  const r: ChildResult = {
    code,
    seconds: (performance.now() - t) / 1000,
    cpuSeconds: (c.user + c.system) / 1e6,
    peakMB: peakRssMB(),
    load: loadavg(),
  };
  console.log(JSON.stringify(r));
  process.exit(code);
}
