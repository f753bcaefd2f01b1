/**
 * Readers of test/golden/tsne_sklearn.json (made by test/golden/tsne_sklearn.py with
 * scikit-learn 1.2) for the t-SNE and UMAP tests, and the leave-one-out 5-NN accuracy the
 * script reports for scikit-learn's embeddings.
 */
import { readFileSync } from 'node:fs';
import { knn } from '../../src/linalg/knn.js';
import { matrix, type Matrix, type Matrix32 } from '../../src/util/matrix.js';

interface GoldenMatrix {
  rows: number;
  cols: number;
  data: number[];
}

/** The parsed golden file. */
export interface EmbeddingGolden {
  sklearn: string;
  tiny: {
    x: GoldenMatrix;
    perplexity: number;
    k: number;
    p_nn: GoldenMatrix;
    p_dense: GoldenMatrix;
  };
  blobs: {
    x: GoldenMatrix;
    labels: number[];
    tsne_exact: { trustworthiness: number; knn_accuracy: number };
    tsne_barnes_hut: { trustworthiness: number; knn_accuracy: number };
  };
}

let cache: EmbeddingGolden | undefined;

/** The golden values, parsed once. */
export function embeddingGolden(): EmbeddingGolden {
  cache ??= JSON.parse(
    readFileSync(new URL('../golden/tsne_sklearn.json', import.meta.url), 'utf8'),
  ) as EmbeddingGolden;
  return cache;
}

/** A golden matrix as float32 (exact: the script writes float32-representable inputs). */
export function golden32(m: GoldenMatrix): Matrix32 {
  return matrix(m.rows, m.cols, Float32Array.from(m.data));
}

/** A golden matrix as float64. */
export function golden64(m: GoldenMatrix): Matrix {
  return matrix(m.rows, m.cols, Float64Array.from(m.data));
}

/** Leave-one-out k-NN accuracy of an embedding (majority of the k nearest others, ties to the smaller label). */
export async function looAccuracy(
  z: Matrix<Float32Array | Float64Array>,
  labels: ArrayLike<number>,
  k = 5,
): Promise<number> {
  const nb = await knn(z, k);
  let right = 0;
  for (let i = 0; i < z.rows; i++) {
    const votes = new Map<number, number>();
    for (let t = 0; t < k; t++) {
      const l = labels[nb.indices[i * k + t]];
      votes.set(l, (votes.get(l) ?? 0) + 1);
    }
    let best = -1;
    let bestVotes = -1;
    for (const [l, v] of votes)
      if (v > bestVotes || (v === bestVotes && l < best)) [best, bestVotes] = [l, v];
    if (best === labels[i]) right++;
  }
  return right / z.rows;
}
