// t-SNE's optimiser on a problem with a known answer: f(y) = ½‖y − c‖² (gradient y − c) is
// driven to its minimum c, and the run stops early once the gained gradient's norm is below
// minGradNorm (checked, as scikit-learn, only every 50 iterations).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose } from '../../test/helpers/close.js';
import { gradientDescent } from './tsne-descent.js';

test('gradientDescent reaches the minimum of a quadratic and stops at the next check', () => {
  const c = Float64Array.of(3, -1, 0.5, 2);
  const y = new Float64Array(4);
  const f = (yy: Float64Array, computeError: boolean, grad: Float64Array): number => {
    let e = 0;
    for (let t = 0; t < 4; t++) {
      grad[t] = yy[t] - c[t];
      e += 0.5 * grad[t] ** 2;
    }
    return computeError ? e : NaN;
  };
  const res = gradientDescent(y, f, {
    from: 0,
    to: 1000,
    momentum: 0.5,
    learningRate: 0.1,
    withoutProgress: 300,
    minGradNorm: 1e-9,
  });
  // Stopped at a check (iteration 49, 99, ...) well before 1000, within 1e-9 of c.
  assert.equal((res.it + 1) % 50, 0);
  assert.ok(res.it < 999);
  assertClose(y, c, { atol: 1e-9, what: 'y' });
  assert.ok(res.error < 1e-18);
});
