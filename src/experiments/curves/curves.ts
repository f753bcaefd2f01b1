/**
 * The curve experiment of Wang, Yao & Zhao, "Auto-encoder based dimensionality reduction",
 * Neurocomputing 184 (2016) 232-242, Figs. 3, 6 and 7: points on a 2-d line and on the
 * logarithmic curve (t, ln t) reduced to 1-d by PCA, LDA, LLE, Isomap and the AE, repeated over
 * seeds. The paper found PCA, LDA and Isomap stable on the log curve and LLE and the AE not.
 * Measured per method and curve:
 * - |Spearman| of each run's 1-d code against the true t (does the code order the points as the
 *   curve does?), summarised over seeds; a method is called stable when every seed reaches
 *   STABLE_SPEARMAN;
 * - run-to-run agreement: |Pearson| between two runs' codes on one shared noise-free evaluation
 *   set (out-of-sample transform), over all pairs of seeds.
 * The same methods also map the swiss roll and S-curve to 2-d, scored by trustworthiness.
 * t-SNE has no transform: on a curve it is fitted on the sample and the evaluation set together
 * (t unused) and its code split back into the two, so its evaluation codes come from the fit.
 */
import { AedrError, ConfigError } from '../../errors.js';
import { sCurve, swissRoll } from '../../data/synthetic.js';
import type { ComputeBackend } from '../../linalg/backend.js';
import { knn } from '../../linalg/knn.js';
import { connectedComponents, undirectedKnnGraph } from '../../linalg/shortest-paths.js';
import { trustworthiness } from '../../metrics/trustworthiness.js';
import type { Reducer } from '../../reducers/reducer.js';
import { checkInt } from '../../util/check.js';
import { matrix, type Matrix32 } from '../../util/matrix.js';
import {
  DEFAULT_SETTINGS,
  generatorSource,
  makeReducer,
  PAPER_METHODS,
  segmentLabels,
  type CurveSource,
  type CurvesCompute,
  type MethodName,
  type MethodSettings,
  type PaperMethod,
} from './methods.js';
import {
  pearson,
  spearman,
  summarize,
  zscore,
  type Summary,
} from '../../metrics/rank-correlation.js';
import { line2d, logCurve2d } from '../../data/synthetic.js';

/** Every seed's |Spearman| must reach this for a method to count as stable on a curve. */
export const STABLE_SPEARMAN = 0.99;

/** The paper's finding on the log curve (Figs. 6-7). */
export const PAPER_STABLE_ON_LOG: Readonly<Record<PaperMethod, boolean>> = {
  pca: true,
  lda: true,
  lle: false,
  isomap: true,
  autoencoder: false,
};

/** One method on one curve with one seed. */
export interface CurveRun {
  method: MethodName;
  curve: string;
  seed: number;
  /** Signed Spearman of the training code against t (NaN when the run failed). */
  spearman: number;
  /** LLE and Isomap: connected components of the undirected kNN graph of the sample. */
  graphComponents?: number;
  /** Why the reducer failed (e.g. a disconnected neighbour graph), when it did. */
  error?: string;
  /** The training points' t and 1-d codes. */
  t: Float64Array;
  code: Float64Array;
  /** Codes of the shared evaluation set. */
  gridCode: Float64Array;
  seconds: number;
}

/** One method on one curve over all seeds. */
export interface CurveStats {
  method: MethodName;
  curve: string;
  /** Over every run, a failed run counting as 0. */
  absSpearman: Summary;
  failed: number;
  /** Runs whose kNN graph (LLE, Isomap) fell into more than one piece. */
  splitGraphs: number;
  /** |Pearson| between the evaluation-set codes of every pair of runs. */
  agreement: Summary;
  stable: boolean;
  seconds: number;
}

/** Runs every method on `source` for each seed. @throws what the reducers throw */
export async function runCurve(
  source: CurveSource,
  seeds: readonly number[],
  methods: readonly MethodName[] = PAPER_METHODS,
  settings: MethodSettings = DEFAULT_SETTINGS,
  onRun?: (run: CurveRun) => void,
  compute: CurvesCompute = {},
): Promise<{ runs: CurveRun[]; stats: CurveStats[] }> {
  const runs: CurveRun[] = [];
  const samples = seeds.map((s) => source.sample(s));
  for (const method of methods) {
    for (let i = 0; i < seeds.length; i++) {
      const started = performance.now();
      const { x, t } = samples[i];
      const r = makeReducer(method, 1, seeds[i], settings, compute);
      let run: CurveRun;
      try {
        let code: Float64Array;
        let gridCode: Float64Array;
        if (method === 'tsne') {
          const z = await r.fitTransform(stackRows(x, source.grid.x));
          const all = column(z, 0);
          code = all.slice(0, x.rows);
          gridCode = all.slice(x.rows);
        } else {
          code = column(await fitTransform(r, x, t, settings.ldaClasses), 0);
          gridCode = column(await r.transform(source.grid.x), 0);
        }
        run = {
          method,
          curve: source.name,
          seed: seeds[i],
          spearman: spearman(code, t),
          t,
          code,
          gridCode,
          seconds: 0,
        };
      } catch (err) {
        if (!(err instanceof AedrError)) throw err;
        const empty = new Float64Array(0);
        run = {
          method,
          curve: source.name,
          seed: seeds[i],
          spearman: NaN,
          error: err.message,
          t,
          code: empty,
          gridCode: empty,
          seconds: 0,
        };
      } finally {
        await dispose(r);
      }
      if (method === 'lle' || method === 'isomap')
        run.graphComponents = await graphComponents(
          x,
          method === 'lle' ? settings.lleNeighbors : settings.isomapNeighbors,
          compute.backend,
        );
      run.seconds = (performance.now() - started) / 1000;
      runs.push(run);
      onRun?.(run);
    }
  }
  const stats = methods.map((method) => curveStats(runs.filter((r) => r.method === method)));
  return { runs, stats };
}

/** Summaries of one method's runs on one curve. */
export function curveStats(runs: readonly CurveRun[]): CurveStats {
  const ok = runs.filter((r) => r.error === undefined);
  const abs = runs.map((r) => (Number.isNaN(r.spearman) ? 0 : Math.abs(r.spearman)));
  const pairs: number[] = [];
  for (let i = 0; i < ok.length; i++)
    for (let j = i + 1; j < ok.length; j++) {
      const c = Math.abs(pearson(ok[i].gridCode, ok[j].gridCode));
      pairs.push(Number.isNaN(c) ? 0 : c);
    }
  return {
    method: runs[0].method,
    curve: runs[0].curve,
    absSpearman: summarize(abs),
    failed: runs.length - ok.length,
    splitGraphs: runs.filter((r) => (r.graphComponents ?? 1) > 1).length,
    agreement: summarize(pairs.length > 0 ? pairs : [NaN]),
    stable: abs.every((v) => v >= STABLE_SPEARMAN),
    seconds: runs.reduce((s, r) => s + r.seconds, 0),
  };
}

/**
 * A run's code standardised and sign-aligned to `reference` (by the sign of their correlation
 * on the evaluation set), as the charts plot it.
 */
export function alignedCode(run: CurveRun, reference: CurveRun): Float64Array {
  const sign = pearson(run.gridCode, reference.gridCode) < 0 ? -1 : 1;
  return zscore(run.code).map((v) => sign * v);
}

/** One method on one surface with one seed. */
export interface SurfaceRun {
  method: MethodName;
  surface: string;
  seed: number;
  /** NaN when the run failed. */
  trustworthiness: number;
  error?: string;
  /** For the first seed only (plots): t and the n x 2 code. */
  t?: Float64Array;
  code?: Matrix32;
  seconds: number;
}

/** One method on one surface over the seeds. */
export interface SurfaceStats {
  method: MethodName;
  surface: string;
  /** Over the runs that did not fail (NaN when all failed). */
  trustworthiness: Summary;
  failed: number;
  seconds: number;
}

/** Neighbours of the trustworthiness score. */
export const TRUST_K = 10;

/** The 2-d surfaces: name, title, generator. */
export const SURFACES = [
  { name: 'swiss-roll', title: 'Swiss roll', gen: swissRoll },
  { name: 's-curve', title: 'S-curve', gen: sCurve },
] as const;

/** The 2-d curves: name, title, generator. */
export const CURVES = [
  { name: 'line', title: 'Line (t, t/2 + 1)', gen: line2d },
  { name: 'log', title: 'Log curve (t, ln t)', gen: logCurve2d },
] as const;

/** Maps one surface to 2-d with every method for each seed. @throws ConfigError on an unknown surface */
export async function runSurface(
  name: string,
  n: number,
  noise: number,
  seeds: readonly number[],
  methods: readonly MethodName[] = PAPER_METHODS,
  settings: MethodSettings = DEFAULT_SETTINGS,
  onRun?: (run: SurfaceRun) => void,
  compute: CurvesCompute = {},
): Promise<{ runs: SurfaceRun[]; stats: SurfaceStats[] }> {
  const surf = SURFACES.find((s) => s.name === name);
  if (!surf)
    throw new ConfigError(
      `surface must be one of ${SURFACES.map((s) => s.name).join(', ')}, got ${JSON.stringify(name)}`,
    );
  const src = generatorSource(surf.name, surf.title, surf.gen, n, noise);
  const runs: SurfaceRun[] = [];
  for (const method of methods) {
    for (const seed of seeds) {
      const started = performance.now();
      const { x, t } = src.sample(seed);
      const r = makeReducer(method, 2, seed, settings, compute);
      let run: SurfaceRun;
      try {
        const code = await fitTransform(r, x, t, settings.ldaClasses);
        const trust = await trustworthiness(x, code, TRUST_K, { backend: compute.backend });
        run = { method, surface: name, seed, trustworthiness: trust.value, seconds: 0 };
        if (seed === seeds[0]) Object.assign(run, { t, code });
      } catch (err) {
        if (!(err instanceof AedrError)) throw err;
        run = { method, surface: name, seed, trustworthiness: NaN, error: err.message, seconds: 0 };
      } finally {
        await dispose(r);
      }
      run.seconds = (performance.now() - started) / 1000;
      runs.push(run);
      onRun?.(run);
    }
  }
  const stats = methods.map((method) => {
    const own = runs.filter((r) => r.method === method);
    const ok = own.filter((r) => r.error === undefined);
    return {
      method,
      surface: name,
      trustworthiness: summarize(ok.length > 0 ? ok.map((r) => r.trustworthiness) : [NaN]),
      failed: own.filter((r) => r.error !== undefined).length,
      seconds: own.reduce((s, r) => s + r.seconds, 0),
    };
  });
  return { runs, stats };
}

/** Seeds 0..count-1. @throws ConfigError */
export function seedList(count: number): number[] {
  checkInt('seeds', count, 1, 1000);
  return Array.from({ length: count }, (_, i) => i);
}

async function fitTransform(
  r: Reducer,
  x: Matrix32,
  t: Float64Array,
  ldaClasses: number,
): Promise<Matrix32> {
  return r.name === 'lda' ? r.fitTransform(x, segmentLabels(t, ldaClasses)) : r.fitTransform(x);
}

/** Connected components of the undirected k-nearest-neighbour graph of x. */
export async function graphComponents(
  x: Matrix32,
  k: number,
  backend?: ComputeBackend,
): Promise<number> {
  if (k >= x.rows) return 1;
  const nb = await knn(x, k, { backend });
  return connectedComponents(undirectedKnnGraph(x.rows, k, nb.indices, nb.distances)).count;
}

async function dispose(r: Reducer): Promise<void> {
  const d = (r as { dispose?: () => Promise<void> }).dispose;
  if (typeof d === 'function') await d.call(r);
}

/** The rows of a, then those of b (same columns). */
function stackRows(a: Matrix32, b: Matrix32): Matrix32 {
  const data = new Float32Array((a.rows + b.rows) * a.cols);
  data.set(a.data.subarray(0, a.rows * a.cols));
  data.set(b.data.subarray(0, b.rows * b.cols), a.rows * a.cols);
  return matrix(a.rows + b.rows, a.cols, data);
}

function column(m: Matrix32, j: number): Float64Array {
  return Float64Array.from({ length: m.rows }, (_, i) => m.data[i * m.cols + j]);
}
