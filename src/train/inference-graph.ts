/**
 * The plain inference graphs saved with a model, runnable by any ONNX runtime:
 *
 * - encoder.onnx: input `input` [batch, inputDim] in the user's data units -> output `code`
 *   [batch, latentDim]. The fitted scaling is the graph's first step ((x - offset) / divisor).
 * - decoder.onnx: input `code` [batch, latentDim] -> output `output` [batch, inputDim] in the
 *   user's data units (the scaling inverted as the last step).
 *
 * Weights are initializers named as the parameters (`encoder.0.weight`, ...), which is how
 * a saved model's weights are read back. The evaluation graph instead takes the parameters
 * as inputs, so one session serves every epoch.
 */
import { Graph } from '../graph/graph.js';
import type { Tensor } from '../graph/tensor.js';
import { makeModel } from '../onnx/emit.js';
import { bceLoss } from '../nn/loss.js';
import { scalingAffine, type Scaling } from '../data/scaling.js';
import {
  decoderParams,
  denseStack,
  encoderParams,
  latentDim,
  paramInfos,
  paramInputs,
  type AutoencoderSpec,
  type ParamInfo,
} from '../nn/autoencoder-spec.js';

/** Input and output names of the saved graphs. */
export const ENCODER_IO = { input: 'input', output: 'code' } as const;
export const DECODER_IO = { input: 'code', output: 'output' } as const;

function weightConstants(g: Graph, infos: ParamInfo[], values: Float32Array[]): Tensor[] {
  return infos.map((p, i) => g.constant(values[i], p.shape, 'float32', p.name));
}

function isIdentity(s: Scaling): boolean {
  return s.kind === 'none';
}

/** ONNX bytes of the encoder with the scaling folded in. `params` in paramInfos order. */
export function encoderModel(
  spec: AutoencoderSpec,
  params: Float32Array[],
  scaling: Scaling,
): Uint8Array {
  const g = new Graph('encoder');
  let x = g.input(ENCODER_IO.input, ['batch', spec.inputDim]);
  if (!isIdentity(scaling)) {
    const { off, div } = scalingAffine(scaling, spec.inputDim, 'encoder');
    x = g.div(g.sub(x, g.constant(off, [spec.inputDim])), g.constant(div, [spec.inputDim]));
  }
  const infos = encoderParams(spec);
  const code = denseStack(
    g,
    x,
    spec.encoder,
    weightConstants(g, infos, params.slice(0, infos.length)),
  ).y;
  g.setOutputs({ [ENCODER_IO.output]: code });
  return makeModel(g, {
    docString: `aedr encoder: ${ENCODER_IO.input} [batch, ${spec.inputDim}] -> ${ENCODER_IO.output} [batch, ${latentDim(spec)}]`,
  });
}

/** ONNX bytes of the decoder with the inverse scaling folded in. `params` in paramInfos order. */
export function decoderModel(
  spec: AutoencoderSpec,
  params: Float32Array[],
  scaling: Scaling,
): Uint8Array {
  const g = new Graph('decoder');
  const z = g.input(DECODER_IO.input, ['batch', latentDim(spec)]);
  const infos = decoderParams(spec);
  let y = denseStack(
    g,
    z,
    spec.decoder,
    weightConstants(g, infos, params.slice(params.length - infos.length)),
  ).y;
  if (!isIdentity(scaling)) {
    const { off, div } = scalingAffine(scaling, spec.inputDim, 'decoder');
    y = g.add(g.mul(y, g.constant(div, [spec.inputDim])), g.constant(off, [spec.inputDim]));
  }
  g.setOutputs({ [DECODER_IO.output]: y });
  return makeModel(g, {
    docString: `aedr decoder: ${DECODER_IO.input} [batch, ${latentDim(spec)}] -> ${DECODER_IO.output} [batch, ${spec.inputDim}]`,
  });
}

/**
 * Evaluation graph: `data` [n, inputDim] (scaled) and the parameters -> `sse`, the summed squared
 * reconstruction error, and with `bce`, also `bce`: the mean binary cross-entropy (nn/loss.ts).
 */
export function evalModel(spec: AutoencoderSpec, opts: { bce?: boolean } = {}): Uint8Array {
  const g = new Graph('evaluate');
  const x = g.input('data', ['n', spec.inputDim]);
  const params = paramInputs(g, paramInfos(spec));
  const nEnc = spec.encoder.length * 2;
  const code = denseStack(g, x, spec.encoder, params.slice(0, nEnc)).y;
  const out = denseStack(g, code, spec.decoder, params.slice(nEnc));
  const d = g.sub(out.y, x);
  const sse = g.reduceSum(g.mul(d, d), [], false);
  if (!opts.bce) {
    g.setOutputs({ sse });
  } else {
    const sigmoid = spec.decoder[spec.decoder.length - 1].activation === 'sigmoid';
    g.setOutputs({ sse, bce: bceLoss(g, out.y, x, sigmoid ? out.logits : undefined) });
  }
  return makeModel(g);
}
