/**
 * Data matrices in JSON (RFC 8259): an array of equal-length arrays of numbers (one per sample),
 * or an object `{ "x": [[...], ...], "labels": [...] }`. JSON has no NaN: `null` (what
 * JSON.stringify writes for NaN) is reported as a missing value. Rows and fields are 1-based.
 */
import { DataError } from '../errors.js';
import { matrix } from '../util/matrix.js';
import type { Dataset } from './dataset.js';
import { checkFloat32, readText } from './io.js';
import { labelsFromText, toLabels, type Labels } from './labels.js';

/** Parses JSON text, naming the file on a syntax error. @throws DataError */
export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new DataError(`invalid JSON: ${(err as Error).message}`, { file }, { cause: err });
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null (a NaN or missing value?)';
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : String(v);
}

/** Reads a JSON data matrix (see module doc), with labels when the object form has them. @throws DataError */
export function readJsonMatrix(path: string): Dataset {
  const root = parseJsonText(readText(path), path);
  let rowsIn: unknown = root;
  let labelsIn: unknown;
  if (root !== null && typeof root === 'object' && !Array.isArray(root)) {
    const o = root as Record<string, unknown>;
    if (!('x' in o)) {
      throw new DataError(
        `expected an array of rows or an object with "x", got an object with keys ${Object.keys(o).join(', ') || '(none)'}`,
        { file: path },
      );
    }
    rowsIn = o.x;
    labelsIn = o.labels;
  }
  if (!Array.isArray(rowsIn) || rowsIn.length === 0) {
    throw new DataError(
      `expected a non-empty array of rows, got ${Array.isArray(rowsIn) ? 'an empty array' : describe(rowsIn)}`,
      {
        file: path,
      },
    );
  }
  // A flat array of numbers is read as a single-column matrix.
  const flat = !Array.isArray(rowsIn[0]);
  const cols = flat ? 1 : (rowsIn[0] as unknown[]).length;
  const x = new Float32Array(rowsIn.length * cols);
  for (let i = 0; i < rowsIn.length; i++) {
    const r: unknown = rowsIn[i];
    if (!flat && !Array.isArray(r)) {
      throw new DataError(`expected an array of ${cols} numbers, got ${describe(r)}`, {
        file: path,
        row: i + 1,
      });
    }
    const row: unknown[] = flat ? [r] : (r as unknown[]);
    if (row.length !== cols) {
      throw new DataError(`expected ${cols} fields (as in row 1), found ${row.length}`, {
        file: path,
        row: i + 1,
      });
    }
    for (let j = 0; j < cols; j++) {
      const v = row[j];
      if (typeof v !== 'number') {
        throw new DataError(`expected a number, got ${describe(v)}`, {
          file: path,
          row: i + 1,
          field: j + 1,
        });
      }
      x[i * cols + j] = checkFloat32(v, path, i + 1, j + 1);
    }
  }
  const d: Dataset = { x: matrix(rowsIn.length, cols, x), source: path };
  if (labelsIn !== undefined) {
    const l = jsonLabels(labelsIn, path);
    d.labels = l.labels;
    if (l.names) d.labelNames = l.names;
  }
  return d;
}

/** Labels from a parsed JSON value: an array of integers or of class-name strings. @throws DataError */
export function jsonLabels(v: unknown, file: string): Labels {
  if (!Array.isArray(v))
    throw new DataError(`labels must be an array, got ${describe(v)}`, { file });
  if (v.every((e) => typeof e === 'string')) return labelsFromText(v as string[], file);
  const bad = v.findIndex((e) => typeof e !== 'number');
  if (bad >= 0) {
    throw new DataError(
      `label must be an integer or every label a string, got ${describe(v[bad])}`,
      {
        file,
        row: bad + 1,
      },
    );
  }
  return { labels: toLabels(v as number[], file) };
}
