/**
 * Accuracy of a k-nearest-neighbour classifier trained on one embedding and tested on another,
 * the usual downstream score of a dimensionality reduction. Matches scikit-learn 1.2's
 * `KNeighborsClassifier(n_neighbors=k)` (uniform weights, Euclidean): each test row takes the
 * most frequent label among its k nearest training rows, and a tie in the vote goes to the
 * smallest label (sklearn sorts its classes and `scipy.stats.mode` returns the smallest of the
 * tied modes). Neighbours at equal distance are ordered by lower training index; sklearn's tree
 * search leaves that order unspecified.
 */
import { ConfigError, DataError, ShapeError } from '../errors.js';
import type { BackendOption } from '../linalg/backend.js';
import type { AnyMatrix } from '../linalg/distances.js';
import { knn } from '../linalg/knn.js';
import { checkFinite, checkMatrix } from '../util/check.js';

/** A label: an integer-valued number or a string (one kind per call). */
export type Label = number | string;

/** Accuracy on the test rows and the predicted label of each. */
export interface KnnAccuracyResult<L extends Label> {
  value: number;
  correct: number;
  n: number;
  predictions: L[];
}

/**
 * Fraction of test rows whose majority label among the k nearest training rows is right.
 * @example
 * const acc = await knnAccuracy(trainZ, trainY, testZ, testY, 5); // { value: 0.54, correct: 54, n: 100, ... }
 * @throws ShapeError on column or label-length mismatch; ConfigError on k out of 1..train rows;
 * DataError on NaN/Inf values or labels mixing kinds.
 */
export async function knnAccuracy<L extends Label>(
  trainZ: AnyMatrix,
  trainLabels: ArrayLike<L>,
  testZ: AnyMatrix,
  testLabels: ArrayLike<L>,
  k = 5,
  opts: BackendOption = {},
): Promise<KnnAccuracyResult<L>> {
  checkMatrix('knnAccuracy trainZ', trainZ);
  checkMatrix('knnAccuracy testZ', testZ, { cols: trainZ.cols });
  checkLabels('trainLabels', trainLabels, trainZ.rows);
  checkLabels('testLabels', testLabels, testZ.rows);
  checkFinite('knnAccuracy trainZ', trainZ);
  checkFinite('knnAccuracy testZ', testZ);
  if (!(Number.isInteger(k) && k >= 1 && k <= trainZ.rows)) {
    throw new ConfigError(
      `knnAccuracy k must be an integer in 1..${trainZ.rows} (the training rows), got ${String(k)}`,
    );
  }
  const { classes, codes } = encode(trainLabels);
  checkSameKind(classes[0], testLabels);
  const nb = await knn(trainZ, k, { query: testZ, backend: opts.backend });
  const votes = new Int32Array(classes.length);
  const predictions: L[] = [];
  let correct = 0;
  for (let i = 0; i < testZ.rows; i++) {
    votes.fill(0);
    for (let t = 0; t < k; t++) votes[codes[nb.indices[i * k + t]]]++;
    let best = 0;
    for (let c = 1; c < votes.length; c++) if (votes[c] > votes[best]) best = c;
    predictions.push(classes[best]);
    if (classes[best] === testLabels[i]) correct++;
  }
  return { value: correct / testZ.rows, correct, n: testZ.rows, predictions };
}

function checkLabels(name: string, labels: ArrayLike<Label>, rows: number): void {
  if (labels.length !== rows) {
    throw new ShapeError(
      `knnAccuracy ${name} must have one label per row (${rows}), got ${labels.length}`,
    );
  }
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    if (typeof v === 'number' ? !Number.isFinite(v) : typeof v !== 'string') {
      throw new DataError(
        `knnAccuracy ${name}[${i}] must be a finite number or a string, got ${String(v)}`,
      );
    }
  }
}

function checkSameKind(sample: Label, labels: ArrayLike<Label>): void {
  for (let i = 0; i < labels.length; i++) {
    if (typeof labels[i] !== typeof sample) {
      throw new DataError(
        `knnAccuracy labels must all be numbers or all strings, got ${typeof sample} and ${typeof labels[i]} (testLabels[${i}] = ${String(labels[i])})`,
      );
    }
  }
}

/** Sorted distinct labels (sklearn's `classes_`) and each row's class code. */
function encode<L extends Label>(labels: ArrayLike<L>): { classes: L[]; codes: Int32Array } {
  const kind = typeof labels[0];
  const distinct = new Set<L>();
  for (let i = 0; i < labels.length; i++) {
    if (typeof labels[i] !== kind) {
      throw new DataError(
        `knnAccuracy labels must all be numbers or all strings, got ${kind} and ${typeof labels[i]} (trainLabels[${i}] = ${String(labels[i])})`,
      );
    }
    distinct.add(labels[i]);
  }
  const classes = [...distinct].sort((a, b) =>
    typeof a === 'number' && typeof b === 'number' ? a - b : a < b ? -1 : a > b ? 1 : 0,
  );
  const code = new Map<L, number>(classes.map((c, i) => [c, i]));
  const codes = Int32Array.from({ length: labels.length }, (_, i) => code.get(labels[i]) ?? -1);
  return { classes, codes };
}
