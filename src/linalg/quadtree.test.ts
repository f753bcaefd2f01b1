// The Barnes-Hut tree against the direct sums it approximates: with θ = 0 every cell is opened
// down to single points, so Σq and the force equal the all-pairs sums (to rounding, 1e-12
// relative); with θ = 0.5 they stay within a few percent (van der Maaten 2014 reports errors of
// that order); copies of the point itself are left out; 1-, 2- and 3-d.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose } from '../../test/helpers/close.js';
import { Rng } from '../util/rng.js';
import { BarnesHutTree } from './quadtree.js';

/** Direct Σ_{j: y_j ≠ y_i} q and Σ q·u·(y_i − y_j), u = dof/(dof + d²), q = u^((dof+1)/2). */
function direct(y: Float64Array, n: number, dim: number, i: number, dof: number) {
  let sumQ = 0;
  const f = new Float64Array(dim);
  for (let j = 0; j < n; j++) {
    let d2 = 0;
    for (let c = 0; c < dim; c++) d2 += (y[i * dim + c] - y[j * dim + c]) ** 2;
    if (d2 === 0) continue;
    const u = dof / (dof + d2);
    const q = u ** ((dof + 1) / 2);
    sumQ += q;
    for (let c = 0; c < dim; c++) f[c] += q * u * (y[i * dim + c] - y[j * dim + c]);
  }
  return { sumQ, f };
}

function cloud(n: number, dim: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  // Two clusters of different scale, so cells of many sizes occur.
  return new Float64Array(n * dim).map((_, t) => (Math.floor(t / dim) % 2 ? 5 : 0) + rng.normal());
}

for (const dim of [1, 2, 3]) {
  test(`${dim}-d: θ = 0 gives the direct sums; θ = 0.5 within 5%`, () => {
    const n = 300;
    const y = cloud(n, dim, dim);
    const tree = new BarnesHutTree(dim);
    tree.build(y, n);
    assert.ok(tree.cells >= n);
    const dof = Math.max(dim - 1, 1);
    for (const i of [0, 1, 17, 299]) {
      const want = direct(y, n, dim, i, dof);
      const f0 = new Float64Array(dim + 1);
      const s0 = tree.repulsion(y, i, 0, dof, f0, 1);
      assertClose(s0, want.sumQ, { rtol: 1e-12, what: `Σq, point ${i}` });
      assertClose(f0.subarray(1), want.f, { rtol: 1e-10, atol: 1e-12, what: `force, point ${i}` });
      const f5 = new Float64Array(dim);
      const s5 = tree.repulsion(y, i, 0.5 ** 2, dof, f5, 0); // theta2 = θ²
      assertClose(s5, want.sumQ, { rtol: 0.05, what: `Σq θ=0.5, point ${i}` });
      const norm = Math.hypot(...want.f);
      for (let c = 0; c < dim; c++)
        assert.ok(Math.abs(f5[c] - want.f[c]) <= 0.05 * norm, `force θ=0.5, point ${i}`);
    }
  });
}

test('copies of the point and repeated builds: duplicates skipped, arrays reused', () => {
  const y = Float64Array.of(0, 0, 0, 0, 0, 0, 1, 1, 2, 0);
  const tree = new BarnesHutTree(2);
  tree.build(y, 5);
  const f = new Float64Array(2);
  const s = tree.repulsion(y, 0, 0, 1, f, 0);
  // Only (1, 1) at d² = 2 and (2, 0) at d² = 4 count: q = 1/3 and 1/5.
  assertClose(s, 1 / 3 + 1 / 5, { rtol: 1e-15 });
  assertClose(f, [-(1 / 9) - 2 / 25, -(1 / 9)], { rtol: 1e-15 });
  const again = cloud(400, 2, 9);
  tree.build(again, 400);
  // order: a permutation of the points.
  assert.deepEqual(
    Array.from(tree.order).sort((a, b) => a - b),
    Array.from({ length: 400 }, (_, i) => i),
  );
  const g = new Float64Array(2);
  assertClose(tree.repulsion(again, 3, 0, 1, g, 0), direct(again, 400, 2, 3, 1).sumQ, {
    rtol: 1e-12,
  });
});

test('misuse: a dimension other than 1, 2 or 3 is refused', () => {
  assert.throws(() => new BarnesHutTree(4), {
    name: 'ConfigError',
    message: 'BarnesHutTree dim must be 1, 2 or 3, got 4',
  });
});
