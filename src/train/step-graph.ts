/**
 * The training graph: K optimisation steps in one ONNX model. An ONNX Loop runs the step body
 * (gather the batch, forward, loss, reverse-mode gradients, optimiser update) once per row of
 * `batches`, carrying parameters and optimiser slots from one iteration to the next inside
 * onnxruntime. One `run` call thus trains many batches. Measured here against a one-step graph
 * run once per batch with preallocated outputs (784-50-784, batch 32, 1 thread): 0.40 vs
 * 0.72 ms per step; an empty onnxruntime call alone costs about 0.05 ms.
 *
 * Inputs: `data` [n, d] (the whole scaled training set, fed without copying), `batches`
 * [K, B] int64 row indices, and per-step scalars (e.g. `lr_t` [K]); parameters and slots.
 * A denoising graph also takes `noisy` [K, B, d], each step's corrupted input batch (drawn on
 * the host, nn/noise.ts), while the gathered clean rows stay the target; a spec with Dropout
 * layers takes one fed mask per layer, `mask.<part>.<position>` [K, B, ...layer shape], as
 * nn/dropout.ts draws them (inference graphs leave dropout out). A variational spec's graph
 * takes `eps` [K, B, latentDim], each step's N(0, I) draws for z = μ + σ ⊙ ε (nn/vae.ts), and
 * its loss is the reconstruction summed per example plus β·KL, averaged over the batch.
 * Sparsity penalties (nn/sparsity.ts) are added to the loss of any spec.
 * Small models (several parameter tensors, PACK_LIMIT values at most) carry their state packed:
 * one flat parameter vector and one flat vector per optimiser slot, split into the parameters'
 * shapes for the forward pass and updated by one set of optimiser nodes over the concatenated
 * gradients. The update is elementwise, so the values are those of the per-tensor form, bit for
 * bit (step-graph.test.ts); the step has fewer nodes (the TensorFlow tutorial's conv AE: 132
 * instead of 225), and onnxruntime's per-node cost dominates such small models. The inputs
 * and outputs stay per tensor: the packing happens inside the graph, around the Loop.
 * Outputs: `next.<name>` for every parameter and slot, `term.<name>` [K'] for each of the
 * loss's parts (`recon`, `kl` for a VAE; `penalty` for sparsity), and `losses` [K'] where K' <= K: the
 * loop stops after the first non-finite loss. That step's update is already applied, so the
 * trainer keeps the chunk's input weights and replays the K'-1 good steps (deterministic: same
 * batches, same scalars) to recover the last good weights. Guarding every update with a Where
 * instead would add three passes over every parameter per step, about a quarter of a step's
 * time for the 784-50-784 AE at batch 32 measured here.
 */
import { gradients } from '../graph/autodiff.js';
import { Graph } from '../graph/graph.js';
import { sizeOf, type Tensor } from '../graph/tensor.js';
import { makeModel } from '../onnx/emit.js';
import { ConfigError, GraphError } from '../errors.js';
import type { ApplyOptions } from '../nn/layer-graph.js';
import {
  encoderParams,
  forwardPart,
  inputSize,
  isLayerSpec,
  isVariational,
  latentDim,
  outputActivation,
  partLayers,
  paramInfos,
  paramInputs,
  type NetSpec,
  type ParamInfo,
} from '../nn/autoencoder-spec.js';
import { bceLoss, mseLoss, type LossName } from '../nn/loss.js';
import { activityL1, checkSparsity, klSparsity, type SparsityOptions } from '../nn/sparsity.js';
import { klDivergence, reconstructionSum, reparameterize } from '../nn/vae.js';
import type { Optimizer } from '../optim/optimizer.js';

/** A built training graph and the names of its state tensors. */
export interface TrainGraph {
  bytes: Uint8Array;
  batchSize: number;
  params: ParamInfo[];
  /** Slot input names per parameter, in optimiser slot order: `<param>.<slot>`. */
  slotNames: string[][];
  scalars: readonly string[];
  /** Whether the graph takes the corrupted inputs `noisy` [K, B, d]. */
  noisy: boolean;
  /** The fed dropout masks: input name, per-step shape [B, ...] and rate. */
  masks: { name: string; shape: number[]; rate: number }[];
  /** A VAE's fed noise `eps`: its per-step shape [B, latentDim]; undefined otherwise. */
  eps?: number[];
  /** The loss's parts, output per step as `term.<name>` [K']: `recon`, `kl`, `penalty`. */
  terms: readonly string[];
}

/** Options of `buildTrainGraph` beyond the spec, optimiser, loss and batch size. */
export interface TrainGraphOptions extends SparsityOptions {
  /** The inputs are fed corrupted as `noisy` (see module doc). */
  noisy?: boolean;
  /** A VAE's KL weight β (default 1; ignored for other specs). */
  beta?: number;
  /** Carry the state packed (module doc); default: for at most PACK_LIMIT values. */
  pack?: boolean;
}

/**
 * Whether the Loop carries the state packed (module doc): for models of several parameter
 * tensors and at most PACK_LIMIT values, where onnxruntime's per-node cost outweighs copying.
 */
export const PACK_LIMIT = 65536;
const packState = (infos: readonly ParamInfo[]): boolean =>
  infos.length > 1 && infos.reduce((a, p) => a + sizeOf(p.shape), 0) <= PACK_LIMIT;

/** Output name carrying the per-step values of the loss part `name`. */
export const termName = (name: string): string => `term.${name}`;

/**
 * The training loss of one batch and its parts (see module doc): `eps` is a VAE's noise
 * [B, latentDim]. @throws ConfigError when sparsity is asked of a non-sigmoid code (KL)
 */
export function trainingLoss(
  g: Graph,
  spec: NetSpec,
  x: Tensor,
  params: Tensor[],
  loss: LossName,
  target: Tensor,
  opts: Omit<TrainGraphOptions, 'noisy'> & {
    masks?: (part: 'encoder' | 'decoder') => ApplyOptions;
    eps?: Tensor;
  } = {},
): { loss: Tensor; terms: Record<string, Tensor> } {
  const masks = opts.masks ?? (() => ({}));
  const nEnc = encoderParams(spec).length;
  const enc = forwardPart(g, x, spec, 'encoder', params.slice(0, nEnc), masks('encoder'));
  const sigmoidOut = outputActivation(spec) === 'sigmoid';
  const terms: Record<string, Tensor> = {};
  let total: Tensor;
  if (enc.logvar) {
    if (!opts.eps) throw new GraphError('trainingLoss: a variational spec needs eps');
    const z = reparameterize(g, enc.y, enc.logvar, opts.eps);
    const out = forwardPart(g, z, spec, 'decoder', params.slice(nEnc), masks('decoder'));
    terms.recon = reconstructionSum(
      g,
      loss,
      out.y,
      target,
      'mean',
      loss === 'bce' && sigmoidOut ? out.logits : undefined,
    );
    terms.kl = klDivergence(g, enc.y, enc.logvar, 'mean');
    const beta = opts.beta ?? 1;
    total = g.add(terms.recon, beta === 1 ? terms.kl : g.mul(terms.kl, g.scalar(beta)));
  } else {
    const out = forwardPart(g, enc.y, spec, 'decoder', params.slice(nEnc), masks('decoder'));
    total =
      loss === 'mse'
        ? mseLoss(g, out.y, target)
        : bceLoss(g, out.y, target, sigmoidOut ? out.logits : undefined);
  }
  const sp = checkSparsity(opts);
  if (sp.activityL1 !== undefined || sp.sparsity !== undefined) {
    const parts: Tensor[] = [];
    if (sp.activityL1 !== undefined) parts.push(activityL1(g, enc.y, sp.activityL1));
    if (sp.sparsity !== undefined) {
      const act = partLayers(spec, 'encoder').at(-1)?.activation;
      if (act !== 'sigmoid')
        throw new ConfigError(
          `KL sparsity needs a sigmoid code (mean activations in (0, 1)), but the code activation is ${act}; give code activation sigmoid, or use activityL1`,
        );
      parts.push(klSparsity(g, enc.y, sp.sparsity, sp.sparsityWeight ?? 1));
    }
    terms.penalty = parts.length === 1 ? parts[0] : g.add(parts[0], parts[1]);
    total = g.add(total, terms.penalty);
  }
  return { loss: total, terms };
}

/** Output name carrying the next value of the state input `name`. */
export const nextName = (name: string): string => `next.${name}`;

/** The reconstruction loss of `spec` on batch `x` (logits-based BCE for a sigmoid output). */
export function reconstructionLoss(
  g: Graph,
  spec: NetSpec,
  x: Tensor,
  params: Tensor[],
  loss: LossName,
  target: Tensor = x,
  masks: (part: 'encoder' | 'decoder') => ApplyOptions = () => ({}),
): Tensor {
  const nEnc = encoderParams(spec).length;
  const code = forwardPart(g, x, spec, 'encoder', params.slice(0, nEnc), masks('encoder')).y;
  const out = forwardPart(g, code, spec, 'decoder', params.slice(nEnc), masks('decoder'));
  return loss === 'mse'
    ? mseLoss(g, out.y, target)
    : bceLoss(g, out.y, target, outputActivation(spec) === 'sigmoid' ? out.logits : undefined);
}

/**
 * Builds the K-step training graph for `spec` at a fixed batch size; with `noisy`, the inputs
 * are fed corrupted (see module doc). @throws ConfigError (sparsity settings)
 */
export function buildTrainGraph(
  spec: NetSpec,
  optimizer: Optimizer,
  loss: LossName,
  batchSize: number,
  options: TrainGraphOptions = {},
): TrainGraph {
  const { noisy = false } = options;
  const variational = isVariational(spec);
  const epsShape = variational ? [batchSize, latentDim(spec)] : undefined;
  const infos = paramInfos(spec);
  const slotNames = infos.map((p) => optimizer.slots.map((s) => `${p.name}.${s}`));
  const outerG = new Graph('train');
  const data = outerG.input('data', ['n', inputSize(spec)]);
  const batches = outerG.input('batches', ['steps', batchSize], 'int64');
  const scalarSeq = optimizer.scalars.map((s) => outerG.input(s, ['steps']));
  const noisyIn = noisy ? outerG.input('noisy', ['steps', batchSize, inputSize(spec)]) : undefined;
  const epsIn = epsShape ? outerG.input('eps', ['steps', ...epsShape]) : undefined;
  const params = paramInputs(outerG, infos);
  const slots = slotNames.flatMap((names, i) => names.map((n) => outerG.input(n, infos[i].shape)));

  const body = new Graph('train_step');
  const iter = body.input('iteration', [], 'int64');
  body.input('cond_in', [], 'bool');
  // State carried through the Loop: per tensor, or packed (module doc) as one flat parameter
  // vector and one flat vector per optimiser slot.
  const packed = options.pack ?? packState(infos);
  const sizes = infos.map((p) => sizeOf(p.shape));
  const unpack = (parts: Tensor[]): Tensor[] =>
    parts.map((t, i) => body.reshape(t, infos[i].shape as number[]));
  let bParams: Tensor[];
  let bSlots: Tensor[][];
  const total = sizes.reduce((a, b) => a + b, 0);
  const flatParams = packed ? body.input('params.in', [total]) : undefined;
  if (flatParams) {
    bParams = unpack(body.split1d(flatParams, sizes));
    bSlots = [optimizer.slots.map((sl) => body.input(`slot.${sl}.in`, [total]))];
  } else {
    bParams = infos.map((p) => body.input(`${p.name}.in`, p.shape));
    bSlots = slotNames.map((names, i) => names.map((n) => body.input(`${n}.in`, infos[i].shape)));
  }
  const rows = body.gatherRows(body.outer(batches), iter);
  const x = body.gatherRows(body.outer(data), rows);
  const scalars: Record<string, Tensor> = {};
  optimizer.scalars.forEach(
    (s, i) => (scalars[s] = body.gatherRows(body.outer(scalarSeq[i]), iter)),
  );
  const masks: TrainGraph['masks'] = [];
  const maskOpts = (part: 'encoder' | 'decoder'): ApplyOptions => ({
    dropoutMask: (position, shape) => {
      const layer = isLayerSpec(spec) ? spec[part][position].layer : undefined;
      if (layer?.type !== 'Dropout' || layer.rate === 0) return undefined;
      const dims = shape.map((d, i) => (i === 0 ? batchSize : d));
      if (!dims.every((d): d is number => typeof d === 'number'))
        throw new GraphError(`dropout mask of ${part} layer ${position + 1}: shape is not static`);
      const name = `mask.${part}.${position}`;
      masks.push({ name, shape: dims, rate: layer.rate });
      return body.gatherRows(body.outer(outerG.input(name, ['steps', ...dims])), iter);
    },
  });
  const xIn = noisyIn ? body.gatherRows(body.outer(noisyIn), iter) : x;
  const { loss: l, terms } = trainingLoss(body, spec, xIn, bParams, loss, x, {
    ...options,
    masks: maskOpts,
    ...(epsIn ? { eps: body.gatherRows(body.outer(epsIn), iter) } : {}),
  });
  const termNames = Object.keys(terms);
  const grads = gradients(body, l, bParams);
  // loss - loss is 0 for finite values and NaN for NaN or +-Inf.
  const finite = body.equal(body.sub(l, l), body.scalar(0));
  const bodyOut: Record<string, Tensor> = { cond_out: finite };
  const nextSlots: Record<string, Tensor> = {};
  if (flatParams) {
    const flat = body.concat1d(grads.map((gr, i) => body.reshape(gr, [sizes[i]])));
    const u = optimizer.update(body, flatParams, flat, bSlots[0], scalars);
    bodyOut['params.out'] = u.p;
    u.state.forEach((st, k) => (nextSlots[`slot.${optimizer.slots[k]}.out`] = st));
  } else {
    bParams.forEach((p, i) => {
      const u = optimizer.update(body, p, grads[i], bSlots[i], scalars);
      bodyOut[`${infos[i].name}.out`] = u.p;
      u.state.forEach((st, k) => (nextSlots[`${slotNames[i][k]}.out`] = st));
    });
  }
  // Loop carries parameters then slots, in input order.
  const termOut: Record<string, Tensor> = {};
  for (const t of termNames) termOut[`${t}_out`] = terms[t];
  body.setOutputs({ ...bodyOut, ...nextSlots, loss_out: l, ...termOut });

  const trip = outerG.gatherRows(outerG.shapeOf(batches), outerG.constant([0], [], 'int64'));
  const yes = outerG.constant([1], [], 'bool');
  const flatten = (ts: Tensor[]): Tensor =>
    outerG.concat1d(ts.map((t, i) => outerG.reshape(t, [sizes[i]])));
  const carried = packed
    ? [
        flatten(params),
        ...optimizer.slots.map((_, k) =>
          flatten(slots.filter((_, j) => j % optimizer.slots.length === k)),
        ),
      ]
    : [...params, ...slots];
  const results = outerG.loop(trip, yes, carried, body);
  const outputs: Record<string, Tensor> = {};
  const stateNames = [...infos.map((p) => p.name), ...slotNames.flat()];
  if (packed) {
    const cut = (t: Tensor): Tensor[] =>
      outerG.split1d(t, sizes).map((part, i) => outerG.reshape(part, infos[i].shape as number[]));
    cut(results[0]).forEach((t, i) => (outputs[nextName(infos[i].name)] = t));
    optimizer.slots.forEach((_, k) =>
      cut(results[1 + k]).forEach((t, i) => (outputs[nextName(slotNames[i][k])] = t)),
    );
  } else {
    stateNames.forEach((n, i) => (outputs[nextName(n)] = results[i]));
  }
  const nState = packed ? 1 + optimizer.slots.length : stateNames.length;
  outputs.losses = results[nState];
  termNames.forEach((t, i) => (outputs[termName(t)] = results[nState + 1 + i]));
  outerG.setOutputs(outputs);
  return {
    bytes: makeModel(outerG),
    batchSize,
    params: infos,
    slotNames,
    scalars: optimizer.scalars,
    noisy,
    masks,
    ...(epsShape ? { eps: epsShape } : {}),
    terms: termNames,
  };
}
