/**
 * The kernel gradient of a strided ConvTranspose in the sub-pixel form (Shi et al., "Real-Time
 * Single Image and Video Super-Resolution Using an Efficient Sub-Pixel Convolutional Neural
 * Network", CVPR 2016; Shi et al., "Is the deconvolution layer the same as a convolutional
 * layer?", arXiv:1609.07009). With stride s, output row o = s·u + e (phase e in [0, s)) of
 * ConvTranspose is
 *   y[s·u + e] = Σ_j x[u + ⌊(e + pb)/s⌋ − j] · w[s·j + (e + pb) mod s]   (taps s·j + r < k),
 * a stride-1 correlation of x over a small common window whose kernel depends on the phase: one
 * Conv with s² phases per output channel followed by a depth-to-space shuffle. Its kernel
 * gradient is that Conv's: the input x unfolded over the window (x is the small side: 1/s² of the
 * output's positions) times the output gradient split into its s² phase planes (ONNX
 * SpaceToDepth), summed over the batch; each kernel tap of w is then one (phase,
 * window position) entry, gathered by a constant 0/1 MatMul.
 *
 * Why: the direct route unfolds the output gradient at full resolution with one-hot kernels
 * (for the TensorFlow tutorial's 8 -> 16 channel layer at 28 x 28, batch 32: 903,168 values
 * through onnxruntime's blocked Conv and a reorder); here the unfolded input has 200,704.
 * The forward pass keeps ConvTranspose: as Conv plus depth-to-space it was slower on
 * onnxruntime's CPU provider (bench/README.md). Guarantees: equals the direct route (float64
 * reference evaluator, conv-subpixel.test.ts) for equal strides above 1, dilation 1 and static
 * channel and spatial sizes; otherwise `convTransposeKernelGrad` returns undefined.
 */
import type { Graph } from './graph.js';
import type { Tensor } from './tensor.js';

/** Per spatial axis: the window of input offsets the phases read, and each (phase, offset)'s tap. */
interface AxisPlan {
  /** Window size K' of the stride-1 Conv. */
  size: number;
  /** Pads of x before and after (negative: a crop) so the Conv gives `cells` outputs. */
  before: number;
  after: number;
  /** Output cells per phase: ceil(out / s). */
  cells: number;
  /** taps[e][v]: the kernel tap phase e applies at window position v, or -1. */
  taps: number[][];
}

function planAxis(h: number, out: number, k: number, s: number, pb: number): AxisPlan {
  const offsets: { e: number; delta: number; tap: number }[] = [];
  for (let e = 0; e < s; e++) {
    const r = (e + pb) % s;
    const a = Math.floor((e + pb) / s);
    for (let j = 0; s * j + r < k; j++) offsets.push({ e, delta: a - j, tap: s * j + r });
  }
  const lo = Math.min(...offsets.map((o) => o.delta));
  const hi = Math.max(...offsets.map((o) => o.delta));
  const size = hi - lo + 1;
  const cells = Math.ceil(out / s);
  const taps = Array.from({ length: s }, () => new Array<number>(size).fill(-1));
  for (const o of offsets) taps[o.e][o.delta - lo] = o.tap;
  return { size, before: -lo, after: cells - h + hi, cells, taps };
}

/** The Conv-shaped pieces the caller provides: im2col of a tensor under a window. */
export type Unfold = (t: Tensor, k: number[], o: { pads: number[] }) => Tensor;

/**
 * d w of y = ConvTranspose(x, w) given gy = d y, in the sub-pixel form, or undefined where it
 * does not apply (see module doc). `attrs` are the ConvTranspose node's resolved attributes;
 * `unfold` gives [N, C K'h K'w, H' W'] for t [N, C, H, W] (conv-grads.ts's one-hot Conv).
 */
export function convTransposeKernelGrad(
  g: Graph,
  x: Tensor,
  gy: Tensor,
  kernel: readonly [number, number],
  attrs: { strides: number[]; pads: number[]; dilations: number[] },
  unfold: Unfold,
): Tensor | undefined {
  const { strides: s, pads, dilations: d } = attrs;
  const dims = [x.shape[1], x.shape[2], x.shape[3], gy.shape[1], gy.shape[2], gy.shape[3]];
  if (
    s[0] !== s[1] ||
    s[0] < 2 ||
    d.some((v) => v !== 1) ||
    !dims.every((v): v is number => typeof v === 'number')
  ) {
    return undefined;
  }
  const [c, h, wd, m, oh, ow] = dims as number[];
  const [kh, kw] = kernel;
  const st = s[0];
  const ph = planAxis(h, oh, kh, st, pads[0]);
  const pw = planAxis(wd, ow, kw, st, pads[1]);
  const v = ph.size * pw.size;
  const e = st * st;
  // x over the window: [N, C V, Q], rows (c, vh, vw); negative pads crop first.
  const bounds = [ph.before, pw.before, ph.after, pw.after];
  const cropped = bounds.some((b) => b < 0)
    ? g.pad(x, [
        0,
        0,
        ...bounds.slice(0, 2).map((b) => Math.min(b, 0)),
        0,
        0,
        ...bounds.slice(2).map((b) => Math.min(b, 0)),
      ])
    : x;
  const u = unfold(cropped, [ph.size, pw.size], { pads: bounds.map((b) => Math.max(b, 0)) });
  // gy's phase planes: [N, E M, Q], rows (eh, ew, m); rows past the output are zero.
  const full = [ph.cells * st - oh, pw.cells * st - ow];
  const padded = full.some((f) => f > 0) ? g.pad(gy, [0, 0, 0, 0, 0, 0, full[0], full[1]]) : gy;
  const n = x.shape[0];
  const phases = g.reshape(
    g.spaceToDepth(padded, st),
    [0, e * m, ph.cells * pw.cells],
    [n, e * m, ph.cells * pw.cells],
  );
  const cm = g.reduceSum(g.batchMatmul(u, g.transpose(phases, [0, 2, 1])), [0], false);
  // [C V, E M] -> [C M, E V], then each tap's (phase, window position) entry.
  const byPhase = g.reshape(g.transpose(g.reshape(cm, [c, v, e, m]), [0, 3, 2, 1]), [c * m, e * v]);
  const pick = new Array<number>(e * v * kh * kw).fill(0);
  for (let eh = 0; eh < st; eh++)
    for (let ew = 0; ew < st; ew++)
      for (let vh = 0; vh < ph.size; vh++)
        for (let vw = 0; vw < pw.size; vw++) {
          const th = ph.taps[eh][vh];
          const tw = pw.taps[ew][vw];
          if (th < 0 || tw < 0) continue;
          const row = (eh * st + ew) * v + vh * pw.size + vw;
          pick[row * kh * kw + th * kw + tw] = 1;
        }
  return g.reshape(g.matmul(byPhase, g.constant(pick, [e * v, kh * kw])), [c, m, kh, kw]);
}
