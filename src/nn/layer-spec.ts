/**
 * Layer lists for convolutional and mixed autoencoders, written like a Keras Sequential model
 * with tfjs-layers' camelCase option names (`{ "type": "Conv2D", "filters": 16, "kernelSize":
 * 3, "strides": 2, "padding": "same", "activation": "relu" }`). A spec is an input shape and
 * two layer lists, encoder (its output is the code) and decoder (its output must have the
 * input's shape). `parseModelSpec` checks every field and infers every layer's output shape;
 * an error names the list, the layer's position and type, and the fix.
 *
 * Differences from Keras: shapes are written [H, W, C] as Keras' channels_last, but the graph
 * is NCHW as ONNX and PyTorch, so Flatten and Reshape order values channel-major
 * (torch.flatten / nn.Unflatten), not Keras' channel-last order; Conv2DTranspose 'same' is
 * TensorFlow's (output = input x stride, the odd crop at the end), which is not PyTorch's
 * padding=1, output_padding=1 (that crops at the start).
 */
import { ConfigError, ShapeError } from '../errors.js';
import { convOutSize, samePads } from '../graph/conv-shape.js';
import { parseActivation, type Activation } from './activation.js';

/** 'same' (TensorFlow's, odd pad at the end) or 'valid' (no padding). */
export type Padding = 'same' | 'valid';

/** One layer of a spec, with every default filled in. */
export type LayerDef =
  | { type: 'Dense'; units: number; activation: Activation }
  | {
      type: 'Conv2D' | 'Conv2DTranspose';
      filters: number;
      kernelSize: [number, number];
      strides: [number, number];
      padding: Padding;
      activation: Activation;
    }
  | {
      type: 'MaxPooling2D';
      poolSize: [number, number];
      strides: [number, number];
      padding: Padding;
    }
  | { type: 'UpSampling2D'; size: [number, number] }
  | { type: 'Reshape'; targetShape: number[] }
  | { type: 'Flatten' }
  | { type: 'Dropout'; rate: number };

/** The layer types a spec accepts. */
export const LAYER_TYPES = [
  'Dense',
  'Conv2D',
  'Conv2DTranspose',
  'MaxPooling2D',
  'UpSampling2D',
  'Reshape',
  'Flatten',
  'Dropout',
] as const;

/** A per-example shape in Keras order: [units] or [H, W, C]. */
export type LayerShape = readonly number[];

/** A layer with its inferred shapes and parameter count. */
export interface ShapedLayer {
  layer: LayerDef;
  input: LayerShape;
  output: LayerShape;
  params: number;
}

/** A checked autoencoder spec. */
export interface ModelSpec {
  inputShape: number[];
  encoder: ShapedLayer[];
  decoder: ShapedLayer[];
  /** The encoder's output shape (the code). */
  codeShape: number[];
  /** Trainable values in all layers. */
  params: number;
}

const FIELDS: Record<(typeof LAYER_TYPES)[number], string[]> = {
  Dense: ['units', 'activation'],
  Conv2D: ['filters', 'kernelSize', 'strides', 'padding', 'activation'],
  Conv2DTranspose: ['filters', 'kernelSize', 'strides', 'padding', 'activation'],
  MaxPooling2D: ['poolSize', 'strides', 'padding'],
  UpSampling2D: ['size'],
  Reshape: ['targetShape'],
  Flatten: [],
  Dropout: ['rate'],
};

const fmt = (s: LayerShape): string => `[${s.join(', ')}]`;
const size = (s: LayerShape): number => s.reduce((a, b) => a * b, 1);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function posInt(where: string, key: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new ConfigError(`${where}: ${key} must be an integer >= 1, got ${JSON.stringify(v)}`);
  }
  return v;
}

function pairOf(where: string, key: string, v: unknown, dflt: number): [number, number] {
  if (v === undefined) return [dflt, dflt];
  if (typeof v === 'number') return [posInt(where, key, v), v];
  if (Array.isArray(v) && v.length === 2)
    return [posInt(where, key, v[0]), posInt(where, key, v[1])];
  throw new ConfigError(
    `${where}: ${key} must be an integer or two integers, got ${JSON.stringify(v)}`,
  );
}

function required(where: string, key: string, v: unknown): [number, number] {
  if (v === undefined) throw new ConfigError(`${where}: ${key} is required (e.g. ${key}: 3)`);
  return pairOf(where, key, v, 1);
}

function paddingOf(where: string, v: unknown): Padding {
  if (v === undefined) return 'valid';
  if (v !== 'same' && v !== 'valid') {
    throw new ConfigError(`${where}: padding must be 'same' or 'valid', got ${JSON.stringify(v)}`);
  }
  return v;
}

/** Checks one layer object. @throws ConfigError naming `where` */
export function parseLayer(raw: unknown, where: string): LayerDef {
  if (!isRecord(raw))
    throw new ConfigError(`${where}: expected an object with a "type", got ${JSON.stringify(raw)}`);
  const type = raw.type;
  if (typeof type !== 'string' || !(LAYER_TYPES as readonly string[]).includes(type)) {
    throw new ConfigError(
      `${where}: type must be one of ${LAYER_TYPES.join(', ')}, got ${JSON.stringify(type)}`,
    );
  }
  const t = type as (typeof LAYER_TYPES)[number];
  const at = `${where} (${t})`;
  const unknown = Object.keys(raw).filter((k) => k !== 'type' && !FIELDS[t].includes(k));
  if (unknown.length > 0) {
    throw new ConfigError(
      `${at}: unknown field ${JSON.stringify(unknown[0])}; ${t} takes ${FIELDS[t].length ? FIELDS[t].join(', ') : 'no fields'}`,
    );
  }
  const act = (): Activation =>
    raw.activation === undefined ? 'linear' : parseActivation(raw.activation, `${at}: activation`);
  switch (t) {
    case 'Dense':
      return { type: t, units: posInt(at, 'units', raw.units), activation: act() };
    case 'Conv2D':
    case 'Conv2DTranspose':
      return {
        type: t,
        filters: posInt(at, 'filters', raw.filters),
        kernelSize: required(at, 'kernelSize', raw.kernelSize),
        strides: pairOf(at, 'strides', raw.strides, 1),
        padding: paddingOf(at, raw.padding),
        activation: act(),
      };
    case 'MaxPooling2D': {
      const poolSize = pairOf(at, 'poolSize', raw.poolSize, 2);
      const strides = raw.strides === undefined ? poolSize : pairOf(at, 'strides', raw.strides, 1);
      return { type: t, poolSize, strides, padding: paddingOf(at, raw.padding) };
    }
    case 'UpSampling2D':
      return { type: t, size: pairOf(at, 'size', raw.size, 2) };
    case 'Reshape': {
      const s = raw.targetShape;
      if (!Array.isArray(s) || (s.length !== 1 && s.length !== 3)) {
        throw new ConfigError(
          `${at}: targetShape must be [units] or [H, W, C], got ${JSON.stringify(s)}`,
        );
      }
      return { type: t, targetShape: s.map((v) => posInt(at, 'targetShape', v)) };
    }
    case 'Flatten':
      return { type: t };
    case 'Dropout': {
      const r = raw.rate;
      if (typeof r !== 'number' || !(r >= 0 && r < 1)) {
        throw new ConfigError(`${at}: rate must be a number in [0, 1), got ${JSON.stringify(r)}`);
      }
      return { type: t, rate: r };
    }
  }
}

/** The output shape and parameter count of `layer` on `input`. @throws ShapeError naming `where` */
export function inferLayer(
  layer: LayerDef,
  input: LayerShape,
  where: string,
): { output: number[]; params: number } {
  const at = `${where} (${layer.type})`;
  const image = (): [number, number, number] => {
    if (input.length !== 3) {
      throw new ShapeError(
        `${at}: needs an image input [H, W, C], got ${fmt(input)}; add a Reshape before it`,
      );
    }
    return [input[0], input[1], input[2]];
  };
  const checkOut = (out: number[]): number[] => {
    if (!out.every((v) => v >= 1)) {
      throw new ShapeError(
        `${at}: input ${fmt(input)} is too small for the window (output ${fmt(out)})`,
      );
    }
    return out;
  };
  switch (layer.type) {
    case 'Dense':
      if (input.length !== 1) {
        throw new ShapeError(
          `${at}: needs a flat input [units], got ${fmt(input)}; add a Flatten before it`,
        );
      }
      return { output: [layer.units], params: (input[0] + 1) * layer.units };
    case 'Conv2D': {
      const [h, w, c] = image();
      const { kernelSize: k, strides: s, padding } = layer;
      const out = [h, w].map((n, i) => {
        const [pb, pe] = padding === 'same' ? samePads(n, k[i], s[i]) : [0, 0];
        return convOutSize(n, k[i], s[i], pb, pe);
      });
      return {
        output: checkOut([...out, layer.filters]),
        params: (c * k[0] * k[1] + 1) * layer.filters,
      };
    }
    case 'Conv2DTranspose': {
      const [h, w, c] = image();
      const { kernelSize: k, strides: s, padding } = layer;
      // Keras deconv_output_length: n s for same, n s + max(k - s, 0) for valid.
      const out = [h, w].map(
        (n, i) => n * s[i] + (padding === 'same' ? 0 : Math.max(k[i] - s[i], 0)),
      );
      return { output: [...out, layer.filters], params: (c * k[0] * k[1] + 1) * layer.filters };
    }
    case 'MaxPooling2D': {
      const [h, w, c] = image();
      const { poolSize: k, strides: s, padding } = layer;
      const out = [h, w].map((n, i) => {
        const [pb, pe] = padding === 'same' ? samePads(n, k[i], s[i]) : [0, 0];
        return convOutSize(n, k[i], s[i], pb, pe);
      });
      return { output: checkOut([...out, c]), params: 0 };
    }
    case 'UpSampling2D': {
      const [h, w, c] = image();
      return { output: [h * layer.size[0], w * layer.size[1], c], params: 0 };
    }
    case 'Reshape':
      if (size(layer.targetShape) !== size(input)) {
        throw new ShapeError(
          `${at}: cannot reshape ${fmt(input)} (${size(input)} values) to ${fmt(layer.targetShape)} (${size(layer.targetShape)} values)`,
        );
      }
      return { output: [...layer.targetShape], params: 0 };
    case 'Flatten':
      return { output: [size(input)], params: 0 };
    case 'Dropout':
      return { output: [...input], params: 0 };
  }
}

function shapeList(layers: LayerDef[], input: LayerShape, list: string): ShapedLayer[] {
  let shape = input;
  return layers.map((layer, i) => {
    const { output, params } = inferLayer(layer, shape, `${list} layer ${i + 1}`);
    const shaped = { layer, input: shape, output, params };
    shape = output;
    return shaped;
  });
}

/**
 * Parses and shape-checks `{ inputShape, encoder, decoder }` (e.g. read from `--spec model.json`).
 * @throws ConfigError for a malformed field, ShapeError for shapes that do not chain; both name the layer
 */
export function parseModelSpec(raw: unknown, name = 'model spec'): ModelSpec {
  if (!isRecord(raw))
    throw new ConfigError(
      `${name}: expected an object { inputShape, encoder, decoder }, got ${JSON.stringify(raw)}`,
    );
  const extra = Object.keys(raw).filter((k) => !['inputShape', 'encoder', 'decoder'].includes(k));
  if (extra.length > 0) {
    throw new ConfigError(
      `${name}: unknown field ${JSON.stringify(extra[0])}; a spec has inputShape, encoder and decoder`,
    );
  }
  const inputShape = raw.inputShape;
  if (!Array.isArray(inputShape) || (inputShape.length !== 1 && inputShape.length !== 3)) {
    throw new ConfigError(
      `${name}: inputShape must be [units] or [H, W, C], got ${JSON.stringify(inputShape)}`,
    );
  }
  const input = inputShape.map((v) => posInt(`${name}: inputShape`, 'each dimension', v));
  const lists = (['encoder', 'decoder'] as const).map((list) => {
    const v = raw[list];
    if (!Array.isArray(v) || v.length === 0) {
      throw new ConfigError(
        `${name}: ${list} must be a non-empty list of layers, got ${JSON.stringify(v)}`,
      );
    }
    return v.map((l, i) => parseLayer(l, `${name}: ${list} layer ${i + 1}`));
  });
  const encoder = shapeList(lists[0], input, `${name}: encoder`);
  const codeShape = [...encoder[encoder.length - 1].output];
  const decoder = shapeList(lists[1], codeShape, `${name}: decoder`);
  const out = decoder[decoder.length - 1].output;
  if (out.length !== input.length || out.some((d, i) => d !== input[i])) {
    throw new ShapeError(
      `${name}: the decoder ends with ${fmt(out)} but the input is ${fmt(input)}; change the last decoder layer (layer ${decoder.length}, ${decoder[decoder.length - 1].layer.type})`,
    );
  }
  const params = [...encoder, ...decoder].reduce((a, l) => a + l.params, 0);
  return { inputShape: input, encoder, decoder, codeShape, params };
}

/** Parses `28x28x1` (H x W x C) or `784`. @throws ConfigError */
export function parseInputShape(text: string, name = '--input-shape'): number[] {
  const parts = text.trim().split('x');
  const dims = parts.map(Number);
  if (
    (parts.length !== 1 && parts.length !== 3) ||
    !dims.every((d) => Number.isInteger(d) && d >= 1)
  ) {
    throw new ConfigError(
      `${name}: expected HxWxC such as 28x28x1 (or a size such as 784), got '${text}'`,
    );
  }
  return dims;
}

/** Options of `convShorthand`. */
export interface ConvShorthandOptions {
  /** Kernel size of every layer (default 3). */
  kernelSize?: number;
  /** Hidden layers' activation (default relu). */
  activation?: Activation;
  /** The reconstruction's activation (default sigmoid). */
  outputActivation?: Activation;
}

/**
 * The TensorFlow tutorial's family for `--conv 16,8`: a Conv2D per filter count (3x3, stride 2,
 * same, ReLU), Conv2DTranspose layers back in reverse order, and a 3x3 same Conv2D to the
 * input's channels with a sigmoid. Checked like any spec.
 * @throws ConfigError for a bad filter list, ShapeError when the image does not fit
 * @example
 * convShorthand('16,8', [28, 28, 1]).params; // 3217
 */
export function convShorthand(
  filters: string,
  inputShape: number[],
  o: ConvShorthandOptions = {},
): ModelSpec {
  const parts = filters.split(',').map((s) => s.trim());
  const counts = parts.map(Number);
  if (parts.length === 0 || !counts.every((f) => Number.isInteger(f) && f >= 1)) {
    throw new ConfigError(`--conv: expected filter counts such as 16,8, got '${filters}'`);
  }
  if (inputShape.length !== 3) {
    throw new ConfigError(
      `--conv: needs an image input shape HxWxC (--input-shape 28x28x1), got [${inputShape.join(', ')}]`,
    );
  }
  const k = o.kernelSize ?? 3;
  const activation = o.activation ?? 'relu';
  const conv = (
    type: 'Conv2D' | 'Conv2DTranspose',
    f: number,
    s: number,
    act: Activation,
  ): Record<string, unknown> => ({
    type,
    filters: f,
    kernelSize: k,
    strides: s,
    padding: 'same',
    activation: act,
  });
  return parseModelSpec(
    {
      inputShape,
      encoder: counts.map((f) => conv('Conv2D', f, 2, activation)),
      decoder: [
        ...[...counts].reverse().map((f) => conv('Conv2DTranspose', f, 2, activation)),
        conv('Conv2D', inputShape[2], 1, o.outputActivation ?? 'sigmoid'),
      ],
    },
    `--conv ${filters}`,
  );
}

/** One line per layer, Keras `summary()` style: type, output shape, parameters. */
export function describeLayers(spec: ModelSpec): string[] {
  const line = (list: string, l: ShapedLayer, i: number): string => {
    const act =
      'activation' in l.layer && l.layer.activation !== 'linear' ? ` ${l.layer.activation}` : '';
    return `${list} ${i + 1}: ${l.layer.type}${act} -> ${fmt(l.output)}, ${l.params} params`;
  };
  return [
    `input ${fmt(spec.inputShape)}`,
    ...spec.encoder.map((l, i) => line('encoder', l, i)),
    `code ${fmt(spec.codeShape)} (${size(spec.codeShape)} values)`,
    ...spec.decoder.map((l, i) => line('decoder', l, i)),
    `total ${spec.params} params`,
  ];
}
