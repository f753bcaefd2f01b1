/**
 * Writes the comparison folder: `index.html` (self-contained, built with HtmlReport),
 * `results.md`, `results.json` (every number) and the PNG charts `accuracy.png`,
 * `trustworthiness.png`, `timing.png`. The table says for every trustworthiness whether it is
 * exact or estimated on a sample (metrics/result.ts: exact up to 10,000 points).
 */
import type { Column } from '../../report/format.js';
import { formatNumber } from '../../report/format.js';
import { HtmlReport, writeReport } from '../../report/html.js';
import { markdownTable } from '../../report/markdown.js';
import { METHOD_TITLES } from './config.js';
import { compareFigures } from './figures.js';
import { compareFindings, points, thousands } from './findings.js';
import type { CompareResult, CompareRow } from './run.js';

/** One line of the results table, as printed. */
export interface CompareTableRow {
  method: string;
  dim: number;
  train: number;
  test: number;
  accuracy: number | null;
  ceiling: number | null;
  gap: string;
  trust: number | null;
  trustMode: string;
  fit: number | null;
  transform: number | null;
  note: string;
}

const secondsCell = (v: unknown): string => (typeof v === 'number' ? v.toFixed(2) : '');

/** How a trustworthiness was computed: "exact (n = 10000)" or "sample 2000 of 60000, ± 0.0012". */
export function trustModeText(row: CompareRow): string {
  const t = row.trust;
  if (t === null) return row.knnAccuracy !== null ? 'none (test set < 2k + 1 rows)' : '';
  return t.exact
    ? `exact (n = ${t.n})`
    : `sample ${t.sampleSize} of ${t.n}, ± ${formatNumber(t.standardError ?? NaN, 2)}`;
}

/** How an AE's training ended: "42 epochs, early-stopped (weights of epoch 31)". */
export function trainingText(t: NonNullable<CompareRow['training']>): string {
  const best = t.bestEpoch !== undefined ? ` (weights of epoch ${t.bestEpoch})` : '';
  return `${t.epochsRun} epochs, ${t.stopReason}${best}`;
}

/** The table rows. */
export function compareTableRows(r: CompareResult): CompareTableRow[] {
  return r.rows.map((x) => ({
    method: METHOD_TITLES[x.method],
    dim: x.dim,
    train: x.trainRows,
    test: x.testRows,
    accuracy: x.knnAccuracy,
    ceiling: x.ceiling,
    gap: x.knnAccuracy !== null && x.ceiling !== null ? points(x.ceiling - x.knnAccuracy) : '',
    trust: x.trust?.value ?? null,
    trustMode: trustModeText(x),
    fit: x.fitSeconds,
    transform: x.transformSeconds,
    note:
      x.skipped ??
      (x.error !== undefined
        ? `failed: ${x.error}`
        : x.training
          ? trainingText(x.training)
          : x.jointFit === true
            ? 'fitted on train + test rows together (no transform)'
            : ''),
  }));
}

/** The columns of the results table; `k` names the neighbours. */
export function compareColumns(k: number): Column<CompareTableRow>[] {
  return [
    { key: 'method', title: 'Method' },
    { key: 'dim', title: 'd' },
    { key: 'train', title: 'Train rows' },
    { key: 'test', title: 'Test rows' },
    { key: 'accuracy', title: `kNN(${k}) accuracy`, align: 'right' },
    { key: 'ceiling', title: 'Ceiling (raw)', align: 'right' },
    { key: 'gap', title: 'Gap (points)', align: 'right' },
    {
      key: 'trust',
      title: `Trustworthiness (k = ${k})`,
      align: 'right',
      format: (v) => (typeof v === 'number' ? v.toFixed(4) : ''),
    },
    { key: 'trustMode', title: 'Trustworthiness mode' },
    { key: 'fit', title: 'Fit s', format: secondsCell, align: 'right' },
    { key: 'transform', title: 'Transform s', format: secondsCell, align: 'right' },
    { key: 'note', title: 'Note' },
  ];
}

/** How the AE is trained, for the settings paragraph. */
function aeTrainingText(ae: CompareResult['settings']['ae']): string {
  const batch = ae.batchSize === 'auto' ? 'batch min(200, n)' : `batch ${ae.batchSize}`;
  return ae.epochs !== undefined
    ? `${batch}, ${ae.epochs} epochs`
    : `${batch}, until converged (at most ${ae.maxIter} epochs; stopped after more than 10 epochs in which the training loss did not improve by 1e-4, as scikit-learn's MLP, keeping the best epoch's weights; the Note column gives each AE's epochs and why it stopped)`;
}

/** The methods on the manifold sample with their neighbourhoods, joined by "and". */
function manifoldNames(s: CompareResult['settings']): string {
  const graph = s.methods.filter((m) => m === 'lle' || m === 'isomap').map((m) => METHOD_TITLES[m]);
  const parts: string[] = [];
  if (graph.length > 0 || !s.methods.some((m) => m === 'umap' || m === 'pumap' || m === 'tsne'))
    parts.push(
      `${(graph.length > 0 ? graph : ['LLE', 'Isomap']).join(' and ')} (k = ${s.nNeighbors} neighbours)`,
    );
  if (s.methods.includes('umap'))
    parts.push("UMAP (umap-learn's defaults: 15 neighbours, minDist 0.1, seed as the run)");
  if (s.methods.includes('pumap'))
    parts.push(
      "parametric UMAP (umap-learn's defaults: 15 neighbours, minDist 0.1, a 3 x 100 ReLU encoder, batch 1000, Adam 0.001; 10 epochs of edges drawn by weight; seed + d)",
    );
  if (s.methods.includes('tsne'))
    parts.push("t-SNE (scikit-learn's defaults: perplexity 30, PCA start, 1000 iterations)");
  return parts.length > 1
    ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`
    : parts[0];
}

/** What was run, one paragraph. */
export function settingsText(r: CompareResult): string {
  const s = r.settings;
  const ae = s.ae;
  const f = r.data.features;
  const chain = [f, ...ae.hiddenLayers, 'd', ...[...ae.hiddenLayers].reverse(), f].join('-');
  return (
    `Data: ${r.data.name} (${f} features, ${r.data.classes} classes). ${r.data.split} ` +
    `Inputs: ${r.data.inputScaling}. ` +
    `PCA (scikit-learn's 'auto' solver), LDA (svd solver, at most classes − 1 dimensions) and the AE use ${thousands(s.trainSize)} / ${thousands(s.testSize)} rows at most; ` +
    `${manifoldNames(s)} the first ${thousands(s.manifoldTrainSize)} / ${thousands(s.manifoldTestSize)} of them. ` +
    (s.fitSample !== undefined &&
    s.fitSample < s.manifoldTrainSize &&
    (s.methods.includes('lle') || s.methods.includes('isomap'))
      ? `LLE and Isomap fit on a seeded sample of ${thousands(s.fitSample)} of those training rows and map all of them with transform. `
      : '') +
    `AE: ${chain}, ${ae.activation} hidden layers, linear code, sigmoid output, ${r.data.aeScaling} input scaling, MSE, Adam lr ${ae.learningRate}, ${aeTrainingText(ae)}, seed ${s.seed} + d. ` +
    `Each method fits the training rows (fitTransform) and maps the test rows (transform); a kNN(${s.k}) classifier on the training codes labels the test codes. ` +
    (s.methods.includes('tsne')
      ? `t-SNE has no transform (it places only the points it is fitted on), so it is fitted on the training and test rows together, without labels, and its map is split back into training and test codes; the classifier still labels test codes from training codes only, but the test points shaped the map they are scored on (a transductive protocol the other methods do not get). t-SNE gives at most 3 dimensions here (Barnes-Hut). `
      : '') +
    `Trustworthiness (k = ${s.k}) compares the test codes' neighbourhoods with the test rows' (exact up to 10,000 rows, else estimated on a seeded sample of 2,000, as the mode column says). ` +
    `Ceiling: the same kNN on the raw rows. Gap = ceiling − accuracy in percentage points. ` +
    `Seconds are wall-clock on the machine that ran this, including whatever else ran on it.`
  );
}

/** "Classification comparison: AE, PCA, ..." naming the methods run. */
function reportTitle(r: CompareResult): string {
  return `Classification comparison: ${r.settings.methods.map((m) => METHOD_TITLES[m]).join(', ')}`;
}

/** results.json: settings, ceilings, every row, the findings. */
export function compareJson(r: CompareResult): unknown {
  return { ...r, findings: compareFindings(r) };
}

/** results.md. */
export function compareMarkdown(r: CompareResult): string {
  return [
    `# ${reportTitle(r)}`,
    '',
    '_Wang, Yao & Zhao, "Auto-encoder based dimensionality reduction", Neurocomputing 184 (2016) 232-242, §4.2._',
    '',
    ...compareFindings(r).map((f) => `- ${f}`),
    '',
    '## Results',
    '',
    settingsText(r),
    '',
    markdownTable(compareColumns(r.settings.k), compareTableRows(r)),
    '## Charts',
    '',
    '![kNN accuracy against d](accuracy.png)',
    '',
    '![Trustworthiness against d](trustworthiness.png)',
    '',
    '![Fit and transform seconds](timing.png)',
    '',
  ].join('\n');
}

/**
 * Renders the charts and writes index.html, results.md, results.json and the PNGs under `dir`.
 * @returns the paths written
 * @throws ConfigError when a chart fails to render
 */
export async function writeCompareReport(dir: string, r: CompareResult): Promise<string[]> {
  const figures = await compareFigures(r);
  const html = new HtmlReport(reportTitle(r), {
    subtitle:
      'Wang, Yao & Zhao, "Auto-encoder based dimensionality reduction", Neurocomputing 184 (2016) 232-242, §4.2',
  })
    .section('findings', 'Findings')
    .paragraph(
      compareFindings(r)
        .map((f) => `- ${f}`)
        .join('\n'),
    )
    .section('accuracy', 'Classification accuracy against dimension')
    .chart(figures[0].chart, figures[0].caption)
    .section('trust', 'Trustworthiness against dimension')
    .chart(figures[1].chart, figures[1].caption)
    .section('results', 'All results', settingsText(r))
    .table(compareColumns(r.settings.k), compareTableRows(r))
    .section('cost', 'Cost')
    .chart(figures[2].chart, figures[2].caption)
    .paragraph(
      `Total wall time ${r.seconds.toFixed(1)} s (the prior estimate was ${r.estimatedSeconds.toFixed(0)} s); ` +
        `ceilings: ${r.ceilings.map((c) => `${c.trainRows} training rows ${c.seconds.toFixed(1)} s`).join(', ')}.`,
    );
  const files: Record<string, string | Uint8Array> = {
    'index.html': html.render(),
    'results.md': compareMarkdown(r),
    'results.json': JSON.stringify(compareJson(r), null, 2) + '\n',
  };
  for (const f of figures) files[f.file] = f.chart.png;
  return writeReport(dir, files);
}
