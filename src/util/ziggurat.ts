/**
 * Standard normal draws in bulk by the ziggurat method (Marsaglia & Tsang, "The Ziggurat
 * Method for Generating Random Variables", J. Stat. Softw. 5(8), 2000), 128 layers, for the
 * places that draw many normals per training step (denoising noise). Box-Muller (`Rng.normal`)
 * costs a logarithm, a square root, a sine and a cosine per pair; here about 98.8% of draws
 * take one 32-bit word, a table lookup and a multiply.
 *
 * Each word's low 7 bits pick the layer and its high 25 bits (signed) the position, so layer and
 * value come from disjoint bits (Doornik, "An Improved Ziggurat Method to Generate Normal Random
 * Samples", 2005, showed that sharing them biases the original). Values have 24 bits of
 * resolution within a layer, finer than a float32's. The tail beyond r = 3.4426 uses
 * Marsaglia's exponential rejection. The words come from a xoshiro128** stream (xoshiro.ts).
 * Guarantees: the draws are a deterministic function of the stream's state (resume and replay
 * stay bit-identical), and their distribution is N(0, 1) (ziggurat.test.ts: moments,
 * Kolmogorov-Smirnov, tail frequency).
 */
import type { Xoshiro128 } from './xoshiro.js';

const LAYERS = 128;
/** Right edge of the base layer and the common area of the layers (Marsaglia & Tsang). */
const R = 3.442619855899;
const AREA = 9.91256303526217e-3;
/** Scale of the signed 25-bit position: |hz| < 2^24. */
const M = 16777216;

interface Tables {
  k: Float64Array;
  w: Float64Array;
  f: Float64Array;
}

function tables(): Tables {
  const k = new Float64Array(LAYERS);
  const w = new Float64Array(LAYERS);
  const f = new Float64Array(LAYERS);
  let dn = R;
  let tn = dn;
  const q = AREA / Math.exp(-0.5 * dn * dn);
  k[0] = (dn / q) * M;
  k[1] = 0;
  w[0] = q / M;
  w[LAYERS - 1] = dn / M;
  f[0] = 1;
  f[LAYERS - 1] = Math.exp(-0.5 * dn * dn);
  for (let i = LAYERS - 2; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(AREA / dn + Math.exp(-0.5 * dn * dn)));
    k[i + 1] = (dn / tn) * M;
    tn = dn;
    f[i] = Math.exp(-0.5 * dn * dn);
    w[i] = dn / M;
  }
  return { k, w, f };
}

/** Computed once: pure constants of the method, not state. */
const TABLES = tables();

/** The rare path: a wedge or the tail, after the first word `u` missed the layer's core. */
function slow(g: Xoshiro128, u: number): number {
  for (;;) {
    const hz = (u | 0) >> 7;
    const iz = u & (LAYERS - 1);
    if (Math.abs(hz) < TABLES.k[iz]) return hz * TABLES.w[iz];
    const x = hz * TABLES.w[iz];
    if (iz === 0) {
      let xt: number;
      let y: number;
      do {
        xt = -Math.log(g.open01()) / R;
        y = -Math.log(g.open01());
      } while (y + y < xt * xt);
      return hz > 0 ? R + xt : -R - xt;
    }
    if (TABLES.f[iz] + g.open01() * (TABLES.f[iz - 1] - TABLES.f[iz]) < Math.exp(-0.5 * x * x))
      return x;
    u = g.next();
  }
}

/** One N(0, 1) draw from `g` (fillZiggurat's draws are these, in order). */
export function zigguratNormal(g: Xoshiro128): number {
  const u = g.next();
  const hz = (u | 0) >> 7;
  const iz = u & (LAYERS - 1);
  return Math.abs(hz) < TABLES.k[iz] ? hz * TABLES.w[iz] : slow(g, u);
}

/** Fills `out` with N(0, std²) draws from `g`, in order; returns `out`. */
export function fillZiggurat<T extends Float32Array | Float64Array>(
  g: Xoshiro128,
  out: T,
  std = 1,
): T {
  for (let i = 0; i < out.length; i++) out[i] = std * zigguratNormal(g);
  return out;
}
