/**
 * The plain inference graphs saved with a model, runnable by any ONNX runtime:
 *
 * - encoder.onnx: input `input` [batch, inputDim] in the user's data units -> output `code`
 *   [batch, latentDim]. The fitted scaling is the graph's first step ((x - offset) / divisor).
 *   A VAE's encoder gives its mean μ as `code` and log σ² as a second output `logvar`
 *   [batch, latentDim].
 * - decoder.onnx: input `code` [batch, latentDim] -> output `output` [batch, inputDim] in the
 *   user's data units (the scaling inverted as the last step).
 *
 * Convolutional models take and give the same flat rows: the graphs reshape a row to an image
 * [C, H, W] inside (channel-major; for one channel, the row-major pixels) and flatten the code
 * image [C, H, W] to latentDim = C*H*W values, so every consumer of the files is unchanged.
 *
 * Weights are initializers named as the parameters (`encoder.0.weight`, ...), which is how
 * a saved model's weights are read back. The evaluation graph instead takes the parameters
 * as inputs, so one session serves every epoch.
 */
import { Graph } from '../graph/graph.js';
import type { Tensor } from '../graph/tensor.js';
import { makeModel } from '../onnx/emit.js';
import { bceLoss, type LossName } from '../nn/loss.js';
import { klDivergence, reconstructionSum, reparameterize } from '../nn/vae.js';
import { scalingAffine, type Scaling } from '../data/scaling.js';
import {
  decoderParams,
  encoderParams,
  forwardPart,
  inputSize,
  latentDim,
  outputActivation,
  paramInfos,
  paramInputs,
  type NetSpec,
  type ParamInfo,
} from '../nn/autoencoder-spec.js';

/** Input and output names of the saved graphs. */
export const ENCODER_IO = { input: 'input', output: 'code' } as const;
/** A VAE encoder's second output: log σ² [batch, latentDim]. */
export const LOGVAR_OUTPUT = 'logvar';
export const DECODER_IO = { input: 'code', output: 'output' } as const;

function weightConstants(g: Graph, infos: ParamInfo[], values: Float32Array[]): Tensor[] {
  return infos.map((p, i) => g.constant(values[i], p.shape, 'float32', p.name));
}

function isIdentity(s: Scaling): boolean {
  return s.kind === 'none';
}

/** ONNX bytes of the encoder with the scaling folded in. `params` in paramInfos order. */
export function encoderModel(spec: NetSpec, params: Float32Array[], scaling: Scaling): Uint8Array {
  const g = new Graph('encoder');
  const d = inputSize(spec);
  let x = g.input(ENCODER_IO.input, ['batch', d]);
  if (!isIdentity(scaling)) {
    const { off, div } = scalingAffine(scaling, d, 'encoder');
    x = g.div(g.sub(x, g.constant(off, [d])), g.constant(div, [d]));
  }
  const infos = encoderParams(spec);
  const weights = weightConstants(g, infos, params.slice(0, infos.length));
  const enc = forwardPart(g, x, spec, 'encoder', weights);
  g.setOutputs({
    [ENCODER_IO.output]: enc.y,
    ...(enc.logvar ? { [LOGVAR_OUTPUT]: enc.logvar } : {}),
  });
  const k = latentDim(spec);
  const extra = enc.logvar ? `, ${LOGVAR_OUTPUT} [batch, ${k}]` : '';
  return makeModel(g, {
    docString: `aedr encoder: ${ENCODER_IO.input} [batch, ${d}] -> ${ENCODER_IO.output} [batch, ${k}]${extra}`,
  });
}

/** ONNX bytes of the decoder with the inverse scaling folded in. `params` in paramInfos order. */
export function decoderModel(spec: NetSpec, params: Float32Array[], scaling: Scaling): Uint8Array {
  const g = new Graph('decoder');
  const d = inputSize(spec);
  const z = g.input(DECODER_IO.input, ['batch', latentDim(spec)]);
  const infos = decoderParams(spec);
  const weights = weightConstants(g, infos, params.slice(params.length - infos.length));
  let y = forwardPart(g, z, spec, 'decoder', weights).y;
  if (!isIdentity(scaling)) {
    const { off, div } = scalingAffine(scaling, d, 'decoder');
    y = g.add(g.mul(y, g.constant(div, [d])), g.constant(off, [d]));
  }
  g.setOutputs({ [DECODER_IO.output]: y });
  return makeModel(g, {
    docString: `aedr decoder: ${DECODER_IO.input} [batch, ${latentDim(spec)}] -> ${DECODER_IO.output} [batch, ${d}]`,
  });
}

/**
 * Evaluation graph: `data` [n, inputDim] (scaled) and the parameters -> `sse`, the summed squared
 * reconstruction error, and with `bce`, also `bce`: the mean binary cross-entropy (nn/loss.ts).
 * With `target`, the error is measured against the input `target` [n, inputDim] instead of
 * `data` (a denoising AE fed corrupted `data`). With `codeSum`, also `code_sum`: the sum over
 * rows of each row's mean code value. A VAE's graph (`sse` through μ) also takes `eps`
 * [n, latentDim] and gives `recon_sum` and `kl_sum`, the reconstruction loss (`recon`: BCE or
 * squared error) at z = μ + σ ⊙ ε and the KL, each summed over values and rows (nn/vae.ts),
 * unless `sampled` is false.
 */
export function evalModel(
  spec: NetSpec,
  opts: {
    bce?: boolean;
    target?: boolean;
    codeSum?: boolean;
    recon?: LossName;
    sampled?: boolean;
  } = {},
): Uint8Array {
  const g = new Graph('evaluate');
  const input = g.input('data', ['n', inputSize(spec)]);
  const x = opts.target ? g.input('target', ['n', inputSize(spec)]) : input;
  const params = paramInputs(g, paramInfos(spec));
  const nEnc = encoderParams(spec).length;
  const enc = forwardPart(g, input, spec, 'encoder', params.slice(0, nEnc));
  const code = enc.y;
  const out = forwardPart(g, code, spec, 'decoder', params.slice(nEnc));
  const d = g.sub(out.y, x);
  const sse = g.reduceSum(g.mul(d, d), [], false);
  const sigmoid = outputActivation(spec) === 'sigmoid';
  const outputs: Record<string, Tensor> = { sse };
  if (opts.bce) outputs.bce = bceLoss(g, out.y, x, sigmoid ? out.logits : undefined);
  if (opts.codeSum) outputs.code_sum = g.reduceSum(g.reduceMean(code, [1], false), [], false);
  if (enc.logvar && opts.sampled !== false) {
    const eps = g.input('eps', ['n', latentDim(spec)]);
    const z = reparameterize(g, code, enc.logvar, eps);
    const sampled = forwardPart(g, z, spec, 'decoder', params.slice(nEnc));
    const loss = opts.recon ?? 'mse';
    const logits = loss === 'bce' && sigmoid ? sampled.logits : undefined;
    outputs.recon_sum = reconstructionSum(g, loss, sampled.y, x, 'sum', logits);
    outputs.kl_sum = klDivergence(g, code, enc.logvar, 'sum');
  }
  g.setOutputs(outputs);
  return makeModel(g);
}
