/**
 * Graphs from checked layer lists (layer-spec.ts): parameter names and shapes in ONNX/PyTorch
 * layouts, Keras-default initial values, and the forward pass of a list in NCHW. Parameters
 * are named `<prefix>.<layer position>.weight|bias`, as torch.nn.Sequential names them, so a
 * spec's encoder and decoder give `encoder.0.weight`, `decoder.3.bias`, ...
 * Layouts: Dense [in, units] (as the dense autoencoder), Conv2D [filters, C, kH, kW] (ONNX
 * Conv, torch.nn.Conv2d), Conv2DTranspose [C, filters, kH, kW] (ONNX ConvTranspose,
 * torch.nn.ConvTranspose2d); biases [units] / [filters].
 */
import { GraphError } from '../errors.js';
import type { Graph } from '../graph/graph.js';
import type { Dim, Tensor } from '../graph/tensor.js';
import type { Rng } from '../util/rng.js';
import { applyActivation } from './activation.js';
import type { LayerShape, ShapedLayer } from './layer-spec.js';

/** A parameter: name, shape and the fans Glorot's limit uses (Keras' receptive-field fans). */
export interface LayerParamInfo {
  name: string;
  shape: number[];
  fanIn: number;
  fanOut: number;
}

/** The parameters of `layers` in order (each layer's weight, then bias). */
export function layerParamInfos(prefix: string, layers: readonly ShapedLayer[]): LayerParamInfo[] {
  const out: LayerParamInfo[] = [];
  layers.forEach(({ layer, input }, i) => {
    const name = `${prefix}.${i}`;
    if (layer.type === 'Dense') {
      const d = input[0];
      out.push({ name: `${name}.weight`, shape: [d, layer.units], fanIn: d, fanOut: layer.units });
      out.push({ name: `${name}.bias`, shape: [layer.units], fanIn: d, fanOut: layer.units });
    } else if (layer.type === 'Conv2D' || layer.type === 'Conv2DTranspose') {
      const c = input[2];
      const [kh, kw] = layer.kernelSize;
      const f = layer.filters;
      const shape = layer.type === 'Conv2D' ? [f, c, kh, kw] : [c, f, kh, kw];
      const fans = { fanIn: c * kh * kw, fanOut: f * kh * kw };
      out.push({ name: `${name}.weight`, shape, ...fans });
      out.push({ name: `${name}.bias`, shape: [f], ...fans });
    }
  });
  return out;
}

/** Keras' defaults: Glorot-uniform kernels (limit sqrt(6 / (fanIn + fanOut))), zero biases. */
export function initLayerParams(infos: readonly LayerParamInfo[], rng: Rng): Float32Array[] {
  return infos.map((p) => {
    const n = p.shape.reduce((a, b) => a * b, 1);
    const v = new Float32Array(n);
    if (p.shape.length === 1) return v;
    const limit = Math.sqrt(6 / (p.fanIn + p.fanOut));
    for (let i = 0; i < n; i++) v[i] = rng.uniform(-limit, limit);
    return v;
  });
}

/** Flat rows [N, H*W*C] as images [N, C, H, W] (channel-major, so C = 1 needs no reordering). */
export function rowsToImages(g: Graph, x: Tensor, shape: LayerShape): Tensor {
  if (shape.length === 1) return x;
  const [h, w, c] = shape;
  return g.reshape(x, [-1, c, h, w], [x.shape[0], c, h, w]);
}

/** Options of `applyLayers`. */
export interface ApplyOptions {
  /**
   * The mask of the Dropout layer at `position` (0 or 1 / (1 - rate), from nn/dropout.ts), fed
   * per step; undefined leaves that layer out, as inference does.
   */
  dropoutMask?: (position: number, shape: readonly Dim[]) => Tensor | undefined;
}

/**
 * The forward pass of `layers` on `x` ([N, units] or [N, C, H, W]); `params` in
 * layerParamInfos order. Returns the output and the last layer's pre-activation (for losses
 * on logits). @throws GraphError when params do not match the layers
 */
export function applyLayers(
  g: Graph,
  x: Tensor,
  layers: readonly ShapedLayer[],
  params: readonly Tensor[],
  { dropoutMask }: ApplyOptions = {},
): { y: Tensor; logits: Tensor } {
  let h = x;
  let logits = x;
  let p = 0;
  const next = (): Tensor => {
    if (p >= params.length) {
      throw new GraphError(`applyLayers: ${params.length} parameters given, the layers need more`);
    }
    return params[p++];
  };
  const n = x.shape[0];
  layers.forEach(({ layer }, i) => {
    switch (layer.type) {
      case 'Dense':
        logits = g.gemm(h, next(), { c: next() });
        h = applyActivation(g, logits, layer.activation);
        return;
      case 'Conv2D':
        logits = g.conv(h, next(), next(), {
          strides: layer.strides,
          autoPad: layer.padding === 'same' ? 'SAME_UPPER' : 'VALID',
        });
        h = applyActivation(g, logits, layer.activation);
        return;
      case 'Conv2DTranspose': {
        const [w, b] = [next(), next()];
        const { strides: s, kernelSize: k } = layer;
        logits =
          layer.padding === 'same'
            ? g.convTranspose(h, w, b, { strides: s, autoPad: 'SAME_UPPER' })
            : g.convTranspose(h, w, b, {
                strides: s,
                outputPadding: [0, 1].map((a) => Math.max(s[a] - k[a], 0)),
              });
        h = applyActivation(g, logits, layer.activation);
        return;
      }
      case 'MaxPooling2D':
        h = g.maxPool(h, {
          kernelShape: layer.poolSize,
          strides: layer.strides,
          autoPad: layer.padding === 'same' ? 'SAME_UPPER' : 'VALID',
        });
        logits = h;
        return;
      case 'UpSampling2D':
        h = g.upsample(h, layer.size);
        logits = h;
        return;
      case 'Reshape': {
        const t = layer.targetShape;
        h =
          t.length === 1
            ? g.reshape(h, [-1, t[0]], [n, t[0]])
            : g.reshape(h, [-1, t[2], t[0], t[1]], [n, t[2], t[0], t[1]]);
        logits = h;
        return;
      }
      case 'Flatten':
        h = g.flatten(h);
        logits = h;
        return;
      case 'Dropout': {
        const mask = dropoutMask?.(i, h.shape);
        if (mask) h = g.dropout(h, mask);
        logits = h;
        return;
      }
    }
  });
  if (p !== params.length) {
    throw new GraphError(`applyLayers: ${params.length} parameters given, the layers use ${p}`);
  }
  return { y: h, logits };
}
