/**
 * Label colours: Vega's tableau10 (the scheme of the report's charts), cycling past ten
 * classes; unlabelled points are grey. The one copy: the report's 3-d scatter and the browser
 * explorer (src/web) both import it, so a class has one colour everywhere. No imports, so the
 * page's bundle takes it as it is.
 */

/** Vega's tableau10 scheme. */
export const TABLEAU10 = [
  '#4c78a8',
  '#f58518',
  '#e45756',
  '#72b7b2',
  '#54a24b',
  '#eeca3b',
  '#b279a2',
  '#ff9da6',
  '#9d755d',
  '#bab0ac',
] as const;

/** Colour of an unlabelled point. */
export const UNLABELLED = '#8a8f98';

/** The colour of label `label` (-1: unlabelled). */
export function labelColor(label: number): string {
  return label < 0 ? UNLABELLED : TABLEAU10[label % TABLEAU10.length];
}

/** The display name of `label`. */
export function labelName(label: number, names?: string[]): string {
  if (label < 0) return 'no label';
  return names?.[label] ?? String(label);
}
