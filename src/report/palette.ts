/**
 * Vega's tableau10 colour scheme (vega-scale's `tableau10`), the one list of label colours: the
 * report's 3-d scatter and the browser explorer both read it, and the static charts name the
 * same scheme, so a label has one colour everywhere. Imports nothing, so browser code may use it.
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
