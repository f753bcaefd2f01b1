/**
 * Peak resident memory of this process in MB. Linux's getrusage maxrss (Node's
 * `resourceUsage().maxRSS`) survives exec: a child spawned by a large benchmark parent (libuv
 * forks, then execs) reports at least the parent's RSS at the fork. /proc/self/status VmHWM
 * belongs to the process image and starts afresh at exec, so it is read where it exists.
 * (Measured: Isomap n = 10,000 read 1415-1550 MB through maxRSS inside the bench against
 * 640-775 MB standalone.)
 */
import { readFileSync } from 'node:fs';

/** Peak RSS in MB (VmHWM on Linux, else getrusage). */
export function peakRssMB(): number {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch {
    // not Linux: fall through
  }
  return process.resourceUsage().maxRSS / 1024;
}
