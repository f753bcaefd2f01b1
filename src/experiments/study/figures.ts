/**
 * The study's charts, as Vega-Lite specs rendered by report/chart.ts: test MSE against latent
 * size (both decoders, the study's numbers, PCA, the conv denoising AEs at their code size in
 * values with clean and noisy input, the saturation point marked), the training
 * curves of every run, the deep AE's curve, the three 2-d projections of its 3-d code, and the
 * time per run.
 */
import { renderChart, type RenderedChart, type TopLevelSpec } from '../../report/chart.js';
import {
  barChart,
  concatCharts,
  lineChart,
  scatterChart,
  type Datum,
} from '../../report/chart-specs.js';
import { STUDY_REFERENCE } from './config.js';
import type { StudyOutcome } from './outcome.js';

/** A rendered chart with the file name its PNG is saved under. */
export interface Figure {
  file: string;
  chart: RenderedChart;
  caption: string;
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const LEGEND = { legend: { labelLimit: 400 } };

/** A log-scale domain a little wider than the data (Vega's nice domain would jump to whole decades). */
function logDomain(values: number[]): [number, number] {
  const v = values.filter((x) => Number.isFinite(x) && x > 0);
  return v.length > 0 ? [Math.min(...v) / 1.15, Math.max(...v) * 1.15] : [1e-3, 1];
}

function withLegendRoom(spec: TopLevelSpec): TopLevelSpec {
  return { ...spec, config: LEGEND } as TopLevelSpec;
}

/**
 * Test MSE vs latent size: one line per series, log y, a dashed rule at the recommended size.
 * Conv AEs sit at their code size in values (7x7x8 = 392), and then the x axis is logarithmic so
 * the dense sweep (10-100) keeps most of the width.
 */
export function mseSpec(o: StudyOutcome): TopLevelSpec {
  const rows: Datum[] = o.rows.map((r) => ({
    latent: r.latent,
    mse: r.testMse,
    series: `AE, ${r.activation} decoder (ours)`,
  }));
  const dims = new Set(o.config.latentDims);
  for (const s of STUDY_REFERENCE) {
    if (dims.has(s.latent))
      rows.push({ latent: s.latent, mse: s.testLoss, series: 'AE, relu decoder (study, Keras)' });
  }
  o.pca.dims.forEach((k, i) =>
    rows.push({ latent: k, mse: o.pca.testMse[i], series: 'PCA (linear baseline)' }),
  );
  for (const c of o.conv) {
    rows.push(
      { latent: c.latent, mse: c.testMse, series: 'Conv denoising AE (ours), clean input' },
      { latent: c.latent, mse: c.testMseNoisy, series: 'Conv denoising AE (ours), noisy input' },
    );
  }
  const ticks = [...new Set([...o.config.latentDims, ...o.conv.map((c) => c.latent)])].sort(
    (a, b) => a - b,
  );
  const logX = o.conv.length > 0;
  const order = [...new Set(rows.map((r) => String(r.series)))];
  const line = lineChart({
    data: rows,
    x: {
      field: 'latent',
      title: logX ? 'Code size in values (log scale)' : 'Latent dimension',
      ...(logX ? { scale: 'log' as const } : {}),
    },
    y: {
      field: 'mse',
      title: 'Test MSE per pixel (log scale)',
      scale: 'log',
      // PCA at a conv code's size reaches errors below 0.001, which '.3f' would print as 0.000.
      format: logX ? '~g' : '.3f',
      domain: logDomain(rows.map((r) => Number(r.mse))),
    },
    color: { field: 'series', title: '', sort: order },
    strokeDash: { field: 'series', title: '', sort: order },
  });
  const { $schema: _s, ...lineBody } = line as unknown as Record<string, unknown>;
  const enc = lineBody.encoding as Record<string, Record<string, unknown>>;
  // Ticks at the swept sizes; the y scale stays within the data instead of whole decades.
  enc.x = {
    ...enc.x,
    axis: { values: ticks, grid: true },
    ...(logX
      ? {
          scale: {
            ...(enc.x.scale as object),
            domain: [ticks[0] / 1.15, ticks[ticks.length - 1] * 1.15],
            nice: false,
          },
        }
      : {}),
  };
  enc.y = { ...enc.y, scale: { ...(enc.y.scale as object), nice: false } };
  const layers: unknown[] = [{ ...lineBody }];
  const rec = o.saturation.recommended;
  if (rec !== null) {
    layers.push(
      {
        data: { values: [{ latent: rec }] },
        mark: { type: 'rule', strokeDash: [4, 4], color: '#555' },
        encoding: { x: { field: 'latent', type: 'quantitative' } },
      },
      {
        data: { values: [{ latent: rec, label: `saturated from ${rec}` }] },
        mark: { type: 'text', align: 'left', dx: 5, fontSize: 12, color: '#333' },
        encoding: {
          x: { field: 'latent', type: 'quantitative' },
          y: { value: 10 },
          text: { field: 'label' },
        },
      },
    );
  }
  return {
    $schema: SCHEMA,
    title: `Reconstruction error against ${logX ? 'code size' : 'latent dimension'}`,
    width: 560,
    height: 340,
    layer: layers.map((l) => {
      const { width: _w, height: _h, ...rest } = l as Record<string, unknown>;
      return rest;
    }),
    config: { legend: { orient: 'bottom', columns: 2, labelLimit: 400, symbolStrokeWidth: 2 } },
  } as unknown as TopLevelSpec;
}

function curvesSpec(o: StudyOutcome): TopLevelSpec {
  const rows: Datum[] = o.results.flatMap((r) =>
    r.history.map((h) => ({
      epoch: h.epoch,
      loss: h.trainLoss,
      latent: r.latent,
      decoder: `${r.activation} decoder`,
    })),
  );
  return lineChart({
    title: 'Training loss per epoch (Keras running mean), every run',
    data: rows,
    x: { field: 'epoch', title: 'Epoch', format: 'd' },
    y: {
      field: 'loss',
      title: 'Training loss (MSE, log scale)',
      scale: 'log',
      format: '.3f',
      domain: logDomain(rows.map((r) => Number(r.loss))),
    },
    color: { field: 'latent', title: 'Latent', sort: o.config.latentDims },
    facet: { field: 'decoder', title: '', columns: 2 },
    width: 300,
    height: 240,
    points: false,
  });
}

function deepCurveSpec(o: StudyOutcome): TopLevelSpec {
  const rows: Datum[] = o.deep.history.flatMap((h) => [
    { epoch: h.epoch, mse: h.trainLoss, series: 'training loss (running)' },
    { epoch: h.epoch, mse: h.trainMse, series: 'train MSE (after epoch)' },
    { epoch: h.epoch, mse: h.testMse ?? null, series: 'test MSE (after epoch)' },
  ]);
  return withLegendRoom(
    lineChart({
      title: `Deep AE ${o.deep.label.replace(/^deep /, '')}: loss per epoch`,
      data: rows,
      x: { field: 'epoch', title: 'Epoch', format: 'd' },
      y: { field: 'mse', title: 'MSE per pixel', format: '.3f', zero: false },
      color: { field: 'series', title: '' },
      width: 420,
      height: 240,
    }),
  );
}

/** Three scatter plots (z1-z2, z1-z3, z2-z3) of the 3-d codes, coloured by digit. */
export function projectionsSpec(
  points: Float32Array,
  labels: Int32Array,
  maxPoints = 5000,
): TopLevelSpec {
  const n = labels.length;
  const stride = Math.max(1, Math.ceil(n / maxPoints));
  const rows: Datum[] = [];
  for (let i = 0; i < n; i += stride) {
    rows.push({
      z1: points[3 * i],
      z2: points[3 * i + 1],
      z3: points[3 * i + 2],
      digit: labels[i],
    });
  }
  const pairs: [string, string][] = [
    ['z1', 'z2'],
    ['z1', 'z3'],
    ['z2', 'z3'],
  ];
  const digits = [...new Set(rows.map((r) => Number(r.digit)))].sort((a, b) => a - b);
  return concatCharts(
    pairs.map(([a, b]) =>
      scatterChart({
        data: rows,
        x: { field: a },
        y: { field: b },
        color: { field: 'digit', title: 'Digit', sort: digits },
        size: 8,
        opacity: 0.6,
        width: 250,
        height: 250,
      }),
    ),
    {
      title: `Deep AE code of ${rows.length.toLocaleString('en-US')} test digits, three projections`,
      columns: 3,
    },
  );
}

function timesSpec(o: StudyOutcome): TopLevelSpec {
  return barChart({
    title: 'Training time per run (training + per-epoch evaluation)',
    data: o.rows.map((r) => ({ latent: r.latent, seconds: r.seconds, decoder: r.activation })),
    category: { field: 'latent', title: 'Latent dimension', type: 'ordinal' },
    value: { field: 'seconds', title: 'Seconds' },
    color: { field: 'decoder', title: 'Decoder' },
    width: 520,
    height: 220,
  });
}

/** Renders every chart of the study. @throws ConfigError if a spec fails to render */
export async function studyFigures(
  o: StudyOutcome,
  codes: { points: Float32Array; labels: Int32Array },
): Promise<Record<'mse' | 'curves' | 'deepCurve' | 'projections' | 'times', Figure>> {
  const render = async (file: string, spec: TopLevelSpec, caption: string): Promise<Figure> => ({
    file,
    chart: await renderChart(spec),
    caption,
  });
  return {
    mse: await render(
      'mse-vs-latent.png',
      mseSpec(o),
      `Test reconstruction MSE (per pixel, images scaled to [0, 1]) of the shallow AEs, the study's Keras numbers (ReLU decoder), ${o.conv.length > 0 ? `the convolutional denoising AE${o.conv.length > 1 ? 's' : ''} at ${o.conv.length > 1 ? 'their' : 'its'} code size in values (${o.conv.map((c) => `${c.codeShape.join('x')} = ${c.latent}`).join(', ')}), with clean and with noisy input, ` : ''}and PCA with as many components. The dashed line marks the recommended latent size.`,
    ),
    curves: await render(
      'training-curves.png',
      curvesSpec(o),
      'Training loss per epoch of every sweep run, by decoder activation.',
    ),
    deepCurve: await render(
      'deep-training.png',
      deepCurveSpec(o),
      "The deep AE's training loss and evaluated train/test MSE per epoch.",
    ),
    projections: await render(
      'deep-code-projections.png',
      projectionsSpec(codes.points, codes.labels),
      "The deep AE's 3-d code of the test set, seen along each pair of axes, coloured by the true digit (labels were not used in training).",
    ),
    times: await render(
      'run-times.png',
      timesSpec(o),
      'Seconds per sweep run (training plus the evaluation of train and test MSE after each epoch).',
    ),
  };
}
