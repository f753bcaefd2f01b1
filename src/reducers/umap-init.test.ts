// UMAP's starts: the spectral layout against the dense eigenvectors of the normalized Laplacian
// (eigenvectors 2..dim+1 by increasing eigenvalue, scaled so the largest |coordinate| is 10),
// none for a disconnected graph (the caller starts at random), and the random layout's range.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose } from '../../test/helpers/close.js';
import { symmetricEigen } from '../linalg/eigen-sym.js';
import { csrFromTriplets } from '../linalg/sparse.js';
import { matrix } from '../util/matrix.js';
import { Rng } from '../util/rng.js';
import { randomLayout, rescaleColumns, spectralLayout } from './umap-init.js';

/** A ring of n nodes, each joined to its two neighbours on each side with weights 1 and 0.5. */
function ring(n: number, cut = false) {
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  for (let i = 0; i < n; i++) {
    for (const [step, w] of [
      [1, 1],
      [2, 0.5],
    ]) {
      const j = (i + step) % n;
      // cut: no edge crosses between the halves [0, n/2) and [n/2, n), or wraps around.
      if (cut && i < n / 2 !== j < n / 2) continue;
      r.push(i, j);
      c.push(j, i);
      v.push(w, w);
    }
  }
  return csrFromTriplets(n, n, r, c, v);
}

test('the spectral layout spans the Laplacian eigenvectors 2 and 3 (dense solver), max |coordinate| 10', () => {
  // A ring with random chords and weights: connected, no repeated eigenvalue (a plain ring's
  // cos/sin pair is one, and single-vector Lanczos finds one vector of such a pair).
  const n = 60;
  const rng = new Rng(5);
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  const edge = (i: number, j: number, w: number): void => {
    r.push(i, j);
    c.push(j, i);
    v.push(w, w);
  };
  for (let i = 0; i < n; i++) edge(i, (i + 1) % n, 0.5 + rng.random());
  for (let t = 0; t < 30; t++) edge(rng.int(n), rng.int(n), 0.2 * rng.random());
  const g = csrFromTriplets(n, n, r, c, v);
  const y = spectralLayout(g, 2, new Rng(1));
  assert.ok(y !== undefined);
  // Dense L = I − D^(−1/2) W D^(−1/2), its eigenvectors by increasing eigenvalue.
  const deg = new Float64Array(n);
  for (let i = 0; i < n; i++)
    for (let p = g.indptr[i]; p < g.indptr[i + 1]; p++) deg[i] += g.values[p];
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    l[i * n + i] += 1;
    for (let p = g.indptr[i]; p < g.indptr[i + 1]; p++) {
      const j = g.indices[p];
      l[i * n + j] -= g.values[p] / Math.sqrt(deg[i] * deg[j]);
    }
  }
  const eig = symmetricEigen(matrix(n, n, l));
  let maxAbs = 0;
  for (let col = 0; col < 2; col++) {
    const u = Array.from({ length: n }, (_, i) => y[2 * i + col]);
    maxAbs = Math.max(maxAbs, ...u.map(Math.abs));
    const e = eig.vectors.data.subarray((col + 1) * n, (col + 2) * n);
    let dot = 0;
    let uu = 0;
    for (let i = 0; i < n; i++) {
      dot += u[i] * e[i];
      uu += u[i] * u[i];
    }
    // |cos| of the angle to the eigenvector: 1 up to Lanczos' tol 1e-4 and the 1e-4 noise.
    assertClose(Math.abs(dot) / Math.sqrt(uu), 1, { atol: 1e-4, what: `column ${col}` });
  }
  assert.ok(Math.abs(maxAbs - 10) < 1e-3, `largest |coordinate| ${maxAbs}`);
});

test('a disconnected graph has no spectral layout; the random one is uniform in [-10, 10]', () => {
  assert.equal(spectralLayout(ring(100, true), 2, new Rng(1)), undefined);
  const y = randomLayout(500, 2, new Rng(1));
  assert.ok(y.every((v) => v >= -10 && v < 10));
  rescaleColumns(y, 2);
  for (let c = 0; c < 2; c++) {
    const col = Array.from({ length: 500 }, (_, i) => y[2 * i + c]);
    assert.equal(Math.min(...col), 0);
    assert.ok(Math.abs(Math.max(...col) - 10) < 1e-12);
  }
});
