/**
 * The anomaly experiment's figures: ROC curves, one panel per normal class with the AE and PCA
 * overlaid (the diagonal is chance), and two image grids, one row per normal class, of the test
 * images the AE scored most and least anomalous.
 */
import { renderChart, type RenderedChart } from '../../report/chart.js';
import { lineChart, type Datum } from '../../report/chart-specs.js';
import { imageGrid } from '../../report/image-grid.js';
import type { Matrix32 } from '../../util/matrix.js';
import { METHOD_TITLES, type AnomalyMethod, type AnomalyResult } from './run.js';

/** A figure and the file its PNG goes to. */
export interface AnomalyFigure {
  file: string;
  caption: string;
  chart?: RenderedChart;
  png?: Uint8Array;
}

const METHODS: readonly AnomalyMethod[] = ['ae', 'pca'];

/** ROC panels of every class run, both methods per panel. */
export async function rocFigure(r: AnomalyResult): Promise<AnomalyFigure> {
  const data: Datum[] = [];
  for (const c of r.classes) {
    for (const m of METHODS) {
      const { fpr, tpr } = c[m].roc;
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
    color: { field: 'method', title: 'scores', sort: METHODS.map((m) => METHOD_TITLES[m]) },
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
    caption:
      'ROC curves: the normal class against all other test rows; AE reconstruction error vs PCA reconstruction error.',
    chart,
  };
}

/** The most and least anomalous test images by AE score, one grid row per normal class. */
export function imageFigures(
  r: AnomalyResult,
  testX: Matrix32,
  image: { h: number; w: number },
  pixelMax: number,
): AnomalyFigure[] {
  const { h, w } = image;
  const grid = (pick: 'mostAnomalous' | 'leastAnomalous'): Uint8Array => {
    const n = r.settings.shownImages;
    const pixels = new Float32Array(r.classes.length * n * h * w);
    r.classes.forEach((c, k) => {
      c[pick].forEach((row, j) => {
        const src = testX.data.subarray(row * h * w, (row + 1) * h * w);
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
  return [
    {
      file: 'most-anomalous.png',
      caption:
        'The test images the AE of each normal class scored highest (most anomalous), highest first.',
      png: grid('mostAnomalous'),
    },
    {
      file: 'least-anomalous.png',
      caption:
        'The test images the AE of each normal class scored lowest (most normal), lowest first.',
      png: grid('leastAnomalous'),
    },
  ];
}
