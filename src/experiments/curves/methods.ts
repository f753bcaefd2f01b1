/**
 * The five reducers of Wang, Yao & Zhao (2016, Neurocomputing 184: 232-242, Figs. 6-7) as the
 * curve experiment configures them, plus UMAP and t-SNE on request (umap-learn's and
 * scikit-learn's defaults, seeded per run) and parametric UMAP (umap-learn's network and loss;
 * batch 200, 20 epochs and Adam 0.003 so that a few hundred points get ~1,000 steps), and the data each run sees. LDA is supervised: its classes
 * are consecutive segments of the curve parameter t (equal counts, `ldaClasses` of them).
 * "Seed" means a fresh sample of the points (the generator's seed, or a seeded subsample of a
 * file's rows) for every method, and additionally the weight init and shuffling of the AE.
 */
import { ConfigError, DataError } from '../../errors.js';
import type { ComputeBackend } from '../../linalg/backend.js';
import type { Activation } from '../../nn/activation.js';
import { Autoencoder } from '../../reducers/autoencoder.js';
import { Isomap } from '../../reducers/isomap.js';
import { LDA } from '../../reducers/lda.js';
import { LLE } from '../../reducers/lle.js';
import { PCA } from '../../reducers/pca.js';
import { ParametricUMAP } from '../../reducers/pumap.js';
import { TSNE } from '../../reducers/tsne.js';
import { UMAP } from '../../reducers/umap.js';
import type { Reducer } from '../../reducers/reducer.js';
import { checkInt } from '../../util/check.js';
import { takeRows, toFloat32, type Matrix32 } from '../../util/matrix.js';
import { Rng } from '../../util/rng.js';
import type { SyntheticData } from '../../data/synthetic-base.js';
import { ranks } from '../../metrics/rank-correlation.js';

/** The methods that can run, the paper's in its order first. */
export const METHODS = [
  'pca',
  'lda',
  'lle',
  'isomap',
  'autoencoder',
  'umap',
  'pumap',
  'tsne',
] as const;
/** One of METHODS. */
export type MethodName = (typeof METHODS)[number];
/** The paper's five: the default of a run, and the methods of its verdict. */
export const PAPER_METHODS = ['pca', 'lda', 'lle', 'isomap', 'autoencoder'] as const;
/** One of PAPER_METHODS. */
export type PaperMethod = (typeof PAPER_METHODS)[number];

/**
 * Parses a comma-separated method list (`pca,umap`); `all` means every method, `paper` the five.
 * @throws ConfigError naming the unknown method
 */
export function parseCurveMethods(text: string): MethodName[] {
  const parts = String(text)
    .split(',')
    .map((p) => p.trim().toLowerCase())
    .filter((p) => p !== '');
  if (parts.length === 1 && parts[0] === 'all') return [...METHODS];
  if (parts.length === 1 && parts[0] === 'paper') return [...PAPER_METHODS];
  if (parts.length === 0)
    throw new ConfigError(
      `methods: expected a comma list of ${METHODS.join(', ')} (or all, paper), got ${JSON.stringify(text)}`,
    );
  const out = parts.map((p) => {
    const m = p === 'ae' ? 'autoencoder' : p;
    if (!(METHODS as readonly string[]).includes(m))
      throw new ConfigError(
        `methods: unknown method ${JSON.stringify(p)}; expected a comma list of ${METHODS.join(', ')} (or all, paper)`,
      );
    return m as MethodName;
  });
  return METHODS.filter((m) => out.includes(m));
}

/** Display names of the methods. */
export const METHOD_TITLES: Record<MethodName, string> = {
  pca: 'PCA',
  lda: 'LDA',
  lle: 'LLE',
  isomap: 'Isomap',
  autoencoder: 'AE',
  umap: 'UMAP',
  pumap: 'Parametric UMAP',
  tsne: 't-SNE',
};

/** How each method is set up (scikit-learn-style names). */
export interface MethodSettings {
  /** LDA's classes: consecutive segments of t (default 5). */
  ldaClasses: number;
  /** LLE's neighbours (default 15). */
  lleNeighbors: number;
  /** Isomap's neighbours (default 15: with 10, a gap between 500 uniform points on a line can split the graph). */
  isomapNeighbors: number;
  /** LLE regularisation (default 1e-3, scikit-learn's). */
  lleReg: number;
  /** The AE: hidden layers before the code, mirrored in the decoder (default [16]). */
  aeHidden: number[];
  aeActivation: Activation;
  aeEpochs: number;
  aeBatchSize: number;
  aeLearningRate: number;
  /** onnxruntime threads per AE training (default 1). */
  threads: number;
}

/** The settings the report states; see MethodSettings. */
export const DEFAULT_SETTINGS: Readonly<MethodSettings> = Object.freeze({
  ldaClasses: 5,
  lleNeighbors: 15,
  isomapNeighbors: 15,
  lleReg: 1e-3,
  aeHidden: [16],
  aeActivation: 'tanh',
  aeEpochs: 100,
  aeBatchSize: 32,
  aeLearningRate: 0.005,
  threads: 1,
});

/**
 * Where the curve runs compute: the backend of the reducers and metrics (default `jsBackend`;
 * its threads also cap the AE's `threads` setting), and `spin: false` for the AE's training.
 */
export interface CurvesCompute {
  backend?: ComputeBackend;
  spin?: boolean;
}

/** A fresh reducer of `method` with `nComponents` outputs for run `seed`. @throws ConfigError */
export function makeReducer(
  method: MethodName,
  nComponents: number,
  seed: number,
  s: MethodSettings = DEFAULT_SETTINGS,
  compute: CurvesCompute = {},
): Reducer {
  const backend = compute.backend;
  switch (method) {
    case 'pca':
      return new PCA({ nComponents, backend });
    case 'lda':
      return new LDA({ nComponents, backend });
    case 'lle':
      return new LLE({ nComponents, nNeighbors: s.lleNeighbors, reg: s.lleReg, seed, backend });
    case 'isomap':
      return new Isomap({ nComponents, nNeighbors: s.isomapNeighbors, seed, backend });
    case 'umap':
      return new UMAP({ nComponents, seed, backend });
    case 'pumap':
      // A few hundred points give ~10,000 edges: batch 200 and 20 epochs make ~1,000 steps.
      return new ParametricUMAP({
        nComponents,
        seed,
        batchSize: 200,
        nEpochs: 20,
        learningRate: 0.003,
        threads: backend === undefined ? s.threads : Math.min(s.threads, backend.threads),
        backend,
        ...(compute.spin === false ? { spin: false } : {}),
      });
    case 'tsne':
      return new TSNE({ nComponents, seed, backend });
    case 'autoencoder':
      return new Autoencoder({
        nComponents,
        hiddenLayers: s.aeHidden,
        activation: s.aeActivation,
        codeActivation: 'linear',
        outputActivation: 'linear',
        scaling: 'standardize',
        epochs: s.aeEpochs,
        batchSize: s.aeBatchSize,
        learningRate: s.aeLearningRate,
        seed,
        threads: backend === undefined ? s.threads : Math.min(s.threads, backend.threads),
        ...(compute.spin === false ? { spin: false } : {}),
      });
    default:
      throw new ConfigError(
        `method must be one of ${METHODS.join(', ')}, got ${JSON.stringify(method)}`,
      );
  }
}

/** Labels 0..classes-1 by rank of t: consecutive segments of equal count. @throws ConfigError */
export function segmentLabels(t: ArrayLike<number>, classes: number): Int32Array {
  checkInt('ldaClasses', classes, 2, t.length);
  const r = ranks(t);
  return Int32Array.from(r, (v) =>
    Math.min(classes - 1, Math.floor(((v - 1) * classes) / t.length)),
  );
}

/** Points and their curve parameter. */
export interface CurveSample {
  x: Matrix32;
  t: Float64Array;
}

/** Where a curve's points come from: a fresh sample per seed, and one fixed evaluation set. */
export interface CurveSource {
  name: string;
  title: string;
  sample(seed: number): CurveSample;
  /** Shared by every run, so codes of different runs can be compared point by point. */
  grid: CurveSample;
}

/** The seed of the evaluation set (noise-free, never used for training). */
export const GRID_SEED = 1_000_003;

/** A generator as a source: `gen(n, { seed, noise })` per run, `gridSize` noise-free points to compare. */
export function generatorSource(
  name: string,
  title: string,
  gen: (n: number, o: { seed: number; noise: number }) => SyntheticData,
  n: number,
  noise: number,
  gridSize = 200,
): CurveSource {
  const asSample = (d: SyntheticData): CurveSample => ({ x: toFloat32(d.x), t: d.t });
  return {
    name,
    title,
    sample: (seed) => asSample(gen(n, { seed, noise })),
    grid: asSample(gen(gridSize, { seed: GRID_SEED, noise: 0 })),
  };
}

/**
 * A data file as a source: each seed fits on a seeded subsample of min(n, 80% of the rows);
 * the evaluation set is every row (at most 1,000, a fixed sample beyond).
 * @throws DataError when t does not have one value per row; ConfigError on too few rows
 */
export function fileSource(name: string, x: Matrix32, t: Float64Array, n: number): CurveSource {
  if (t.length !== x.rows) {
    throw new DataError(
      `the parameter file has ${t.length} values but the data has ${x.rows} rows; expected one t per row`,
      { file: name },
    );
  }
  const m = Math.min(n, Math.floor(0.8 * x.rows));
  if (m < 12) {
    throw new ConfigError(
      `${name}: ${x.rows} rows leave ${m} per run; the curve experiment needs at least 15 rows`,
    );
  }
  const pick = (idx: ArrayLike<number>): CurveSample => ({
    x: takeRows(x, idx),
    t: Float64Array.from(idx, (i) => t[i]),
  });
  const gridIdx =
    x.rows <= 1000
      ? Array.from({ length: x.rows }, (_, i) => i)
      : sortedSample(x.rows, 1000, GRID_SEED);
  return {
    name,
    title: name,
    sample: (seed) => pick(sortedSample(x.rows, m, seed)),
    grid: pick(gridIdx),
  };
}

function sortedSample(n: number, m: number, seed: number): number[] {
  return Array.from(new Rng(seed).permutation(n).subarray(0, m)).sort((a, b) => a - b);
}
