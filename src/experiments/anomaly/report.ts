/**
 * Writes the anomaly experiment's folder: `index.html` (self-contained), `results.md` (the
 * table), `results.json` (every number, the ROC curves included) and the PNGs: ROC curves and,
 * when the rows are images, each trained model's most and least anomalous test images. The findings are
 * generated from the measured numbers.
 */
import type { Column } from '../../report/format.js';
import { formatNumber } from '../../report/format.js';
import { HtmlReport, writeReport } from '../../report/html.js';
import { markdownTable } from '../../report/markdown.js';
import type { Matrix32 } from '../../util/matrix.js';
import { imageFigures, rocFigure, type AnomalyFigure } from './figures.js';
import { METHOD_TITLES, type AnomalyMethod, type AnomalyResult } from './run.js';

/** The issue's target: the best AE's mean AUROC at least this, and at least PCA's. */
export const TARGET_MEAN_AUROC = 0.9;

type ClassRow = Record<string, number>;

/** Short column prefixes of the methods. */
const SHORT: Record<AnomalyMethod, string> = {
  ae: 'AE',
  conv: 'Conv AE',
  vae: 'VAE',
  pca: 'PCA',
};

function columns(r: AnomalyResult): Column<ClassRow>[] {
  const per = (what: string, key: string): Column<ClassRow>[] =>
    r.methods.map((m) => ({ key: `${m}${key}`, title: `${SHORT[m]} ${what}` }));
  return [
    { key: 'normal', title: 'Normal class' },
    { key: 'trainRows', title: 'Training rows' },
    { key: 'testNormal', title: 'Test normal' },
    { key: 'testAnomalous', title: 'Test anomalous' },
    ...per('AUROC', 'Auroc'),
    ...per('AP', 'Ap'),
    ...per('seconds', 'Seconds'),
  ];
}

function rows(r: AnomalyResult): ClassRow[] {
  return r.classes.map((c) => {
    const row: ClassRow = {
      normal: c.normal,
      trainRows: c.trainRows,
      testNormal: c.testNormal,
      testAnomalous: c.testAnomalous,
    };
    for (const m of r.methods) {
      const o = c[m];
      if (!o) continue;
      row[`${m}Auroc`] = o.auroc;
      row[`${m}Ap`] = o.ap;
      row[`${m}Seconds`] = Number(o.seconds.toFixed(2));
    }
    return row;
  });
}

function settingsText(r: AnomalyResult): string {
  const s = r.settings;
  const code = s.layers[s.layers.length - 1];
  const sizes = [r.data.features, ...s.layers, ...s.layers.slice(0, -1).reverse(), r.data.features];
  const img = r.data.image;
  const conv =
    r.methods.includes('conv') && s.conv && img
      ? `Conv AE on ${img.h}x${img.w}x${img.c} images: Conv2D ${s.conv.filters.join(', ')} filters ` +
        '(3x3, stride 2, same padding, relu), Conv2DTranspose back, a sigmoid Conv2D out ' +
        `(TensorFlow's autoencoder tutorial), MSE, Adam lr ${s.conv.learningRate}, ` +
        `${s.conv.epochs} epochs, batch ${s.conv.batchSize}, seed ${s.seed} + class. `
      : '';
  const v = s.vae;
  const vae =
    r.methods.includes('vae') && v
      ? `VAE ${[r.data.features, ...v.layers].join('-')} (relu hidden, linear μ and log σ² heads, ` +
        `sigmoid output; pytorch/examples' VAE), ${v.loss.toUpperCase()} summed per example + ` +
        `${v.beta}·KL, Adam lr ${v.learningRate}, ${v.epochs} epochs, batch ${v.batchSize}, ` +
        `seed ${s.seed} + class; its score is the reconstruction error of the decoded mean μ ` +
        '(deterministic), not the negative ELBO. '
      : '';
  return (
    `${r.data.name}: for each normal class, each model is fitted on ` +
    `${s.trainLimit === undefined ? 'all' : `at most ${s.trainLimit}`} training rows of that class ` +
    `and scores the ${r.data.testRows} test rows (the other classes are the anomalies). ` +
    `Dense AE ${sizes.join('-')} (relu hidden, linear ${code}-d code, sigmoid output), MSE loss, ` +
    `Adam lr ${s.learningRate}, ${s.epochs} epochs, batch ${s.batchSize}, seed ${s.seed} + class. ` +
    conv +
    vae +
    `PCA with ${s.pcaComponents} components. Inputs scaled by ${s.scaling} for all; the score is ` +
    'the mean squared reconstruction error per feature in those units. AP = average precision with ' +
    'the anomalies as positives.'
  );
}

/** The findings, each one sentence, from the numbers. */
export function anomalyFindings(r: AnomalyResult): string[] {
  const n = r.classes.length;
  const pca = r.meanAuroc.pca;
  const models = r.methods.filter((m) => m !== 'pca');
  const means = models
    .map((m) => `${METHOD_TITLES[m].toLowerCase()} ${formatNumber(r.meanAuroc[m] ?? NaN)}`)
    .join(', ');
  const best = models.reduce((a, m) => ((r.meanAuroc[m] ?? -1) > (r.meanAuroc[a] ?? -1) ? m : a));
  const bestMean = r.meanAuroc[best] ?? NaN;
  const wins = r.classes.filter((c) => (c[best]?.auroc ?? -1) > c.pca.auroc).length;
  const out = [
    `Mean AUROC over ${n} normal classes: ${means}, PCA ${formatNumber(pca)}; the ${METHOD_TITLES[best].toLowerCase()} is higher than PCA for ${wins} of ${n} classes.`,
  ];
  const hardest = [...r.classes].sort((a, b) => (a[best]?.auroc ?? 0) - (b[best]?.auroc ?? 0))[0];
  if (hardest)
    out.push(
      `Hardest normal class for the ${METHOD_TITLES[best].toLowerCase()}: ${hardest.normal} (AUROC ${formatNumber(hardest[best]?.auroc ?? NaN)}; PCA ${formatNumber(hardest.pca.auroc)}).`,
    );
  const met = bestMean >= TARGET_MEAN_AUROC && bestMean >= pca;
  out.push(
    `Target (the best AE's mean AUROC at least ${TARGET_MEAN_AUROC} and at least PCA's): ${met ? 'met' : 'not met'} in this run (best: ${METHOD_TITLES[best].toLowerCase()}).`,
  );
  return out;
}

/** results.json: settings, per-class outcomes with ROC curves, means and findings. */
export function anomalyJson(r: AnomalyResult): unknown {
  return { ...r, findings: anomalyFindings(r) };
}

/** results.md. */
export function anomalyMarkdown(r: AnomalyResult): string {
  return [
    '# One-class anomaly detection by reconstruction error',
    '',
    ...anomalyFindings(r).map((f) => `- ${f}`),
    '',
    settingsText(r),
    '',
    markdownTable(columns(r), rows(r)),
    `Total wall time: ${r.seconds.toFixed(1)} s.`,
    '',
  ].join('\n');
}

/**
 * Renders the figures and writes index.html, results.md, results.json and the PNGs under `dir`;
 * image grids need the test rows and their picture shape.
 * @returns the paths written
 * @throws ConfigError when a chart fails to render
 */
export async function writeAnomalyReport(
  dir: string,
  r: AnomalyResult,
  images?: { testX: Matrix32; h: number; w: number; pixelMax: number },
): Promise<string[]> {
  const figures: AnomalyFigure[] = [await rocFigure(r)];
  if (images)
    figures.push(...imageFigures(r, images.testX, { h: images.h, w: images.w }, images.pixelMax));
  const html = new HtmlReport('One-class anomaly detection by reconstruction error', {
    subtitle: `${r.data.name}, one model per normal class; AUROC of the other classes against it`,
  })
    .section('findings', 'Findings')
    .paragraph(
      anomalyFindings(r)
        .map((f) => `- ${f}`)
        .join('\n'),
    )
    .section('auroc', 'AUROC per normal class', settingsText(r))
    .table(columns(r), rows(r))
    .section('roc', 'ROC curves');
  const [roc, ...grids] = figures;
  if (roc.chart) html.chart(roc.chart, roc.caption);
  if (grids.length > 0) {
    html.section('images', 'Most and least anomalous test images');
    for (const g of grids) if (g.png) html.image(g.png, g.caption, g.caption);
  }
  html.section('run', 'Run').paragraph(`Total wall time ${r.seconds.toFixed(1)} s.`);
  const files: Record<string, string | Uint8Array> = {
    'index.html': html.render(),
    'results.md': anomalyMarkdown(r),
    'results.json': JSON.stringify(anomalyJson(r), null, 2) + '\n',
  };
  for (const f of figures) {
    const png = f.chart?.png ?? f.png;
    if (png) files[f.file] = png;
  }
  return writeReport(dir, files);
}
