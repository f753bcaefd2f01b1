/**
 * `aedr intrinsic-dim` as a library call: the synthetic true-vs-estimated table
 * (intrinsic-dim-table.ts), the estimates for one data set (intrinsic-dim-data.ts), or both.
 * `quick` shrinks the table (d in {1, 4}, 500 points, latent 1..7, 10 epochs) for smoke tests.
 */
import { ConfigError } from '../../errors.js';
import type { ComputeBackend } from '../../linalg/backend.js';
import { dataIntrinsicDim, type DataDimOptions, type DataDimResult } from './data.js';
import {
  dimTable,
  passRates,
  type DimTableOptions,
  type DimTableRow,
  type DimTableSettings,
  type PassRates,
} from './table.js';
import { range } from './estimators.js';

/** Options of `runIntrinsicDimExperiment`. */
export interface IntrinsicDimOptions {
  /** Run the synthetic table (default: true unless `data` is given). */
  synthetic?: boolean;
  table?: DimTableOptions;
  /** 'mnist' or a data file path. */
  data?: string;
  dataOptions?: DataDimOptions;
  quick?: boolean;
  onProgress?: (line: string) => void;
  /** The metrics' and PCA's backend (its threads cap the AEs'), and the AEs' spinning. */
  compute?: { backend?: ComputeBackend; spin?: boolean };
}

/** The table and its pass rates, and/or one data set's estimates. */
export interface IntrinsicDimReport {
  table?: { rows: DimTableRow[]; rates: PassRates[]; settings: DimTableSettings };
  data?: DataDimResult;
  seconds: number;
}

/** The reduced table of `quick` runs. */
export const QUICK_TABLE: Readonly<DimTableOptions> = Object.freeze({
  dims: [1, 4],
  n: 500,
  latentSizes: range(1, 7),
  epochs: 10,
});

/**
 * Runs the table and/or the data set.
 * @throws ConfigError when neither is asked for; what the parts throw
 * @example
 * const r = await runIntrinsicDimExperiment({ quick: true }); // r.table.rates[0].within.ae
 */
export async function runIntrinsicDimExperiment(
  opts: IntrinsicDimOptions = {},
): Promise<IntrinsicDimReport> {
  const started = performance.now();
  const say = opts.onProgress ?? (() => undefined);
  const synthetic = opts.synthetic ?? opts.data === undefined;
  if (!synthetic && opts.data === undefined)
    throw new ConfigError('nothing to run: give a data set or ask for the synthetic table');
  const out: IntrinsicDimReport = { seconds: 0 };
  if (opts.data !== undefined) {
    out.data = await dataIntrinsicDim(opts.data, {
      ...(opts.quick ? { n: 1000, nTest: 500, epochs: 3 } : {}),
      ...opts.dataOptions,
      ...opts.compute,
      onStep: (s) =>
        say(
          `${opts.data} latent ${s.latent}: test MSE ${s.testMse.toPrecision(4)}` +
            (s.knnAccuracy !== undefined ? `, kNN accuracy ${s.knnAccuracy.toFixed(4)}` : '') +
            ` (${s.seconds.toFixed(1)} s)`,
        ),
    });
  }
  if (synthetic) {
    const t: DimTableOptions = { ...(opts.quick ? QUICK_TABLE : {}), ...opts.table };
    const { rows, settings } = await dimTable({
      ...t,
      ...opts.compute,
      onCase: (r) =>
        say(
          `${r.kind} d=${r.d} noise ${r.noise}: AE ${r.ae ?? 'none'}, MLE ${r.mle.toFixed(2)}, TwoNN ${r.twoNN.toFixed(2)}, PCA ${r.pca90}/${r.pca95} (${r.seconds.toFixed(1)} s)`,
        ),
    });
    out.table = { rows, rates: passRates(rows), settings };
  }
  out.seconds = (performance.now() - started) / 1000;
  return out;
}
