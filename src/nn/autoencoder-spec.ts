/**
 * Autoencoder architectures as data: a stack of dense encoder layers down to the code and a
 * decoder back to the input size (mirrored or explicit), and the forward graphs built from
 * them. Parameters are graph inputs named `encoder.<i>.weight` / `.bias`, `decoder.<i>...`, so
 * one spec gives the training step, the encoder and the decoder graphs.
 *
 * A model is either such a dense spec or a checked layer spec (layer-spec.ts: convolutional and
 * mixed models); `NetSpec` is the union, and the functions below taking it (sizes, parameters,
 * `forwardPart`) treat both alike. Both take and give flat rows: a layer spec's encoder reshapes
 * a row [H*W*C] to an image [C, H, W] (layer-graph.ts `rowsToImages`, channel-major) and
 * flattens its code the same way; its decoder does the reverse.
 *
 * A dense spec with `variational` is a VAE's (Kingma & Welling, arXiv:1312.6114; the heads as
 * pytorch/examples' vae/main.py fc21/fc22): the last encoder layer gives the mean μ (the
 * code), and a second head of the same size, `encoder.logvar.weight` / `.bias` from the same
 * hidden layer, gives log σ². Both heads are linear. Layer specs have no variational form.
 */
import { ConfigError } from '../errors.js';
import type { Graph } from '../graph/graph.js';
import type { Tensor } from '../graph/tensor.js';
import type { Rng } from '../util/rng.js';
import { applyActivation, parseActivation, type Activation } from './activation.js';
import { glorotUniform } from './init.js';
import { applyLayers, initLayerParams, layerParamInfos, rowsToImages } from './layer-graph.js';
import type { ApplyOptions } from './layer-graph.js';
import type { ModelSpec } from './layer-spec.js';

/** One dense layer: output size and activation. */
export interface LayerSpec {
  units: number;
  activation: Activation;
}

/** An autoencoder: input size, encoder layers (the last is the code), decoder layers (the last has inputDim units). */
export interface AutoencoderSpec {
  inputDim: number;
  encoder: LayerSpec[];
  decoder: LayerSpec[];
  /** A VAE: the encoder also gives log σ² from a second head (see module doc). */
  variational?: boolean;
}

/** A dense spec or a checked layer spec (see module doc). */
export type NetSpec = AutoencoderSpec | ModelSpec;

/** Whether `spec` is a layer spec (layer-spec.ts `parseModelSpec`). */
export function isLayerSpec(spec: NetSpec): spec is ModelSpec {
  return 'inputShape' in spec;
}

/** Whether `spec` is a VAE's (a dense spec with `variational`). */
export function isVariational(spec: NetSpec): boolean {
  return !isLayerSpec(spec) && spec.variational === true;
}

/** A parameter's name and shape ([in, out] kernel or [out] bias; conv kernels have 4 axes). */
export interface ParamInfo {
  name: string;
  shape: number[];
}

const valuesOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Values per input row (H*W*C for an image spec). */
export function inputSize(spec: NetSpec): number {
  return isLayerSpec(spec) ? valuesOf(spec.inputShape) : spec.inputDim;
}

/** Values one row's forward pass produces over every layer's output, input included (sizes the evaluation chunks). */
export function activationValues(spec: NetSpec): number {
  if (!isLayerSpec(spec))
    return spec.inputDim + [...spec.encoder, ...spec.decoder].reduce((a, l) => a + l.units, 0);
  return (
    valuesOf(spec.inputShape) +
    [...spec.encoder, ...spec.decoder].reduce((a, l) => a + valuesOf(l.output), 0)
  );
}

/** Activation values one inference call may produce (2^25 floats, 128 MB). */
const CALL_VALUES = 1 << 25;

/**
 * Rows per onnxruntime call for `spec`, at most `max`: dense stacks get `max`; convolutional ones
 * fewer, since their feature maps (and onnxruntime's im2col buffers) grow with the rows of a
 * call (a 10,000-row evaluation of the TensorFlow tutorial's model peaked at 5.5 GB).
 */
export function rowsPerCall(spec: NetSpec, max: number): number {
  return Math.max(64, Math.min(max, Math.floor(CALL_VALUES / activationValues(spec))));
}

/** The output activation (the last decoder layer's; linear when that layer has none). */
export function outputActivation(spec: NetSpec): Activation {
  const last = spec.decoder[spec.decoder.length - 1];
  if (!isLayerSpec(spec)) return (last as LayerSpec).activation;
  const l = (last as ModelSpec['decoder'][number]).layer;
  return 'activation' in l ? l.activation : 'linear';
}

/** Options of `stackSpec`. */
export interface StackOptions {
  /** Hidden layers' activation (default relu). */
  activation?: Activation;
  /** The code layer's activation (default linear: a ReLU code unit whose input is negative for every row stays 0 for ever). */
  codeActivation?: Activation;
  /** The reconstruction's activation (default sigmoid). */
  outputActivation?: Activation;
  /** Explicit decoder hidden sizes; default mirrors the encoder. */
  decoderLayers?: number[];
  /** A VAE (see module doc): the code layer is μ, with a log σ² head beside it; needs a linear code. */
  variational?: boolean;
}

/**
 * An encoder of the given sizes (the last is the code) with a mirrored decoder.
 * @example stackSpec(784, [128, 64, 12, 3]) // the study's deep AE 784-128-64-12-3-12-64-128-784
 * @throws ConfigError
 */
export function stackSpec(
  inputDim: number,
  layers: number[],
  opts: StackOptions = {},
): AutoencoderSpec {
  if (layers.length === 0) throw new ConfigError('layers must list at least the code size, got []');
  const act = opts.activation ?? 'relu';
  const codeAct = opts.codeActivation ?? 'linear';
  const encoder = layers.map((units, i) => ({
    units,
    activation: i === layers.length - 1 ? codeAct : act,
  }));
  const hidden = opts.decoderLayers ?? layers.slice(0, -1).reverse();
  const decoder = [
    ...hidden.map((units) => ({ units, activation: act })),
    { units: inputDim, activation: opts.outputActivation ?? 'sigmoid' },
  ];
  const spec: AutoencoderSpec = {
    inputDim,
    encoder,
    decoder,
    ...(opts.variational ? { variational: true } : {}),
  };
  validateSpec(spec);
  return spec;
}

/** Checks sizes and activations; returns the spec typed. @throws ConfigError */
export function validateSpec(spec: AutoencoderSpec): AutoencoderSpec {
  const bad = (what: string, v: unknown): never => {
    throw new ConfigError(`${what} must be a positive integer, got ${JSON.stringify(v)}`);
  };
  if (!Number.isInteger(spec.inputDim) || spec.inputDim < 1) bad('inputDim', spec.inputDim);
  if (spec.encoder.length === 0 || spec.decoder.length === 0) {
    throw new ConfigError('an autoencoder needs at least one encoder and one decoder layer');
  }
  [...spec.encoder, ...spec.decoder].forEach((l, i) => {
    if (!Number.isInteger(l.units) || l.units < 1) bad(`layer ${i} units`, l.units);
    parseActivation(l.activation, `layer ${i} activation`);
  });
  const last = spec.decoder[spec.decoder.length - 1].units;
  if (last !== spec.inputDim) {
    throw new ConfigError(
      `the decoder's last layer must have inputDim = ${spec.inputDim} units, got ${last}`,
    );
  }
  if (spec.variational !== undefined && typeof spec.variational !== 'boolean')
    throw new ConfigError(
      `variational must be true or false, got ${JSON.stringify(spec.variational)}`,
    );
  const code = spec.encoder[spec.encoder.length - 1].activation;
  if (spec.variational && code !== 'linear') {
    throw new ConfigError(
      `a variational autoencoder's code layer (the mean μ) must be linear, got ${code}; give code activation linear`,
    );
  }
  return spec;
}

/**
 * Each layer of one part as its output size (values per row) and activation, the dense view
 * that summaries and the explorer show; pooling, reshape and dropout layers count as linear.
 */
export function partLayers(spec: NetSpec, part: 'encoder' | 'decoder'): LayerSpec[] {
  if (!isLayerSpec(spec)) return spec[part].map((l) => ({ ...l }));
  return spec[part].map(({ layer, output }) => ({
    units: valuesOf(output),
    activation: 'activation' in layer ? layer.activation : 'linear',
  }));
}

/** The code size (values per row: 7x7x8 = 392 for a code image). */
export function latentDim(spec: NetSpec): number {
  return isLayerSpec(spec) ? valuesOf(spec.codeShape) : spec.encoder[spec.encoder.length - 1].units;
}

function layerParams(prefix: string, inDim: number, layers: LayerSpec[]): ParamInfo[] {
  const out: ParamInfo[] = [];
  let d = inDim;
  layers.forEach((l, i) => {
    out.push(
      { name: `${prefix}.${i}.weight`, shape: [d, l.units] },
      { name: `${prefix}.${i}.bias`, shape: [l.units] },
    );
    d = l.units;
  });
  return out;
}

/** Encoder parameters in order. */
export function encoderParams(spec: NetSpec): ParamInfo[] {
  if (isLayerSpec(spec)) return layerParamInfos('encoder', spec.encoder);
  const stack = layerParams('encoder', spec.inputDim, spec.encoder);
  if (!spec.variational) return stack;
  const mu = stack[stack.length - 2].shape;
  return [
    ...stack,
    { name: 'encoder.logvar.weight', shape: [...mu] },
    { name: 'encoder.logvar.bias', shape: [mu[1]] },
  ];
}

/** Decoder parameters in order. */
export function decoderParams(spec: NetSpec): ParamInfo[] {
  if (isLayerSpec(spec)) return layerParamInfos('decoder', spec.decoder);
  return layerParams('decoder', latentDim(spec), spec.decoder);
}

/** All parameters: encoder then decoder. */
export function paramInfos(spec: NetSpec): ParamInfo[] {
  return [...encoderParams(spec), ...decoderParams(spec)];
}

/**
 * Fresh parameters: Glorot-uniform kernels (a conv kernel's fans are Keras' receptive-field
 * fans), zero biases (Keras defaults), in `paramInfos` order.
 */
export function initParams(spec: NetSpec, rng: Rng): Float32Array[] {
  if (isLayerSpec(spec)) {
    return initLayerParams(
      [...layerParamInfos('encoder', spec.encoder), ...layerParamInfos('decoder', spec.decoder)],
      rng,
    );
  }
  return paramInfos(spec).map((p) =>
    p.shape.length === 2
      ? glorotUniform(p.shape[0], p.shape[1], rng)
      : new Float32Array(p.shape[0]),
  );
}

/** Dense stack forward; returns the output and the pre-activation of the last layer. */
export function denseStack(
  g: Graph,
  x: Tensor,
  layers: LayerSpec[],
  params: Tensor[],
): { y: Tensor; logits: Tensor } {
  let h = x;
  let logits = x;
  layers.forEach((l, i) => {
    logits = g.gemm(h, params[2 * i], { c: params[2 * i + 1] });
    h = applyActivation(g, logits, l.activation);
  });
  return { y: h, logits };
}

/**
 * The encoder (`part` 'encoder': rows [N, inputSize] -> codes [N, latentDim]) or the decoder
 * ('decoder': codes -> rows) of any spec, flat rows in and out; `params` are that part's, in
 * order. Returns the output and the last layer's pre-activation, both flat; a VAE's encoder
 * gives μ as the output and log σ² as `logvar`.
 */
export function forwardPart(
  g: Graph,
  x: Tensor,
  spec: NetSpec,
  part: 'encoder' | 'decoder',
  params: Tensor[],
  opts: ApplyOptions = {},
): { y: Tensor; logits: Tensor; logvar?: Tensor } {
  if (!isLayerSpec(spec)) {
    if (part === 'decoder' || !spec.variational) return denseStack(g, x, spec[part], params);
    const k = spec.encoder.length - 1;
    const hidden = denseStack(g, x, spec.encoder.slice(0, k), params.slice(0, 2 * k)).y;
    const mu = g.gemm(hidden, params[2 * k], { c: params[2 * k + 1] });
    const logvar = g.gemm(hidden, params[2 * k + 2], { c: params[2 * k + 3] });
    return { y: mu, logits: mu, logvar };
  }
  const layers = spec[part];
  const h = rowsToImages(g, x, layers[0].input);
  const out = applyLayers(g, h, layers, params, opts);
  const flat = (t: Tensor): Tensor => (t.shape.length === 2 ? t : g.flatten(t));
  return { y: flat(out.y), logits: flat(out.logits) };
}

/** Declares the given parameters as graph inputs. */
export function paramInputs(g: Graph, infos: ParamInfo[]): Tensor[] {
  return infos.map((p) => g.input(p.name, p.shape));
}
