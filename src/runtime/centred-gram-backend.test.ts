import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClose } from '../../test/helpers/close.js';
import { jsCentredGram } from '../linalg/centred-gram.js';
import { matrix } from '../util/matrix.js';
import { Rng } from '../util/rng.js';
import { ortCentredGram } from './centred-gram-backend.js';

/** Float64 reference: μ and (X − 1μᵀ)ᵀ(X − 1μᵀ) by definition. */
function reference(x: Float32Array, n: number, d: number): { mean: number[]; gram: number[] } {
  const mean = new Array<number>(d).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += x[i * d + j] / n;
  const gram = new Array<number>(d * d).fill(0);
  for (let i = 0; i < n; i++)
    for (let a = 0; a < d; a++)
      for (let b = 0; b < d; b++)
        gram[a * d + b] += (x[i * d + a] - mean[a]) * (x[i * d + b] - mean[b]);
  return { mean, gram };
}

test('centred Gram: onnxruntime (4 column blocks, odd widths) and the JS fallback equal the float64 definition', async () => {
  const r = new Rng(11);
  // d = 13 cuts into blocks of 4, 4, 4, 1; an offset of 50 checks that centring precedes the product.
  for (const [n, d] of [
    [200, 13],
    [60, 3],
  ]) {
    const x = Float32Array.from({ length: n * d }, () => 50 + r.normal());
    const want = reference(x, n, d);
    for (const [name, f] of [
      ['onnxruntime', ortCentredGram({ threads: 1 })],
      ['js', jsCentredGram],
    ] as const) {
      const got = await f(matrix(n, d, x));
      assertClose(got.mean, want.mean, { rtol: 1e-6, what: `${name} mean` });
      // float32 products of O(1) centred values summed over n: 1e-4 relative of the diagonal (~n).
      assertClose(got.gram.data, want.gram, { atol: 1e-4 * n, what: `${name} gram` });
      // Symmetric up to float32 rounding (a diagonal block's two halves may sum in other orders).
      for (let a = 0; a < d; a++)
        for (let b = 0; b < a; b++)
          assert.ok(
            Math.abs(got.gram.data[a * d + b] - got.gram.data[b * d + a]) <= 1e-6 * n,
            `${name} symmetric at ${a}, ${b}`,
          );
    }
  }
});
