// The reducer golden file's provenance (the values themselves are read by
// test/helpers/reducers-golden.ts for the reducer tests).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { golden } from '../../test/helpers/reducers-golden.js';

test('the reducer golden file was made by scikit-learn 1.2', () => {
  assert.match(String(golden().sklearn), /^1\.2\./);
});
