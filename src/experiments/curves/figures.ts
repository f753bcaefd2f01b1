/**
 * The curve experiment's charts, in the spirit of Wang, Yao & Zhao (2016) Figs. 6-7: for each
 * curve, every method's 1-d code of the training points against the true parameter t, several
 * seeds overlaid. Codes are standardised (z-scores) and sign-aligned to the first seed (by the
 * sign of their correlation on the shared evaluation set), since a 1-d embedding is defined only
 * up to scale and sign. For the surfaces, each method's 2-d code of the first seed coloured by t.
 */
import { renderChart, type RenderedChart, type TopLevelSpec } from '../../report/chart.js';
import { scatterChart, type Datum } from '../../report/chart-specs.js';
import { METHOD_TITLES, METHODS } from './methods.js';
import { alignedCode, SURFACES, type CurveRun, type SurfaceRun } from './curves.js';

/** A rendered chart and the file its PNG goes to. */
export interface CurvesFigure {
  file: string;
  chart: RenderedChart;
  caption: string;
}

/** Seeds overlaid per panel. */
export const PLOTTED_SEEDS = 5;

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Code-against-t panels of one curve, one per method. */
export function curveSpec(runs: readonly CurveRun[], curve: string, title: string): TopLevelSpec {
  const data: Datum[] = [];
  for (const method of METHODS) {
    const own = runs.filter((r) => r.curve === curve && r.method === method && !r.error);
    if (own.length === 0) continue;
    for (const run of own.slice(0, PLOTTED_SEEDS)) {
      const z = alignedCode(run, own[0]);
      run.t.forEach((t, i) =>
        data.push({ method: METHOD_TITLES[method], seed: `seed ${run.seed}`, t, code: z[i] }),
      );
    }
  }
  const spec = scatterChart({
    title,
    data,
    x: { field: 't', title: 'true parameter t' },
    y: { field: 'code', title: '1-d code (z-score, sign of seed 0)' },
    color: { field: 'seed', title: 'run' },
    facet: { field: 'method', title: 'method', columns: 5 },
    size: 8,
    opacity: 0.6,
    width: 180,
    height: 160,
  });
  // Panels in the paper's order, not alphabetical (the builder has no facet sort).
  const facet = (spec as { encoding?: { facet?: Record<string, unknown> } }).encoding?.facet;
  if (facet) facet.sort = METHODS.map((m) => METHOD_TITLES[m]);
  return spec;
}

/** 2-d code panels of one surface (first seed), coloured by t. */
export function surfaceSpec(
  runs: readonly SurfaceRun[],
  surface: string,
  title: string,
): TopLevelSpec {
  const data: Datum[] = [];
  for (const method of METHODS) {
    const run = runs.find((r) => r.surface === surface && r.method === method && r.code);
    if (!run?.code || !run.t) continue;
    const { code, t } = run;
    for (let i = 0; i < code.rows; i++)
      data.push({
        method: METHOD_TITLES[method],
        t: t[i],
        z1: code.data[2 * i],
        z2: code.data[2 * i + 1],
      });
  }
  return {
    $schema: SCHEMA,
    title,
    data: { values: data },
    width: 180,
    height: 180,
    mark: { type: 'circle', size: 8, opacity: 0.7 },
    encoding: {
      x: { field: 'z1', type: 'quantitative', title: 'code 1', scale: { zero: false } },
      y: { field: 'z2', type: 'quantitative', title: 'code 2', scale: { zero: false } },
      color: { field: 't', type: 'quantitative', title: 't', scale: { scheme: 'viridis' } },
      facet: {
        field: 'method',
        type: 'nominal',
        title: 'method',
        columns: 5,
        sort: METHODS.map((m) => METHOD_TITLES[m]),
      },
    },
    resolve: { scale: { x: 'independent', y: 'independent' } },
  } as TopLevelSpec;
}

/** Renders every chart of the report. @throws ConfigError when a chart fails to render */
export async function curvesFigures(
  runs: readonly CurveRun[],
  paperLikeRuns: readonly CurveRun[],
  surfaceRuns: readonly SurfaceRun[],
  curves: readonly { name: string; title: string }[],
): Promise<CurvesFigure[]> {
  const out: CurvesFigure[] = [];
  for (const c of curves) {
    out.push({
      file: `curve-${slug(c.name)}.png`,
      chart: await renderChart(curveSpec(runs, c.name, `${c.title}: 1-d code against t`)),
      caption: `${c.title}: each method's 1-d code of the training points against the true t, first ${PLOTTED_SEEDS} seeds overlaid (z-scored, sign-aligned to seed 0).`,
    });
    if (!paperLikeRuns.some((r) => r.curve === c.name)) continue;
    out.push({
      file: `curve-${slug(c.name)}-paper-like.png`,
      chart: await renderChart(
        curveSpec(paperLikeRuns, c.name, `${c.title}, paper-like settings: 1-d code against t`),
      ),
      caption: `${c.title} with the paper-like settings (LLE with 5 neighbours, shallow sigmoid AE): as above.`,
    });
  }
  for (const s of SURFACES) {
    if (!surfaceRuns.some((r) => r.surface === s.name)) continue;
    out.push({
      file: `surface-${s.name}.png`,
      chart: await renderChart(surfaceSpec(surfaceRuns, s.name, `${s.title}: 2-d codes (seed 0)`)),
      caption: `${s.title} mapped to 2-d by each method (first seed), points coloured by the roll parameter t.`,
    });
  }
  return out;
}

/** A file-name-safe form of a curve name (a data path becomes its base name). */
export function slug(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? name;
  return base.replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9_-]+/g, '-') || 'curve';
}
