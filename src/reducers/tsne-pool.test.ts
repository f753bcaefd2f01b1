// The Barnes-Hut gradient on several threads (tsne-pool.ts) against the one-thread loops: the
// same gradient and KL bit for bit (each point's sums come from one thread in the same order,
// Z is summed in index order), in 2-d and 3-d, with and without the KL; a whole TSNE fit the same bit for bit for nJobs
// 1 and 3; the pool refused where it cannot run; misuse of nJobs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { embeddingGolden, golden32 } from '../../test/helpers/embedding-golden.js';
import { csrFromTriplets } from '../linalg/sparse.js';
import { Rng } from '../util/rng.js';
import { BarnesHutWorkspace, klGradientBarnesHut } from './tsne-gradient.js';
import { RepulsionPool } from './tsne-pool.js';
import { TSNE } from './tsne.js';

/** A random sparse symmetric P (about 20 entries a row, sum 1) and a clustered random layout. */
function problem(n: number, dim: number, seed: number) {
  const rng = new Rng(seed);
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  for (let i = 0; i < n; i++)
    for (let t = 0; t < 10; t++) {
      const j = rng.int(n);
      if (j === i) continue;
      const w = rng.random();
      r.push(i, j);
      c.push(j, i);
      v.push(w, w);
    }
  const s = v.reduce((a, b) => a + b, 0);
  const p = csrFromTriplets(
    n,
    n,
    r,
    c,
    v.map((w) => w / s),
  );
  const y = new Float64Array(n * dim).map((_, t) => rng.normal() + 5 * (Math.floor(t / dim) % 4));
  return { p, y };
}

test('the pooled gradient is the one-thread gradient and KL bit for bit (2-d, 3-d; 3 threads)', async () => {
  for (const dim of [2, 3]) {
    const n = 1500;
    const dof = Math.max(dim - 1, 1);
    const { p, y } = problem(n, dim, dim);
    const pool = await RepulsionPool.start(p, dim, 0.5, dof, 3);
    try {
      assert.equal(pool.threads, 3);
      const ws = new BarnesHutWorkspace(n, dim, pool);
      const ws1 = new BarnesHutWorkspace(n, dim);
      // With the KL (attraction on the calling thread), then without (attraction on the pool),
      // then again: the workers and their trees are reused.
      for (const computeError of [true, false, false]) {
        const one = new Float64Array(n * dim);
        const klOne = klGradientBarnesHut(p, y, n, dim, dof, 0.5, computeError, one, ws1);
        const many = new Float64Array(n * dim);
        const kl = klGradientBarnesHut(pool.p, y, n, dim, dof, 0.5, computeError, many, ws);
        assert.deepEqual(many, one, `gradient, dim ${dim}, computeError ${computeError}`);
        assert.ok(Object.is(kl, klOne), `KL ${kl} vs ${klOne}`);
      }
    } finally {
      await pool.close();
      await pool.close();
    }
  }
});

test('TSNE (Barnes-Hut) gives the same map bit for bit with nJobs 1 and 3', async () => {
  const x = golden32(embeddingGolden().blobs.x);
  const run = (nJobs: number) =>
    new TSNE({ method: 'barnes_hut', nIter: 300, seed: 0, nJobs }).fitTransform(x);
  const a = await run(1);
  const b = await run(3);
  assert.deepEqual(b.data, a.data);
});

test('misuse: nJobs must be an integer from 1 to 256', () => {
  assert.throws(() => new TSNE({ nJobs: 0 }), {
    name: 'ConfigError',
    message: 'nJobs must be an integer in 1..256, got 0',
  });
  assert.throws(() => new TSNE({ nJobs: 1.5 }), /nJobs must be an integer in 1\.\.256, got 1\.5/);
});
