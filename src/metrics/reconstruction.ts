/**
 * Reconstruction error of an encoder/decoder (or of PCA's inverse transform): mean squared
 * error per entry (per pixel for images) and per sample, and the explained variance
 * 1 − SSE/SST with SST taken around the column means of X and both sums pooled over all
 * columns: scikit-learn 1.2's `r2_score(X, Xhat, multioutput='variance_weighted')` (not
 * `explained_variance_score`, which also subtracts the residuals' mean).
 */
import { NumericalError, ShapeError } from '../errors.js';
import type { AnyMatrix } from '../linalg/distances.js';
import { checkFinite, checkMatrix } from '../util/check.js';

/** Mean squared error over all entries, and each row's mean over its columns. */
export interface ReconstructionError {
  mse: number;
  perSample: Float64Array;
}

/**
 * Mean squared error between X and its reconstruction, overall and per sample (float64).
 * @throws ShapeError unless X and Xhat have the same shape; DataError on NaN/Inf.
 */
export function reconstructionMse(X: AnyMatrix, Xhat: AnyMatrix): ReconstructionError {
  checkSameShape('reconstructionMse', X, Xhat);
  const d = X.cols;
  const perSample = new Float64Array(X.rows);
  let total = 0;
  for (let i = 0; i < X.rows; i++) {
    let s = 0;
    for (let p = i * d, e = p + d; p < e; p++) {
      const t = X.data[p] - Xhat.data[p];
      s += t * t;
    }
    total += s;
    perSample[i] = s / d;
  }
  return { mse: total / (X.rows * d), perSample };
}

/**
 * 1 − Σ(X − Xhat)² / Σ(X − column mean of X)²: the share of X's total variance reconstructed.
 * @throws ShapeError unless same shape; DataError on NaN/Inf; NumericalError when X is constant.
 */
export function explainedVariance(X: AnyMatrix, Xhat: AnyMatrix): number {
  checkSameShape('explainedVariance', X, Xhat);
  const { rows, cols } = X;
  const mean = new Float64Array(cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) mean[j] += X.data[i * cols + j];
  for (let j = 0; j < cols; j++) mean[j] /= rows;
  let sse = 0;
  let sst = 0;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const x = X.data[i * cols + j];
      sse += (x - Xhat.data[i * cols + j]) ** 2;
      sst += (x - mean[j]) ** 2;
    }
  }
  if (sst === 0) {
    throw new NumericalError(
      `explainedVariance: X has zero total variance (every column constant over ${rows} rows); the ratio is undefined`,
    );
  }
  return 1 - sse / sst;
}

function checkSameShape(what: string, X: AnyMatrix, Xhat: AnyMatrix): void {
  checkMatrix(`${what} X`, X);
  if (X.rows !== Xhat.rows || X.cols !== Xhat.cols) {
    throw new ShapeError(
      `${what}: Xhat must have the shape of X (${X.rows} x ${X.cols}), got ${Xhat.rows} x ${Xhat.cols}`,
    );
  }
  checkFinite(`${what} X`, X);
  checkFinite(`${what} Xhat`, Xhat);
}
