/**
 * Charts of the intrinsic-dimension report: estimated against true dimension per manifold kind
 * (one line per estimator, dashed when noisy, the diagonal as the truth), the AE's held-out
 * error against latent size for every synthetic case, and for a data set its error curve and,
 * with labels, kNN accuracy against latent size (the view of Wang, Yao & Zhao 2016).
 */
import { renderChart, type RenderedChart } from '../../report/chart.js';
import { lineChart, type Datum } from '../../report/chart-specs.js';
import type { DataDimResult } from './data.js';
import type { DimTableRow } from './table.js';

/** A rendered chart and the file its PNG goes to. */
export interface DimFigure {
  file: string;
  chart: RenderedChart;
  caption: string;
}

const LABELS = {
  truth: 'truth',
  ae: 'AE (flattening)',
  mle: 'MLE',
  mlePlain: 'MLE (plain)',
  twoNN: 'TwoNN',
  pca95: 'PCA 95%',
} as const;

/** Estimated-vs-true rows for the chart. */
export function estimateData(rows: readonly DimTableRow[]): Datum[] {
  const out: Datum[] = [];
  for (const r of rows) {
    const noise = r.noise === 0 ? 'noise-free' : `noise ${r.noise}`;
    for (const key of Object.keys(LABELS) as (keyof typeof LABELS)[]) {
      if (key === 'truth' && r.noise !== 0) continue;
      const v = key === 'truth' ? r.d : r[key];
      out.push({
        kind: r.kind,
        d: r.d,
        estimate: v,
        estimator: LABELS[key],
        noise: key === 'truth' ? 'noise-free' : noise,
      });
    }
  }
  return out;
}

/** Renders the charts of whichever parts ran. @throws ConfigError when a chart fails to render */
export async function dimFigures(
  rows: readonly DimTableRow[] | undefined,
  data: DataDimResult | undefined,
): Promise<DimFigure[]> {
  const out: DimFigure[] = [];
  if (rows && rows.length > 0) {
    out.push({
      file: 'estimates.png',
      caption:
        'Estimated against true intrinsic dimension per manifold kind; solid: noise-free, dashed: with noise. MLE: Levina-Bickel, calibrated against uniform d-balls, and plain. The AE estimate is an integer; MLE and TwoNN are not rounded.',
      chart: await renderChart(
        lineChart({
          title: 'Estimated vs true intrinsic dimension',
          data: estimateData(rows),
          x: { field: 'd', title: 'true dimension d', format: 'd' },
          y: { field: 'estimate', title: 'estimate' },
          color: { field: 'estimator', sort: Object.values(LABELS) },
          // Noise-free first, so it gets the solid line.
          strokeDash: {
            field: 'noise',
            sort: [
              ...new Set(rows.map((r) => (r.noise === 0 ? 'noise-free' : `noise ${r.noise}`))),
            ].sort((a, b) =>
              a === 'noise-free' ? -1 : b === 'noise-free' ? 1 : a.localeCompare(b),
            ),
          },
          facet: { field: 'kind', columns: 3 },
          width: 220,
          height: 220,
        }),
      ),
    });
    const curves: Datum[] = rows.flatMap((r) =>
      r.curve
        .filter((p) => p.testMse > 0)
        .map((p) => ({
          panel: `${r.kind}, ${r.noise === 0 ? 'noise-free' : `noise ${r.noise}`}`,
          latent: p.latent,
          mse: p.testMse,
          d: `d = ${String(r.d).padStart(2, ' ')}`,
        })),
    );
    out.push({
      file: 'ae-curves.png',
      caption:
        'Held-out reconstruction MSE (standardised units) of the AE against latent size k, one line per true dimension d; k = 0 is the total variance.',
      chart: await renderChart(
        lineChart({
          title: 'AE reconstruction error against latent size',
          data: curves,
          x: { field: 'latent', title: 'latent size k' },
          y: { field: 'mse', title: 'held-out MSE (log scale)', scale: 'log' },
          color: { field: 'd', title: 'true d' },
          facet: { field: 'panel', title: 'manifold', columns: 3 },
          points: false,
          width: 220,
          height: 180,
        }),
      ),
    });
  }
  if (data) {
    const pts: Datum[] = [
      { latent: 0, value: data.ae.baselineMse, series: 'held-out MSE' },
      ...data.ae.steps.map((s) => ({ latent: s.latent, value: s.testMse, series: 'held-out MSE' })),
    ];
    out.push({
      file: 'data-mse.png',
      caption: `${data.source}: held-out reconstruction MSE of the AE against latent size (k = 0: predicting the mean); estimate ${data.ae.estimate ?? 'none'}.`,
      chart: await renderChart(
        lineChart({
          title: `${data.source}: AE reconstruction error`,
          data: pts.filter((p) => (p.value as number) > 0),
          x: { field: 'latent', title: 'latent size k' },
          y: { field: 'value', title: 'held-out MSE (log scale)', scale: 'log' },
        }),
      ),
    });
    if (data.ae.steps.some((s) => s.knnAccuracy !== undefined)) {
      out.push({
        file: 'data-knn.png',
        caption: `${data.source}: 5-NN accuracy of the test codes against the training codes, by latent size; best at ${data.ae.bestKnnLatent}.`,
        chart: await renderChart(
          lineChart({
            title: `${data.source}: kNN accuracy of the AE code`,
            data: data.ae.steps.map((s) => ({ latent: s.latent, accuracy: s.knnAccuracy ?? null })),
            x: { field: 'latent', title: 'latent size k (hidden nodes)' },
            y: { field: 'accuracy', title: 'kNN accuracy', zero: false },
          }),
        ),
      });
    }
  }
  return out;
}
