/**
 * The comparison's findings, generated from the measured rows so the text never claims more
 * than the table shows: which method classifies best at each dimension, how far each method
 * gets from the raw-row ceiling (in accuracy points, against the ceiling with the same training
 * rows), which keeps neighbourhoods best, what was skipped or failed, and what the run cost.
 */
import { formatNumber } from '../../report/format.js';
import { METHOD_TITLES, type CompareMethod } from './config.js';
import type { CompareResult, CompareRow } from './run.js';

/** Within this many accuracy points of its ceiling a method "reaches" it. */
export const NEAR_CEILING_POINTS = 1;

/** Accuracy difference in percentage points, one decimal: 0.9688 − 0.9612 → "0.8". */
export function points(diff: number): string {
  return (Math.round(diff * 1000) / 10).toFixed(1);
}

/** An integer with thousands separators: 60000 → "60,000". */
export function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Seconds as `4.2 s` or `3.1 min`. */
export function duration(s: number): string {
  return s < 120 ? `${s.toFixed(1)} s` : `${(s / 60).toFixed(1)} min`;
}

function ok(r: CompareResult): CompareRow[] {
  return r.rows.filter((x) => x.knnAccuracy !== null);
}

function name(m: CompareMethod): string {
  return METHOD_TITLES[m];
}

function best<T>(xs: readonly T[], f: (x: T) => number): T | undefined {
  let b: T | undefined;
  for (const x of xs) if (b === undefined || f(x) > f(b)) b = x;
  return b;
}

/** The findings, one sentence each. */
export function compareFindings(r: CompareResult): string[] {
  const out: string[] = [];
  const rows = ok(r);
  const src = r.data.name === 'mnist' ? 'raw pixels' : 'raw features';
  const k = r.settings.k;
  if (r.ceilings.length > 0)
    out.push(
      `Ceiling: kNN(${k}) on the ${src} scores ${r.ceilings
        .map((c) => `${formatNumber(c.accuracy)} with ${thousands(c.trainRows)} training rows`)
        .join(' and ')}.`,
    );
  if (rows.length === 0) {
    out.push('No method produced a code (see the notes in the table).');
    return out;
  }
  const perDim = r.settings.dims
    .map((d) => {
      const atD = rows.filter((x) => x.dim === d);
      const b = best(atD, (x) => x.knnAccuracy as number);
      if (!b) return undefined;
      const runnerUp = best(
        atD.filter((x) => x !== b),
        (x) => x.knnAccuracy as number,
      );
      const lead =
        runnerUp !== undefined
          ? points((b.knnAccuracy as number) - (runnerUp.knnAccuracy as number))
          : undefined;
      const margin =
        runnerUp === undefined
          ? ''
          : lead === '0.0'
            ? ` (tied with ${name(runnerUp.method)} to 0.1 point)`
            : ` (+${lead} over ${name(runnerUp.method)})`;
      return `d = ${d}: ${name(b.method)} ${formatNumber(b.knnAccuracy as number)}${margin}`;
    })
    .filter((x): x is string => x !== undefined);
  out.push(`Best kNN(${k}) accuracy per dimension: ${perDim.join('; ')}.`);

  const top = best(rows, (x) => (x.knnAccuracy as number) - (x.ceiling ?? 0));
  if (top && top.ceiling !== null) {
    const gap = (top.ceiling as number) - (top.knnAccuracy as number);
    const ref = `the ${src} (${formatNumber(top.ceiling)}, ${thousands(top.trainRows)} training rows)`;
    // The sentence follows the rounded number it prints, so "0.0 points above" cannot occur.
    const shown = points(Math.abs(gap));
    out.push(
      `Closest to its ceiling: ${name(top.method)} at d = ${top.dim}, ${formatNumber(top.knnAccuracy as number)}: ` +
        (shown === '0.0'
          ? `level with ${ref} to 0.1 point: the code keeps the raw input's kNN accuracy.`
          : gap > 0
            ? `${shown} points below ${ref}.`
            : `${shown} points above ${ref}: on these rows the code classifies better than the raw input.`),
    );
  }
  const reach = [...new Set(rows.map((x) => x.method))].map((m) => {
    const own = rows.filter((x) => x.method === m && x.ceiling !== null);
    const first = own.find(
      (x) => (x.ceiling as number) - (x.knnAccuracy as number) <= NEAR_CEILING_POINTS / 100,
    );
    if (first) return `${name(m)} from d = ${first.dim}`;
    const b = best(own, (x) => x.knnAccuracy as number);
    return b
      ? `${name(m)} never (best ${formatNumber(b.knnAccuracy as number)} at d = ${b.dim}, ${points((b.ceiling as number) - (b.knnAccuracy as number))} points short)`
      : `${name(m)}: no ceiling`;
  });
  out.push(
    `Within ${NEAR_CEILING_POINTS} point of the ceiling with the same training rows: ${reach.join('; ')}.`,
  );

  const trusted = rows.filter((x) => x.trust !== null);
  const trustWins = new Map<CompareMethod, number[]>();
  for (const d of r.settings.dims) {
    const b = best(
      trusted.filter((x) => x.dim === d),
      (x) => x.trust?.value ?? -1,
    );
    if (b) trustWins.set(b.method, [...(trustWins.get(b.method) ?? []), d]);
  }
  if (trustWins.size > 0)
    out.push(
      `Highest trustworthiness (k = ${k}): ${[...trustWins]
        .map(([m, ds]) => `${name(m)} at d = ${ds.join(', ')}`)
        .join('; ')}.`,
    );

  const manifold = rows.filter((x) => x.trainRows < Math.max(...rows.map((y) => y.trainRows)));
  if (manifold.length > 0) {
    const ms = [...new Set(manifold.map((x) => name(x.method)))].join(' and ');
    out.push(
      `${ms} were fitted on ${thousands(manifold[0].trainRows)} training rows (their fit grows as n²), the others on ${thousands(Math.max(...rows.map((y) => y.trainRows)))}: compare them through their gaps to the ceiling of the same size, not through raw accuracy.`,
    );
  }
  const skipped = r.rows.filter((x) => x.skipped !== undefined);
  for (const m of [...new Set(skipped.map((x) => x.method))]) {
    const own = skipped.filter((x) => x.method === m);
    out.push(`${name(m)} skipped at d = ${own.map((x) => x.dim).join(', ')}: ${own[0].skipped}.`);
  }
  for (const x of r.rows.filter((y) => y.error !== undefined))
    out.push(`${name(x.method)} failed at d = ${x.dim}: ${x.error}`);

  const slow = best(rows, (x) => x.fitSeconds ?? 0);
  out.push(
    `Cost: the whole run took ${duration(r.seconds)} (estimated ${duration(r.estimatedSeconds)} beforehand); the slowest fit was ${slow ? `${name(slow.method)} at d = ${slow.dim}, ${duration(slow.fitSeconds ?? 0)}` : 'none'}.`,
  );
  return out;
}
