/**
 * The seeded validation hold-out: like scikit-learn's train_test_split with a random_state
 * (and unlike Keras' validation_split, which takes the last rows unshuffled), ceil(fraction * n)
 * rows are drawn at random from the seed's own stream, so the split is the same on every run
 * and on resume, and draws nothing from the shuffling stream.
 */
import { ConfigError } from '../errors.js';
import { matrix, type Matrix32 } from '../util/matrix.js';
import { Rng } from '../util/rng.js';

/** The PCG32 stream of the split (the shuffling uses the default stream). */
const SPLIT_STREAM = 7;

/** The training rows and the held-out rows, each in their original order. @throws ConfigError when either part would be empty */
export function splitValidation(
  x: Matrix32,
  fraction: number,
  seed: number,
): { train: Matrix32; val: Matrix32 } {
  const nVal = Math.ceil(fraction * x.rows);
  if (nVal < 1 || nVal >= x.rows)
    throw new ConfigError(
      `validationSplit ${fraction} of ${x.rows} rows leaves ${nVal} validation and ${x.rows - nVal} training rows; both need at least 1`,
    );
  const perm = new Rng(seed, SPLIT_STREAM).permutation(x.rows);
  const isVal = new Uint8Array(x.rows);
  for (let i = 0; i < nVal; i++) isVal[perm[i]] = 1;
  const c = x.cols;
  const train = new Float32Array((x.rows - nVal) * c);
  const val = new Float32Array(nVal * c);
  let t = 0;
  let v = 0;
  for (let r = 0; r < x.rows; r++) {
    const row = x.data.subarray(r * c, (r + 1) * c);
    if (isVal[r]) val.set(row, c * v++);
    else train.set(row, c * t++);
  }
  return { train: matrix(x.rows - nVal, c, train), val: matrix(nVal, c, val) };
}
