// Reads test/golden/reducers_sklearn.json (made by test/golden/reducers_sklearn.py with
// scikit-learn 1.2) for the reducer tests: matrices as float32 inputs or float64 expectations,
// and the sign alignment that eigenvector comparisons need.
import { readFileSync } from 'node:fs';
import { matrix, type Matrix, type Matrix32 } from '../../src/util/matrix.js';

/** A matrix as the golden script writes it. */
export interface GoldenMatrix {
  rows: number;
  cols: number;
  data: number[];
}

let cache: Record<string, unknown> | undefined;

/** The golden reference values, parsed once. */
export function golden(): Record<string, unknown> {
  cache ??= JSON.parse(
    readFileSync(new URL('../golden/reducers_sklearn.json', import.meta.url), 'utf8'),
  ) as Record<string, unknown>;
  return cache;
}

/** One section of the golden file (pca_tall, lda, swiss, ...). */
export function section(name: string): Record<string, unknown> {
  return golden()[name] as Record<string, unknown>;
}

/** A golden matrix as float32 input (exact: the script only writes float32-representable inputs). */
export function input32(m: unknown): Matrix32 {
  const g = m as GoldenMatrix;
  return matrix(g.rows, g.cols, Float32Array.from(g.data));
}

/** A golden matrix as float64. */
export function expected64(m: unknown): Matrix {
  const g = m as GoldenMatrix;
  return matrix(g.rows, g.cols, Float64Array.from(g.data));
}

/** Column j of a row-major matrix. */
export function column(m: Matrix<Float32Array | Float64Array>, j: number): Float64Array {
  return Float64Array.from({ length: m.rows }, (_, i) => m.data[i * m.cols + j]);
}

/** `actual` column j multiplied by the sign (and, with scale, the factor) that best matches `expected` column j. */
export function aligned(
  actual: Matrix<Float32Array | Float64Array>,
  expected: Matrix,
  j: number,
  { scale = false } = {},
): Float64Array {
  const a = column(actual, j);
  const e = column(expected, j);
  let ae = 0;
  let aa = 0;
  for (let i = 0; i < a.length; i++) {
    ae += a[i] * e[i];
    aa += a[i] * a[i];
  }
  const f = scale ? ae / aa : Math.sign(ae) || 1;
  return a.map((v) => v * f);
}
