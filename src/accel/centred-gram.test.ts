import assert from 'node:assert/strict';
// onnxruntime's centred Gram and grouped scatter against float64 definitions, whole and in row
// chunks, and the grouped scatter serving scatterMatrix's gemm route.
import { after, test } from 'node:test';
import { assertClose } from '../../test/helpers/close.js';
import { jsCentredGram } from '../linalg/centred-gram.js';
import { jsGemm } from '../linalg/gemm.js';
import { matrix, type Matrix32 } from '../util/matrix.js';
import { Rng } from '../util/rng.js';
import { groupMeans, scatterMatrix } from '../linalg/scatter.js';
import { ortCentredGram, ortGroupedScatter } from './centred-gram.js';
import { createOrtBackend } from './ort-backend.js';
import { SessionPool } from './session-pool.js';

const pool = new SessionPool({ threads: 1, spin: false });
after(() => pool.dispose());

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

test('centred Gram: onnxruntime (4 column blocks, odd widths) and the JS kernel equal the float64 definition', async () => {
  const r = new Rng(11);
  // d = 13 cuts into blocks of 4, 4, 4, 1; an offset of 50 checks that centring precedes the product.
  for (const [n, d] of [
    [200, 13],
    [60, 3],
  ]) {
    const x = Float32Array.from({ length: n * d }, () => 50 + r.normal());
    const want = reference(x, n, d);
    for (const [name, f] of [
      ['onnxruntime', ortCentredGram(pool)],
      // Row chunks of 7 (13 · 7 elements), combined by the pairwise-variance formula.
      ['onnxruntime in chunks', ortCentredGram(pool, { chunkElements: 91 })],
      ['js', (m: Matrix32) => jsCentredGram(m, jsGemm)],
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

test('grouped float64 scatter in one onnxruntime call equals the float64 dense route', async () => {
  const r = new Rng(12);
  const [n, d, k] = [300, 13, 4];
  // Offsets per group of 100 and spreads of 1e-3: a float32 scatter would lose most digits.
  const groups = Int32Array.from({ length: n }, (_, i) => i % k);
  const x = Float32Array.from(
    { length: n * d },
    (_, t) => 100 * groups[Math.floor(t / d)] + 1e-3 * r.normal(),
  );
  const xm = matrix(n, d, x);
  const gm = groupMeans(xm, groups, k);
  const want = await scatterMatrix(xm, { groups, means: gm, route: 'dense' });
  const got = await ortGroupedScatter(pool)(xm, groups, gm.means);
  // Both subtract the same float64 means from exact float32 values; sums differ in order only.
  assertClose(got, want.data, { rtol: 1e-9, atol: 1e-15, what: 'scatter' });
  // In row chunks of 7 rows (91 elements / 13), 43 calls whose partial scatters add up.
  const chunked = await ortGroupedScatter(pool, { chunkElements: 91 })(xm, groups, gm.means);
  assertClose(chunked, want.data, { rtol: 1e-9, atol: 1e-15, what: 'chunked scatter' });
  assert.ok(want.data[0] > 1e-5 && want.data[0] < 1e-3, `diagonal ${want.data[0]}`);
  // On an onnxruntime backend it serves scatterMatrix's gemm route for float32 data.
  const backend = createOrtBackend({ threads: 1 });
  try {
    const routed = await scatterMatrix(xm, { groups, means: gm, route: 'gemm', backend });
    assertClose(routed.data, want.data, { rtol: 1e-9, atol: 1e-15, what: 'gemm route' });
  } finally {
    await backend.dispose();
  }
});
