import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../errors.js';
import { renderChart } from './chart.js';
import { barChart, concatCharts, lineChart, scatterChart } from './chart-specs.js';
import { decodePng } from './png.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const rows = ['relu', 'sigmoid', 'PCA'].flatMap((model, m) =>
  [2, 5, 10, 20].map((d) => ({ model, d, mse: (0.05 + 0.01 * m) / d })),
);

/** Population variance of the gray (mean RGB) values of a PNG; 0 for a blank image. */
function grayVariance(png: Uint8Array): number {
  const { data } = decodePng(png);
  let s = 0;
  let s2 = 0;
  const n = data.length / 4;
  for (let i = 0; i < n; i++) {
    const g = (data[4 * i] + data[4 * i + 1] + data[4 * i + 2]) / 3;
    s += g;
    s2 += g * g;
  }
  return s2 / n - (s / n) ** 2;
}

test('renderChart: a line chart becomes a non-blank PNG at scale x the SVG size, SVG has axis titles', async () => {
  const chart = await renderChart(
    lineChart({
      title: 'Test MSE',
      x: { field: 'd', title: 'Latent dimension', scale: 'log' },
      y: { field: 'mse', title: 'Test MSE (log)', scale: 'log' },
      color: { field: 'model', title: 'Model' },
      data: rows,
      width: 300,
      height: 200,
    }),
    { scale: 2 },
  );
  assert.deepEqual([...chart.png.subarray(0, 8)], PNG_SIGNATURE);
  const svgW = Number(/<svg[^>]*\swidth="(\d+(?:\.\d+)?)"/.exec(chart.svg)?.[1]);
  const svgH = Number(/<svg[^>]*\sheight="(\d+(?:\.\d+)?)"/.exec(chart.svg)?.[1]);
  // Plot area 300 x 200 plus axes, title and legend: bigger than the plot, not absurdly so.
  assert.ok(svgW > 300 && svgW < 600, `svg width ${svgW}`);
  assert.ok(svgH > 200 && svgH < 400, `svg height ${svgH}`);
  assert.equal(chart.width, Math.round(2 * svgW));
  assert.equal(chart.height, Math.round(2 * svgH));
  const decoded = decodePng(chart.png);
  assert.equal(decoded.width, chart.width);
  assert.ok(grayVariance(chart.png) > 100, 'PNG is not blank');
  for (const text of ['Latent dimension', 'Test MSE (log)', 'Model', 'sigmoid']) {
    assert.ok(chart.svg.includes(`>${text}<`), `svg shows "${text}"`);
  }
  assert.match(chart.svg, /font-family="DejaVu Sans/);
  assert.deepEqual(chart.warnings, []);
});

test('renderChart: scatter, bar and concatenated charts render with their legends', async () => {
  const pts = Array.from({ length: 300 }, (_, i) => ({
    a: Math.cos(i),
    b: Math.sin(3 * i),
    c: i / 300,
    digit: i % 10,
  }));
  const sub = (x: string, y: string) =>
    scatterChart({
      x: { field: x },
      y: { field: y },
      color: 'digit',
      data: pts,
      width: 120,
      height: 120,
    });
  const concat = await renderChart(
    concatCharts([sub('a', 'b'), sub('a', 'c'), sub('b', 'c')], { title: 'Pairs' }),
    { scale: 1 },
  );
  // Three 120-wide panels side by side.
  assert.ok(concat.width > 3 * 120, `width ${concat.width}`);
  assert.ok(concat.svg.includes('>Pairs<'));
  assert.equal((concat.svg.match(/role-legend"/g) ?? []).length, 1, 'one shared legend');
  const bar = await renderChart(
    barChart({
      category: { field: 'm' },
      value: { field: 'acc', title: 'Accuracy' },
      data: [
        { m: 'AE', acc: 0.9 },
        { m: 'PCA', acc: 0.8 },
      ],
    }),
    { scale: 1 },
  );
  assert.ok(bar.svg.includes('>Accuracy<'));
  assert.ok(grayVariance(bar.png) > 100);
});

test('renderChart: Vega-Lite warnings are collected, not printed', async () => {
  const chart = await renderChart(
    {
      data: { values: [{ a: 1, b: 2 }] },
      mark: 'point',
      encoding: {
        x: { field: 'a', type: 'quantitative', scale: { type: 'band' } },
        y: { field: 'b', type: 'quantitative' },
      },
    },
    { scale: 1 },
  );
  assert.equal(chart.warnings.length, 1);
  assert.match(chart.warnings[0], /band/);
});

test('renderChart: misuse', async () => {
  await assert.rejects(
    renderChart({ data: { values: [] }, encoding: {} } as never),
    (e: unknown) =>
      e instanceof ConfigError &&
      /^chart spec does not compile: Invalid specification .*"mark"/.test(e.message),
  );
  await assert.rejects(
    renderChart(lineChart({ x: { field: 'd' }, y: { field: 'mse' }, data: rows }), { scale: 0 }),
    (e: unknown) =>
      e instanceof ConfigError && /scale must be a finite number > 0.*got 0/.test(e.message),
  );
});
