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
  /** One integer class label per row, when known. */
  labels?: Int32Array;
  /** Class names when labels were read as text: `labels[i]` indexes this list. */
  labelNames?: string[];
  source: string;
}

/** Returns `d` with `labels` attached, checking there is one per row. @throws DataError */
export function withLabels(d: Dataset, labels: Int32Array, labelFile: string): Dataset {
  if (labels.length !== d.x.rows) {
    throw new DataError(
      `has ${labels.length} labels but the data (${d.source}) has ${d.x.rows} rows; expected one label per row`,
      { file: labelFile },
    );
  }
  return { ...d, labels };
}
