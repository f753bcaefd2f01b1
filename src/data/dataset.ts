/**
 * The in-memory data set every reader returns: a float32 sample matrix (one row per sample) and
 * optional integer class labels. Error positions in the readers follow one convention: rows and
 * fields are 1-based; for text formats (CSV, TSV, TXT) the row is the line number as an editor
 * shows it (a header counts as line 1), for binary and JSON formats it is the sample number and
 * the field is the column after flattening trailing dimensions.
 */
import { DataError } from '../errors.js';
import type { Matrix32 } from '../util/matrix.js';

/** A sample matrix with optional labels; `source` says where it came from (path or 'mnist:train'). */
export interface Dataset {
  /** Samples as rows, features as columns. */
  x: Matrix32;
  /**
   * One integer class label per row, when known: the label itself when the labels were integers,
   * else an index into `labelNames`.
   */
  labels?: Int32Array;
  /** Class names when labels were read as text: `labels[i]` indexes this list (sorted). */
  labelNames?: string[];
  /** Header names of the feature columns, when the file had a header. */
  columns?: string[];
  source: string;
}

/**
 * Returns `d` with `labels` (and their class names, if any) attached in place of any it had,
 * checking there is one label per row. @throws DataError
 */
export function withLabels(
  d: Dataset,
  labels: Int32Array,
  labelFile: string,
  labelNames?: string[],
): Dataset {
  if (labels.length !== d.x.rows) {
    throw new DataError(
      `has ${labels.length} labels but the data (${d.source}) has ${d.x.rows} rows; expected one label per row`,
      { file: labelFile },
    );
  }
  const out: Dataset = { ...d, labels };
  if (labelNames) out.labelNames = labelNames;
  else delete out.labelNames;
  return out;
}

/**
 * The label of each row as written in the source: the class name when the labels were text,
 * else the integer as text. @throws DataError when `d` has no labels
 * @example
 * labelTexts({ x, labels: Int32Array.from([1, 0]), labelNames: ['bird', 'cat'], source: 'y.txt' });
 * // ['cat', 'bird']
 */
export function labelTexts(d: Dataset): string[] {
  const { labels, labelNames } = d;
  if (!labels) throw new DataError('has no labels', { file: d.source });
  return Array.from(labels, (v) => (labelNames ? (labelNames[v] ?? String(v)) : String(v)));
}
