/**
 * Intrinsic dimension of a data set by four routes, side by side (Wang, Yao & Zhao,
 * "Auto-encoder based dimensionality reduction", Neurocomputing 184 (2016) 232-242, tie the
 * autoencoder's hidden-layer size to the data's intrinsic dimension):
 * - the AE estimate: train one small autoencoder per latent size k, measure the reconstruction
 *   MSE on held-out rows (in the AE's scaled units), prepend k = 0 (every row reconstructed as
 *   the training mean: the total variance), and take the knee of that falling curve with the
 *   study's saturation rule (`kneedle`, study-saturation.ts). On a linear d-subspace the error
 *   falls to the noise floor at k = d and stays there, so the knee is d.
 * - MLE (Levina & Bickel 2004; by default calibrated against uniform d-ball samples as in MiND /
 *   DANCo, Lombardi et al. 2011, Ceruti et al. 2014, with the plain value kept) and TwoNN
 *   (Facco et al. 2017) from metrics/intrinsic-dim.ts;
 * - PCA: the number of components that explain 90% and 95% of the variance.
 * With labels, the same sweep also scores each code by kNN accuracy (train codes vs test codes),
 * the paper's classification-against-hidden-nodes view.
 */
import { ConfigError, ShapeError } from '../../errors.js';
import { applyScaling } from '../../data/scaling.js';
import type { ComputeBackend } from '../../linalg/backend.js';
import type { ScalingKind } from '../../data/scaling.js';
import { knnAccuracy } from '../../metrics/knn-accuracy.js';
import { mleIntrinsicDim, twoNN, type MleVariant } from '../../metrics/intrinsic-dim.js';
import { reconstructionMse } from '../../metrics/reconstruction.js';
import type { Activation } from '../../nn/activation.js';
import { Autoencoder } from '../../reducers/autoencoder.js';
import { PCA } from '../../reducers/pca.js';
import { checkInt, checkMatrix, checkNumber } from '../../util/check.js';
import type { Matrix32 } from '../../util/matrix.js';
import { flatteningPoint, kneedle } from '../../metrics/saturation.js';

/** The small autoencoder trained at each latent size, and the sweep. */
export interface AeSweepOptions {
  /** Latent sizes to train, increasing (default 1..min(columns, 14)). */
  latentSizes?: number[];
  /** Hidden layers before the code; the decoder mirrors them (default [64]). */
  hiddenLayers?: number[];
  /** Hidden activation (default tanh); the code is linear. */
  activation?: Activation;
  /** Output activation (default linear; sigmoid for data scaled into [0, 1]). */
  outputActivation?: Activation;
  /** Input scaling fitted on the training rows (default standardize). */
  scaling?: ScalingKind;
  /** Default 20. */
  epochs?: number;
  /** Default 64. */
  batchSize?: number;
  /** Adam learning rate (default 0.005). */
  learningRate?: number;
  /** Seed of every AE's weights and shuffling (latent size k uses seed + k; default 0). */
  seed?: number;
  /** onnxruntime threads per training (default 1: many small models run faster on one; at most the backend's). */
  threads?: number;
  /** The metrics' and PCA's backend (default `jsBackend`). */
  backend?: ComputeBackend;
  /** false: the AEs' idle onnxruntime threads sleep instead of spin-waiting. */
  spin?: boolean;
  /** Neighbours of the kNN classifier when labels are given (default 5). */
  knnK?: number;
  /** Fraction of the study's flattening rule (default 0.5, as `aedr study`). */
  saturationFraction?: number;
  /** Called after each latent size. */
  onStep?: (step: AeSweepStep) => void;
}

/** One latent size of the sweep. */
export interface AeSweepStep {
  latent: number;
  /** Held-out reconstruction MSE per entry, in the AE's scaled units. */
  testMse: number;
  /** Final training MSE (scaled units). */
  trainMse: number;
  /** kNN accuracy of the test codes against the train codes, when labels are given. */
  knnAccuracy?: number;
  seconds: number;
}

/** The sweep and the knee the saturation rule found in it. */
export interface AeSweep {
  steps: AeSweepStep[];
  /** The k = 0 point: held-out MSE of predicting the training mean (scaled units). */
  baselineMse: number;
  /** The knee of [0, latent...] against [baseline, testMse...], or null when the rule finds none. */
  estimate: number | null;
  rule: string;
  /** Kneedle's knee of the same curve (the point of greatest bend), for comparison. */
  kneedle: number | null;
  /** The latent size with the best kNN accuracy, when labels are given. */
  bestKnnLatent?: number;
}

/** Labels for the kNN view of the sweep. */
export interface SweepLabels {
  train: Int32Array;
  test: Int32Array;
}

const DEFAULT_MAX_LATENT = 14;

/**
 * Trains one AE per latent size on `train`, scores reconstructions of `test`, and finds the knee.
 * @throws ShapeError when train and test differ in columns; ConfigError on bad options;
 * TrainingDivergedError when a training diverges
 */
export async function aeDimensionSweep(
  train: Matrix32,
  test: Matrix32,
  opts: AeSweepOptions = {},
  labels?: SweepLabels,
): Promise<AeSweep> {
  checkMatrix('aeDimensionSweep train', train, { minRows: 2 });
  checkMatrix('aeDimensionSweep test', test, { cols: train.cols });
  const latent = opts.latentSizes ?? range(1, Math.min(train.cols, DEFAULT_MAX_LATENT));
  checkLatentSizes(latent);
  if (labels && (labels.train.length !== train.rows || labels.test.length !== test.rows)) {
    throw new ShapeError(
      `aeDimensionSweep labels: need ${train.rows} train and ${test.rows} test labels, got ${labels.train.length} and ${labels.test.length}`,
    );
  }
  const epochs = checkInt('epochs', opts.epochs ?? 20, 1);
  const batchSize = checkInt('batchSize', opts.batchSize ?? 64, 1);
  const learningRate = checkNumber('learningRate', opts.learningRate ?? 0.005, 0, Infinity, {
    exclusiveMin: true,
  });
  const seed = checkInt('seed', opts.seed ?? 0, 0);
  const steps: AeSweepStep[] = [];
  let baselineMse = NaN;
  for (const k of latent) {
    const started = performance.now();
    const ae = new Autoencoder({
      nComponents: k,
      hiddenLayers: opts.hiddenLayers ?? [64],
      activation: opts.activation ?? 'tanh',
      codeActivation: 'linear',
      outputActivation: opts.outputActivation ?? 'linear',
      scaling: opts.scaling ?? 'standardize',
      epochs,
      batchSize,
      learningRate,
      seed: seed + k,
      threads:
        opts.backend === undefined
          ? (opts.threads ?? 1)
          : Math.min(opts.threads ?? 1, opts.backend.threads),
      ...(opts.spin === false ? { spin: false } : {}),
    });
    try {
      await ae.fit(train);
      const scaling = ae.trained.scaling;
      const testScaled = applyScaling(scaling, test);
      if (Number.isNaN(baselineMse))
        baselineMse = meanSquared(testScaled, columnMeans(applyScaling(scaling, train)));
      const recon = applyScaling(scaling, await ae.inverseTransform(await ae.transform(test)));
      const step: AeSweepStep = {
        latent: k,
        testMse: reconstructionMse(testScaled, recon).mse,
        trainMse: ae.history.at(-1)?.trainMse ?? NaN,
        seconds: 0,
      };
      if (labels) {
        const acc = await knnAccuracy(
          await ae.transform(train),
          labels.train,
          await ae.transform(test),
          labels.test,
          opts.knnK ?? 5,
          { backend: opts.backend },
        );
        step.knnAccuracy = acc.value;
      }
      step.seconds = (performance.now() - started) / 1000;
      steps.push(step);
      opts.onStep?.(step);
    } finally {
      await ae.dispose();
    }
  }
  const xs = [0, ...latent];
  const ys = [baselineMse, ...steps.map((s) => s.testMse)];
  const flat = flatteningPoint(xs, ys, { fraction: opts.saturationFraction ?? 0.5 });
  const knee = kneedle(xs, ys);
  const out: AeSweep = {
    steps,
    baselineMse,
    estimate: flat.x === 0 ? null : flat.x,
    rule: flat.rule,
    kneedle: knee.x === 0 ? null : knee.x,
  };
  if (labels) out.bestKnnLatent = argmax(steps, (s) => s.knnAccuracy ?? -1).latent;
  return out;
}

/** PCA's components for 90% and 95% of the variance, and the cumulative ratios. */
export interface PcaDims {
  k90: number;
  k95: number;
  cumulative: number[];
}

/** Components PCA needs to explain 90% and 95% of the variance of `x`. @throws ShapeError, DataError */
export async function pcaDims(x: Matrix32, backend?: ComputeBackend): Promise<PcaDims> {
  const pca = new PCA({ backend });
  await pca.fit(x);
  const cumulative: number[] = [];
  let s = 0;
  for (const r of pca.explainedVarianceRatio) cumulative.push((s += r));
  // Rounding can leave the last sum a hair under 1; the fraction is then met by the last component.
  const first = (f: number): number => {
    const i = cumulative.findIndex((c) => c >= f - 1e-12);
    return i < 0 ? cumulative.length : i + 1;
  };
  return { k90: first(0.9), k95: first(0.95), cumulative };
}

/** Every estimate for one data set. */
export interface IntrinsicDimResult {
  n: number;
  dims: number;
  ae: AeSweep;
  /** MLE of `variant` (value) and the plain Levina-Bickel value, k1..k2. */
  mle: { value: number; plain: number; variant: MleVariant; k1: number; k2: number };
  twoNN: number;
  pca: PcaDims;
}

/** Options of `estimateIntrinsicDim`. */
export interface EstimateOptions extends AeSweepOptions {
  /** MLE neighbour range (default 10..20, Levina & Bickel's). */
  mleK1?: number;
  mleK2?: number;
  /** MLE variant (default 'calibrated': against uniform d-ball references, metrics/intrinsic-dim.ts). */
  mleVariant?: MleVariant;
}

/**
 * AE estimate (trained on `train`, scored on `test`), MLE, TwoNN and PCA (on `train`).
 * @throws as aeDimensionSweep, mleIntrinsicDim and twoNN
 * @example
 * const r = await estimateIntrinsicDim(train, test); // r.ae.estimate === 3 on a 3-d linear subspace
 */
export async function estimateIntrinsicDim(
  train: Matrix32,
  test: Matrix32,
  opts: EstimateOptions = {},
  labels?: SweepLabels,
): Promise<IntrinsicDimResult> {
  const k1 = opts.mleK1 ?? 10;
  const k2 = opts.mleK2 ?? 20;
  const variant = opts.mleVariant ?? 'calibrated';
  const { backend } = opts;
  const mle = await mleIntrinsicDim(train, { k1, k2, variant, backend });
  const two = await twoNN(train, { backend });
  const pca = await pcaDims(train, backend);
  const ae = await aeDimensionSweep(train, test, opts, labels);
  return {
    n: train.rows,
    dims: train.cols,
    ae,
    mle: { value: mle.value, plain: mle.plain, variant, k1, k2 },
    twoNN: two.value,
    pca,
  };
}

function checkLatentSizes(latent: readonly number[]): void {
  if (!Array.isArray(latent) || latent.length < 2) {
    throw new ConfigError(`latentSizes must list at least 2 sizes, got ${JSON.stringify(latent)}`);
  }
  latent.forEach((k, i) => {
    checkInt(`latentSizes[${i}]`, k, 1);
    if (i > 0 && k <= latent[i - 1]) {
      throw new ConfigError(
        `latentSizes must increase strictly, got ${latent[i - 1]} then ${k} at index ${i}`,
      );
    }
  });
}

/** The integers lo..hi. */
export function range(lo: number, hi: number): number[] {
  return Array.from({ length: Math.max(0, hi - lo + 1) }, (_, i) => lo + i);
}

function columnMeans(x: Matrix32): Float64Array {
  const m = new Float64Array(x.cols);
  for (let i = 0; i < x.rows; i++) for (let j = 0; j < x.cols; j++) m[j] += x.data[i * x.cols + j];
  return m.map((s) => s / x.rows);
}

function meanSquared(x: Matrix32, center: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.data.length; i++) s += (x.data[i] - center[i % x.cols]) ** 2;
  return s / x.data.length;
}

function argmax<T>(xs: readonly T[], f: (x: T) => number): T {
  let best = xs[0];
  for (const x of xs) if (f(x) > f(best)) best = x;
  return best;
}
