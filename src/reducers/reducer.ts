/**
 * The one interface every dimensionality reducer of aedr implements (PCA, LDA, LLE, Isomap and
 * the Autoencoder), shaped after scikit-learn's transformer API (fit / transform /
 * fit_transform / inverse_transform), asynchronous because the heavy products may run on
 * onnxruntime. Saved form (`toJSON`): `{ kind, version: 1, options, state }`, `state` null
 * before fit; typed arrays inside `state` as `{ dtype, shape, base64 }` (see common.ts).
 */
import type { Matrix32 } from '../util/matrix.js';

/** A fitted-or-not reducer. `transform` never changes the model. */
export interface Reducer {
  /** 'pca' | 'lda' | 'lle' | 'isomap' | 'autoencoder'. */
  readonly name: string;
  /** Learns the mapping from x (n x d); y are class labels where the method uses them (LDA). */
  fit(x: Matrix32, y?: Int32Array): Promise<this>;
  /** Maps rows of x (m x d) to the reduced space (m x nComponents). */
  transform(x: Matrix32): Promise<Matrix32>;
  /** fit(x, y) then the reduced training data (equal to transform(x) to float tolerance). */
  fitTransform(x: Matrix32, y?: Int32Array): Promise<Matrix32>;
  /** Maps codes back to the input space (PCA, Autoencoder). */
  inverseTransform?(z: Matrix32): Promise<Matrix32>;
  /** Plain-JSON form that `loadReducer` (reducers/loader.ts) restores. */
  toJSON(): ReducerJSON;
}

/** The saved form of a reducer. */
export interface ReducerJSON {
  kind: string;
  version: number;
  options: Record<string, unknown>;
  state: Record<string, unknown> | null;
}

/** Version written by this code; loaders accept only it. */
export const REDUCER_JSON_VERSION = 1;

/** The saved form of a `kind` reducer: a copy of its options, `state` null before fit, else `encode(state)`. */
export function savedForm<S>(
  kind: string,
  options: object,
  state: S | undefined,
  encode: (s: S) => Record<string, unknown>,
): ReducerJSON {
  return {
    kind,
    version: REDUCER_JSON_VERSION,
    options: { ...options },
    state: state === undefined ? null : encode(state),
  };
}
