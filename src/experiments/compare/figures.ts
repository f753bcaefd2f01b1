/**
 * The comparison's charts (Vega-Lite, https://vega.github.io/vega-lite/docs/layer.html): kNN
 * accuracy against d per method with the raw-row ceiling as a dashed horizontal rule (one per
 * training-set size, so LLE and Isomap on 10,000 rows meet their own ceiling), trustworthiness
 * against d, and fit / transform seconds against d on a log scale. The d axis is logarithmic:
 * the default dims (2 ... 50) crowd the left of a linear axis.
 */
import { renderChart, type RenderedChart, type TopLevelSpec } from '../../report/chart.js';
import { concatCharts, type Datum } from '../../report/chart-specs.js';
import { COMPARE_METHODS, METHOD_TITLES } from './config.js';
import { thousands } from './findings.js';
import type { CompareResult, CompareRow } from './run.js';

/** A rendered chart and the file its PNG goes to. */
export interface CompareFigure {
  file: string;
  chart: RenderedChart;
  caption: string;
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const WIDTH = 520;
const HEIGHT = 320;

/** "60,000 train" */
export function rowsLabel(n: number): string {
  return `${thousands(n)} train`;
}

function measured(r: CompareResult): CompareRow[] {
  return r.rows.filter((x) => x.skipped === undefined && x.error === undefined);
}

function dimAxis(dims: readonly number[]) {
  const lo = dims[0];
  const hi = dims[dims.length - 1];
  const log = dims.length > 1 && hi / lo >= 8;
  // A little room either side of the first and last dim, not Vega's "nice" powers of ten.
  const domain = log ? [lo / 1.15, hi * 1.15] : [lo - (hi - lo) * 0.04, hi + (hi - lo) * 0.04];
  return {
    field: 'dim',
    type: 'quantitative' as const,
    title: 'dimensions d',
    scale: { type: log ? ('log' as const) : ('linear' as const), domain, nice: false },
    axis: { values: [...dims], format: 'd' },
  };
}

/** The chart title, with a subtitle naming the dashed lines when training sizes differ. */
function titled(r: CompareResult, text: string): { text: string; subtitle?: string } {
  const trains = [...new Set(measured(r).map((x) => x.trainRows))].sort((a, b) => b - a);
  if (trains.length < 2) return { text };
  const dashed = [
    ...new Set(
      measured(r)
        .filter((x) => x.trainRows !== trains[0])
        .map((x) => METHOD_TITLES[x.method]),
    ),
  ];
  return {
    text,
    subtitle: `solid lines: ${thousands(trains[0])} training rows; dashed: ${dashed.join(', ')} on ${trains.slice(1).map(thousands).join(' or ')}`,
  };
}

function methodEncodings(r: CompareResult) {
  const trains = [...new Set(measured(r).map((x) => x.trainRows))].sort((a, b) => b - a);
  return {
    color: {
      field: 'method',
      type: 'nominal' as const,
      title: 'method',
      sort: COMPARE_METHODS.map((m) => METHOD_TITLES[m]),
    },
    ...(trains.length > 1
      ? {
          strokeDash: {
            field: 'train',
            type: 'nominal' as const,
            title: 'training rows',
            sort: trains.map(rowsLabel),
            // Vega-Lite draws a dash legend of line+point marks as blank symbols: subtitle instead.
            legend: null,
          },
        }
      : {}),
  };
}

/** kNN accuracy against d, one line per method, the ceilings as labelled rules. */
export function accuracySpec(r: CompareResult): TopLevelSpec {
  const data: Datum[] = measured(r).map((x) => ({
    method: METHOD_TITLES[x.method],
    dim: x.dim,
    accuracy: x.knnAccuracy,
    train: rowsLabel(x.trainRows),
  }));
  const rules: Datum[] = r.ceilings.map((c) => ({
    accuracy: c.accuracy,
    label: `raw ${r.data.name === 'mnist' ? 'pixels' : 'features'}, ${rowsLabel(c.trainRows)}: ${c.accuracy.toFixed(4)}`,
  }));
  return {
    $schema: SCHEMA,
    title: titled(r, `kNN(${r.settings.k}) accuracy on the test codes`),
    width: WIDTH,
    height: HEIGHT,
    layer: [
      {
        data: { values: data },
        mark: { type: 'line', point: true, strokeWidth: 2 },
        encoding: {
          x: dimAxis(r.settings.dims),
          y: {
            field: 'accuracy',
            type: 'quantitative',
            title: 'test accuracy',
            scale: { zero: false },
          },
          ...methodEncodings(r),
        },
      },
      {
        data: { values: rules },
        mark: { type: 'rule', strokeDash: [6, 4], color: '#444', strokeWidth: 1.5 },
        encoding: { y: { field: 'accuracy', type: 'quantitative' } },
      },
      {
        data: { values: rules },
        // At the left end, where the curves are still low (they rise with d).
        mark: { type: 'text', align: 'left', baseline: 'bottom', dy: -3, color: '#444' },
        encoding: {
          y: { field: 'accuracy', type: 'quantitative' },
          x: { value: 4 },
          text: { field: 'label', type: 'nominal' },
        },
      },
    ],
  } as TopLevelSpec;
}

/** Trustworthiness of the test codes against d. */
export function trustSpec(r: CompareResult): TopLevelSpec {
  const data: Datum[] = measured(r)
    .filter((x) => x.trust !== null)
    .map((x) => ({
      method: METHOD_TITLES[x.method],
      dim: x.dim,
      trust: x.trust?.value ?? null,
      train: rowsLabel(x.trainRows),
    }));
  return {
    $schema: SCHEMA,
    title: titled(r, `Trustworthiness (k = ${r.settings.k}) of the test codes`),
    width: WIDTH,
    height: HEIGHT,
    data: { values: data },
    mark: { type: 'line', point: true, strokeWidth: 2 },
    encoding: {
      x: dimAxis(r.settings.dims),
      y: { field: 'trust', type: 'quantitative', title: 'trustworthiness', scale: { zero: false } },
      ...methodEncodings(r),
    },
  } as TopLevelSpec;
}

/** Fit and transform seconds against d, log scale, side by side. */
export function timingSpec(r: CompareResult): TopLevelSpec {
  const panel = (key: 'fitSeconds' | 'transformSeconds', title: string): TopLevelSpec =>
    ({
      $schema: SCHEMA,
      title,
      width: 300,
      height: 260,
      data: {
        values: measured(r).map((x) => ({
          method: METHOD_TITLES[x.method],
          dim: x.dim,
          // Log scale: a sub-millisecond time is drawn at 1 ms.
          seconds: Math.max(x[key] ?? 0, 1e-3),
          train: rowsLabel(x.trainRows),
        })),
      },
      mark: { type: 'line', point: true, strokeWidth: 2 },
      encoding: {
        x: dimAxis(r.settings.dims),
        y: { field: 'seconds', type: 'quantitative', title: 'seconds', scale: { type: 'log' } },
        ...methodEncodings(r),
      },
    }) as TopLevelSpec;
  return concatCharts(
    [
      panel('fitSeconds', 'Fit (fitTransform of the training rows)'),
      panel('transformSeconds', 'Transform of the test rows'),
    ],
    { columns: 2 },
  );
}

/** Renders the three charts. @throws ConfigError when a chart fails to render */
export async function compareFigures(r: CompareResult): Promise<CompareFigure[]> {
  const src = r.data.name === 'mnist' ? 'raw pixels' : 'raw features';
  return [
    {
      file: 'accuracy.png',
      chart: await renderChart(accuracySpec(r)),
      caption: `kNN(${r.settings.k}) accuracy of the test codes against the dimension d; dashed rules: the same classifier on the ${src} (the ceiling), per training-set size.`,
    },
    {
      file: 'trustworthiness.png',
      chart: await renderChart(trustSpec(r)),
      caption: `Trustworthiness (k = ${r.settings.k}) of the test codes against the test rows: 1 means every code-space neighbour is also a near neighbour in the input.`,
    },
    {
      file: 'timing.png',
      chart: await renderChart(timingSpec(r)),
      caption:
        'Seconds to fit (fitTransform of the training rows) and to transform the test rows, log scale.' +
        (new Set(measured(r).map((x) => x.trainRows)).size > 1
          ? ' Dashed lines: methods fitted on fewer training rows.'
          : ''),
    },
  ];
}
