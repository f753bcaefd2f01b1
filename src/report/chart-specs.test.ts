import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../errors.js';
import { barChart, concatCharts, lineChart, scatterChart } from './chart-specs.js';

/** The value at a dotted path of a spec (the builders return plain JSON-like objects). */
function at(spec: unknown, path: string): unknown {
  let v: unknown = spec;
  for (const k of path.split('.')) v = (v as Record<string, unknown> | undefined)?.[k];
  return v;
}

const data = [{ d: 2, mse: 0.1, model: 'relu', 'rel.err': 0.5 }];

test('lineChart: one line per colour value, log scales, points and dashes', () => {
  const s = lineChart({
    title: 'MSE',
    x: { field: 'd', title: 'Latent dimension', scale: 'log' },
    y: { field: 'mse', scale: 'log', format: '.1e' },
    color: { field: 'model', title: 'Model', sort: ['relu', 'PCA'] },
    strokeDash: 'model',
    data,
  });
  assert.equal(at(s, 'title'), 'MSE');
  assert.deepEqual(at(s, 'data.values'), data);
  assert.deepEqual(at(s, 'mark'), { type: 'line', point: true, strokeWidth: 2 });
  assert.deepEqual(at(s, 'encoding.x'), {
    field: 'd',
    type: 'quantitative',
    title: 'Latent dimension',
    scale: { type: 'log' },
  });
  assert.deepEqual(at(s, 'encoding.y.axis'), { format: '.1e' });
  assert.equal(at(s, 'encoding.y.title'), 'mse', 'title defaults to the field name');
  // With dashes, both legends draw line segments (a dashed circle read as a blank symbol).
  const legend = { symbolType: 'stroke', symbolSize: 500, symbolStrokeWidth: 2.5 };
  assert.deepEqual(at(s, 'encoding.color'), {
    field: 'model',
    type: 'nominal',
    title: 'Model',
    sort: ['relu', 'PCA'],
    legend,
  });
  assert.equal(at(s, 'encoding.strokeDash.field'), 'model');
  assert.deepEqual(at(s, 'encoding.strokeDash.legend'), legend);
  const plain = lineChart({ x: { field: 'd' }, y: { field: 'mse' }, color: 'model', data });
  assert.equal(at(plain, 'encoding.color.legend'), undefined, 'no dashes: the default legend');
  assert.equal(
    at(lineChart({ x: { field: 'd' }, y: { field: 'mse' }, data, points: false }), 'mark.point'),
    false,
  );
});

test('field names with dots are escaped so Vega-Lite does not read them as nested access', () => {
  const s = scatterChart({ x: { field: 'rel.err' }, y: { field: 'mse' }, data });
  assert.equal(at(s, 'encoding.x.field'), 'rel\\.err');
  assert.equal(at(s, 'encoding.x.title'), 'rel.err');
});

test('scatterChart: translucent circles, tableau10 colours, opaque legend symbols', () => {
  const s = scatterChart({
    x: { field: 'd' },
    y: { field: 'mse' },
    color: 'model',
    data,
    size: 5,
    opacity: 0.5,
  });
  assert.deepEqual(at(s, 'mark'), { type: 'circle', size: 5, opacity: 0.5 });
  assert.equal(at(s, 'encoding.color.scale.scheme'), 'tableau10');
  assert.equal(at(s, 'encoding.color.legend.symbolOpacity'), 1);
  assert.equal(at(s, 'encoding.x.scale.zero'), false);
});

test('facet option wraps panels and can make their scales independent', () => {
  const s = lineChart({
    x: { field: 'd' },
    y: { field: 'mse' },
    data,
    facet: { field: 'model', columns: 2, independent: true },
  });
  assert.deepEqual(at(s, 'encoding.facet'), {
    field: 'model',
    type: 'nominal',
    title: 'model',
    columns: 2,
  });
  assert.deepEqual(at(s, 'resolve'), { scale: { x: 'independent', y: 'independent' } });
});

test('barChart: groups by colour with an offset channel; horizontal swaps axes', () => {
  const v = barChart({ category: { field: 'model' }, value: { field: 'mse' }, color: 'd', data });
  assert.equal(at(v, 'encoding.x.field'), 'model');
  assert.equal(at(v, 'encoding.x.type'), 'nominal');
  assert.equal(at(v, 'encoding.x.axis.labelAngle'), 0);
  assert.equal(at(v, 'encoding.xOffset.field'), 'd');
  const h = barChart({
    category: { field: 'model' },
    value: { field: 'mse' },
    color: 'd',
    data,
    horizontal: true,
  });
  assert.equal(at(h, 'encoding.y.field'), 'model');
  assert.equal(at(h, 'encoding.yOffset.field'), 'd');
});

test('concatCharts: children lose $schema, colour scale shared, columns default to the count', () => {
  const a = lineChart({ x: { field: 'd' }, y: { field: 'mse' }, data });
  const s = concatCharts([a, a, a], { title: 'three', shared: ['y'] });
  assert.equal(at(s, 'columns'), 3);
  assert.equal(at(s, 'concat.length'), 3);
  assert.equal(at(s, 'concat.0.$schema'), undefined);
  assert.deepEqual(at(s, 'resolve'), { scale: { color: 'shared', y: 'shared' } });
});

test('spec builders: misuse', () => {
  const isConfig = (re: RegExp) => (e: unknown) => e instanceof ConfigError && re.test(e.message);
  assert.throws(
    () => lineChart({ x: { field: '' }, y: { field: 'mse' }, data }),
    isConfig(/x\.field must be a non-empty string, got $/),
  );
  assert.throws(
    () => lineChart({ x: { field: 'd' }, y: { field: 'mse' }, data: 'rows' as never }),
    isConfig(/lineChart: data must be an array of rows, got string/),
  );
  assert.throws(
    () => scatterChart({ x: { field: 'd' }, y: { field: 'mse' }, data, opacity: 2 }),
    isConfig(/scatterChart: opacity must be a finite number > 0 and <= 1, got 2/),
  );
  assert.throws(
    () => barChart({ category: { field: 'm' }, value: { field: 'v' }, data, width: -1 }),
    isConfig(/barChart: width must be a finite number > 0.*got -1/),
  );
  assert.throws(
    () =>
      lineChart({
        x: { field: 'd' },
        y: { field: 'mse' },
        data,
        facet: { field: 'model', columns: 0 },
      }),
    isConfig(/facet\.columns must be an integer >= 1, got 0/),
  );
  assert.throws(() => concatCharts([]), isConfig(/concatCharts: charts must be a non-empty array/));
});
