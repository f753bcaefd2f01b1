/**
 * A grid graph Laplacian in shuffled numbering, the sparse test matrix of the envelope
 * Cholesky tests: each node gets −1 towards each in-grid neighbour of `stencil` and +1 on its
 * diagonal per neighbour (singular; tests add a shift).
 */
import { csrFromTriplets, type Csr } from '../../src/linalg/sparse.js';
import { Rng } from '../../src/util/rng.js';

/** The 4-neighbour stencil. */
export const FOUR: readonly (readonly [number, number])[] = [
  [0, 1],
  [1, 0],
  [0, -1],
  [-1, 0],
];

/** side x side grid, nodes numbered by a seeded permutation. */
export function shuffledGridLaplacian(
  side: number,
  seed: number,
  stencil: readonly (readonly [number, number])[] = FOUR,
): Csr {
  const n = side * side;
  const label = new Rng(seed).permutation(n);
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  for (let i = 0; i < side; i++) {
    for (let j = 0; j < side; j++) {
      const p = label[i * side + j];
      for (const [di, dj] of stencil) {
        const a = i + di;
        const b = j + dj;
        if (a < 0 || b < 0 || a >= side || b >= side) continue;
        r.push(p, p);
        c.push(label[a * side + b], p);
        v.push(-1, 1);
      }
    }
  }
  return csrFromTriplets(n, n, r, c, v);
}
