/** Points on a 2-d linear subspace of R^12 in [0, 1], plus optional noise: an AE with a 2-d code can fit them. */
import { matrix, type Matrix32 } from '../../src/util/matrix.js';
import { Rng } from '../../src/util/rng.js';

/** `n` seeded rows of 12 features. */
export function planeData(n: number, seed: number, noise = 0): Matrix32 {
  const r = new Rng(seed);
  const basis = Array.from({ length: 24 }, () => r.uniform(-0.5, 0.5));
  const x = new Float32Array(n * 12);
  for (let i = 0; i < n; i++) {
    const a = r.uniform(-1, 1);
    const b = r.uniform(-1, 1);
    for (let j = 0; j < 12; j++)
      x[i * 12 + j] = 0.5 + 0.4 * (a * basis[j] + b * basis[12 + j]) + noise * r.uniform(-1, 1);
  }
  return matrix(n, 12, x);
}
