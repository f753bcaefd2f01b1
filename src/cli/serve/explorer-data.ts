/**
 * What the explorer serves, computed once at start: the model (loaded and checked by
 * `loadModel`, so a missing or corrupt folder fails here with ModelFormatError, before any
 * page is served), the samples and their codes, the labels, a PCA of the codes for views of
 * codes wider than 2, and the model's own decoder.onnx and model.json bytes for the page.
 * PCA is the covariance eigendecomposition (Jolliffe, Principal Component Analysis, 2nd ed.,
 * 2002, ch. 1), each axis signed so its largest-magnitude entry is positive.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, DataError, ModelFormatError } from '../../errors.js';
import type { Dataset } from '../../data/dataset.js';
import { symmetricEigen } from '../../linalg/eigen-sym.js';
import { isLayerSpec, partLayers } from '../../nn/autoencoder-spec.js';
import { DECODER_IO } from '../../train/inference-graph.js';
import type { AutoencoderModel } from '../../train/model.js';
import { parseManifest } from '../../train/persist.js';
import { checkFinite } from '../../util/check.js';
import { matrix, type Matrix32 } from '../../util/matrix.js';
import { openModel } from '../load-model.js';
import {
  MAX_DECODE_ROWS,
  ROUTES,
  type ExplorerMeta,
  type MetaLayer,
  type MetaPca,
} from './protocol.js';

/** The served state of one explorer. */
export interface ExplorerData {
  meta: ExplorerMeta;
  model: AutoencoderModel;
  samples: Matrix32;
  codes: Matrix32;
  labels: Int32Array;
  files: { decoderOnnx: Buffer; modelJson: Buffer };
}

/**
 * Loads the model in `modelDir` and encodes `data` with it.
 * @throws ModelFormatError for a missing or corrupt model folder; ConfigError when the data's
 * width differs from the model's input; DataError when the codes are not finite
 */
export async function prepareExplorerData(
  modelDir: string,
  data: Dataset,
  opts: { threads?: number; spin?: boolean } = {},
): Promise<ExplorerData> {
  const model = openModel(modelDir, opts.threads, opts.spin);
  try {
    return await describe(modelDir, model, data);
  } catch (err) {
    await model.dispose();
    throw err;
  }
}

async function describe(
  modelDir: string,
  model: AutoencoderModel,
  data: Dataset,
): Promise<ExplorerData> {
  if (data.x.cols !== model.inputDim) {
    throw new ConfigError(
      `data ${data.source} has ${data.x.cols} columns but the model in ${modelDir} takes ${model.inputDim}; serve data of the kind the model was trained on`,
    );
  }
  if (data.x.rows < 1) throw new ConfigError(`data ${data.source} has no rows to show`);
  const codes = await model.encode(data.x);
  try {
    checkFinite('codes', codes);
  } catch (err) {
    throw new DataError(
      `the model in ${modelDir} maps some samples of ${data.source} to non-finite codes (${(err as Error).message}); was its training diverging?`,
      { file: modelDir },
      { cause: err },
    );
  }
  const labels = data.labels ? Int32Array.from(data.labels) : new Int32Array(data.x.rows).fill(-1);
  // The page gets the very files loadModel checked; a swap in between is caught by the hash.
  const modelJson = readFileSync(join(modelDir, 'model.json'));
  const manifest = parseManifest(
    JSON.parse(modelJson.toString('utf8')),
    join(modelDir, 'model.json'),
  );
  const decoderPath = join(modelDir, manifest.files.decoder.path);
  const decoderOnnx = readFileSync(decoderPath);
  if (createHash('sha256').update(decoderOnnx).digest('hex') !== manifest.files.decoder.sha256)
    throw new ModelFormatError('changed while the explorer was starting; start it again', {
      file: decoderPath,
    });
  const files = { decoderOnnx, modelJson };
  const meta: ExplorerMeta = {
    model: {
      dir: modelDir,
      inputDim: model.inputDim,
      ...(isLayerSpec(model.spec) ? { inputShape: [...model.spec.inputShape] } : {}),
      latentDim: model.latentDim,
      ...(model.variational ? { variational: true } : {}),
      encoder: metaLayers(model, 'encoder'),
      decoder: metaLayers(model, 'decoder'),
      scaling: model.scaling.kind,
      history: model.history.map((h) => ({ ...h })),
      ...(model.training ? { training: { ...model.training } } : {}),
      savedAt: String(
        (JSON.parse(files.modelJson.toString('utf8')) as { savedAt?: unknown }).savedAt ?? '',
      ),
    },
    data: {
      source: data.source,
      count: data.x.rows,
      hasLabels: data.labels !== undefined,
      classes: [...new Set(labels)].filter((l) => l >= 0).sort((a, b) => a - b),
      ...(data.labelNames ? { labelNames: data.labelNames } : {}),
      imageShape: imageShapeOf(model),
      range: valueRange(data.x.data),
    },
    codes: columnStats(codes),
    pca: codes.cols > 2 ? codePca(codes) : null,
    decoder: {
      url: ROUTES.decoderOnnx,
      input: DECODER_IO.input,
      output: DECODER_IO.output,
      maxRows: MAX_DECODE_ROWS,
    },
  };
  return { meta, model, samples: data.x, codes, labels, files };
}

/** A layer-spec model's layers with their type and output shape; a dense model's as stored. */
function metaLayers(model: AutoencoderModel, part: 'encoder' | 'decoder'): MetaLayer[] {
  const layers = partLayers(model.spec, part);
  const spec = model.spec;
  if (!isLayerSpec(spec)) return layers;
  return layers.map((l, i) => ({
    ...l,
    type: spec[part][i].layer.type,
    shape: [...spec[part][i].output],
  }));
}

/**
 * [H, W] of a one-channel layer-spec model's input; else [s, s] when the row width is a square
 * (an image), else null.
 */
function imageShapeOf(model: AutoencoderModel): [number, number] | null {
  const spec = model.spec;
  if (isLayerSpec(spec) && spec.inputShape.length === 3 && spec.inputShape[2] === 1)
    return [spec.inputShape[0], spec.inputShape[1]];
  return squareShape(model.inputDim);
}

/** [s, s] when n is a square of at least 4 (an image), else null. */
export function squareShape(n: number): [number, number] | null {
  const s = Math.round(Math.sqrt(n));
  return s >= 2 && s * s === n ? [s, s] : null;
}

function valueRange(d: Float32Array): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of d) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return hi > lo ? [lo, hi] : [lo, lo + 1];
}

function columnStats(m: Matrix32): { min: number[]; max: number[]; mean: number[] } {
  const min = new Array<number>(m.cols).fill(Infinity);
  const max = new Array<number>(m.cols).fill(-Infinity);
  const mean = new Array<number>(m.cols).fill(0);
  for (let r = 0; r < m.rows; r++) {
    for (let c = 0; c < m.cols; c++) {
      const v = m.data[r * m.cols + c];
      if (v < min[c]) min[c] = v;
      if (v > max[c]) max[c] = v;
      mean[c] += v;
    }
  }
  return { min, max, mean: mean.map((s) => s / m.rows) };
}

/** The top (at most 3) principal axes of the codes. */
export function codePca(codes: Matrix32): MetaPca {
  const { rows: n, cols: d } = codes;
  const mean = new Float64Array(d);
  for (let r = 0; r < n; r++) for (let c = 0; c < d; c++) mean[c] += codes.data[r * d + c] / n;
  const cov = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < d; c++) row[c] = codes.data[r * d + c] - mean[c];
    for (let i = 0; i < d; i++) for (let j = 0; j <= i; j++) cov[i * d + j] += row[i] * row[j];
  }
  for (let i = 0; i < d; i++) for (let j = 0; j <= i; j++) cov[i * d + j] /= Math.max(1, n - 1);
  const { values, vectors } = symmetricEigen(matrix(d, d, cov));
  const total = values.reduce((a, v) => a + Math.max(0, v), 0) || 1;
  const k = Math.min(3, d);
  const components: number[][] = [];
  const explained: number[] = [];
  for (let t = 0; t < k; t++) {
    const i = d - 1 - t;
    const v = Array.from(vectors.data.subarray(i * d, (i + 1) * d));
    const big = v.reduce((b, x) => (Math.abs(x) > Math.abs(b) ? x : b), 0);
    components.push(big < 0 ? v.map((x) => -x) : v);
    explained.push(Math.max(0, values[i]) / total);
  }
  return { mean: Array.from(mean), components, explained };
}
