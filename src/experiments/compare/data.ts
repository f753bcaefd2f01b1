/**
 * The labelled train and test rows of the comparison: MNIST's own training and test files, or a
 * user's data file with labels (e.g. the Olivetti faces as .npy plus a label file) and either a
 * separate test file or a seeded split of the one file — stratified by default (every class keeps
 * its share of test rows, as scikit-learn's `train_test_split(stratify=y)`), or plain random.
 * What the methods see: MNIST pixels / 255 (the AE gets the raw bytes and its own `divide255`,
 * the same numbers), a file's values as read (the AE scales them with `minmax`).
 */
import { ConfigError, DataError } from '../../errors.js';
import type { ColumnRef } from '../../data/csv-columns.js';
import type { Dataset } from '../../data/dataset.js';
import { formatOf, loadDataset } from '../../data/load.js';
import type { ScalingKind } from '../../data/scaling.js';
import { trainTestSplit } from '../../data/split.js';
import { checkInt, checkNumber, checkOneOf } from '../../util/check.js';
import { matrix, sliceRows, takeRows, type Matrix32 } from '../../util/matrix.js';
import { Rng } from '../../util/rng.js';

/** Where the data comes from. */
export interface CompareDataSpec {
  /** 'mnist' or a data file path. */
  data: string;
  /** Label file of `data` (or `labelColumn` for a CSV). */
  labels?: string;
  labelColumn?: number | string;
  /** Columns of a CSV `data` (and `testData`) to skip, such as IDs. */
  ignoreColumns?: ColumnRef[];
  /** A separate test file and its labels; without it `data` is split. */
  testData?: string;
  testLabels?: string;
  /** How a single file is split (default 'stratified'). */
  split?: 'stratified' | 'random';
  /** Share of a single file's rows held out for testing (default 0.2). */
  testFraction?: number;
  /** Seed of the split (default 0). */
  seed?: number;
}

/** Labelled rows, ready for the methods. */
export interface CompareData {
  /** 'mnist' or the data file. */
  name: string;
  isMnist: boolean;
  /** Rows as read (the AE's input) with labels. */
  train: Dataset & { labels: Int32Array };
  test: Dataset & { labels: Int32Array };
  /** What PCA, LDA, LLE, Isomap and the metrics see (MNIST / 255; a file as read). */
  xTrain: Matrix32;
  xTest: Matrix32;
  /** The AE's own input scaling. */
  aeScaling: ScalingKind;
  /** Distinct training labels. */
  classes: number;
  /** How train and test were obtained, one sentence. */
  splitText: string;
}

/**
 * Loads the train and test rows: at most `trainSize` and `testSize` of each (the first rows of
 * MNIST's files; the first rows of a split, which come in random order).
 * @throws ConfigError on missing labels, a test file without labels or a bad option;
 * DataError on unreadable files or column counts that differ
 */
export function loadCompareData(
  spec: CompareDataSpec,
  sizes: { trainSize: number; testSize: number },
): CompareData {
  const isMnist = /^mnist(:train)?$/i.test(spec.data);
  const seed = checkInt('seed', spec.seed ?? 0, 0);
  const split = checkOneOf('split', spec.split ?? 'stratified', ['stratified', 'random'] as const);
  const fraction = checkNumber('testFraction', spec.testFraction ?? 0.2, 0, 1, {
    exclusiveMin: true,
  });
  if (fraction >= 1) throw new ConfigError(`testFraction must be < 1, got ${fraction}`);
  let train: Dataset;
  let test: Dataset;
  let splitText: string;
  if (isMnist) {
    if (spec.labels !== undefined || spec.testData !== undefined || spec.testLabels !== undefined)
      throw new ConfigError(
        `${spec.data} has its own labels and test set; labels, testData and testLabels do not apply`,
      );
    train = loadDataset('mnist:train', { limit: sizes.trainSize });
    test = loadDataset('mnist:test', { limit: sizes.testSize });
    splitText = `MNIST's own files: the first ${train.x.rows} training and first ${test.x.rows} test images.`;
  } else {
    const all = loadDataset(spec.data, {
      labels: spec.labels,
      labelColumn: spec.labelColumn,
      ignoreColumns: spec.ignoreColumns,
    });
    requireLabels(all, 'labels');
    if (spec.testData !== undefined) {
      test = loadDataset(spec.testData, {
        labels: spec.testLabels,
        labelColumn: spec.testLabels === undefined ? spec.labelColumn : undefined,
        ...(formatOf(spec.testData) === 'csv' ? { ignoreColumns: spec.ignoreColumns } : {}),
      });
      requireLabels(test, 'testLabels');
      if (test.x.cols !== all.x.cols)
        throw new DataError(
          `has ${test.x.cols} columns, but the training data ${spec.data} has ${all.x.cols}; expected the same features`,
          { file: spec.testData },
        );
      train = limit(all, sizes.trainSize);
      test = limit(test, sizes.testSize);
      splitText = `Training rows from ${spec.data} (first ${train.x.rows}), test rows from ${spec.testData} (first ${test.x.rows}).`;
    } else {
      if (spec.testLabels !== undefined)
        throw new ConfigError('testLabels belongs to testData; give testData too');
      const parts =
        split === 'stratified'
          ? stratifiedSplit(all, fraction, seed)
          : trainTestSplit(all, fraction, seed);
      train = limit(parts.train, sizes.trainSize);
      test = limit(parts.test, sizes.testSize);
      splitText =
        `A seeded ${split} split of ${spec.data} (${all.x.rows} rows, ${Math.round(fraction * 100)}% held out, seed ${seed})` +
        `${split === 'stratified' ? ': every class keeps its share of test rows' : ''}; ` +
        `${train.x.rows} training and ${test.x.rows} test rows used.`;
    }
  }
  const tr = train as CompareData['train'];
  const te = test as CompareData['test'];
  const view = (x: Matrix32): Matrix32 =>
    isMnist
      ? matrix(
          x.rows,
          x.cols,
          x.data.map((v) => v / 255),
        )
      : x;
  return {
    name: isMnist ? 'mnist' : spec.data,
    isMnist,
    train: tr,
    test: te,
    xTrain: view(tr.x),
    xTest: view(te.x),
    aeScaling: isMnist ? 'divide255' : 'minmax',
    classes: new Set(tr.labels).size,
    splitText,
  };
}

/**
 * A seeded stratified split: each class's rows are shuffled and round(count·testFraction) of
 * them (at most count − 1) go to the test part; both parts are then shuffled, so their first
 * rows are a random sample. @throws ConfigError when a part would be empty or labels are missing
 */
export function stratifiedSplit(
  d: Dataset,
  testFraction: number,
  seed: number,
): { train: Dataset; test: Dataset } {
  checkNumber('testFraction', testFraction, 0, 1, { exclusiveMin: true });
  const labels = d.labels;
  if (!labels) throw new ConfigError(`stratifiedSplit needs labels; ${d.source} has none`);
  const rng = new Rng(seed);
  const byClass = new Map<number, number[]>();
  labels.forEach((l, i) => {
    const rows = byClass.get(l);
    if (rows) rows.push(i);
    else byClass.set(l, [i]);
  });
  const trainIdx: number[] = [];
  const testIdx: number[] = [];
  for (const key of [...byClass.keys()].sort((a, b) => a - b)) {
    const rows = byClass.get(key) as number[];
    const perm = rng.permutation(rows.length);
    const nTest = Math.min(rows.length - 1, Math.round(rows.length * testFraction));
    perm.forEach((p, j) => (j < nTest ? testIdx : trainIdx).push(rows[p]));
  }
  if (testIdx.length === 0 || trainIdx.length === 0)
    throw new ConfigError(
      `testFraction ${testFraction} of ${labels.length} rows in ${byClass.size} classes gives ${testIdx.length} test and ${trainIdx.length} train rows; both need at least 1`,
    );
  const part = (idx: number[], name: string): Dataset => {
    const order = Uint32Array.from(rng.shuffle(idx));
    const out: Dataset = { x: takeRows(d.x, order), source: `${d.source} (${name} split)` };
    out.labels = Int32Array.from(order, (i) => labels[i]);
    if (d.labelNames) out.labelNames = d.labelNames;
    return out;
  };
  return { train: part(trainIdx, 'train'), test: part(testIdx, 'test') };
}

/** The first `n` rows of a labelled data set (all when it has fewer). */
export function firstRows<D extends Dataset & { labels: Int32Array }>(d: D, n: number): D {
  if (d.x.rows <= n) return d;
  return { ...d, x: sliceRows(d.x, 0, n), labels: d.labels.subarray(0, n) };
}

function limit(d: Dataset, n: number): Dataset {
  if (d.x.rows <= n) return d;
  const out: Dataset = { ...d, x: sliceRows(d.x, 0, n) };
  if (d.labels) out.labels = d.labels.subarray(0, n);
  return out;
}

function requireLabels(d: Dataset, flag: string): void {
  if (!d.labels)
    throw new ConfigError(
      `${d.source} has no labels; the comparison scores codes by kNN accuracy and needs one class label per row: give ${flag} (a label file) or a labelled format`,
    );
}
