/**
 * Code health after training: which code units carry no information. A unit is dead when it is
 * exactly 0 for every row (a ReLU code unit whose input is negative for every row never
 * recovers: its gradient is 0), and constant when it takes one value, up to float32 rounding,
 * for every row. Either way the code is narrower than it looks; the CLI warns, model.json
 * records the result (`codeCheck`) and the Autoencoder reducer exposes it.
 */
import type { Matrix32 } from '../util/matrix.js';

/** The code units that carry no information (0-based unit indices). */
export interface CodeCheck {
  /** Code width. */
  units: number;
  /** Units equal to 0 for every row. */
  dead: number[];
  /** Units that take one non-zero value for every row (dead units are not repeated here). */
  constant: number[];
  /** Rows the check looked at. */
  rows: number;
}

/** Relative spread below which a unit counts as constant: a few float32 ulps. */
const CONSTANT_RTOL = 1e-6;

/** Finds the dead and constant units of `codes` (rows x code width). */
export function checkCodes(codes: Matrix32): CodeCheck {
  const k = codes.cols;
  const lo = new Float64Array(k).fill(Infinity);
  const hi = new Float64Array(k).fill(-Infinity);
  const d = codes.data;
  for (let i = 0; i < codes.rows; i++) {
    const row = i * k;
    for (let j = 0; j < k; j++) {
      const v = d[row + j];
      if (v < lo[j]) lo[j] = v;
      if (v > hi[j]) hi[j] = v;
    }
  }
  const dead: number[] = [];
  const constant: number[] = [];
  if (codes.rows === 0) return { units: k, dead, constant, rows: 0 };
  for (let j = 0; j < k; j++) {
    if (lo[j] === 0 && hi[j] === 0) dead.push(j);
    else if (hi[j] - lo[j] <= CONSTANT_RTOL * Math.max(Math.abs(lo[j]), Math.abs(hi[j])))
      constant.push(j);
  }
  return { units: k, dead, constant, rows: codes.rows };
}

/** One line for a user: how many units are dead or constant and what to do, or undefined when none. */
export function codeCheckWarning(c: CodeCheck, codeActivation: string): string | undefined {
  const bad = c.dead.length + c.constant.length;
  if (bad === 0) return undefined;
  const parts: string[] = [];
  if (c.dead.length > 0) parts.push(`${c.dead.length} always 0 (units ${c.dead.join(', ')})`);
  if (c.constant.length > 0)
    parts.push(`${c.constant.length} constant (units ${c.constant.join(', ')})`);
  const remedy =
    codeActivation === 'relu'
      ? 'a ReLU code unit that is negative for every row never recovers: use --code-activation linear, or another --seed'
      : 'try another --seed, a lower --lr or more --epochs';
  return `${bad} of ${c.units} code units carry no information: ${parts.join(', ')}; ${remedy}`;
}
