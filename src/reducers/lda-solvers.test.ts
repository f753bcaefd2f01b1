// The svd solver's two routes (truncated pseudo-inverse through a pivoted Cholesky, and all
// eigenvalues of the scaled within-class Gram) on the same data: the same scalings up to
// per-component sign, the same ratios. The data are scikit-learn's golden sets (lda: full rank;
// lda_singular: constant and duplicated features, so exact zero eigenvalues).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClose } from '../../test/helpers/close.js';
import { jsBackend } from '../linalg/js-backend.js';
import { groupMeans } from '../linalg/scatter.js';
import { input32, section } from '../../test/helpers/reducers-golden.js';
import { solveSvd } from './lda-solvers.js';

for (const name of ['lda', 'lda_singular']) {
  test(`LDA svd solver: the pseudo-inverse route equals the eigenvalue route on ${name}`, async () => {
    const s = section(name);
    const x = input32(s.x);
    const y = Int32Array.from(s.y as number[]);
    const k = Math.max(...y) + 1;
    const gm = groupMeans(x, y, k);
    const n = x.rows;
    const priors = Float64Array.from(gm.counts, (c) => c / n);
    const xbar = new Float64Array(x.cols);
    for (let c = 0; c < k; c++)
      for (let j = 0; j < x.cols; j++) xbar[j] += priors[c] * gm.means.data[c * x.cols + j];
    const fast = await solveSvd(jsBackend, x, y, gm, priors, xbar, 1e-4);
    const slow = await solveSvd(jsBackend, x, y, gm, priors, xbar, 1e-4, 'eigen');
    const { rows: d, cols: r } = slow.scalings;
    assert.equal(fast.scalings.cols, r);
    for (let c = 0; c < r; c++) {
      const a = Float64Array.from({ length: d }, (_, j) => fast.scalings.data[j * r + c]);
      const b = Float64Array.from({ length: d }, (_, j) => slow.scalings.data[j * r + c]);
      const dot = a.reduce((acc, v, j) => acc + v * b[j], 0);
      const sign = dot < 0 ? -1 : 1;
      const scale = Math.max(...b.map(Math.abs));
      // Same formula, different factorisations: agreement to rounding of the eigen-solve.
      assertClose(
        a.map((v) => sign * v),
        b,
        { atol: 1e-9 * scale, rtol: 1e-9, what: `${name} scalings column ${c}` },
      );
    }
    assertClose(fast.explainedVarianceRatio, slow.explainedVarianceRatio, {
      atol: 1e-12,
      what: `${name} ratios`,
    });
  });
}
