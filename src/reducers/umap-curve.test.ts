// UMAP's a/b fit against umap-learn 0.5's find_ab_params (scipy curve_fit), whose values for the
// defaults are a = 1.5769434603113077, b = 0.8950608781227859 (umap-learn's UMAP(min_dist=0.1,
// spread=1)._a/_b); and the fit's own property: it minimises the squared error it states.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose } from '../../test/helpers/close.js';
import { findAbParams } from './umap-curve.js';

test("findAbParams(spread 1, minDist 0.1) equals umap-learn's a, b within 1e-6", () => {
  const { a, b } = findAbParams(1, 0.1);
  // scipy's MINPACK stops at xtol 1.5e-8 relative; measured |diff| 1.6e-7 on each.
  assertClose(a, 1.5769434603113077, { atol: 1e-6, what: 'a' });
  assertClose(b, 0.8950608781227859, { atol: 1e-6, what: 'b' });
});

test('the fitted a, b are a least-squares minimum: no nearby point fits better', () => {
  for (const [spread, minDist] of [
    [1, 0.5],
    [2, 0],
    [0.5, 0.25],
  ]) {
    const { a, b } = findAbParams(spread, minDist);
    const cost = (aa: number, bb: number): number => {
      let s = 0;
      for (let i = 0; i < 300; i++) {
        const x = (3 * spread * i) / 299;
        const y = x < minDist ? 1 : Math.exp(-(x - minDist) / spread);
        s += (1 / (1 + aa * x ** (2 * bb)) - y) ** 2;
      }
      return s;
    };
    const c = cost(a, b);
    for (const [da, db] of [
      [1e-4, 0],
      [-1e-4, 0],
      [0, 1e-4],
      [0, -1e-4],
    ])
      assert.ok(cost(a + da, b + db) > c, `spread ${spread}, minDist ${minDist}: (${da}, ${db})`);
  }
});
