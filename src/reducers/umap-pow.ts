/**
 * x^b for a fixed exponent b by table, for the inner loop of UMAP's SGD (umap-layout.ts), which
 * needs one d^(2b) per sample: x = m·2^e with m in [1, 2), m^b interpolated linearly in a
 * 2048-interval table and 2^(e·b) from a table over the exponent. Relative error below 1e-7 for
 * b in (0, 2] (umap-pow.test.ts checks it against Math.pow over 40 decades); x below 2^-1000
 * (subnormal territory) takes Math.pow.
 */

const INTERVALS = 2048;
const EXP_OFFSET = 1075;

/** A function x ↦ x^b for x > 0 (and finite), accurate to 1e-7 relative for b in (0, 2]. */
export function powTable(b: number): (x: number) => number {
  const mant = new Float64Array(INTERVALS + 2);
  for (let i = 0; i <= INTERVALS + 1; i++) mant[i] = Math.pow(1 + i / INTERVALS, b);
  const scale = new Float64Array(2 * EXP_OFFSET);
  const inverse = new Float64Array(2 * EXP_OFFSET);
  for (let e = -EXP_OFFSET; e < EXP_OFFSET; e++) {
    scale[e + EXP_OFFSET] = Math.pow(2, e * b);
    inverse[e + EXP_OFFSET] = Math.pow(2, -e);
  }
  // The exponent field of x, read through a view of one float64.
  const f64 = new Float64Array(1);
  const hi = new Uint32Array(f64.buffer, 4, 1);
  const tiny = Math.pow(2, -1000);
  return (x: number): number => {
    if (x < tiny) return Math.pow(x, b);
    f64[0] = x;
    const e = ((hi[0] >>> 20) & 0x7ff) - 1023 + EXP_OFFSET;
    const t = (x * inverse[e] - 1) * INTERVALS;
    const i = t | 0;
    return (mant[i] + (t - i) * (mant[i + 1] - mant[i])) * scale[e];
  };
}
