/**
 * t-SNE's optimiser, scikit-learn 1.2's `_gradient_descent`: momentum, per-coordinate gains
 * (+0.2 when the gradient's sign opposes the last update, x0.8 otherwise, floor 0.01), and
 * every 50 iterations (and at the last) the KL divergence checked: stop after `withoutProgress`
 * iterations without a lower one, or when the gained gradient's norm is at most `minGradNorm`.
 */

/** Iterations between KL checks (scikit-learn's _N_ITER_CHECK). */
const CHECK_EVERY = 50;

/** Settings of one `gradientDescent` phase. */
export interface DescentOptions {
  from: number;
  to: number;
  momentum: number;
  learningRate: number;
  withoutProgress: number;
  minGradNorm: number;
}

/**
 * scikit-learn's `_gradient_descent`: momentum and per-coordinate gains, the KL checked every
 * 50 iterations (and at the last). Updates y in place; returns the last error and iteration.
 */
export function gradientDescent(
  y: Float64Array,
  gradient: (y: Float64Array, computeError: boolean, grad: Float64Array) => number,
  o: DescentOptions,
): { error: number; it: number } {
  const m = y.length;
  const update = new Float64Array(m);
  const gains = new Float64Array(m).fill(1);
  const grad = new Float64Array(m);
  let error = Number.MAX_VALUE;
  let bestError = Number.MAX_VALUE;
  let bestIter = o.from;
  let i = o.from;
  for (; i < o.to; i++) {
    const check = (i + 1) % CHECK_EVERY === 0;
    const e = gradient(y, check || i === o.to - 1, grad);
    if (!Number.isNaN(e)) error = e;
    let norm2 = 0;
    for (let t = 0; t < m; t++) {
      const g = grad[t];
      const gain = update[t] * g < 0 ? gains[t] + 0.2 : gains[t] * 0.8;
      gains[t] = gain < 0.01 ? 0.01 : gain;
      const gg = g * gains[t];
      norm2 += gg * gg;
      update[t] = o.momentum * update[t] - o.learningRate * gg;
      y[t] += update[t];
    }
    if (check) {
      if (error < bestError) {
        bestError = error;
        bestIter = i;
      } else if (i - bestIter > o.withoutProgress) break;
      if (Math.sqrt(norm2) <= o.minGradNorm) break;
    }
  }
  return { error, it: Math.min(i, o.to - 1) };
}
