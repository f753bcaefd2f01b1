/**
 * The one-class anomaly experiment (Ruff et al., "Deep One-Class Classification", ICML 2018,
 * §4.1, on MNIST): for each class c, a dense autoencoder, and on image data a convolutional one
 * (the TensorFlow tutorial's Conv2D 16, 8 family, nn/layer-spec.ts convShorthand), and a
 * variational one (pytorch/examples' VAE, BCE + β·KL) are trained on the training rows of c
 * only, every test row is scored by its reconstruction error (train/anomaly.ts), and the
 * ROC-AUC of telling the other classes (positives) from c (negatives) is measured. The VAE's
 * score is the reconstruction error of the decoded mean μ (decode(encode(x)), deterministic),
 * not the negative ELBO: the same quantity in the same units as the other AEs' scores, so the
 * table compares models, not scores; An & Cho (2015) score by reconstruction probability
 * instead. The baseline is PCA reconstruction error: PCA fitted on the same rows
 * in the same scaled units, the score being each row's mean squared error after projecting onto
 * the components and back, the same quantity the AEs' mse score measures. Each class keeps its
 * test rows ranked by each model's score, for the most and least anomalous images of the report.
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
import { convShorthand } from '../../nn/layer-spec.js';
import { prepareAutoencoder } from '../../train/setup.js';
import { fit } from '../../train/trainer.js';
import { ConfigError, DataError } from '../../errors.js';
import { sliceRows, takeRows, type Matrix32 } from '../../util/matrix.js';
import { checkAnomalySettings, type AnomalySettings } from './config.js';

/** The methods compared. */
export type AnomalyMethod = 'ae' | 'conv' | 'vae' | 'pca';

/** The methods that train a model (and rank images). */
export type ModelMethod = Exclude<AnomalyMethod, 'pca'>;

/** Report titles of the methods. */
export const METHOD_TITLES: Record<AnomalyMethod, string> = {
  ae: 'Dense AE',
  conv: 'Conv AE',
  vae: 'VAE',
  pca: 'PCA',
};

/** Every method in report order. */
export const ALL_METHODS: readonly AnomalyMethod[] = ['ae', 'conv', 'vae', 'pca'];

/** Labelled training and test rows; `image` gives the picture shape when rows are images. */
export interface AnomalyData {
  name: string;
  train: Dataset;
  test: Dataset;
  /** Picture shape of the rows (channel-major when c > 1; c defaults to 1). */
  image?: { h: number; w: number; c?: number };
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

/** A trained model's scores against one normal class. */
export interface ModelOutcome extends MethodOutcome {
  /** The last epoch's mean training loss. */
  finalLoss: number;
  /** Test row indices with the highest scores, highest first. */
  mostAnomalous: number[];
  /** Test row indices with the lowest scores, lowest first. */
  leastAnomalous: number[];
}

/** The outcome for one normal class. */
export interface ClassOutcome {
  normal: number;
  trainRows: number;
  testNormal: number;
  testAnomalous: number;
  ae: ModelOutcome;
  /** The convolutional AE, when run (image data and `settings.conv`). */
  conv?: ModelOutcome;
  /** The VAE, when run (`settings.vae`). */
  vae?: ModelOutcome;
  pca: MethodOutcome;
}

/** Everything the report shows. */
export interface AnomalyResult {
  data: {
    name: string;
    features: number;
    trainRows: number;
    testRows: number;
    image?: { h: number; w: number; c: number };
  };
  settings: AnomalySettings;
  /** The methods run, in report order. */
  methods: AnomalyMethod[];
  classes: ClassOutcome[];
  /** Mean AUROC over the classes run, for each method run. */
  meanAuroc: Partial<Record<AnomalyMethod, number>> & { ae: number; pca: number };
  seconds: number;
}

/** Progress of a run, for the CLI. */
export type AnomalyEvent =
  | { kind: 'start'; index: number; total: number; normal: number; trainRows: number }
  | {
      kind: 'epoch';
      normal: number;
      method: ModelMethod;
      epoch: number;
      epochs: number;
      loss: number;
    }
  | { kind: 'done'; index: number; total: number; outcome: ClassOutcome };

/**
 * Runs the protocol for every class of `s.classes` (default: all training classes). The
 * convolutional AE runs when `s.conv` is set and the data have an image shape, the VAE when
 * `s.vae` is set.
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
  const image = data.image ? { ...data.image, c: data.image.c ?? 1 } : undefined;
  if (image && image.h * image.w * image.c !== data.train.x.cols)
    throw new ConfigError(
      `image shape ${image.h}x${image.w}x${image.c} of ${data.name} does not hold its ${data.train.x.cols} columns`,
    );
  const withConv = s.conv !== undefined && image !== undefined;
  const methods: AnomalyMethod[] = [
    'ae',
    ...(withConv ? (['conv'] as const) : []),
    ...(s.vae ? (['vae'] as const) : []),
    'pca',
  ];
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
    const ae = await runAe('ae', x, test.x, positive, normal, s, onEvent);
    const conv =
      withConv && s.conv
        ? await runAe('conv', x, test.x, positive, normal, s, onEvent, image)
        : undefined;
    const vae = s.vae ? await runAe('vae', x, test.x, positive, normal, s, onEvent) : undefined;
    const pca = await runPca(x, test.x, positive, ae.scaling, s, backend);
    const outcome: ClassOutcome = {
      normal,
      trainRows: x.rows,
      testNormal: positive.length - nAnomalous,
      testAnomalous: nAnomalous,
      ae: ae.outcome,
      ...(conv ? { conv: conv.outcome } : {}),
      ...(vae ? { vae: vae.outcome } : {}),
      pca,
    };
    outcomes.push(outcome);
    onEvent({ kind: 'done', index, total: classes.length, outcome });
  }
  const mean = (m: AnomalyMethod): number =>
    outcomes.reduce((a, o) => a + (o[m]?.auroc ?? NaN), 0) / outcomes.length;
  return {
    data: {
      name: data.name,
      features: data.train.x.cols,
      trainRows: data.train.x.rows,
      testRows: test.x.rows,
      ...(image ? { image } : {}),
    },
    settings: s,
    methods,
    classes: outcomes,
    meanAuroc: {
      ae: mean('ae'),
      pca: mean('pca'),
      ...(withConv ? { conv: mean('conv') } : {}),
      ...(s.vae ? { vae: mean('vae') } : {}),
    },
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

/**
 * Trains the dense (`ae`), convolutional (`conv`, needs `image`) or variational (`vae`) AE and
 * scores the test rows by the mse of their reconstructions (a VAE's through μ).
 */
async function runAe(
  method: ModelMethod,
  x: Matrix32,
  testX: Matrix32,
  positive: Uint8Array,
  normal: number,
  s: AnomalySettings,
  onEvent: (e: AnomalyEvent) => void,
  image?: { h: number; w: number; c: number },
): Promise<{ outcome: ModelOutcome; scaling: Parameters<typeof applyScaling>[0] }> {
  const t0 = performance.now();
  const seed = s.seed + normal;
  const conv = method === 'conv' ? s.conv : undefined;
  const vae = method === 'vae' ? s.vae : undefined;
  const run = conv ?? vae ?? s;
  const { model, optimizer, loss } = prepareAutoencoder(x, {
    ...(conv && image
      ? { spec: convShorthand(conv.filters.join(','), [image.h, image.w, image.c]) }
      : vae
        ? { layers: vae.layers, variational: true, loss: vae.loss }
        : { layers: s.layers }),
    scaling: s.scaling,
    learningRate: run.learningRate,
    seed,
    threads: s.threads,
  });
  try {
    const history = await fit(model, x, {
      epochs: run.epochs,
      batchSize: Math.min(run.batchSize, x.rows),
      optimizer,
      loss,
      ...(vae ? { beta: vae.beta } : {}),
      seed,
      threads: s.threads,
      ...(s.spin === false ? { spin: false } : {}),
      onEpochEnd: (r) =>
        onEvent({
          kind: 'epoch',
          normal,
          method,
          epoch: r.epoch,
          epochs: run.epochs,
          loss: r.trainLoss,
        }),
    });
    const scores = await scoreAnomalies(model, testX);
    const order = Array.from(scores.keys()).sort((a, b) => scores[b] - scores[a]);
    const outcome: ModelOutcome = {
      ...outcomeOf(scores, positive, (performance.now() - t0) / 1000),
      finalLoss: history[history.length - 1].trainLoss,
      mostAnomalous: order.slice(0, s.shownImages),
      leastAnomalous: order.slice(-s.shownImages).reverse(),
    };
    return { outcome, scaling: model.scaling };
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
