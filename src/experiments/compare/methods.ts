/**
 * The reducers of the comparison and when each applies: PCA (scikit-learn's 'auto' solver), LDA
 * (at most classes − 1 dimensions, as Fisher's criterion gives no more), LLE and Isomap on a
 * k-nearest-neighbour graph (k = 10, the setting bench/reducers.ts checks against scikit-learn
 * on MNIST), the deep AE of compare-config.ts (linear code, sigmoid output), UMAP and
 * parametric UMAP with umap-learn's defaults (15 neighbours, minDist 0.1; the parametric one's
 * 3 x 100 ReLU encoder) and t-SNE with scikit-learn's (perplexity
 * 30, PCA start; at most 3 dimensions, as its Barnes-Hut tree allows). Also the prior cost of
 * each fit, for the ETA before a method has run once.
 */
import type { TrainProgress } from '../../train/trainer.js';
import { Autoencoder } from '../../reducers/autoencoder.js';
import { Isomap } from '../../reducers/isomap.js';
import { LDA } from '../../reducers/lda.js';
import { LLE } from '../../reducers/lle.js';
import { PCA } from '../../reducers/pca.js';
import { ParametricUMAP } from '../../reducers/pumap.js';
import { TSNE } from '../../reducers/tsne.js';
import { UMAP } from '../../reducers/umap.js';
import type { Reducer } from '../../reducers/reducer.js';
import type { ComputeBackend } from '../../linalg/backend.js';
import type { ScalingKind } from '../../data/scaling.js';
import { MANIFOLD_METHODS, type CompareMethod, type CompareSettings } from './config.js';

/** The most dimensions t-SNE gives in the comparison (Barnes-Hut's tree: 2^d children per cell). */
export const TSNE_MAX_DIM = 3;

/** Why `method` cannot give `dim` dimensions here, or undefined when it can. */
export function skipReason(
  method: CompareMethod,
  dim: number,
  shape: { features: number; classes: number; trainRows: number },
): string | undefined {
  if (dim >= shape.features)
    return `${dim} dimensions are not a reduction of ${shape.features} features`;
  if (method === 'lda' && dim > shape.classes - 1)
    return `LDA gives at most classes − 1 = ${shape.classes - 1} dimensions`;
  if (method === 'tsne' && dim > TSNE_MAX_DIM)
    return `t-SNE makes maps of at most ${TSNE_MAX_DIM} dimensions (its Barnes-Hut tree splits each cell in 2^d)`;
  if (MANIFOLD_METHODS.includes(method) && dim >= shape.trainRows)
    return `${dim} dimensions need more than ${shape.trainRows} training rows`;
  return undefined;
}

/** A fresh reducer of `method` with `dim` outputs. */
export function makeCompareReducer(
  method: CompareMethod,
  dim: number,
  s: CompareSettings,
  aeScaling: ScalingKind,
  compute: { backend?: ComputeBackend; spin?: boolean } = {},
  onProgress?: (p: TrainProgress) => void,
): Reducer & { dispose?: () => Promise<void> } {
  const backend = compute.backend;
  const sample = s.fitSample === undefined ? {} : { fitSample: s.fitSample };
  switch (method) {
    case 'pca':
      return new PCA({ nComponents: dim, seed: s.seed, backend });
    case 'lda':
      return new LDA({ nComponents: dim, backend });
    case 'lle':
      return new LLE({
        nNeighbors: s.nNeighbors,
        nComponents: dim,
        seed: s.seed,
        ...sample,
        backend,
      });
    case 'isomap':
      return new Isomap({
        nNeighbors: s.nNeighbors,
        nComponents: dim,
        seed: s.seed,
        ...sample,
        backend,
      });
    case 'umap':
      return new UMAP({ nComponents: dim, seed: s.seed, backend });
    case 'pumap':
      return new ParametricUMAP({
        nComponents: dim,
        seed: s.seed + dim,
        backend,
        ...(backend !== undefined ? { threads: backend.threads } : {}),
        ...(compute.spin === false ? { spin: false } : {}),
      });
    case 'tsne':
      return new TSNE({ nComponents: dim, seed: s.seed, backend });
    case 'ae':
      return new Autoencoder({
        nComponents: dim,
        hiddenLayers: s.ae.hiddenLayers,
        activation: s.ae.activation,
        codeActivation: 'linear',
        outputActivation: 'sigmoid',
        scaling: aeScaling,
        ...(s.ae.epochs !== undefined ? { epochs: s.ae.epochs } : { maxIter: s.ae.maxIter }),
        batchSize: s.ae.batchSize,
        learningRate: s.ae.learningRate,
        seed: s.seed + dim,
        ...(backend !== undefined ? { threads: backend.threads } : {}),
        ...(compute.spin === false ? { spin: false } : {}),
        ...(onProgress ? { onProgress } : {}),
      });
  }
}

/**
 * Rough seconds of one case (fit, transform and both metrics) on MNIST-like data on a quiet
 * 2-core machine, from the full default run of this code (n = 60,000, and 10,000 for LLE and
 * Isomap); only the ETA uses it, scaled by how the finished cases compared with their priors
 * (under load the AE ran 3 times slower than here).
 */
export function priorSeconds(
  method: CompareMethod,
  dim: number,
  rows: { train: number; test: number; features: number },
  s: CompareSettings,
): number {
  const { train: n, test: m, features: f } = rows;
  const scale = f / 784;
  // kNN accuracy (m queries against n codes) and exact trustworthiness (m x m in both spaces).
  const metrics = 1e-8 * n * m + 5e-8 * m * m * scale;
  switch (method) {
    case 'pca':
      return 3e-5 * n * scale * (1 + dim / 50) + metrics;
    case 'lda':
      // The features x features eigendecomposition dominates until n is large.
      return 4 * scale ** 3 + 2e-5 * n * scale + metrics;
    case 'ae': {
      const width = s.ae.hiddenLayers[0] ?? dim;
      const batch = s.ae.batchSize === 'auto' ? Math.min(200, n) : s.ae.batchSize;
      const perEpoch = 4.5e-5 * n * scale * (width / 256) * Math.max(1, 256 / batch) ** 0.5;
      // A converging fit ran 30-50 epochs on MNIST subsets here (bench/ae-converge.ts).
      const epochs = s.ae.epochs ?? Math.min(s.ae.maxIter, 40);
      // About 1.5 s of session set-up and evaluation per fit.
      return 1.5 + epochs * perEpoch + metrics;
    }
    case 'lle':
      return 3.5e-3 * n * (n / 5000) ** 0.3 * (1 + dim / 200) + 5e-4 * m + metrics;
    case 'isomap':
      return 3.5e-7 * n * n * (1 + dim / 100) + 5e-4 * m * (n / 5000) + metrics;
    case 'umap':
      // Exact kNN, then 500 SGD epochs up to 10,000 rows (200 beyond) over ~15 edges per row.
      return (
        1e-7 * n * n * scale +
        ((1e-4 * n * (n <= 10_000 ? 500 : 200)) / 50) * (1 + dim / 10) +
        1e-3 * m +
        metrics
      );
    case 'pumap':
      // Exact kNN, then nEpochs (10) x edges (~20 per row) / batch 1000 steps of ~0.05 s.
      return 1e-7 * n * n * scale + 10 * ((20 * n) / 1000) * 0.05 * scale + 1e-3 * m + metrics;
    case 'tsne':
      // Fitted on train + test rows together: exact kNN, then 1000 Barnes-Hut iterations.
      return 1e-7 * (n + m) ** 2 * scale + 2e-3 * (n + m) * (1 + dim / 3) + metrics;
  }
}
