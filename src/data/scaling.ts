/**
 * Feature scaling fitted on training data and recorded as JSON in model manifests, so the same
 * transform is replayed at inference and inverted for reconstructions. `minmax` maps each column
 * to [0, 1] (scikit-learn MinMaxScaler); `standardize` subtracts the mean and divides by the
 * population std (StandardScaler, ddof = 0). As in scikit-learn, a constant column is scaled by 1
 * instead of 0; for `standardize` the stored `std` holds that 1. Statistics are summed in float64.
 */
import { DataError, ShapeError } from '../errors.js';
import { checkOneOf } from '../util/check.js';
import { matrix, type Matrix32 } from '../util/matrix.js';

/** The scaling methods. */
export type ScalingKind = 'none' | 'divide255' | 'minmax' | 'standardize';

/** A fitted scaling, JSON-serialisable. */
export type Scaling =
  | { kind: 'none' }
  | { kind: 'divide255' }
  | { kind: 'minmax'; min: number[]; max: number[] }
  | { kind: 'standardize'; mean: number[]; std: number[] };

/** The scaling kinds, in the order the CLI lists them. */
export const SCALING_KINDS: readonly ScalingKind[] = ['none', 'divide255', 'minmax', 'standardize'];

/** Fits a scaling of kind `kind` to the columns of `x`. @throws ConfigError on an unknown kind, ShapeError on no rows */
export function fitScaling(kind: ScalingKind, x: Matrix32): Scaling {
  checkOneOf('scaling', kind, SCALING_KINDS);
  if (kind === 'none' || kind === 'divide255') return { kind };
  if (x.rows < 1) throw new ShapeError(`fitScaling: x must have at least 1 row, got ${x.rows}`);
  const { rows, cols, data } = x;
  if (kind === 'minmax') {
    const min = new Array<number>(cols).fill(Infinity);
    const max = new Array<number>(cols).fill(-Infinity);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const v = data[i * cols + j];
        if (v < min[j]) min[j] = v;
        if (v > max[j]) max[j] = v;
      }
    }
    return { kind, min, max };
  }
  const sum = new Float64Array(cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) sum[j] += data[i * cols + j];
  const mean = Array.from(sum, (s) => s / rows);
  // Two-pass variance: summing squares of centred values avoids the cancellation of E[x^2]-E[x]^2.
  const ss = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const c = data[i * cols + j] - mean[j];
      ss[j] += c * c;
    }
  }
  const std = Array.from(ss, (s) => {
    const sd = Math.sqrt(s / rows);
    return sd > 0 ? sd : 1;
  });
  return { kind, mean, std };
}

/** Per-column offset and divisor: scaled = (x - offset) / divisor. @throws ShapeError */
export function scalingAffine(
  s: Scaling,
  cols: number,
  what: string,
): { off: Float64Array; div: Float64Array } {
  const off = new Float64Array(cols);
  const div = new Float64Array(cols).fill(1);
  if (s.kind === 'divide255') div.fill(255);
  if (s.kind === 'minmax' || s.kind === 'standardize') {
    const [a, b] = s.kind === 'minmax' ? [s.min, s.max] : [s.mean, s.std];
    if (a.length !== cols) {
      throw new ShapeError(
        `${what}: the ${s.kind} scaling was fitted on ${a.length} columns, x has ${cols}`,
      );
    }
    for (let j = 0; j < cols; j++) {
      off[j] = a[j];
      const d = s.kind === 'minmax' ? b[j] - a[j] : b[j];
      div[j] = d > 0 ? d : 1;
    }
  }
  return { off, div };
}

/** `x` scaled by `s` into a new float32 matrix (`x` itself for 'none'). @throws ShapeError on a column mismatch */
export function applyScaling(s: Scaling, x: Matrix32): Matrix32 {
  if (s.kind === 'none') return x;
  const { off, div } = scalingAffine(s, x.cols, 'applyScaling');
  const out = new Float32Array(x.data.length);
  const c = x.cols;
  for (let i = 0; i < out.length; i++) {
    const j = i % c;
    out[i] = (x.data[i] - off[j]) / div[j];
  }
  return matrix(x.rows, c, out);
}

/** The inverse of `applyScaling` (back to the original units). @throws ShapeError on a column mismatch */
export function invertScaling(s: Scaling, x: Matrix32): Matrix32 {
  if (s.kind === 'none') return x;
  const { off, div } = scalingAffine(s, x.cols, 'invertScaling');
  const out = new Float32Array(x.data.length);
  const c = x.cols;
  for (let i = 0; i < out.length; i++) {
    const j = i % c;
    out[i] = x.data[i] * div[j] + off[j];
  }
  return matrix(x.rows, c, out);
}

function numbers(
  o: Record<string, unknown>,
  key: string,
  file: string,
  positive: boolean,
): number[] {
  const v = o[key];
  if (!Array.isArray(v)) {
    throw new DataError(`scaling.${key} must be an array of numbers, got ${JSON.stringify(v)}`, {
      file,
      field: `scaling.${key}`,
    });
  }
  v.forEach((e: unknown, i) => {
    if (typeof e !== 'number' || !Number.isFinite(e) || (positive && e <= 0)) {
      throw new DataError(
        `scaling.${key}[${i}] must be a finite number${positive ? ' > 0' : ''}, got ${JSON.stringify(e)}`,
        { file, field: `scaling.${key}[${i}]` },
      );
    }
  });
  return v as number[];
}

/** Validates a scaling read from a manifest. @throws DataError naming `file` and the bad field */
export function parseScaling(json: unknown, file: string): Scaling {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new DataError(`scaling must be an object, got ${JSON.stringify(json)}`, {
      file,
      field: 'scaling',
    });
  }
  const o = json as Record<string, unknown>;
  const kind = o.kind;
  if (typeof kind !== 'string' || !(SCALING_KINDS as readonly string[]).includes(kind)) {
    throw new DataError(
      `scaling.kind must be one of ${SCALING_KINDS.join(', ')}, got ${JSON.stringify(kind)}`,
      { file, field: 'scaling.kind' },
    );
  }
  if (kind === 'none' || kind === 'divide255') return { kind };
  const [ka, kb] = kind === 'minmax' ? ['min', 'max'] : ['mean', 'std'];
  const a = numbers(o, ka, file, false);
  const b = numbers(o, kb, file, kind === 'standardize');
  if (a.length !== b.length) {
    throw new DataError(
      `scaling.${ka} has ${a.length} values but scaling.${kb} has ${b.length}; expected equal lengths`,
      { file, field: `scaling.${kb}` },
    );
  }
  if (kind === 'minmax') {
    const bad = a.findIndex((m, i) => b[i] < m);
    if (bad >= 0) {
      throw new DataError(
        `scaling.max[${bad}] = ${b[bad]} is below scaling.min[${bad}] = ${a[bad]}`,
        {
          file,
          field: `scaling.max[${bad}]`,
        },
      );
    }
    return { kind, min: [...a], max: [...b] };
  }
  return { kind: 'standardize', mean: [...a], std: [...b] };
}
