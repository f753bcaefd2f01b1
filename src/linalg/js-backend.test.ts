// The pure-JS backend: what it is (no optional kernels, no fast gemm, nothing to release), its
// thread count, and misuse.
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { test } from 'node:test';
import { matrix } from '../util/matrix.js';
import { createJsBackend, jsBackend } from './js-backend.js';
import { productSync } from './product.js';

test('jsBackend runs the JS kernels on every core and holds nothing', async () => {
  assert.equal(jsBackend.name, 'js');
  assert.equal(jsBackend.threads, availableParallelism());
  assert.equal(jsBackend.fastGemm, false);
  assert.equal(jsBackend.nearest, undefined);
  assert.equal(jsBackend.groupedScatter, undefined);
  const a = matrix(2, 3, Float32Array.of(1, 2, 3, 4, 5, 6));
  // Small integers: the float64-accumulated product is exact.
  assert.deepEqual((await jsBackend.product(a, a)).data, productSync(a, a).data);
  await jsBackend.dispose();
  await jsBackend.dispose();
  assert.deepEqual((await jsBackend.product(a, a)).data, Float32Array.of(14, 32, 32, 77));
  assert.equal(createJsBackend({ threads: 1 }).threads, 1);
});

test('createJsBackend rejects a thread count that is not a positive integer', () => {
  for (const threads of [0, 2.5])
    assert.throws(() => createJsBackend({ threads }), {
      name: 'ConfigError',
      message: new RegExp(`threads must be an integer >= 1, got ${threads}`),
    });
});
