/**
 * True against estimated intrinsic dimension over the synthetic manifolds of data/manifold.ts
 * (linear, sphere, smooth; d = 1..10 embedded in D = 24 dimensions; noise-free and with light
 * isotropic noise): the AE estimate, MLE (calibrated by default, and plain Levina-Bickel), TwoNN
 * and PCA's 90% / 95% counts of intrinsic-dim.ts for each case, and the share of cases each estimator gets within ±1 of the truth
 * (|estimate − d| <= 1 on the unrounded value; a missing estimate counts as a miss).
 * Cases are independent and seeded, so they run `concurrency` at a time with the same result.
 */
import { manifold, type ManifoldKind } from '../../data/manifold.js';
import type { MleVariant } from '../../metrics/intrinsic-dim.js';
import { checkInt, checkNumber } from '../../util/check.js';
import { sliceRows, toFloat32 } from '../../util/matrix.js';
import {
  estimateIntrinsicDim,
  range,
  type AeSweepStep,
  type EstimateOptions,
} from './estimators.js';

/** Options of the synthetic table. */
export interface DimTableOptions extends EstimateOptions {
  kinds?: ManifoldKind[];
  /** Intrinsic dimensions (default 1..10). */
  dims?: number[];
  /** Ambient dimension (default 24). */
  ambient?: number;
  /** Training points per case (default 2000), and held-out points for the AE (default n/4). */
  n?: number;
  nTest?: number;
  /** Noise levels, sd per coordinate (default [0, 0.01]). */
  noiseLevels?: number[];
  /** Cases run at the same time (default 2, at most the backend's threads). */
  concurrency?: number;
  onCase?: (row: DimTableRow) => void;
}

/** One manifold and every estimate of its dimension. */
export interface DimTableRow {
  kind: ManifoldKind;
  d: number;
  ambient: number;
  noise: number;
  n: number;
  ae: number | null;
  aeKneedle: number | null;
  /** MLE of `settings.mleVariant` (default calibrated), and the plain Levina-Bickel value. */
  mle: number;
  mlePlain: number;
  twoNN: number;
  pca90: number;
  pca95: number;
  /** The AE sweep (held-out MSE per latent size, k = 0 first). */
  curve: { latent: number; testMse: number }[];
  seconds: number;
}

/** The table's settings as run (for the report). */
export interface DimTableSettings {
  kinds: ManifoldKind[];
  dims: number[];
  n: number;
  nTest: number;
  ambient: number;
  noiseLevels: number[];
  latentSizes: number[];
  epochs: number;
  hiddenLayers: number[];
  concurrency: number;
  saturationFraction: number;
  mleK1: number;
  mleK2: number;
  mleVariant: MleVariant;
}

/** Estimators scored in the summary. */
export const ESTIMATORS = ['ae', 'mle', 'mlePlain', 'twoNN', 'pca90', 'pca95'] as const;
/** One of ESTIMATORS. */
export type EstimatorName = (typeof ESTIMATORS)[number];

/** Share of cases within ±1, per estimator, for one group of rows. */
export interface PassRates {
  group: string;
  cases: number;
  within: Record<EstimatorName, number>;
}

/** Whether an estimate is within ±1 of d. */
export function withinOne(estimate: number | null, d: number): boolean {
  return estimate !== null && Number.isFinite(estimate) && Math.abs(estimate - d) <= 1;
}

/**
 * Runs every (kind, d, noise) case.
 * @throws ConfigError on options out of range; TrainingDivergedError when an AE diverges
 * @example
 * const { rows } = await dimTable({ kinds: ['linear'], dims: [2], noiseLevels: [0] }); // rows[0].ae === 2 (returns { rows, settings })
 */
export async function dimTable(
  opts: DimTableOptions = {},
): Promise<{ rows: DimTableRow[]; settings: DimTableSettings }> {
  const kinds = opts.kinds ?? ['linear', 'sphere', 'smooth'];
  const dims = opts.dims ?? range(1, 10);
  const D = checkInt('ambient', opts.ambient ?? 24, 2);
  const n = checkInt('n', opts.n ?? 2000, 30);
  const nTest = checkInt('nTest', opts.nTest ?? Math.round(n / 4), 2);
  const noiseLevels = opts.noiseLevels ?? [0, 0.01];
  noiseLevels.forEach((s, i) => checkNumber(`noiseLevels[${i}]`, s, 0));
  dims.forEach((d, i) => checkInt(`dims[${i}]`, d, 1, D - 1));
  // Two cases at a time by default, but no more than the backend's threads (--threads 1: one).
  const concurrency = checkInt(
    'concurrency',
    opts.concurrency ?? Math.min(2, opts.backend?.threads ?? 2),
    1,
    16,
  );
  const latentSizes = opts.latentSizes ?? range(1, Math.min(D, 14));
  const settings: DimTableSettings = {
    kinds,
    dims,
    n,
    nTest,
    ambient: D,
    noiseLevels,
    latentSizes,
    epochs: opts.epochs ?? 20,
    hiddenLayers: opts.hiddenLayers ?? [64],
    concurrency,
    saturationFraction: opts.saturationFraction ?? 0.5,
    mleK1: opts.mleK1 ?? 10,
    mleK2: opts.mleK2 ?? 20,
    mleVariant: opts.mleVariant ?? 'calibrated',
  };
  const cases = noiseLevels.flatMap((noise) =>
    kinds.flatMap((kind) => dims.map((d) => ({ kind, d, noise }))),
  );
  const rows: DimTableRow[] = new Array<DimTableRow>(cases.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < cases.length) {
      const i = next++;
      const { kind, d, noise } = cases[i];
      const started = performance.now();
      // One seed per (kind, d): the noisy case is the noise-free one plus noise.
      const data = manifold(kind, d, D, n + nTest, { seed: 1000 * kinds.indexOf(kind) + d, noise });
      const x = toFloat32(data.x);
      const r = await estimateIntrinsicDim(sliceRows(x, 0, n), sliceRows(x, n, n + nTest), {
        ...opts,
        latentSizes,
        seed: opts.seed ?? d,
      });
      rows[i] = {
        kind,
        d,
        ambient: D,
        noise,
        n,
        ae: r.ae.estimate,
        aeKneedle: r.ae.kneedle,
        mle: r.mle.value,
        mlePlain: r.mle.plain,
        twoNN: r.twoNN,
        pca90: r.pca.k90,
        pca95: r.pca.k95,
        curve: [
          { latent: 0, testMse: r.ae.baselineMse },
          ...r.ae.steps.map((s: AeSweepStep) => ({ latent: s.latent, testMse: s.testMse })),
        ],
        seconds: (performance.now() - started) / 1000,
      };
      opts.onCase?.(rows[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, cases.length) }, worker));
  return { rows, settings };
}

/** Pass rates overall, per noise level and per kind. */
export function passRates(rows: readonly DimTableRow[]): PassRates[] {
  const groups: [string, DimTableRow[]][] = [['all', [...rows]]];
  for (const noise of [...new Set(rows.map((r) => r.noise))])
    groups.push([
      noise === 0 ? 'noise-free' : `noise ${noise}`,
      rows.filter((r) => r.noise === noise),
    ]);
  for (const kind of [...new Set(rows.map((r) => r.kind))])
    groups.push([kind, rows.filter((r) => r.kind === kind)]);
  return groups.map(([group, rs]) => {
    const within = {} as Record<EstimatorName, number>;
    for (const e of ESTIMATORS)
      within[e] = rs.length > 0 ? rs.filter((r) => withinOne(r[e], r.d)).length / rs.length : NaN;
    return { group, cases: rs.length, within };
  });
}
