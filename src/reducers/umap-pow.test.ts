// The table power against Math.pow: relative error below 1e-7 (linear interpolation: h²·b·|b − 1|/8, h = 1/2048) over x in [1e-20, 1e20] for the
// exponents UMAP fits (b from 0.5 to 2), exact at powers of two, and Math.pow's own value for
// subnormal-range x.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { powTable } from './umap-pow.js';

test('powTable(b)(x) equals Math.pow(x, b) within 1e-7 relative over 40 decades', () => {
  for (const b of [0.5, 0.7904946605805112, 0.8950608781227859, 1, 1.334167383260748, 2]) {
    const pow = powTable(b);
    let worst = 0;
    let at = 0;
    for (let k = 0; k <= 200000; k++) {
      const x = 10 ** (-20 + (40 * k) / 200000);
      const rel = Math.abs(pow(x) / Math.pow(x, b) - 1);
      if (rel > worst) [worst, at] = [rel, x];
    }
    assert.ok(worst < 1e-7, `b = ${b}: relative error ${worst} at x = ${at}`);
    for (const e of [-30, -1, 0, 1, 7, 40]) assert.equal(pow(2 ** e), Math.pow(2, e * b));
    assert.equal(pow(1e-310), Math.pow(1e-310, b));
  }
});
