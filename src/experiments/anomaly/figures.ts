/**
 * The anomaly experiment's figures: ROC curves, one panel per normal class with every method
 * overlaid (the diagonal is chance), and for each trained model two image grids, one row per
 * normal class, of the test images it scored most and least anomalous.
 */
import { renderChart, type RenderedChart } from '../../report/chart.js';
import { lineChart, type Datum } from '../../report/chart-specs.js';
import { imageGrid } from '../../report/image-grid.js';
import type { Matrix32 } from '../../util/matrix.js';
import { METHOD_TITLES, type AnomalyResult, type ModelMethod } from './run.js';

/** A figure and the file its PNG goes to. */
export interface AnomalyFigure {
  file: string;
  caption: string;
  chart?: RenderedChart;
  png?: Uint8Array;
}

/** ROC panels of every class run, every method per panel. */
export async function rocFigure(r: AnomalyResult): Promise<AnomalyFigure> {
  const data: Datum[] = [];
  const methods = r.methods;
  for (const c of r.classes) {
    for (const m of methods) {
      const outcome = c[m];
      if (!outcome) continue;
      const { fpr, tpr } = outcome.roc;
      const series = `${METHOD_TITLES[m]}`;
      fpr.forEach((f, i) =>
        data.push({ normal: `normal ${c.normal}`, method: series, fpr: f, tpr: tpr[i], step: i }),
      );
    }
  }
  const spec = lineChart({
    data,
    x: { field: 'fpr', title: 'false-positive rate', domain: [0, 1] },
    y: { field: 'tpr', title: 'true-positive rate', domain: [0, 1] },
    color: { field: 'method', title: 'scores', sort: methods.map((m) => METHOD_TITLES[m]) },
    facet: { field: 'normal', title: 'normal class', columns: 5 },
    points: false,
    width: 150,
    height: 150,
  });
  // Draw each curve in its own order: a vertical ROC step has one fpr for several tpr.
  const enc = (spec as { encoding?: Record<string, unknown> }).encoding;
  if (enc) {
    enc.order = { field: 'step', type: 'quantitative' };
    const facet = enc.facet as Record<string, unknown> | undefined;
    if (facet) facet.sort = r.classes.map((c) => `normal ${c.normal}`);
  }
  const chart = await renderChart(spec);
  return {
    file: 'roc.png',
    caption: `ROC curves: the normal class against all other test rows; reconstruction error of ${methods.map((m) => METHOD_TITLES[m]).join(', ')}.`,
    chart,
  };
}

/**
 * The most and least anomalous test images by each trained model's score, one grid row per
 * normal class; multi-channel rows show their first channel.
 */
export function imageFigures(
  r: AnomalyResult,
  testX: Matrix32,
  image: { h: number; w: number },
  pixelMax: number,
): AnomalyFigure[] {
  const { h, w } = image;
  const grid = (m: ModelMethod, pick: 'mostAnomalous' | 'leastAnomalous'): Uint8Array => {
    const n = r.settings.shownImages;
    const pixels = new Float32Array(r.classes.length * n * h * w);
    r.classes.forEach((c, k) => {
      c[m]?.[pick].forEach((row, j) => {
        const src = testX.data.subarray(row * testX.cols, row * testX.cols + h * w);
        const at = (k * n + j) * h * w;
        for (let p = 0; p < h * w; p++) pixels[at + p] = src[p] / pixelMax;
      });
    });
    return imageGrid(pixels, {
      n: r.classes.length * n,
      h,
      w,
      cols: n,
      rowLabels: r.classes.map((c) => `normal ${c.normal}`),
    });
  };
  const models = r.methods.filter((m): m is ModelMethod => m !== 'pca');
  return models.flatMap((m) => [
    {
      file: `most-anomalous-${m}.png`,
      caption: `The test images the ${METHOD_TITLES[m]} of each normal class scored highest (most anomalous), highest first.`,
      png: grid(m, 'mostAnomalous'),
    },
    {
      file: `least-anomalous-${m}.png`,
      caption: `The test images the ${METHOD_TITLES[m]} of each normal class scored lowest (most normal), lowest first.`,
      png: grid(m, 'leastAnomalous'),
    },
  ]);
}
