/**
 * Small seeded image data for convolutional tests: `n` images of `size` x `size` pixels in
 * [0, 1], each one bright bar (horizontal or vertical, at a random position) on a faint
 * background, flattened row-major as an [n, size*size] matrix (one channel).
 */
import { Rng } from '../../src/util/rng.js';
import { matrix, type Matrix32 } from '../../src/util/matrix.js';

/** Bar images; see module doc. */
export function barImages(n: number, size: number, seed: number): Matrix32 {
  const rng = new Rng(seed);
  const data = new Float32Array(n * size * size);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(rng.random() * size);
    const vertical = rng.random() < 0.5;
    for (let r = 0; r < size; r++) {
      for (let c = 0; c < size; c++) {
        const on = vertical ? c === at : r === at;
        data[i * size * size + r * size + c] = on ? 0.9 : 0.05 + 0.05 * rng.random();
      }
    }
  }
  return matrix(n, size * size, data);
}
