import { test } from 'node:test';
import assert from 'node:assert/strict';
import { activationValues, rowsPerCall, stackSpec } from '../nn/autoencoder-spec.js';
import { convShorthand } from '../nn/layer-spec.js';

test('evaluation chunks: 10,000 rows for dense stacks, fewer for the conv tutorial model', () => {
  const dense = stackSpec(784, [50]);
  assert.equal(activationValues(dense), 784 + 50 + 784);
  assert.equal(rowsPerCall(dense, 10000), 10000);
  // 28x28x1 -> 14x14x16 -> 7x7x8 -> 14x14x8 -> 28x28x16 -> 28x28x1
  const conv = convShorthand('16,8', [28, 28, 1]);
  assert.equal(activationValues(conv), 784 + 3136 + 392 + 1568 + 12544 + 784);
  assert.equal(rowsPerCall(conv, 10000), Math.floor(2 ** 25 / 19208));
  assert.equal(rowsPerCall(conv, 1000), 1000);
});
