// UMAP's fuzzy simplicial set: the σ bisection hits its target Σ exp(−(d − ρ)/σ) = log₂ k
// (umap-learn's SMOOTH_K_TOLERANCE 1e-5), ρ is the nearest non-zero distance, and the union is
// A + Aᵀ − A∘Aᵀ entry by entry (checked against a dense recomputation).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose } from '../../test/helpers/close.js';
import { embeddingGolden, golden32 } from '../../test/helpers/embedding-golden.js';
import { knn } from '../linalg/knn.js';
import { fuzzySimplicialSet, membershipStrengths, smoothKnnDist } from './umap-graph.js';

const x = golden32(embeddingGolden().tiny.x);
const n = x.rows;
const k = 8;

/** umap-learn's lists: each point first at distance 0, then its k − 1 nearest. */
async function lists(): Promise<{ indices: Int32Array; dists: Float64Array }> {
  const nb = await knn(x, k - 1);
  const indices = new Int32Array(n * k);
  const dists = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    indices[i * k] = i;
    for (let t = 1; t < k; t++) {
      indices[i * k + t] = nb.indices[i * (k - 1) + t - 1];
      dists[i * k + t] = nb.distances[i * (k - 1) + t - 1];
    }
  }
  return { indices, dists };
}

test('smoothKnnDist: ρ is the nearest non-zero distance and σ meets log2(k) within 1e-5', async () => {
  const { dists } = await lists();
  const { sigmas, rhos } = smoothKnnDist(dists, n, k);
  for (let i = 0; i < n; i++) {
    assert.equal(rhos[i], dists[i * k + 1]);
    let psum = 0;
    for (let t = 1; t < k; t++)
      psum += Math.exp(-Math.max(0, dists[i * k + t] - rhos[i]) / sigmas[i]);
    assertClose(psum, Math.log2(k), { atol: 1e-5, what: `row ${i}` });
  }
});

test('membership strengths: 0 for the point itself, 1 at ρ, decreasing along the list', async () => {
  const { indices, dists } = await lists();
  const sd = smoothKnnDist(dists, n, k);
  const v = membershipStrengths(indices, dists, sd, n, k, false);
  for (let i = 0; i < n; i++) {
    assert.equal(v[i * k], 0);
    assert.equal(v[i * k + 1], 1);
    for (let t = 2; t < k; t++) assert.ok(v[i * k + t] <= v[i * k + t - 1] && v[i * k + t] > 0);
  }
});

test('fuzzySimplicialSet is the fuzzy union A + Aᵀ − A∘Aᵀ of the directed memberships', async () => {
  const { indices, dists } = await lists();
  const g = fuzzySimplicialSet(indices, dists, n, k);
  const sd = smoothKnnDist(dists, n, k);
  const v = membershipStrengths(indices, dists, sd, n, k, false);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let t = 0; t < k; t++) a[i * n + indices[i * k + t]] = v[i * k + t];
  const want = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const p = a[i * n + j];
      const q = a[j * n + i];
      want[i * n + j] = p + q - p * q;
    }
  const got = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let e = g.indptr[i]; e < g.indptr[i + 1]; e++) {
      assert.ok(g.values[e] > 0, 'zeros are dropped');
      got[i * n + g.indices[e]] = g.values[e];
    }
  }
  assertClose(got, want, { atol: 1e-15, what: 'union' });
});
