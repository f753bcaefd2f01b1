// The panel Cholesky against the scalar envelope Cholesky of sparse-cholesky.ts (same layout,
// so the factors compare entry by entry) on a shuffled grid Laplacian + shift, with the JS
// gemm fallback and panels of 8 and 13 columns (ragged last panel); misuse errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClose } from '../../test/helpers/close.js';
import { shuffledGridLaplacian } from '../../test/helpers/grid.js';
import { blockEnvelopeCholesky } from './block-cholesky.js';
import { envelopeCholesky } from './sparse-cholesky.js';
import { csrFromTriplets } from './sparse.js';

/** Six neighbours: the 4-stencil plus one diagonal, so the envelope is ragged. */
const SIX = [
  [0, 1],
  [1, 1],
  [1, 0],
  [0, -1],
  [-1, 0],
  [-1, -1],
] as const;
const shuffledGrid = (side: number, seed: number) => shuffledGridLaplacian(side, seed, SIX);

test('blockEnvelopeCholesky equals envelopeCholesky entry by entry (1e-12 relative to max |L|)', async () => {
  const a = shuffledGrid(12, 5);
  const ref = envelopeCholesky(a, 1e-6);
  let big = 0;
  for (const v of ref.values) big = Math.max(big, Math.abs(v));
  for (const nb of [8, 13]) {
    const f = await blockEnvelopeCholesky(a, 1e-6, { panel: nb });
    assert.deepEqual(f.perm, ref.perm);
    assert.deepEqual(f.first, ref.first);
    assertClose(f.values, ref.values, { atol: 1e-12 * big, what: `L with panels of ${nb}` });
  }
});

test('blockEnvelopeCholesky rejects indefinite and non-square matrices', async () => {
  const indefinite = csrFromTriplets(2, 2, [0, 0, 1, 1], [0, 1, 0, 1], [1, 2, 2, 1]);
  await assert.rejects(blockEnvelopeCholesky(indefinite), {
    name: 'NumericalError',
    message: /not positive definite \(pivot 1/,
  });
  await assert.rejects(blockEnvelopeCholesky(csrFromTriplets(2, 3, [], [], [])), {
    name: 'ShapeError',
    message: /square matrix, got 2 x 3/,
  });
});
