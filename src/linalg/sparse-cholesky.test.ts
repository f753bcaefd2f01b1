// Envelope Cholesky after RCM: solutions checked by the residual A·x - b on a 2-D grid
// Laplacian (+ shift) in shuffled numbering, and failure on an indefinite matrix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose } from '../../test/helpers/close.js';
import { shuffledGridLaplacian } from '../../test/helpers/grid.js';
import { Rng } from '../util/rng.js';
import { csrFromTriplets, csrMatvec } from './sparse.js';
import { envelopeCholesky, envelopeSolve } from './sparse-cholesky.js';

const gridLaplacian = shuffledGridLaplacian;

test('envelopeSolve solves (L + δI)·x = b for a shuffled grid Laplacian (singular without δ)', () => {
  const a = gridLaplacian(15, 2);
  const n = a.rows;
  const shift = 1e-3;
  const f = envelopeCholesky(a, shift);
  assert.ok(
    f.values.length < (n * (n + 1)) / 2 / 4,
    `envelope ${f.values.length} should be far below dense`,
  );
  const rng = new Rng(4);
  const b = Float64Array.from({ length: n }, () => rng.normal());
  const x = new Float64Array(n);
  envelopeSolve(f, b, x);
  const ax = new Float64Array(n);
  csrMatvec(a, x, ax);
  for (let i = 0; i < n; i++) ax[i] += shift * x[i];
  assertClose(ax, b, { atol: 1e-9, what: '(A + δI)·x' });
});

test('envelopeCholesky rejects indefinite and non-square matrices', () => {
  const indefinite = csrFromTriplets(2, 2, [0, 0, 1, 1], [0, 1, 0, 1], [1, 2, 2, 1]);
  assert.throws(() => envelopeCholesky(indefinite), {
    name: 'NumericalError',
    message: /not positive definite \(pivot 1/,
  });
  const f = envelopeCholesky(csrFromTriplets(2, 2, [0, 1], [0, 1], [1, 1]));
  assert.throws(() => envelopeSolve(f, [1], new Float64Array(2)), {
    name: 'ShapeError',
    message: /factor is 2 x 2, b has 1 values, x 2/,
  });
  assert.throws(() => envelopeCholesky(csrFromTriplets(2, 3, [], [], [])), {
    name: 'ShapeError',
    message: /square matrix, got 2 x 3/,
  });
});
