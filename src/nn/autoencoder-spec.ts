/**
 * Autoencoder architectures as data: a stack of dense encoder layers down to the code and a
 * decoder back to the input size (mirrored or explicit), and the forward graphs built from
 * them. Parameters are graph inputs named `encoder.<i>.weight` / `.bias`, `decoder.<i>...`, so
 * one spec gives the training step, the encoder and the decoder graphs.
 */
import { ConfigError } from '../errors.js';
import type { Graph } from '../graph/graph.js';
import type { Tensor } from '../graph/tensor.js';
import type { Rng } from '../util/rng.js';
import { applyActivation, parseActivation, type Activation } from './activation.js';
import { glorotUniform } from './init.js';

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
}

/** A parameter's name and shape ([in, out] kernel or [out] bias). */
export interface ParamInfo {
  name: string;
  shape: [number, number] | [number];
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
  const spec = { inputDim, encoder, decoder };
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
  return spec;
}

/** The code size. */
export function latentDim(spec: AutoencoderSpec): number {
  return spec.encoder[spec.encoder.length - 1].units;
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
export function encoderParams(spec: AutoencoderSpec): ParamInfo[] {
  return layerParams('encoder', spec.inputDim, spec.encoder);
}

/** Decoder parameters in order. */
export function decoderParams(spec: AutoencoderSpec): ParamInfo[] {
  return layerParams('decoder', latentDim(spec), spec.decoder);
}

/** All parameters: encoder then decoder. */
export function paramInfos(spec: AutoencoderSpec): ParamInfo[] {
  return [...encoderParams(spec), ...decoderParams(spec)];
}

/** Fresh parameters: Glorot-uniform kernels, zero biases (Keras defaults), in `paramInfos` order. */
export function initParams(spec: AutoencoderSpec, rng: Rng): Float32Array[] {
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

/** Declares the given parameters as graph inputs. */
export function paramInputs(g: Graph, infos: ParamInfo[]): Tensor[] {
  return infos.map((p) => g.input(p.name, p.shape));
}
