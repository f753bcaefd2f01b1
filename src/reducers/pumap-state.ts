/**
 * The fitted state of a ParametricUMAP and its saved form inside the reducer JSON: the dense
 * network spec (decoder empty without autoencoderLoss), the weights in paramInfos order as
 * base64 float32, the fitted scaling, the curve's a and b, and the epoch losses.
 */
import { DataError } from '../errors.js';
import { parseScaling, type Scaling } from '../data/scaling.js';
import { parseActivation } from '../nn/activation.js';
import { paramInfos, type AutoencoderSpec, type LayerSpec } from '../nn/autoencoder-spec.js';
import { decodeArray, encodeArray, isRecord, readNumber } from './common.js';

/** What fit learns. */
export interface PumapState {
  spec: AutoencoderSpec;
  params: Float32Array[];
  scaling: Scaling;
  a: number;
  b: number;
  epochLosses: number[];
  /** Training rows of the fit. */
  trainRows: number;
  /** MSE per element (scaled units) of the training rows' reconstructions, with a decoder. */
  trainMse?: number;
}

/** The JSON `state` of a fitted ParametricUMAP. */
export function writePumapState(s: PumapState): Record<string, unknown> {
  return {
    spec: s.spec,
    params: s.params.map((p, i) => encodeArray(p, paramInfos(s.spec)[i].shape)),
    scaling: s.scaling,
    a: s.a,
    b: s.b,
    epochLosses: s.epochLosses,
    trainRows: s.trainRows,
    ...(s.trainMse !== undefined ? { trainMse: s.trainMse } : {}),
  };
}

function fail(field: string, msg: string): never {
  throw new DataError(msg, { field });
}

function readLayers(v: unknown, field: string, allowEmpty: boolean): LayerSpec[] {
  if (!Array.isArray(v) || (!allowEmpty && v.length === 0))
    fail(field, `expected an array of layers, got ${JSON.stringify(v)}`);
  return v.map((l: unknown, i) => {
    if (!isRecord(l)) fail(`${field}[${i}]`, `expected a layer object, got ${JSON.stringify(l)}`);
    const units = l.units;
    if (typeof units !== 'number' || !Number.isInteger(units) || units < 1)
      fail(`${field}[${i}].units`, `expected a positive integer, got ${JSON.stringify(units)}`);
    return { units, activation: parseActivation(l.activation, `${field}[${i}].activation`) };
  });
}

/** Restores the state saved by writePumapState. @throws DataError naming the bad field */
export function readPumapState(st: Record<string, unknown>): PumapState {
  const sp = st.spec;
  if (!isRecord(sp)) fail('state.spec', `expected an object, got ${JSON.stringify(sp)}`);
  const inputDim = sp.inputDim;
  if (typeof inputDim !== 'number' || !Number.isInteger(inputDim) || inputDim < 1)
    fail('state.spec.inputDim', `expected a positive integer, got ${JSON.stringify(inputDim)}`);
  const spec: AutoencoderSpec = {
    inputDim,
    encoder: readLayers(sp.encoder, 'state.spec.encoder', false),
    decoder: readLayers(sp.decoder, 'state.spec.decoder', true),
  };
  const infos = paramInfos(spec);
  if (!Array.isArray(st.params) || st.params.length !== infos.length) {
    fail(
      'state.params',
      `expected ${infos.length} weight arrays for this spec, got ${Array.isArray(st.params) ? st.params.length : typeof st.params}`,
    );
  }
  const params = infos.map((p, i) =>
    decodeArray((st.params as unknown[])[i], `state.params[${i}]`, 'float32', p.shape),
  );
  let scaling: Scaling;
  try {
    scaling = parseScaling(st.scaling, 'state.scaling');
  } catch (err) {
    fail('state.scaling', (err as Error).message);
  }
  const losses = Array.isArray(st.epochLosses)
    ? st.epochLosses.filter((v) => typeof v === 'number')
    : [];
  return {
    spec,
    params,
    scaling,
    a: readNumber(st, 'a'),
    b: readNumber(st, 'b'),
    epochLosses: losses,
    trainRows: readNumber(st, 'trainRows'),
    ...(typeof st.trainMse === 'number' ? { trainMse: st.trainMse } : {}),
  };
}
