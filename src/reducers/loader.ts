/**
 * Restores any reducer from its saved form (`toJSON()`): one table from `kind` to the class's
 * `fromJSON`. It lives apart from the Reducer interface so that the reducers import the
 * interface and this file imports the reducers, never both ways.
 */
import { DataError } from '../errors.js';
import { Autoencoder } from './autoencoder.js';
import type { BackendOption } from '../linalg/backend.js';
import { isRecord } from './common.js';
import { Isomap } from './isomap.js';
import { LDA } from './lda.js';
import { LLE } from './lle.js';
import { PCA } from './pca.js';
import { ParametricUMAP } from './pumap.js';
import { TSNE } from './tsne.js';
import { UMAP } from './umap.js';
import { REDUCER_JSON_VERSION, type Reducer, type ReducerJSON } from './reducer.js';

const LOADERS: Record<string, (json: ReducerJSON, opts: BackendOption) => Reducer> = {
  pca: (j, o) => PCA.fromJSON(j, o),
  lda: (j, o) => LDA.fromJSON(j, o),
  lle: (j, o) => LLE.fromJSON(j, o),
  isomap: (j, o) => Isomap.fromJSON(j, o),
  umap: (j, o) => UMAP.fromJSON(j, o),
  pumap: (j, o) => ParametricUMAP.fromJSON(j, o),
  tsne: (j, o) => TSNE.fromJSON(j, o),
  autoencoder: (j) => Autoencoder.fromJSON(j),
};

/**
 * Restores a PCA, LDA, LLE, Isomap, UMAP, ParametricUMAP, TSNE or Autoencoder from its `toJSON()` form; PCA,
 * LDA, LLE, Isomap, UMAP and TSNE run on `opts.backend` (default `jsBackend`).
 * @example
 * const pca = loadReducer(JSON.parse(text), { backend }); // a fitted PCA, ready to transform
 * @throws DataError naming the bad field (kind, version, options.*, state.*); ConfigError for
 * saved options out of range.
 */
export function loadReducer(json: unknown, opts: BackendOption = {}): Reducer {
  if (!isRecord(json))
    throw new DataError(`expected a reducer object, got ${typeof json}`, { field: 'json' });
  const kind = json.kind;
  if (typeof kind !== 'string' || !(kind in LOADERS)) {
    throw new DataError(
      `expected one of ${Object.keys(LOADERS).join(', ')}, got ${JSON.stringify(kind)}`,
      {
        field: 'kind',
      },
    );
  }
  if (json.version !== REDUCER_JSON_VERSION) {
    throw new DataError(`expected ${REDUCER_JSON_VERSION}, got ${JSON.stringify(json.version)}`, {
      field: 'version',
    });
  }
  if (!isRecord(json.options)) {
    throw new DataError(`expected an object, got ${JSON.stringify(json.options)}`, {
      field: 'options',
    });
  }
  if (json.state !== null && !isRecord(json.state)) {
    throw new DataError(`expected an object or null, got ${JSON.stringify(json.state)}`, {
      field: 'state',
    });
  }
  return LOADERS[kind](json as unknown as ReducerJSON, opts);
}
