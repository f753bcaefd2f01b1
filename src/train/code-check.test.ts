import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matrix } from '../util/matrix.js';
import { checkCodes, codeCheckWarning } from './code-check.js';

test('checkCodes finds dead (all 0) and constant units and leaves live ones', () => {
  // unit 0 live, 1 dead, 2 constant 0.5, 3 constant up to float32 rounding, 4 live but mostly 0
  const z = matrix(
    3,
    5,
    Float32Array.from([1, 0, 0.5, 3, 0, 2, 0, 0.5, 3.0000002, 0, 3, 0, 0.5, 3, 1e-3]),
  );
  const c = checkCodes(z);
  assert.deepEqual(c, { units: 5, dead: [1], constant: [2, 3], rows: 3 });
  const msg = codeCheckWarning(c, 'relu');
  assert.match(
    msg ?? '',
    /^3 of 5 code units carry no information: 1 always 0 \(units 1\), 2 constant \(units 2, 3\); .*--code-activation linear/,
  );
});

test('checkCodes on healthy codes gives no warning', () => {
  const z = matrix(2, 2, Float32Array.from([0, 1, 1, 0]));
  const c = checkCodes(z);
  assert.deepEqual([c.dead, c.constant], [[], []]);
  assert.equal(codeCheckWarning(c, 'linear'), undefined);
});
