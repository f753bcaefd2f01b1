// t-SNE's input affinities against scikit-learn 1.2 (test/golden/tsne_sklearn.py: its
// _joint_probabilities_nn and _joint_probabilities on 60 points, perplexity 5), and the
// bisection's own guarantee: each row's entropy within 1e-5 nats of log(perplexity).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose } from '../../test/helpers/close.js';
import { embeddingGolden, golden32, golden64 } from '../../test/helpers/embedding-golden.js';
import { knn } from '../linalg/knn.js';
import {
  binarySearchPerplexity,
  jointProbabilitiesDense,
  jointProbabilitiesNn,
} from './tsne-affinity.js';

const g = embeddingGolden().tiny;
const x = golden32(g.x);
const n = x.rows;

async function neighbourTable(k: number): Promise<{ indices: Int32Array; sq: Float64Array }> {
  const nb = await knn(x, k);
  return { indices: nb.indices, sq: nb.distances.map((d) => d * d) };
}

test('the perplexity bisection hits the target entropy log(perplexity) within 1e-5 nats', async () => {
  const k = 20;
  const { sq } = await neighbourTable(k);
  for (const perplexity of [2, 5, 15]) {
    const { p, betas } = binarySearchPerplexity(sq, n, k, perplexity);
    for (let i = 0; i < n; i++) {
      let h = 0;
      let sum = 0;
      for (let t = 0; t < k; t++) {
        const v = p[i * k + t];
        sum += v;
        if (v > 0) h -= v * Math.log(v);
      }
      assertClose(sum, 1, { atol: 1e-12, what: `row ${i} sum` });
      // Tolerance: scikit-learn's PERPLEXITY_TOLERANCE, the bisection's stopping rule.
      assertClose(h, Math.log(perplexity), { atol: 1e-5, what: `row ${i} entropy` });
      assert.ok(betas[i] > 0);
    }
  }
});

test('the sparse joint P equals scikit-learn _joint_probabilities_nn (rtol 1e-6)', async () => {
  assert.equal(g.k, 16);
  const { indices, sq } = await neighbourTable(g.k);
  const p = jointProbabilitiesNn(indices, sq, n, g.k, g.perplexity);
  const dense = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let e = p.indptr[i]; e < p.indptr[i + 1]; e++) dense[i * n + p.indices[e]] = p.values[e];
  // scikit-learn computes the squared distances and P in float32: measured 3e-7 relative off.
  assertClose(dense, golden64(g.p_nn).data, { rtol: 1e-6, atol: 0, what: 'P' });
  assertClose(
    p.values.reduce((a, b) => a + b, 0),
    1,
    { atol: 1e-12, what: 'sum of P' },
  );
});

test('the dense joint P equals scikit-learn _joint_probabilities (rtol 1e-6)', async () => {
  const { indices, sq } = await neighbourTable(n - 1);
  const all = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let t = 0; t < n - 1; t++) all[i * n + indices[i * (n - 1) + t]] = sq[i * (n - 1) + t];
  const p = jointProbabilitiesDense(all, n, g.perplexity);
  const want = golden64(g.p_dense).data;
  // squareform's diagonal is 0; ours is floored at machine epsilon like the other entries.
  for (let i = 0; i < n; i++) p[i * n + i] = 0;
  // Entries far below the largest carry float32 distances' rounding (1e-6 relative at 4e-12).
  assertClose(p, want, { rtol: 1e-6, atol: 1e-15, what: 'P' });
});
