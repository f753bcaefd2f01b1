/**
 * The training graph of parametric UMAP (Sainburg, McInnes & Gentner 2021, Neural Computation
 * 33(11), doi:10.1162/neco_a_01434), after umap-learn 0.5's `parametric_umap.umap_loss`: K
 * optimisation steps in one ONNX Loop, as step-graph.ts runs an autoencoder's. Per step, the
 * encoder maps the batch's head rows and tail rows (sampled graph edges, gathered from `data`);
 * each edge is an attractive pair, and each head is also paired with `negativeSampleRate` tails
 * of the same batch as repulsive pairs (umap-learn shuffles the batch's tails the same way). With
 * d the Euclidean distance between the two codes and p = 1 / (1 + a·d^(2b)) the curve of
 * umap-curve.ts, the loss is umap-learn's cross-entropy averaged over all pairs:
 *   attraction −log(clip(p, 1e-4, 1)), repulsion −γ·log(clip(1 − p, 1e-4, 1)),
 * computed as softplus(±z) with z = log a + b·log(d² + 1e-12) (the same values; the 1e-12 keeps
 * the gradient finite when two codes coincide). With a decoder, `reconstructionWeight` times the
 * reconstruction loss of the head rows is added (umap-learn's `autoencoder_loss`).
 *
 * Inputs: `data` [n, d] (scaled rows), `heads` and `tails` [K, B] int64 row indices,
 * `negatives` [K, B·r·c] int64 (flat indices into the batch's tail codes [B, c], r negatives
 * per head, c code values), the optimiser's per-step scalars [K], then parameters and slots.
 * Outputs: `next.<name>` for every parameter and slot, and `losses` [K'] (K' < K after a
 * non-finite loss, as step-graph.ts).
 */
import { gradients } from '../graph/autodiff.js';
import { Graph } from '../graph/graph.js';
import type { Tensor } from '../graph/tensor.js';
import { makeModel } from '../onnx/emit.js';
import {
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
import { bceLoss, mseLoss, type LossName } from '../nn/loss.js';
import type { Optimizer } from '../optim/optimizer.js';
import { nextName } from './step-graph.js';

/** umap-learn's clip of probabilities in the cross-entropy. */
export const UMAP_LOSS_EPS = 1e-4;
/** Added to d² before its power, so that coinciding codes keep a finite gradient. */
const DIST_EPS = 1e-12;

/** The terms of the UMAP loss. */
export interface UmapLossTerms {
  /** The fitted curve 1 / (1 + a·d^(2b)). */
  a: number;
  b: number;
  /** Weight of the repulsive terms (umap-learn's repulsion_strength, default 1). */
  repulsionStrength: number;
  /** Negative pairs per edge. */
  negativeSampleRate: number;
}

/**
 * umap-learn's UMAP cross-entropy (module doc) of one batch: `heads`, `tails` [B, c] codes of the
 * edges' ends; `negatives` [B·r·c] int64 flat indices into `tails`, giving negative row j's
 * partner for head ⌊j / r⌋. A scalar: the mean over the B·(1 + r) pairs.
 */
export function umapLoss(
  g: Graph,
  heads: Tensor,
  tails: Tensor,
  negatives: Tensor,
  batchSize: number,
  codeDim: number,
  t: UmapLossTerms,
): Tensor {
  const r = t.negativeSampleRate;
  const logit = (x: Tensor, y: Tensor): Tensor => {
    const diff = g.sub(x, y);
    const d2 = g.reduceSum(g.mul(diff, diff), [1], false);
    const z = g.mul(g.log(g.add(d2, g.scalar(DIST_EPS))), g.scalar(t.b));
    return g.add(z, g.scalar(Math.log(t.a)));
  };
  const cap = -Math.log(UMAP_LOSS_EPS);
  const attraction = g.reduceSum(g.clip(g.softplus(logit(heads, tails)), 0, cap), [], false);
  let sum = attraction;
  if (r > 0) {
    const m = batchSize * r;
    // Head ⌊j / r⌋ repeated for each of its negatives, as flat indices into heads [B, c].
    const rep = Array.from(
      { length: m * codeDim },
      (_, i) => Math.floor(i / (r * codeDim)) * codeDim + (i % codeDim),
    );
    const flatHeads = g.reshape(heads, [batchSize * codeDim]);
    const flatTails = g.reshape(tails, [batchSize * codeDim]);
    const negHeads = g.reshape(
      g.gatherElements(flatHeads, g.constant(rep, [m * codeDim], 'int64')),
      [m, codeDim],
    );
    const negTails = g.reshape(g.gatherElements(flatTails, negatives), [m, codeDim]);
    const z = logit(negHeads, negTails);
    const repulsion = g.reduceSum(g.clip(g.softplus(g.neg(z)), 0, cap), [], false);
    sum = g.add(attraction, g.mul(repulsion, g.scalar(t.repulsionStrength)));
  }
  return g.mul(sum, g.scalar(1 / (batchSize * (1 + r))));
}

/** The reconstruction term with a decoder: its loss and weight. */
export interface PumapReconstruction {
  loss: LossName;
  weight: number;
}

/** A built parametric UMAP training graph and the names of its state tensors. */
export interface PumapTrainGraph {
  bytes: Uint8Array;
  batchSize: number;
  /** Parameters trained: the encoder's, then the decoder's with a reconstruction term. */
  params: ParamInfo[];
  slotNames: string[][];
  scalars: readonly string[];
}

/**
 * Builds the K-step graph (module doc) for `spec`'s encoder, and its decoder when
 * `reconstruction` is given.
 */
export function buildPumapGraph(
  spec: NetSpec,
  optimizer: Optimizer,
  batchSize: number,
  terms: UmapLossTerms,
  reconstruction?: PumapReconstruction,
): PumapTrainGraph {
  const infos = reconstruction ? paramInfos(spec) : encoderParams(spec);
  const nEnc = encoderParams(spec).length;
  const codeDim = latentDim(spec);
  const m = batchSize * terms.negativeSampleRate * codeDim;
  const slotNames = infos.map((p) => optimizer.slots.map((s) => `${p.name}.${s}`));
  const outerG = new Graph('pumap_train');
  const data = outerG.input('data', ['n', inputSize(spec)]);
  const heads = outerG.input('heads', ['steps', batchSize], 'int64');
  const tails = outerG.input('tails', ['steps', batchSize], 'int64');
  const negatives = outerG.input('negatives', ['steps', m], 'int64');
  const scalarSeq = optimizer.scalars.map((s) => outerG.input(s, ['steps']));
  const params = paramInputs(outerG, infos);
  const slots = slotNames.flatMap((names, i) => names.map((n) => outerG.input(n, infos[i].shape)));

  const body = new Graph('pumap_step');
  const iter = body.input('iteration', [], 'int64');
  body.input('cond_in', [], 'bool');
  const bParams = infos.map((p) => body.input(`${p.name}.in`, p.shape));
  const bSlots = slotNames.map((names, i) =>
    names.map((n) => body.input(`${n}.in`, infos[i].shape)),
  );
  const step = (t: Tensor): Tensor => body.gatherRows(body.outer(t), iter);
  const rows = body.outer(data);
  const xh = body.gatherRows(rows, step(heads));
  const xt = body.gatherRows(rows, step(tails));
  const enc = bParams.slice(0, nEnc);
  const eh = forwardPart(body, xh, spec, 'encoder', enc).y;
  const et = forwardPart(body, xt, spec, 'encoder', enc).y;
  let l = umapLoss(body, eh, et, step(negatives), batchSize, codeDim, terms);
  if (reconstruction) {
    const out = forwardPart(body, eh, spec, 'decoder', bParams.slice(nEnc));
    const rec =
      reconstruction.loss === 'mse'
        ? mseLoss(body, out.y, xh)
        : bceLoss(body, out.y, xh, outputActivation(spec) === 'sigmoid' ? out.logits : undefined);
    l = body.add(l, body.mul(rec, body.scalar(reconstruction.weight)));
  }
  const scalars: Record<string, Tensor> = {};
  optimizer.scalars.forEach((s, i) => (scalars[s] = step(scalarSeq[i])));
  const grads = gradients(body, l, bParams);
  // loss - loss is 0 for finite values and NaN for NaN or +-Inf.
  const finite = body.equal(body.sub(l, l), body.scalar(0));
  const bodyOut: Record<string, Tensor> = { cond_out: finite };
  const nextSlots: Record<string, Tensor> = {};
  bParams.forEach((p, i) => {
    const u = optimizer.update(body, p, grads[i], bSlots[i], scalars);
    bodyOut[`${infos[i].name}.out`] = u.p;
    u.state.forEach((s, k) => (nextSlots[`${slotNames[i][k]}.out`] = s));
  });
  body.setOutputs({ ...bodyOut, ...nextSlots, loss_out: l });

  const trip = outerG.gatherRows(outerG.shapeOf(heads), outerG.constant([0], [], 'int64'));
  const results = outerG.loop(trip, outerG.constant([1], [], 'bool'), [...params, ...slots], body);
  const outputs: Record<string, Tensor> = {};
  const stateNames = [...infos.map((p) => p.name), ...slotNames.flat()];
  stateNames.forEach((n, i) => (outputs[nextName(n)] = results[i]));
  outputs.losses = results[stateNames.length];
  outerG.setOutputs(outputs);
  return {
    bytes: makeModel(outerG),
    batchSize,
    params: infos,
    slotNames,
    scalars: optimizer.scalars,
  };
}
