/**
 * The intrinsic-dimension estimates of one data set (MNIST or a file): the AE sweep scored on
 * held-out rows (with labels, also kNN accuracy of the codes against latent size, the view of
 * Wang, Yao & Zhao (2016), who report MNIST's best classification near 10 hidden nodes), MLE,
 * TwoNN and PCA's 90% / 95% counts. MNIST gets an AE suited to images (pixels / 255, ReLU
 * hidden layer, sigmoid output) and its own test images; a file is split 80 / 20 (seeded).
 */
import { ConfigError } from '../../errors.js';
import type { Dataset } from '../../data/dataset.js';
import type { ColumnRef } from '../../data/csv-columns.js';
import { loadDataset } from '../../data/load.js';
import { trainTestSplit } from '../../data/split.js';
import { checkInt } from '../../util/check.js';
import {
  estimateIntrinsicDim,
  range,
  type EstimateOptions,
  type IntrinsicDimResult,
} from './estimators.js';

/** Options of `dataIntrinsicDim`. */
export interface DataDimOptions extends EstimateOptions {
  /** Training rows used (default 10,000 for MNIST, all for a file). */
  n?: number;
  /** MNIST test images used (default 2,000). */
  nTest?: number;
  /** Label file of a data file (enables the kNN view). */
  labels?: string;
  /** Label column of a CSV data file (enables the kNN view). */
  labelColumn?: ColumnRef;
  /** Columns of a CSV data file to skip, such as IDs. */
  ignoreColumns?: ColumnRef[];
  /** Seed of the split (default 0). */
  seed?: number;
}

/** The estimates and what they were computed on. */
export interface DataDimResult extends IntrinsicDimResult {
  source: string;
  testRows: number;
  settings: Required<
    Pick<
      EstimateOptions,
      | 'hiddenLayers'
      | 'activation'
      | 'outputActivation'
      | 'scaling'
      | 'epochs'
      | 'batchSize'
      | 'learningRate'
    >
  > & { latentSizes: number[] };
}

/** The MNIST sweep: small sizes densely (the paper's ~10), then up to the study's 50. */
export const MNIST_LATENT = [1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50];

/**
 * Loads `spec` ('mnist' or a file path) and estimates its intrinsic dimension.
 * @throws DataError on unreadable data; ConfigError on options out of range or too few rows
 * @example
 * const r = await dataIntrinsicDim('mnist', { n: 2000 }); // r.mle.value ≈ 13, r.ae.bestKnnLatent
 */
export async function dataIntrinsicDim(
  spec: string,
  opts: DataDimOptions = {},
): Promise<DataDimResult> {
  const isMnist = /^mnist(:train)?$/i.test(spec);
  const seed = checkInt('seed', opts.seed ?? 0, 0);
  let train: Dataset;
  let test: Dataset;
  if (isMnist) {
    if (
      opts.labels !== undefined ||
      opts.labelColumn !== undefined ||
      opts.ignoreColumns !== undefined
    )
      throw new ConfigError(
        `${spec} has its own labels and columns; --labels, --label-column and --ignore-columns do not apply`,
      );
    train = loadDataset('mnist:train', { limit: checkInt('n', opts.n ?? 10_000, 10) });
    test = loadDataset('mnist:test', { limit: checkInt('nTest', opts.nTest ?? 2_000, 10) });
  } else {
    const d = loadDataset(spec, {
      labels: opts.labels,
      labelColumn: opts.labelColumn,
      ignoreColumns: opts.ignoreColumns,
      limit: opts.n !== undefined ? checkInt('n', opts.n, 10) : undefined,
    });
    if (d.x.rows < 25) {
      throw new ConfigError(
        `${spec}: ${d.x.rows} rows are too few; the estimates need at least 25`,
      );
    }
    ({ train, test } = trainTestSplit(d, 0.2, seed));
  }
  const image = isMnist || opts.scaling === 'divide255';
  const settings: DataDimResult['settings'] = {
    hiddenLayers: opts.hiddenLayers ?? (isMnist ? [128] : [64]),
    activation: opts.activation ?? (image ? 'relu' : 'tanh'),
    outputActivation: opts.outputActivation ?? (image ? 'sigmoid' : 'linear'),
    scaling: opts.scaling ?? (isMnist ? 'divide255' : 'standardize'),
    epochs: opts.epochs ?? (isMnist ? 10 : 20),
    batchSize: opts.batchSize ?? 64,
    learningRate: opts.learningRate ?? (isMnist ? 0.001 : 0.005),
    latentSizes:
      opts.latentSizes ?? (isMnist ? MNIST_LATENT : range(1, Math.min(train.x.cols, 14))),
  };
  const labels =
    train.labels && test.labels ? { train: train.labels, test: test.labels } : undefined;
  const r = await estimateIntrinsicDim(train.x, test.x, { ...opts, ...settings, seed }, labels);
  return { ...r, source: isMnist ? 'mnist' : spec, testRows: test.x.rows, settings };
}
