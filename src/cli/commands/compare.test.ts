import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveCompareSettings } from '../../experiments/compare/config.js';
import type { CompareData } from '../../experiments/compare/data.js';
import { matrix } from '../../util/matrix.js';
import { flagNames, headerLine } from './compare.js';

const rows = (n: number): CompareData['train'] => ({
  x: matrix(n, 1, new Float32Array(n)),
  labels: new Int32Array(n),
  source: 'emb.csv',
});

test("the header states the rows each method gets, not the presets' sizes", () => {
  const data = { name: 'emb.csv', train: rows(2400), test: rows(600) } as CompareData;
  const s = resolveCompareSettings({ methods: ['pca', 'isomap'], dims: [2] });
  assert.equal(
    headerLine(s, data),
    'compare: PCA, Isomap at d = 2 on emb.csv; 2,400 train / 600 test rows',
  );
  const big = { name: 'big.npy', train: rows(20000), test: rows(5000) } as CompareData;
  assert.equal(
    headerLine(s, big),
    'compare: PCA, Isomap at d = 2 on big.npy; 20,000 train / 5,000 test rows (Isomap 10,000 / 2,000)',
  );
  // The parenthesis names exactly the methods on the smaller sample.
  const s2 = resolveCompareSettings({ methods: ['pca', 'umap', 'tsne'], dims: [2] });
  assert.equal(
    headerLine(s2, big),
    'compare: PCA, UMAP, t-SNE at d = 2 on big.npy; 20,000 train / 5,000 test rows (UMAP, t-SNE 10,000 / 2,000)',
  );
});

test("flagNames turns the reducers' option names into the flag the user types", () => {
  assert.equal(
    flagNames('the kNN graph with nNeighbors=3 has 3 components; increase nNeighbors'),
    'the kNN graph with --n-neighbors=3 has 3 components; increase --n-neighbors',
  );
});
