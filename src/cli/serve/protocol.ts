/**
 * The explorer's HTTP contract, shared by the Node server (src/cli/serve) and the page
 * (src/web, which imports only these types and constants, and report/palette.ts). Binary payloads are little-endian
 * typed arrays so the page wraps the response bytes without parsing:
 *
 *   GET  /api/meta          ExplorerMeta (JSON)
 *   GET  /api/codes         Float32 [count, latentDim], row-major
 *   GET  /api/labels        Int32 [count]; -1 when the data set has no labels
 *   GET  /api/image/:i      Float32 [inputDim], sample i in data units
 *   GET  /api/map/:method   Float32 [count, 2], the samples mapped by pca, umap, pumap or tsne
 *                           (computed on the first request, then cached; the AE's map is /api/codes)
 *   POST /api/decode        body {"codes": number[][]} -> Float32 [rows, inputDim] (data units)
 *   GET  /model/decoder.onnx, /model/model.json   the served model's own files
 *
 * Errors are `{ "error": "..." }` with a 4xx/5xx status. Nothing here may import Node modules.
 */
import type { EpochRecord } from '../../train/model.js';

/** Path prefixes and fixed routes. */
export const ROUTES = {
  meta: '/api/meta',
  codes: '/api/codes',
  labels: '/api/labels',
  image: '/api/image/',
  map: '/api/map/',
  decode: '/api/decode',
  decoderOnnx: '/model/decoder.onnx',
  modelJson: '/model/model.json',
} as const;

/** The methods of GET /api/map/:method, besides the model's own codes. */
export const MAP_METHODS = ['pca', 'umap', 'pumap', 'tsne'] as const;
/** One of MAP_METHODS. */
export type MapMethod = (typeof MAP_METHODS)[number];

/** Most rows one POST /api/decode may ask for. */
export const MAX_DECODE_ROWS = 64;

/** Largest accepted request body in bytes; larger ones get 413. */
export const MAX_BODY_BYTES = 64 * 1024;

/** One layer as model.json stores it; layers of a layer spec add their type and output shape. */
export interface MetaLayer {
  units: number;
  activation: string;
  /** Keras layer type (Conv2D, Conv2DTranspose, Dense, ...), for a layer-spec model. */
  type?: string;
  /** Per-example output shape in Keras order ([H, W, C] for an image), for a layer-spec model. */
  shape?: number[];
}

/** One epoch of model.json's history: the trainer's record type (a type import, erased in the page's bundle). */
export type MetaEpoch = EpochRecord;

/** A linear view of the codes, `coords = components · (code - mean)`. */
export interface MetaPca {
  mean: number[];
  /** Principal axes as rows, largest variance first (at most 3). */
  components: number[][];
  /** Fraction of the codes' total variance along each component. */
  explained: number[];
}

/** Everything the page needs besides the binary arrays. */
export interface ExplorerMeta {
  model: {
    /** The model folder as given on the command line. */
    dir: string;
    inputDim: number;
    /** [H, W, C] of a layer-spec (convolutional) model's input; rows hold the values channel-major. */
    inputShape?: number[];
    latentDim: number;
    /** A VAE: the codes are the means μ, and the page offers samples from the prior N(0, I). */
    variational?: boolean;
    encoder: MetaLayer[];
    decoder: MetaLayer[];
    scaling: string;
    history: MetaEpoch[];
    training?: {
      epochs: number;
      batchSize: number;
      loss: string;
      optimizer: unknown;
      trainSize: number;
      testSize?: number;
      data?: string;
    };
    savedAt: string;
  };
  data: {
    /** Where the served samples came from, e.g. `mnist:test`. */
    source: string;
    count: number;
    hasLabels: boolean;
    /** The distinct labels present, ascending (empty without labels). */
    classes: number[];
    /** Names per label value when the labels were text. */
    labelNames?: string[];
    /** [height, width] when a sample is a square image, else null (drawn as a profile). */
    imageShape: [number, number] | null;
    /** Smallest and largest value over the served samples: the display range. */
    range: [number, number];
  };
  codes: {
    min: number[];
    max: number[];
    mean: number[];
  };
  /** PCA of the codes when latentDim > 2, else null. */
  pca: MetaPca | null;
  decoder: { url: string; input: string; output: string; maxRows: number };
}
