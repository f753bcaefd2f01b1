/**
 * UMAP's stochastic gradient layout (McInnes, Healy & Melville 2018, arXiv:1802.03426, §3.2),
 * after umap-learn 0.5's `make_epochs_per_sample` and `optimize_layout_euclidean`: each edge is
 * sampled every max(w)/w epochs; a sample pulls its two ends together with the attractive
 * gradient −2ab·d^(2(b−1)) / (1 + a·d^(2b)) and pushes the head from `negativeSampleRate`
 * uniformly drawn vertices per sample with 2γb / ((0.001 + d²)(1 + a·d^(2b))), every coordinate
 * step clipped to ±4, the learning rate decaying linearly to 0 over the epochs. The edges are
 * visited in order, one at a time (umap-learn's single-threaded order), so a seed fixes the
 * result. Negative samples come from umap-learn's Tausworthe generator (`tau_rand_int`), its
 * three words seeded from util/rng.ts: a draw per negative sample at a few nanoseconds. The
 * power d^(2b) comes from umap-pow.ts's table (1e-7 relative; numba's pow in umap-learn), the
 * one transcendental per sample and most of a sample's time with Math.pow.
 */
import { Rng } from '../util/rng.js';
import { powTable } from './umap-pow.js';

/** How often each edge is sampled: nEpochs / (nEpochs · w / max w) epochs, −1 for w = 0. */
export function makeEpochsPerSample(weights: Float64Array, nEpochs: number): Float64Array {
  let max = 0;
  for (const w of weights) max = Math.max(max, w);
  const out = new Float64Array(weights.length);
  for (let e = 0; e < weights.length; e++) {
    const samples = (nEpochs * weights[e]) / max;
    out[e] = samples > 0 ? nEpochs / samples : -1;
  }
  return out;
}

/** The SGD settings of one layout run. */
export interface LayoutOptions {
  /** Embedding dimensions. */
  dim: number;
  nEpochs: number;
  /** Curve parameters (umap-curve.ts). */
  a: number;
  b: number;
  /** Weight of the negative samples (umap-learn's repulsion_strength); 1. */
  gamma: number;
  /** Learning rate at epoch 0. */
  initialAlpha: number;
  negativeSampleRate: number;
  /** Move the tail end of each edge too (fit); false in transform (tail = training embedding). */
  moveOther: boolean;
  seed: number;
}

/**
 * Optimises `head` (rows x dim, row-major) in place over the edges (edgeHead[e] → edgeTail[e]);
 * negative samples are drawn among the `tail` rows. In fit, head and tail are the same array.
 */
export function optimizeLayout(
  head: Float64Array,
  tail: Float64Array,
  edgeHead: Int32Array,
  edgeTail: Int32Array,
  epochsPerSample: Float64Array,
  opts: LayoutOptions,
): void {
  const { dim, nEpochs, negativeSampleRate } = opts;
  const nEdges = edgeHead.length;
  const perNegative = new Float64Array(nEdges);
  const nextNegative = new Float64Array(nEdges);
  const nextSample = Float64Array.from(epochsPerSample);
  for (let e = 0; e < nEdges; e++) {
    perNegative[e] = epochsPerSample[e] / negativeSampleRate;
    nextNegative[e] = perNegative[e];
  }
  // Tausworthe words: L'Ecuyer's conditions (s0 > 1, s1 > 7, s2 > 15) met by setting bit 8.
  const rng = new Rng(opts.seed, 77);
  const taus = Uint32Array.of(rng.nextU32() | 0x100, rng.nextU32() | 0x100, rng.nextU32() | 0x100);
  const sched: Schedule = {
    epochsPerSample,
    nextSample,
    perNegative,
    nextNegative,
    taus,
    pow: powTable(opts.b),
  };
  const epoch = dim === 2 ? epoch2 : epochAny;
  for (let n = 0; n < nEpochs; n++) {
    // umap-learn updates alpha after each epoch: epochs 0 and 1 both run at the initial rate.
    const alpha = opts.initialAlpha * (1 - Math.max(0, n - 1) / nEpochs);
    epoch(head, tail, edgeHead, edgeTail, sched, opts, n, alpha);
  }
}

/** Per-edge sampling clocks and the generator's words, carried across epochs. */
interface Schedule {
  epochsPerSample: Float64Array;
  nextSample: Float64Array;
  perNegative: Float64Array;
  nextNegative: Float64Array;
  taus: Uint32Array;
  /** x ↦ x^b (umap-pow.ts). */
  pow: (x: number) => number;
}

/** One epoch in any dimension. */
function epochAny(
  head: Float64Array,
  tail: Float64Array,
  edgeHead: Int32Array,
  edgeTail: Int32Array,
  sched: Schedule,
  opts: LayoutOptions,
  epoch: number,
  alpha: number,
): void {
  const { dim, a, b, gamma, moveOther } = opts;
  const { epochsPerSample, nextSample, perNegative, nextNegative, taus, pow } = sched;
  const nVertices = tail.length / dim;
  const nEdges = edgeHead.length;
  let s0 = taus[0];
  let s1 = taus[1];
  let s2 = taus[2];
  const twoAB = 2 * a * b;
  const twoGB = 2 * gamma * b;
  for (let e = 0; e < nEdges; e++) {
    if (nextSample[e] > epoch) continue;
    const j = edgeHead[e];
    const k = edgeTail[e];
    const cj = j * dim;
    let ck = k * dim;
    let d2 = 0;
    for (let d = 0; d < dim; d++) {
      const t = head[cj + d] - tail[ck + d];
      d2 += t * t;
    }
    if (d2 > 0) {
      // pow(d², b − 1) as pow(d², b) / d²: one power per sample, from the table.
      const pb = pow(d2);
      const coeff = (-twoAB * pb) / d2 / (a * pb + 1);
      for (let d = 0; d < dim; d++) {
        let g = coeff * (head[cj + d] - tail[ck + d]);
        g = g > 4 ? 4 : g < -4 ? -4 : g;
        head[cj + d] += g * alpha;
        if (moveOther) tail[ck + d] -= g * alpha;
      }
    }
    nextSample[e] += epochsPerSample[e];
    const nNeg = Math.trunc((epoch - nextNegative[e]) / perNegative[e]);
    for (let p = 0; p < nNeg; p++) {
      s0 = (((s0 & 0xfffffffe) << 12) ^ (((s0 << 13) ^ s0) >>> 19)) >>> 0;
      s1 = (((s1 & 0xfffffff8) << 4) ^ (((s1 << 2) ^ s1) >>> 25)) >>> 0;
      s2 = (((s2 & 0xfffffff0) << 17) ^ (((s2 << 3) ^ s2) >>> 11)) >>> 0;
      // u % nVertices without fmod (a remainder of an operand past 2^31 is a C call in V8):
      // the rounded quotient is never below the true one, and one above it only for millions
      // of vertices (r = n − 1 within half an ulp of the next integer), which the add undoes.
      const u = (s0 ^ s1 ^ s2) >>> 0;
      let kn = u - Math.floor(u / nVertices) * nVertices;
      if (kn < 0) kn += nVertices;
      ck = kn * dim;
      let n2 = 0;
      for (let d = 0; d < dim; d++) {
        const t = head[cj + d] - tail[ck + d];
        n2 += t * t;
      }
      let coeff = 0;
      if (n2 > 0) coeff = twoGB / ((0.001 + n2) * (a * pow(n2) + 1));
      else if (j === kn) continue;
      for (let d = 0; d < dim; d++) {
        let g = 4;
        if (coeff > 0) {
          g = coeff * (head[cj + d] - tail[ck + d]);
          g = g > 4 ? 4 : g < -4 ? -4 : g;
        }
        head[cj + d] += g * alpha;
      }
    }
    nextNegative[e] += nNeg * perNegative[e];
  }
  taus[0] = s0;
  taus[1] = s1;
  taus[2] = s2;
}

/** One epoch in two dimensions: epochAny's arithmetic, step for step, unrolled. */
function epoch2(
  head: Float64Array,
  tail: Float64Array,
  edgeHead: Int32Array,
  edgeTail: Int32Array,
  sched: Schedule,
  opts: LayoutOptions,
  epoch: number,
  alpha: number,
): void {
  const { a, b, gamma, moveOther } = opts;
  const { epochsPerSample, nextSample, perNegative, nextNegative, taus, pow } = sched;
  const nVertices = tail.length / 2;
  const nEdges = edgeHead.length;
  let s0 = taus[0];
  let s1 = taus[1];
  let s2 = taus[2];
  const twoAB = 2 * a * b;
  const twoGB = 2 * gamma * b;
  for (let e = 0; e < nEdges; e++) {
    if (nextSample[e] > epoch) continue;
    const j = edgeHead[e];
    const cj = 2 * j;
    const ck = 2 * edgeTail[e];
    let x = head[cj];
    let y = head[cj + 1];
    const dx = x - tail[ck];
    const dy = y - tail[ck + 1];
    const d2 = dx * dx + dy * dy;
    if (d2 > 0) {
      const pb = pow(d2);
      const coeff = (-twoAB * pb) / d2 / (a * pb + 1);
      let gx = coeff * dx;
      gx = gx > 4 ? 4 : gx < -4 ? -4 : gx;
      let gy = coeff * dy;
      gy = gy > 4 ? 4 : gy < -4 ? -4 : gy;
      x += gx * alpha;
      y += gy * alpha;
      if (moveOther) {
        tail[ck] -= gx * alpha;
        tail[ck + 1] -= gy * alpha;
      }
      // In fit head is tail: a negative sample that draws j itself must see the move.
      head[cj] = x;
      head[cj + 1] = y;
    }
    nextSample[e] += epochsPerSample[e];
    const nNeg = Math.trunc((epoch - nextNegative[e]) / perNegative[e]);
    for (let p = 0; p < nNeg; p++) {
      s0 = (((s0 & 0xfffffffe) << 12) ^ (((s0 << 13) ^ s0) >>> 19)) >>> 0;
      s1 = (((s1 & 0xfffffff8) << 4) ^ (((s1 << 2) ^ s1) >>> 25)) >>> 0;
      s2 = (((s2 & 0xfffffff0) << 17) ^ (((s2 << 3) ^ s2) >>> 11)) >>> 0;
      const u = (s0 ^ s1 ^ s2) >>> 0;
      let kn = u - Math.floor(u / nVertices) * nVertices;
      if (kn < 0) kn += nVertices;
      const cn = 2 * kn;
      const nx = x - tail[cn];
      const ny = y - tail[cn + 1];
      const n2 = nx * nx + ny * ny;
      if (n2 > 0) {
        const coeff = twoGB / ((0.001 + n2) * (a * pow(n2) + 1));
        let gx = coeff * nx;
        gx = gx > 4 ? 4 : gx < -4 ? -4 : gx;
        let gy = coeff * ny;
        gy = gy > 4 ? 4 : gy < -4 ? -4 : gy;
        x += gx * alpha;
        y += gy * alpha;
      } else if (j !== kn) {
        x += 4 * alpha;
        y += 4 * alpha;
      }
      head[cj] = x;
      head[cj + 1] = y;
    }
    nextNegative[e] += nNeg * perNegative[e];
  }
  taus[0] = s0;
  taus[1] = s1;
  taus[2] = s2;
}
