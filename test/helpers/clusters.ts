// A clustered synthetic data set shaped like embedding vectors: k Gaussian blobs in d
// dimensions (centres ~ N(0, spread²), unit noise), seeded, with integer labels.
import { matrix, type Matrix32 } from '../../src/util/matrix.js';
import { Rng } from '../../src/util/rng.js';

export interface Clustered {
  x: Matrix32;
  labels: Int32Array;
}

export function clustered(n: number, d: number, k: number, seed: number, spread = 3): Clustered {
  const rng = new Rng(seed);
  const centres = Float64Array.from({ length: k * d }, () => spread * rng.normal());
  const x = new Float32Array(n * d);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % k;
    labels[i] = c;
    for (let j = 0; j < d; j++) x[i * d + j] = centres[c * d + j] + rng.normal();
  }
  return { x: matrix(n, d, x), labels };
}
