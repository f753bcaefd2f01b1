/**
 * The one-class anomaly experiment (Ruff et al., "Deep One-Class Classification", ICML 2018,
 * §4.1, on MNIST): for each class c, a dense autoencoder is trained on the training rows of c
 * only, every test row is scored by its reconstruction error (train/anomaly.ts), and the ROC-AUC
 * of telling the other classes (positives) from c (negatives) is measured. The baseline is PCA
 * reconstruction error: PCA fitted on the same rows in the same scaled units, the score being
 * each row's mean squared error after projecting onto the components and back, the same quantity
 * the AE's mse score measures. Each class keeps its test rows ranked by the AE's score, for the
 * most and least anomalous images of the report.
 */
import type { Dataset } from '../../data/dataset.js';
import { loadMnist, MNIST_SIDE } from '../../data/mnist.js';
import { applyScaling } from '../../data/scaling.js';
import type { ComputeBackend } from '../../linalg/backend.js';
import { jsBackend } from '../../linalg/js-backend.js';
import { reconstructionMse } from '../../metrics/reconstruction.js';
import { prAuc, rocAuc, rocCurve } from '../../metrics/roc.js';
import { PCA } from '../../reducers/pca.js';
import { scoreAnomalies } from '../../train/anomaly.js';
import { prepareAutoencoder } from '../../train/setup.js';
import { fit } from '../../train/trainer.js';
import { ConfigError, DataError } from '../../errors.js';
import { sliceRows, takeRows, type Matrix32 } from '../../util/matrix.js';
import { checkAnomalySettings, type AnomalySettings } from './config.js';

/** The methods compared. */
export type AnomalyMethod = 'ae' | 'pca';

/** Report titles of the methods. */
export const METHOD_TITLES: Record<AnomalyMethod, string> = {
  ae: 'Dense AE',
  pca: 'PCA',
};

/** Labelled training and test rows; `image` gives the picture shape when rows are images. */
export interface AnomalyData {
  name: string;
  train: Dataset;
  test: Dataset;
  image?: { h: number; w: number };
}

/** MNIST's training and test sets as the experiment's data (28 x 28 images). @throws DataError */
export function mnistAnomalyData(): AnomalyData {
  return {
    name: 'MNIST',
    train: loadMnist('train'),
    test: loadMnist('test'),
    image: { h: MNIST_SIDE, w: MNIST_SIDE },
  };
}

/** One method's scores against one normal class. */
export interface MethodOutcome {
  auroc: number;
  /** Average precision with the anomalies as positives. */
  ap: number;
  /** The ROC curve with collinear points dropped (the area is the same). */
  roc: { fpr: number[]; tpr: number[] };
  /** Fitting and scoring. */
  seconds: number;
}

/** The outcome for one normal class. */
export interface ClassOutcome {
  normal: number;
  trainRows: number;
  testNormal: number;
  testAnomalous: number;
  ae: MethodOutcome & { finalLoss: number };
  pca: MethodOutcome;
  /** Test row indices with the highest AE scores, highest first. */
  mostAnomalous: number[];
  /** Test row indices with the lowest AE scores, lowest first. */
  leastAnomalous: number[];
}

/** Everything the report shows. */
export interface AnomalyResult {
  data: { name: string; features: number; trainRows: number; testRows: number };
  settings: AnomalySettings;
  classes: ClassOutcome[];
  /** Mean AUROC over the classes run. */
  meanAuroc: Record<AnomalyMethod, number>;
  seconds: number;
}

/** Progress of a run, for the CLI. */
export type AnomalyEvent =
  | { kind: 'start'; index: number; total: number; normal: number; trainRows: number }
  | { kind: 'epoch'; normal: number; epoch: number; epochs: number; loss: number }
  | { kind: 'done'; index: number; total: number; outcome: ClassOutcome };

/**
 * Runs the protocol for every class of `s.classes` (default: all training classes).
 * @throws ConfigError on bad settings or a class with too few rows; DataError without labels
 * @example
 * const r = await runAnomaly(mnistAnomalyData(), quickAnomalySettings());
 * r.meanAuroc; // { ae: 0.9..., pca: 0.9... }
 */
export async function runAnomaly(
  data: AnomalyData,
  s: AnomalySettings,
  onEvent: (e: AnomalyEvent) => void = () => undefined,
  backend: ComputeBackend = jsBackend,
): Promise<AnomalyResult> {
  checkAnomalySettings(s);
  const started = performance.now();
  const trainLabels = requireLabels(data.train, 'training');
  const test = limitRows(data.test, s.testLimit);
  const testLabels = requireLabels(test, 'test');
  const classes = s.classes ?? [...new Set(trainLabels)].sort((a, b) => a - b);
  const outcomes: ClassOutcome[] = [];
  for (const [index, normal] of classes.entries()) {
    const rows: number[] = [];
    for (let i = 0; i < trainLabels.length && rows.length < (s.trainLimit ?? Infinity); i++)
      if (trainLabels[i] === normal) rows.push(i);
    if (rows.length < 2)
      throw new ConfigError(
        `class ${normal} has ${rows.length} training rows in ${data.name}; a one-class model needs at least 2`,
      );
    const x = takeRows(data.train.x, rows);
    onEvent({ kind: 'start', index, total: classes.length, normal, trainRows: x.rows });
    const positive = Uint8Array.from(testLabels, (l) => (l === normal ? 0 : 1));
    const nAnomalous = positive.reduce((a, b) => a + b, 0);
    if (nAnomalous === 0 || nAnomalous === positive.length)
      throw new ConfigError(
        `the test rows of ${data.name} must hold class ${normal} and other classes; got ${positive.length - nAnomalous} and ${nAnomalous}`,
      );
    const ae = await runAe(x, test.x, positive, normal, s, onEvent);
    const pca = await runPca(x, test.x, positive, ae.scaling, s, backend);
    const order = Array.from(ae.scores.keys()).sort((a, b) => ae.scores[b] - ae.scores[a]);
    const outcome: ClassOutcome = {
      normal,
      trainRows: x.rows,
      testNormal: positive.length - nAnomalous,
      testAnomalous: nAnomalous,
      ae: ae.outcome,
      pca,
      mostAnomalous: order.slice(0, s.shownImages),
      leastAnomalous: order.slice(-s.shownImages).reverse(),
    };
    outcomes.push(outcome);
    onEvent({ kind: 'done', index, total: classes.length, outcome });
  }
  const mean = (m: AnomalyMethod): number =>
    outcomes.reduce((a, o) => a + o[m].auroc, 0) / outcomes.length;
  return {
    data: {
      name: data.name,
      features: data.train.x.cols,
      trainRows: data.train.x.rows,
      testRows: test.x.rows,
    },
    settings: s,
    classes: outcomes,
    meanAuroc: { ae: mean('ae'), pca: mean('pca') },
    seconds: (performance.now() - started) / 1000,
  };
}

function requireLabels(d: Dataset, which: string): Int32Array {
  if (!d.labels)
    throw new DataError(`the ${which} data ${d.source} has no labels; the protocol needs classes`);
  return d.labels;
}

function limitRows(d: Dataset, n: number | undefined): Dataset {
  if (n === undefined || n >= d.x.rows) return d;
  return { ...d, x: sliceRows(d.x, 0, n), ...(d.labels ? { labels: d.labels.slice(0, n) } : {}) };
}

function outcomeOf(scores: Float64Array, positive: Uint8Array, seconds: number): MethodOutcome {
  const roc = rocCurve(scores, positive, { dropIntermediate: true });
  return {
    auroc: rocAuc(scores, positive),
    ap: prAuc(scores, positive),
    // thresholds[0] is +Infinity; the curve itself starts at (0, 0).
    roc: { fpr: Array.from(roc.fpr), tpr: Array.from(roc.tpr) },
    seconds,
  };
}

async function runAe(
  x: Matrix32,
  testX: Matrix32,
  positive: Uint8Array,
  normal: number,
  s: AnomalySettings,
  onEvent: (e: AnomalyEvent) => void,
) {
  const t0 = performance.now();
  const seed = s.seed + normal;
  const { model, optimizer, loss } = prepareAutoencoder(x, {
    layers: s.layers,
    scaling: s.scaling,
    learningRate: s.learningRate,
    seed,
    threads: s.threads,
  });
  try {
    const history = await fit(model, x, {
      epochs: s.epochs,
      batchSize: Math.min(s.batchSize, x.rows),
      optimizer,
      loss,
      seed,
      threads: s.threads,
      ...(s.spin === false ? { spin: false } : {}),
      onEpochEnd: (r) =>
        onEvent({ kind: 'epoch', normal, epoch: r.epoch, epochs: s.epochs, loss: r.trainLoss }),
    });
    const scores = await scoreAnomalies(model, testX);
    const outcome = {
      ...outcomeOf(scores, positive, (performance.now() - t0) / 1000),
      finalLoss: history[history.length - 1].trainLoss,
    };
    return { outcome, scores, scaling: model.scaling };
  } finally {
    await model.dispose();
  }
}

async function runPca(
  x: Matrix32,
  testX: Matrix32,
  positive: Uint8Array,
  scaling: Parameters<typeof applyScaling>[0],
  s: AnomalySettings,
  backend: ComputeBackend,
): Promise<MethodOutcome> {
  const t0 = performance.now();
  const k = Math.min(s.pcaComponents, x.rows, x.cols);
  const pca = await new PCA({ nComponents: k, seed: s.seed, backend }).fit(
    applyScaling(scaling, x),
  );
  const scaledTest = applyScaling(scaling, testX);
  const rec = await pca.inverseTransform(await pca.transform(scaledTest));
  const scores = reconstructionMse(scaledTest, rec).perSample;
  return outcomeOf(scores, positive, (performance.now() - t0) / 1000);
}
