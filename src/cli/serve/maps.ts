/**
 * The explorer's 2-D maps of the served rows by methods other than the model: PCA (scikit-learn's
 * 'auto' solver), UMAP (McInnes et al. 2018, arXiv:1802.03426; umap-learn's defaults), parametric
 * UMAP (Sainburg et al. 2021, reducers/pumap.ts: umap-learn's network and loss) and t-SNE
 * (van der Maaten & Hinton 2008; scikit-learn's defaults), each fitted on the served samples as
 * given (data units). A map is computed on its first request and kept: the pending promise is
 * cached, so requests that arrive during a fit share it. Seeded: the same rows give the same map.
 * On fewer rows than the defaults need, UMAP's nNeighbors and t-SNE's perplexity are lowered to
 * what the rows allow (n − 1 and (n − 1) / 3).
 */
import type { ComputeBackend } from '../../linalg/backend.js';
import { PCA } from '../../reducers/pca.js';
import { ParametricUMAP } from '../../reducers/pumap.js';
import type { Reducer } from '../../reducers/reducer.js';
import { TSNE } from '../../reducers/tsne.js';
import { UMAP } from '../../reducers/umap.js';
import type { Matrix32 } from '../../util/matrix.js';
import type { MapMethod } from './protocol.js';

/** Options of ExplorerMaps. */
export interface ExplorerMapsOptions {
  /** Seed of every map (default 0). */
  seed?: number;
  /** The reducers' backend (default their own, the pure-JS one). */
  backend?: ComputeBackend;
}

/** Lazily fitted, cached 2-D maps of one set of rows. */
export class ExplorerMaps {
  private readonly cache = new Map<MapMethod, Promise<Float32Array>>();

  constructor(
    private readonly samples: Matrix32,
    private readonly options: ExplorerMapsOptions = {},
  ) {}

  /**
   * The rows' map by `method`: Float32 [rows, 2], row-major.
   * @throws what the reducer throws (ConfigError, DataError), as a rejected promise; a failed fit is not cached
   */
  get(method: MapMethod): Promise<Float32Array> {
    let p = this.cache.get(method);
    if (p === undefined) {
      p = this.reducer(method)
        .fitTransform(this.samples)
        .then((z) => z.data);
      this.cache.set(method, p);
      p.catch(() => this.cache.delete(method));
    }
    return p;
  }

  /** Whether `method`'s map has been requested (fitted or being fitted). */
  has(method: MapMethod): boolean {
    return this.cache.has(method);
  }

  private reducer(method: MapMethod): Reducer {
    const n = this.samples.rows;
    const seed = this.options.seed ?? 0;
    const backend = this.options.backend;
    switch (method) {
      case 'pca':
        return new PCA({ nComponents: 2, seed, backend });
      case 'umap':
        return new UMAP({
          nComponents: 2,
          nNeighbors: Math.max(2, Math.min(15, n - 1)),
          seed,
          backend,
        });
      case 'pumap':
        // The served rows are a few thousand at most: batch 200, 10 epochs and Adam 0.003 give
        // them ~2,000 steps, where umap-learn's batch 1000 at 0.001 would give a tenth.
        return new ParametricUMAP({
          nComponents: 2,
          nNeighbors: Math.max(2, Math.min(15, n - 1)),
          batchSize: 200,
          nEpochs: 10,
          learningRate: 0.003,
          seed,
          backend,
          ...(backend !== undefined ? { threads: backend.threads } : {}),
          spin: false,
        });
      case 'tsne':
        return new TSNE({
          nComponents: 2,
          perplexity: Math.max(1, Math.min(30, (n - 1) / 3)),
          seed,
          backend,
        });
    }
  }
}
