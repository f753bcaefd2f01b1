/**
 * Settings of the classification comparison (`aedr compare`), after the real-data experiment of
 * Wang, Yao & Zhao, "Auto-encoder based dimensionality reduction", Neurocomputing 184 (2016)
 * 232-242, §4.2: the AE against PCA, LDA (linear) and LLE, Isomap (non-linear), each reducing
 * MNIST to d dimensions and scored by a kNN classifier on the codes. The defaults are the
 * paper's sizes where they are affordable: full MNIST (60,000 / 10,000) for PCA, LDA and the
 * AE, 10,000 / 2,000 for LLE and Isomap (whose fit is O(n²) in memory and time). UMAP
 * (McInnes et al. 2018, arXiv:1802.03426), parametric UMAP (Sainburg, McInnes & Gentner 2021,
 * doi:10.1162/neco_a_01434) and t-SNE (van der Maaten & Hinton 2008) can be added (`methods`);
 * they run on the manifold sample too (parametric UMAP there so that it meets UMAP on the same
 * rows, and because its exact kNN graph grows as n²), and are not in the default list.
 */
import { ConfigError } from '../../errors.js';
import type { Activation } from '../../nn/activation.js';
import { checkInt, checkNumber, checkOneOf } from '../../util/check.js';

/** The methods, in the order tables and charts list them. */
export const COMPARE_METHODS = [
  'ae',
  'pca',
  'lda',
  'lle',
  'isomap',
  'umap',
  'pumap',
  'tsne',
] as const;
/** One of COMPARE_METHODS. */
export type CompareMethod = (typeof COMPARE_METHODS)[number];

/** Display names. */
export const METHOD_TITLES: Readonly<Record<CompareMethod, string>> = {
  ae: 'AE',
  pca: 'PCA',
  lda: 'LDA',
  lle: 'LLE',
  isomap: 'Isomap',
  umap: 'UMAP',
  pumap: 'Parametric UMAP',
  tsne: 't-SNE',
};

/** The methods of a run that names none: the paper's five. */
export const DEFAULT_METHODS: readonly CompareMethod[] = ['ae', 'pca', 'lda', 'lle', 'isomap'];

/** The methods fitted on the smaller "manifold" sample. */
export const MANIFOLD_METHODS: readonly CompareMethod[] = [
  'lle',
  'isomap',
  'umap',
  'pumap',
  'tsne',
];

/** Output dimensions of the default run (9 is LDA's maximum on 10 classes). */
export const DEFAULT_DIMS = [2, 3, 5, 9, 10, 20, 50];

/** The autoencoder trained at each dimension. */
export interface AeSettings {
  /** Encoder hidden sizes before the code; the decoder mirrors them. */
  hiddenLayers: number[];
  /** Hidden activation; the code is linear, the output sigmoid. */
  activation: Activation;
  /** A fixed epoch count; unset: train until converged (the Autoencoder reducer's default rule), at most maxIter epochs. */
  epochs?: number;
  /** Most epochs when converging (scikit-learn's max_iter). */
  maxIter: number;
  /** Samples per step, or 'auto' = min(200, training rows) as scikit-learn. */
  batchSize: number | 'auto';
  /** Adam learning rate. */
  learningRate: number;
}

/**
 * A deep AE, 784-256-128-d (mirrored decoder): the study's ReLU stack with a wider first layer,
 * Adam 0.002, trained until converged as the Autoencoder reducer does by default (scikit-learn
 * MLP's rule: batch min(200, n), up to 200 epochs, stop after more than 10 without the training
 * loss improving by 1e-4). A fixed count (`epochs`) trains as before; 10 epochs of
 * batch 256 give too few steps on small data (the AE fell below PCA on 1,300 rows).
 */
export const DEFAULT_AE: Readonly<AeSettings> = Object.freeze({
  hiddenLayers: [256, 128],
  activation: 'relu',
  maxIter: 200,
  batchSize: 'auto',
  learningRate: 0.002,
});

/** Everything that sizes the run. */
export interface CompareSettings {
  methods: CompareMethod[];
  dims: number[];
  /** Rows for PCA, LDA and the AE. */
  trainSize: number;
  testSize: number;
  /** Rows for LLE, Isomap, UMAP and t-SNE (at most trainSize / testSize). */
  manifoldTrainSize: number;
  manifoldTestSize: number;
  /** Neighbours of the kNN classifier and of trustworthiness. */
  k: number;
  /** Neighbours of the LLE and Isomap graphs. */
  nNeighbors: number;
  /** LLE and Isomap fit on a seeded sample of this many manifold training rows and transform the rest; default all. */
  fitSample?: number;
  ae: AeSettings;
  seed: number;
}

/** The full run: the paper's methods, the default dims, the paper's sizes. */
export const FULL_SETTINGS: Readonly<CompareSettings> = Object.freeze({
  methods: [...DEFAULT_METHODS],
  dims: DEFAULT_DIMS,
  trainSize: 60_000,
  testSize: 10_000,
  manifoldTrainSize: 10_000,
  manifoldTestSize: 2_000,
  k: 5,
  nNeighbors: 10,
  ae: DEFAULT_AE,
  seed: 0,
});

/** `--quick`: 2,000 / 500 rows for every method, dims 2 and 10, the AE converging within 30 epochs. */
export const QUICK_SETTINGS: Readonly<CompareSettings> = Object.freeze({
  ...FULL_SETTINGS,
  dims: [2, 10],
  trainSize: 2_000,
  testSize: 500,
  manifoldTrainSize: 2_000,
  manifoldTestSize: 500,
  ae: { ...DEFAULT_AE, maxIter: 30 },
});

/** Overrides of the preset. */
export type CompareOverrides = Partial<Omit<CompareSettings, 'ae'>> & {
  ae?: Partial<AeSettings>;
  quick?: boolean;
};

/**
 * The settings of a run: the full or quick preset, overridden by `o`, checked. Manifold sizes
 * are clipped to the main sizes (a subset of the same rows).
 * @throws ConfigError on an unknown method, a bad dim list or a size out of range
 */
export function resolveCompareSettings(o: CompareOverrides = {}): CompareSettings {
  const base = o.quick === true ? QUICK_SETTINGS : FULL_SETTINGS;
  const methods = o.methods ?? base.methods;
  if (!Array.isArray(methods) || methods.length === 0)
    throw new ConfigError(
      `methods must list at least one of ${COMPARE_METHODS.join(', ')}, got ${JSON.stringify(methods)}`,
    );
  methods.forEach((m, i) => checkOneOf(`methods[${i}]`, m, COMPARE_METHODS));
  const dims = o.dims ?? base.dims;
  if (!Array.isArray(dims) || dims.length === 0)
    throw new ConfigError(
      `dims must list at least one dimension, got ${JSON.stringify(dims)}; e.g. [2, 10]`,
    );
  dims.forEach((d, i) => checkInt(`dims[${i}]`, d, 1));
  const trainSize = checkInt('trainSize', o.trainSize ?? base.trainSize, 10);
  const testSize = checkInt('testSize', o.testSize ?? base.testSize, 1);
  const ae = { ...base.ae, ...o.ae };
  ae.hiddenLayers.forEach((h, i) => checkInt(`ae.hiddenLayers[${i}]`, h, 1));
  if (ae.epochs !== undefined) checkInt('ae.epochs', ae.epochs, 1);
  checkInt('ae.maxIter', ae.maxIter, 1);
  if (ae.batchSize !== 'auto') checkInt('ae.batchSize', ae.batchSize, 1);
  checkNumber('ae.learningRate', ae.learningRate, 0, Infinity, { exclusiveMin: true });
  return {
    methods: COMPARE_METHODS.filter((m) => methods.includes(m)),
    dims: [...new Set(dims)].sort((a, b) => a - b),
    trainSize,
    testSize,
    manifoldTrainSize: Math.min(
      checkInt('manifoldTrainSize', o.manifoldTrainSize ?? base.manifoldTrainSize, 10),
      trainSize,
    ),
    manifoldTestSize: Math.min(
      checkInt('manifoldTestSize', o.manifoldTestSize ?? base.manifoldTestSize, 1),
      testSize,
    ),
    k: checkInt('k', o.k ?? base.k, 1),
    nNeighbors: checkInt('nNeighbors', o.nNeighbors ?? base.nNeighbors, 1),
    ...(o.fitSample !== undefined ? { fitSample: checkInt('fitSample', o.fitSample, 2) } : {}),
    ae,
    seed: checkInt('seed', o.seed ?? base.seed, 0),
  };
}

/**
 * Parses a comma-separated method list (`ae,pca,lle`); `all` means every method.
 * @throws ConfigError naming the unknown method
 */
export function parseMethods(text: string): CompareMethod[] {
  const parts = String(text)
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
  if (parts.length === 1 && parts[0] === 'all') return [...COMPARE_METHODS];
  if (parts.length === 0)
    throw new ConfigError(
      `methods: expected a comma list of ${COMPARE_METHODS.join(', ')} (or all), got ${JSON.stringify(text)}`,
    );
  return parts.map((p) => {
    const m = p === 'autoencoder' ? 'ae' : p;
    if (!(COMPARE_METHODS as readonly string[]).includes(m))
      throw new ConfigError(
        `methods: unknown method ${JSON.stringify(p)}; expected a comma list of ${COMPARE_METHODS.join(', ')} (or all)`,
      );
    return m as CompareMethod;
  });
}
