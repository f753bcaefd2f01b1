/**
 * Central-difference gradient check of a scalar graph output through the float64 reference
 * interpreter (graph/evaluate.ts): the analytic gradients of `loss` with respect to `wrt` are
 * compared with (f(x + h) - f(x - h)) / 2h for every element, the other feeds held fixed.
 */
import assert from 'node:assert/strict';
import { gradients } from '../../src/graph/autodiff.js';
import { evaluate, type Value } from '../../src/graph/evaluate.js';
import type { Graph } from '../../src/graph/graph.js';
import type { Tensor } from '../../src/graph/tensor.js';
import { assertClose } from './close.js';

/** Asserts d loss / d t matches central differences for each t of `wrt` (h = 1e-6 by default). */
export function checkGradients(
  g: Graph,
  loss: Tensor,
  wrt: readonly Tensor[],
  feeds: Record<string, Value>,
  { h = 1e-6, atol = 1e-7, rtol = 1e-6 }: { h?: number; atol?: number; rtol?: number } = {},
): void {
  const grads = gradients(g, loss, wrt);
  const analytic = evaluate(g, feeds, grads);
  wrt.forEach((x, i) => {
    const v = feeds[x.name];
    const numeric = new Float64Array(v.data.length);
    for (let j = 0; j < numeric.length; j++) {
      const base = v.data[j];
      v.data[j] = base + h;
      const up = evaluate(g, feeds, [loss])[0].data[0];
      v.data[j] = base - h;
      const down = evaluate(g, feeds, [loss])[0].data[0];
      v.data[j] = base;
      numeric[j] = (up - down) / (2 * h);
    }
    assert.deepEqual(analytic[i].shape, v.shape, `gradient shape of ${x.name}`);
    assertClose(analytic[i].data, numeric, { atol, rtol, what: `d loss / d ${x.name}` });
  });
}
