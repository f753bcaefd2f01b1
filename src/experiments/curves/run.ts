/**
 * `aedr curves` as a library call: the stability table of the five methods (UMAP and t-SNE too, with
 * `methods`) on the line and the
 * log curve (curves.ts), run twice — with this project's settings and with paper-like ones
 * (LLE with scikit-learn's default 5 neighbours, a shallow sigmoid AE 2-1-2 trained for 20
 * epochs; Isomap keeps its neighbours, since with 5 its graph on a 1-d sample falls apart) — the 2-d surfaces, and the verdict on Wang, Yao & Zhao's (2016) finding that
 * PCA, LDA and Isomap are stable on the log curve and LLE and the AE are not. With a data file
 * instead of the generators, only that curve is run (no verdict, no surfaces).
 */
import { ConfigError } from '../../errors.js';
import { checkInt, checkNumber } from '../../util/check.js';
import type { Matrix32 } from '../../util/matrix.js';
import {
  DEFAULT_SETTINGS,
  fileSource,
  generatorSource,
  METHOD_TITLES,
  METHODS,
  PAPER_METHODS,
  type CurveSource,
  type CurvesCompute,
  type MethodName,
  type MethodSettings,
  type PaperMethod,
} from './methods.js';
import {
  CURVES,
  PAPER_STABLE_ON_LOG,
  runCurve,
  runSurface,
  seedList,
  STABLE_SPEARMAN,
  SURFACES,
  type CurveRun,
  type CurveStats,
  type SurfaceRun,
  type SurfaceStats,
} from './curves.js';

/** The paper-like variant: what makes LLE and the AE unstable. */
export const PAPER_LIKE: Readonly<Partial<MethodSettings>> = Object.freeze({
  lleNeighbors: 5,
  aeHidden: [],
  aeActivation: 'sigmoid',
  aeEpochs: 20,
});

/** Options of `runCurvesExperiment`. */
export interface CurvesOptions {
  /** Seeds per method and curve (default 10). */
  seeds?: number;
  /** Points per curve (default 500). */
  n?: number;
  /** Gaussian noise sd on every coordinate (default 0). */
  noise?: number;
  /** Points per surface (default 1000) and seeds per surface (default 3). */
  surfaceN?: number;
  surfaceSeeds?: number;
  /** Also run the paper-like variant (default true; it changes only LLE and the AE). */
  paperLike?: boolean;
  /** The methods (default the paper's five; METHODS adds UMAP and t-SNE). */
  methods?: readonly MethodName[];
  /** Overrides of the default method settings. */
  settings?: Partial<MethodSettings>;
  /** A curve from a file (points and parameter t) instead of the generators. */
  data?: { name: string; x: Matrix32; t: Float64Array };
  /** One line per finished run. */
  onProgress?: (line: string) => void;
  /** The reducers' and metrics' backend (default `jsBackend`) and the AE's spinning. */
  compute?: CurvesCompute;
}

/** A method on a curve under one variant of the settings. */
export interface VariantStats extends CurveStats {
  variant: 'default' | 'paper-like';
}

/** Per method: what the paper says about the log curve and what was measured. */
export interface VerdictRow {
  method: PaperMethod;
  paperStable: boolean;
  stable: boolean;
  paperLikeStable: boolean | null;
  agrees: boolean;
}

/** Everything the report shows. */
export interface CurvesResult {
  config: {
    seeds: number;
    n: number;
    noise: number;
    surfaceN: number;
    surfaceSeeds: number;
    settings: MethodSettings;
    paperLike: Partial<MethodSettings> | null;
    stableSpearman: number;
    source: string;
  };
  curves: VariantStats[];
  /** Runs of the default variant (codes for the charts). */
  runs: CurveRun[];
  /** Runs of the paper-like variant (empty when it was not run). */
  paperLikeRuns: CurveRun[];
  surfaces: SurfaceStats[];
  surfaceRuns: SurfaceRun[];
  verdict: VerdictRow[] | null;
  seconds: number;
}

/**
 * Runs the curve experiment.
 * @throws ConfigError on options out of range; DataError on a bad data file
 * @example
 * const r = await runCurvesExperiment({ seeds: 3, n: 200 }); // r.verdict[3] -> { method: 'isomap', stable: true, ... }
 */
export async function runCurvesExperiment(opts: CurvesOptions = {}): Promise<CurvesResult> {
  const started = performance.now();
  const seeds = seedList(opts.seeds ?? 10);
  const n = checkInt('n', opts.n ?? 500, 20);
  const noise = checkNumber('noise', opts.noise ?? 0, 0);
  const surfaceN = checkInt('surfaceN', opts.surfaceN ?? 1000, 50);
  const surfaceSeeds = seedList(opts.surfaceSeeds ?? 3);
  const settings: MethodSettings = { ...DEFAULT_SETTINGS, ...opts.settings };
  checkSettings(settings);
  const paperLike = opts.paperLike ?? true;
  const methods = METHODS.filter((m) => (opts.methods ?? PAPER_METHODS).includes(m));
  if (methods.length === 0)
    throw new ConfigError(`methods must list at least one of ${METHODS.join(', ')}, got none`);
  // UMAP and t-SNE have no paper-like settings: the variant would rerun them unchanged.
  const paperMethods = methods.filter((m) => (PAPER_METHODS as readonly string[]).includes(m));
  const say = opts.onProgress ?? (() => undefined);
  const sources: CurveSource[] = opts.data
    ? [fileSource(opts.data.name, opts.data.x, opts.data.t, n)]
    : CURVES.map((c) => generatorSource(c.name, c.title, c.gen, n, noise));

  const curves: VariantStats[] = [];
  const runs: CurveRun[] = [];
  const paperLikeRuns: CurveRun[] = [];
  const variants: [VariantStats['variant'], MethodSettings][] = [['default', settings]];
  if (paperLike) variants.push(['paper-like', { ...settings, ...PAPER_LIKE }]);
  for (const [variant, s] of variants) {
    const own = variant === 'default' ? methods : paperMethods;
    if (own.length === 0) continue;
    for (const src of sources) {
      const r = await runCurve(
        src,
        seeds,
        own,
        s,
        (run) =>
          say(
            `${variant} ${src.name} ${METHOD_TITLES[run.method]} seed ${run.seed}: ` +
              (run.error ?? `|spearman| ${Math.abs(run.spearman).toFixed(4)}`) +
              ` (${run.seconds.toFixed(2)} s)`,
          ),
        opts.compute,
      );
      curves.push(...r.stats.map((st) => ({ ...st, variant })));
      (variant === 'default' ? runs : paperLikeRuns).push(...r.runs);
    }
  }

  const surfaces: SurfaceStats[] = [];
  const surfaceRuns: SurfaceRun[] = [];
  if (!opts.data) {
    for (const surf of SURFACES) {
      const r = await runSurface(
        surf.name,
        surfaceN,
        noise,
        surfaceSeeds,
        methods,
        settings,
        (run) =>
          say(
            `${surf.name} ${METHOD_TITLES[run.method]} seed ${run.seed}: ` +
              (run.error ?? `trustworthiness ${run.trustworthiness.toFixed(4)}`) +
              ` (${run.seconds.toFixed(2)} s)`,
          ),
        opts.compute,
      );
      surfaces.push(...r.stats);
      surfaceRuns.push(...r.runs);
    }
  }

  return {
    config: {
      seeds: seeds.length,
      n,
      noise,
      surfaceN,
      surfaceSeeds: surfaceSeeds.length,
      settings,
      paperLike: paperLike ? { ...PAPER_LIKE } : null,
      stableSpearman: STABLE_SPEARMAN,
      source: opts.data ? opts.data.name : 'generators: line2d, logCurve2d, swissRoll, sCurve',
    },
    curves,
    runs,
    paperLikeRuns,
    surfaces,
    surfaceRuns,
    verdict: opts.data || paperMethods.length === 0 ? null : verdict(curves, paperMethods),
    seconds: (performance.now() - started) / 1000,
  };
}

function verdict(curves: readonly VariantStats[], methods: readonly MethodName[]): VerdictRow[] {
  const find = (m: MethodName, v: VariantStats['variant']): VariantStats | undefined =>
    curves.find((c) => c.method === m && c.curve === 'log' && c.variant === v);
  return PAPER_METHODS.filter((m) => methods.includes(m)).map((method) => {
    const stable = find(method, 'default')?.stable ?? false;
    const pl = find(method, 'paper-like');
    return {
      method,
      paperStable: PAPER_STABLE_ON_LOG[method],
      stable,
      paperLikeStable: pl ? pl.stable : null,
      agrees: stable === PAPER_STABLE_ON_LOG[method],
    };
  });
}

function checkSettings(s: MethodSettings): void {
  checkInt('ldaClasses', s.ldaClasses, 2);
  checkInt('lleNeighbors', s.lleNeighbors, 1);
  checkInt('isomapNeighbors', s.isomapNeighbors, 1);
  checkInt('aeEpochs', s.aeEpochs, 1);
  checkInt('aeBatchSize', s.aeBatchSize, 1);
  checkNumber('aeLearningRate', s.aeLearningRate, 0, Infinity, { exclusiveMin: true });
  if (!Array.isArray(s.aeHidden))
    throw new ConfigError(`aeHidden must be an array of layer sizes, got ${String(s.aeHidden)}`);
  s.aeHidden.forEach((h, i) => checkInt(`aeHidden[${i}]`, h, 1));
}
