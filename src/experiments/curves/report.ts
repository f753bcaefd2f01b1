/**
 * Writes the curve experiment's folder: `index.html` (self-contained), `results.md` (the
 * tables), `results.json` (every number but the codes) and one PNG per chart. The findings are
 * generated from the measured numbers, so the text can never claim more than the table shows.
 */
import type { Column } from '../../report/format.js';
import { formatNumber } from '../../report/format.js';
import { HtmlReport, writeReport } from '../../report/html.js';
import { markdownTable } from '../../report/markdown.js';
import { curvesFigures } from './figures.js';
import { METHOD_TITLES, type MethodName } from './methods.js';
import { CURVES, TRUST_K, type CurveRun } from './curves.js';
import type { CurvesResult, VariantStats } from './run.js';

interface StabilityRow {
  variant: string;
  curve: string;
  method: string;
  mean: number;
  min: number;
  sd: number;
  agreeMean: number;
  agreeMin: number;
  failed: number;
  split: number;
  stable: string;
  seconds: number;
}

const STABILITY_COLUMNS: Column<StabilityRow>[] = [
  { key: 'variant', title: 'Settings' },
  { key: 'curve', title: 'Curve' },
  { key: 'method', title: 'Method' },
  { key: 'mean', title: 'Mean |Spearman|' },
  { key: 'min', title: 'Min |Spearman|' },
  { key: 'sd', title: 'SD over seeds' },
  { key: 'agreeMean', title: 'Agreement (mean |r|)' },
  { key: 'agreeMin', title: 'Agreement (min |r|)' },
  { key: 'failed', title: 'Failed runs' },
  { key: 'split', title: 'Split kNN graphs' },
  { key: 'stable', title: 'Stable' },
  { key: 'seconds', title: 'Seconds' },
];

function stabilityRows(curves: readonly VariantStats[]): StabilityRow[] {
  return curves.map((c) => ({
    variant: c.variant,
    curve: c.curve,
    method: METHOD_TITLES[c.method],
    mean: round(c.absSpearman.mean),
    min: round(c.absSpearman.min),
    sd: c.absSpearman.sd,
    agreeMean: round(c.agreement.mean),
    agreeMin: round(c.agreement.min),
    failed: c.failed,
    split: c.splitGraphs,
    stable: c.stable ? 'yes' : 'no',
    seconds: Number(c.seconds.toFixed(2)),
  }));
}

// Four decimals: |Spearman| of 0.99996 must not print as 1 next to a threshold of 0.99.
function round(v: number): number {
  return Number.isFinite(v) ? Math.floor(v * 1e4) / 1e4 : v;
}

function settingsText(r: CurvesResult): string {
  const s = r.config.settings;
  return (
    `${r.config.seeds} seeds, ${r.config.n} points per curve, noise sd ${r.config.noise}. ` +
    `PCA; LDA with ${s.ldaClasses} classes = consecutive equal-count segments of t; ` +
    `LLE (${s.lleNeighbors} neighbours, reg ${s.lleReg}); Isomap (${s.isomapNeighbors} neighbours); ` +
    `AE 2-${[...s.aeHidden, 1, ...[...s.aeHidden].reverse()].join('-')}-2 (${s.aeActivation} hidden, linear code and output, standardised input, Adam lr ${s.aeLearningRate}, ${s.aeEpochs} epochs, batch ${s.aeBatchSize}). ` +
    (r.config.paperLike
      ? `Paper-like variant: LLE with 5 neighbours (scikit-learn's default), shallow AE 2-1-2 with sigmoid code, ${r.config.paperLike.aeEpochs} epochs. `
      : '') +
    `A seed draws a new sample of the points (for every method, the deterministic ones included) and, for the AE, a new weight init and shuffling. ` +
    `Stable = every seed's |Spearman| of code against t >= ${r.config.stableSpearman}. ` +
    `Agreement = |Pearson| between two runs' codes of the same ${'noise-free evaluation points'}, over all pairs of seeds.`
  );
}

/** The findings, each one sentence, from the numbers. */
export function curvesFindings(r: CurvesResult): string[] {
  const out: string[] = [];
  const name = (m: MethodName): string => METHOD_TITLES[m];
  if (r.verdict) {
    const agree = r.verdict.filter((v) => v.agrees).map((v) => name(v.method));
    const disagree = r.verdict.filter((v) => !v.agrees);
    out.push(
      disagree.length === 0
        ? `The paper's finding on the log curve is confirmed: ${agree.join(', ')} behave as it reports.`
        : `The paper's finding on the log curve is confirmed for ${agree.join(', ') || 'no method'} and refuted for ${disagree.map((v) => `${name(v.method)} (paper: ${v.paperStable ? 'stable' : 'unstable'}, here: ${v.stable ? 'stable' : 'unstable'})`).join(', ')} with this project's settings.`,
    );
    const pl = r.verdict.filter(
      (v) => v.paperLikeStable !== null && v.paperLikeStable !== v.stable,
    );
    if (pl.length > 0) {
      out.push(
        `With paper-like settings the picture changes for ${pl.map((v) => `${name(v.method)} (${v.paperLikeStable ? 'stable' : 'unstable'})`).join(', ')}: ` +
          'the instability follows from the settings, not from the method as such.',
      );
    }
  }
  const pl = r.curves.filter((c) => c.variant === 'paper-like' && c.curve === 'log');
  const lle = pl.find((c) => c.method === 'lle');
  if (lle && !lle.stable)
    out.push(
      `LLE with ${r.config.paperLike?.lleNeighbors ?? 5} neighbours: min |Spearman| ${formatNumber(lle.absSpearman.min)}; its neighbour graph fell into several pieces in ${lle.splitGraphs} of ${r.config.seeds} seeds, and on a split graph LLE's bottom eigenvectors separate the pieces instead of following t.`,
    );
  for (const c of r.curves.filter((x) => x.method === 'isomap' && x.failed > 0))
    out.push(
      `Isomap (${c.variant} settings, ${c.curve} curve) failed in ${c.failed} of ${r.config.seeds} seeds: a disconnected neighbour graph has no geodesic distances (scikit-learn 1.2 would add edges and warn).`,
    );
  const ae = pl.find((c) => c.method === 'autoencoder');
  if (ae && !ae.stable)
    out.push(
      `The shallow sigmoid AE varies with its random init: min |Spearman| ${formatNumber(ae.absSpearman.min)}, run-to-run agreement down to ${formatNumber(ae.agreement.min)}: in some seeds its code is not monotone in t (see the paper-like chart).`,
    );
  for (const c of r.curves.filter((x) => x.variant === 'default' && !x.stable))
    out.push(
      `${name(c.method)} on the ${c.curve} curve is not stable here: min |Spearman| ${formatNumber(c.absSpearman.min)} over ${r.config.seeds} seeds.`,
    );
  return out;
}

interface SurfaceRow {
  surface: string;
  method: string;
  mean: number;
  min: number;
  sd: number;
  failed: number;
  seconds: number;
}

const SURFACE_COLUMNS: Column<SurfaceRow>[] = [
  { key: 'surface', title: 'Surface' },
  { key: 'method', title: 'Method' },
  { key: 'mean', title: `Trustworthiness (k = ${TRUST_K}), mean` },
  { key: 'min', title: 'Min' },
  { key: 'sd', title: 'SD' },
  { key: 'failed', title: 'Failed runs' },
  { key: 'seconds', title: 'Seconds' },
];

function surfaceRows(r: CurvesResult): SurfaceRow[] {
  return r.surfaces.map((s) => ({
    surface: s.surface,
    method: METHOD_TITLES[s.method],
    mean: s.trustworthiness.mean,
    min: s.trustworthiness.min,
    sd: s.trustworthiness.sd,
    failed: s.failed,
    seconds: Number(s.seconds.toFixed(2)),
  }));
}

function runJson(r: CurveRun, variant: string): unknown {
  const { method, curve, seed, spearman, error, graphComponents, seconds } = r;
  return { variant, method, curve, seed, spearman, error, graphComponents, seconds };
}

/** The JSON written as results.json: everything but the codes. */
export function curvesJson(r: CurvesResult): unknown {
  return {
    config: r.config,
    curves: r.curves,
    runs: [
      ...r.runs.map((x) => runJson(x, 'default')),
      ...r.paperLikeRuns.map((x) => runJson(x, 'paper-like')),
    ],
    surfaces: r.surfaces,
    surfaceRuns: r.surfaceRuns.map(({ t: _t, code: _c, ...rest }) => rest),
    verdict: r.verdict,
    findings: curvesFindings(r),
    seconds: r.seconds,
  };
}

/** results.md. */
export function curvesMarkdown(r: CurvesResult): string {
  const lines = [
    '# Curves: stability of 1-d reductions (Wang, Yao & Zhao 2016, Figs. 6-7)',
    '',
    ...curvesFindings(r).map((f) => `- ${f}`),
    '',
    '## Stability',
    '',
    settingsText(r),
    '',
    markdownTable(STABILITY_COLUMNS, stabilityRows(r.curves)),
  ];
  if (r.surfaces.length > 0)
    lines.push('## Surfaces to 2-d', '', markdownTable(SURFACE_COLUMNS, surfaceRows(r)));
  lines.push(`Total wall time: ${r.seconds.toFixed(1)} s.`, '');
  return lines.join('\n');
}

/**
 * Renders the charts and writes index.html, results.md, results.json and the PNGs under `dir`.
 * @returns the paths written
 * @throws ConfigError when a chart fails to render
 */
export async function writeCurvesReport(dir: string, r: CurvesResult): Promise<string[]> {
  const curveList = r.verdict
    ? CURVES.map((c) => ({ name: c.name, title: c.title }))
    : [...new Set(r.runs.map((x) => x.curve))].map((c) => ({ name: c, title: c }));
  const figures = await curvesFigures(r.runs, r.paperLikeRuns, r.surfaceRuns, curveList);
  const html = new HtmlReport('Curves: stability of 1-d reductions', {
    subtitle: 'Wang, Yao & Zhao, Neurocomputing 184 (2016) 232-242, Figs. 3, 6, 7',
  })
    .section('findings', 'Findings')
    .paragraph(
      curvesFindings(r)
        .map((f) => `- ${f}`)
        .join('\n'),
    )
    .section('stability', 'Stability over seeds', settingsText(r))
    .table(STABILITY_COLUMNS, stabilityRows(r.curves));
  html.section('codes', '1-d codes against t');
  for (const f of figures.filter((x) => x.file.startsWith('curve-')))
    html.chart(f.chart, f.caption);
  if (r.surfaces.length > 0) {
    html
      .section('surfaces', 'Swiss roll and S-curve to 2-d')
      .table(SURFACE_COLUMNS, surfaceRows(r));
    for (const f of figures.filter((x) => x.file.startsWith('surface-')))
      html.chart(f.chart, f.caption);
  }
  html.section('run', 'Run').paragraph(`Total wall time ${r.seconds.toFixed(1)} s.`);
  const files: Record<string, string | Uint8Array> = {
    'index.html': html.render(),
    'results.md': curvesMarkdown(r),
    'results.json': JSON.stringify(curvesJson(r), null, 2) + '\n',
  };
  for (const f of figures) files[f.file] = f.chart.png;
  return writeReport(dir, files);
}
