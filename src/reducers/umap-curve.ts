/**
 * UMAP's low-dimensional similarity curve 1 / (1 + a·d^(2b)) fitted to the target
 * 1 for d < minDist, exp(−(d − minDist)/spread) beyond, on 300 points of [0, 3·spread]: umap-learn
 * 0.5's `find_ab_params`, which calls scipy's `curve_fit` (Levenberg-Marquardt from a = b = 1).
 * Here the same least-squares problem is solved by Levenberg-Marquardt with the analytic
 * Jacobian (Marquardt's diagonal scaling), to the same minimum: minDist 0.1, spread 1 give
 * a = 1.5769, b = 0.8951 as umap-learn.
 */
import { NumericalError } from '../errors.js';

/** The curve parameters a and b. */
export interface CurveParams {
  a: number;
  b: number;
}

/**
 * Least-squares a, b of the curve for the given spread and minDist.
 * @throws NumericalError if the fit does not converge (not met for 0 <= minDist <= spread).
 */
export function findAbParams(spread: number, minDist: number): CurveParams {
  const m = 300;
  const xs = new Float64Array(m);
  const ys = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const x = (3 * spread * i) / (m - 1);
    xs[i] = x;
    ys[i] = x < minDist ? 1 : Math.exp(-(x - minDist) / spread);
  }
  const cost = (a: number, b: number): number => {
    let s = 0;
    for (let i = 0; i < m; i++) {
      const r = 1 / (1 + a * Math.pow(xs[i], 2 * b)) - ys[i];
      s += r * r;
    }
    return s;
  };
  let a = 1;
  let b = 1;
  let c = cost(a, b);
  let lambda = 1e-3;
  for (let it = 0; it < 500; it++) {
    // Normal equations JᵀJ δ = −Jᵀr of the 2-parameter problem.
    let jaa = 0;
    let jab = 0;
    let jbb = 0;
    let ga = 0;
    let gb = 0;
    for (let i = 0; i < m; i++) {
      const x = xs[i];
      const p = x > 0 ? Math.pow(x, 2 * b) : 0;
      const q = 1 + a * p;
      const r = 1 / q - ys[i];
      const da = -p / (q * q);
      const db = x > 0 ? (-a * p * 2 * Math.log(x)) / (q * q) : 0;
      jaa += da * da;
      jab += da * db;
      jbb += db * db;
      ga += da * r;
      gb += db * r;
    }
    let improved = false;
    for (let tries = 0; tries < 30 && !improved; tries++) {
      const haa = jaa * (1 + lambda);
      const hbb = jbb * (1 + lambda);
      const det = haa * hbb - jab * jab;
      const sa = (-ga * hbb + gb * jab) / det;
      const sb = (-gb * haa + ga * jab) / det;
      const c2 = cost(a + sa, b + sb);
      if (Number.isFinite(c2) && c2 <= c) {
        const rel = Math.abs(sa) / (Math.abs(a) + 1e-30) + Math.abs(sb) / (Math.abs(b) + 1e-30);
        a += sa;
        b += sb;
        const drop = c - c2;
        c = c2;
        lambda = Math.max(lambda / 10, 1e-12);
        improved = true;
        if (rel < 1e-13 || drop <= 1e-16 * c) return { a, b };
      } else lambda *= 10;
    }
    if (!improved) return { a, b }; // no step lowers the cost: at the minimum to rounding
  }
  throw new NumericalError(
    `findAbParams: the curve fit for spread ${spread}, minDist ${minDist} did not converge in 500 steps`,
  );
}
