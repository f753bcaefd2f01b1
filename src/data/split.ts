/**
 * A seeded random train/test split, like scikit-learn's `train_test_split(shuffle=True)`: the
 * rows are permuted with `Rng(seed)` and the first round(n * testFraction) go to the test set.
 * Both parts keep at least one row. The same seed always gives the same split.
 */
import { ConfigError } from '../errors.js';
import { checkInt, checkNumber } from '../util/check.js';
import { takeRows } from '../util/matrix.js';
import { Rng } from '../util/rng.js';
import type { Dataset } from './dataset.js';

/** Splits `d` into train and test parts; labels and class names follow their rows. @throws ConfigError */
export function trainTestSplit(
  d: Dataset,
  testFraction: number,
  seed: number,
): { train: Dataset; test: Dataset } {
  checkNumber('testFraction', testFraction, 0, 1, { exclusiveMin: true });
  checkInt('seed', seed, -Number.MAX_SAFE_INTEGER);
  const n = d.x.rows;
  const nTest = Math.round(n * testFraction);
  if (nTest < 1 || nTest >= n) {
    throw new ConfigError(
      `testFraction ${testFraction} of ${n} rows gives ${nTest} test and ${n - nTest} train rows; both need at least 1`,
    );
  }
  const perm = new Rng(seed).permutation(n);
  const part = (idx: Uint32Array, name: string): Dataset => {
    const out: Dataset = { x: takeRows(d.x, idx), source: `${d.source} (${name} split)` };
    if (d.labels) out.labels = Int32Array.from(idx, (i) => (d.labels as Int32Array)[i]);
    if (d.labelNames) out.labelNames = d.labelNames;
    return out;
  };
  return {
    train: part(perm.subarray(nTest), 'train'),
    test: part(perm.subarray(0, nTest), 'test'),
  };
}
