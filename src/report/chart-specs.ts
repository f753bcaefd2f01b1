/**
 * Typed builders for the chart kinds aedr's reports use, each returning a plain Vega-Lite spec
 * (https://vega.github.io/vega-lite/docs/) for `renderChart`: line charts of several series,
 * scatter plots of thousands of labelled points, bar charts, and small multiples (facets and
 * concatenation). Data goes inline (`data.values`), so a spec renders with no file or network.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { NonNormalizedSpec } from 'vega-lite/types_unstable/spec/index.js';
import { ConfigError } from '../errors.js';
import { checkInt, checkNumber } from '../util/check.js';

/** One row of chart data. */
export type Datum = Record<string, string | number | boolean | null>;

/** A positional channel: which field, its axis title, and its scale. */
export interface AxisSpec {
  field: string;
  title?: string;
  /** Vega-Lite measurement type; quantitative unless said otherwise (bar categories: nominal). */
  type?: 'quantitative' | 'ordinal' | 'nominal' | 'temporal';
  scale?: 'linear' | 'log' | 'sqrt' | 'symlog';
  /** Whether a linear scale must include zero (Vega-Lite's default for bars, not for lines). */
  zero?: boolean;
  domain?: [number, number];
  /** d3-format string for tick labels, e.g. '.2e' or '~s'. */
  format?: string;
}

/** A colour or dash channel: a field name, or a field with a title and an explicit order. */
export type SeriesSpec = string | { field: string; title?: string; sort?: (string | number)[] };

/** Small multiples by one field, wrapped into `columns` columns. */
export interface FacetSpec {
  field: string;
  title?: string;
  columns?: number;
  /** Give each panel its own x and y scales (default: shared). */
  independent?: boolean;
}

interface CommonOptions {
  title?: string;
  data: readonly Datum[];
  /** Plot-area size in SVG units (per panel when faceted). */
  width?: number;
  height?: number;
  facet?: FacetSpec;
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Escapes the characters Vega-Lite reads as nested-field access, so any column name works. */
function fieldRef(name: string): string {
  return name.replace(/[.[\]\\]/g, (c) => '\\' + c);
}

function positional(name: string, axis: AxisSpec, defaultType: NonNullable<AxisSpec['type']>) {
  if (typeof axis.field !== 'string' || axis.field === '') {
    throw new ConfigError(`${name}.field must be a non-empty string, got ${String(axis.field)}`);
  }
  const type = axis.type ?? defaultType;
  const scale = {
    ...(axis.scale !== undefined ? { type: axis.scale } : {}),
    ...(axis.zero !== undefined ? { zero: axis.zero } : {}),
    ...(axis.domain !== undefined ? { domain: axis.domain } : {}),
  };
  return {
    field: fieldRef(axis.field),
    type,
    title: axis.title ?? axis.field,
    ...(Object.keys(scale).length > 0 ? { scale } : {}),
    ...(axis.format !== undefined ? { axis: { format: axis.format } } : {}),
  };
}

function series(s: SeriesSpec) {
  const o = typeof s === 'string' ? { field: s } : s;
  return {
    field: fieldRef(o.field),
    type: 'nominal' as const,
    title: o.title ?? o.field,
    ...(o.sort !== undefined ? { sort: o.sort } : {}),
  };
}

function checkCommon(kind: string, o: CommonOptions): void {
  if (!Array.isArray(o.data)) {
    throw new ConfigError(`${kind}: data must be an array of rows, got ${typeof o.data}`);
  }
  if (o.width !== undefined)
    checkNumber(`${kind}: width`, o.width, 0, 10000, { exclusiveMin: true });
  if (o.height !== undefined)
    checkNumber(`${kind}: height`, o.height, 0, 10000, { exclusiveMin: true });
  if (o.facet?.columns !== undefined) checkInt(`${kind}: facet.columns`, o.facet.columns, 1);
}

function frame(o: CommonOptions, width: number, height: number) {
  return {
    $schema: SCHEMA,
    ...(o.title !== undefined ? { title: o.title } : {}),
    data: { values: o.data as Datum[] },
    width: o.width ?? width,
    height: o.height ?? height,
    ...(o.facet?.independent === true
      ? { resolve: { scale: { x: 'independent' as const, y: 'independent' as const } } }
      : {}),
  } as const;
}

function facetEncoding(f: FacetSpec | undefined) {
  if (f === undefined) return {};
  return {
    facet: {
      field: fieldRef(f.field),
      type: 'nominal' as const,
      title: f.title ?? f.field,
      ...(f.columns !== undefined ? { columns: f.columns } : {}),
    },
  };
}

/**
 * A line chart with one line per `color` (and optionally `strokeDash`) value, e.g. test MSE
 * against latent dimension for several models. Set `y.scale: 'log'` for losses.
 * @throws ConfigError on a missing field name, a bad size, or data that is not an array
 */
export function lineChart(
  o: CommonOptions & {
    x: AxisSpec;
    y: AxisSpec;
    color?: SeriesSpec;
    strokeDash?: SeriesSpec;
    /** Mark each data point (default true). */
    points?: boolean;
  },
): TopLevelSpec {
  checkCommon('lineChart', o);
  // With dashes, the default legend symbol (a circle drawn with the dash) reads as a blank
  // dotted ring; a short line segment shows each series' colour and dash as the chart does.
  const dashLegend =
    o.strokeDash !== undefined
      ? { legend: { symbolType: 'stroke', symbolSize: 500, symbolStrokeWidth: 2.5 } }
      : {};
  return {
    ...frame(o, 520, 320),
    mark: { type: 'line', point: o.points ?? true, strokeWidth: 2 },
    encoding: {
      x: positional('x', o.x, 'quantitative'),
      y: positional('y', o.y, 'quantitative'),
      ...(o.color !== undefined ? { color: { ...series(o.color), ...dashLegend } } : {}),
      ...(o.strokeDash !== undefined
        ? { strokeDash: { ...series(o.strokeDash), ...dashLegend } }
        : {}),
      ...facetEncoding(o.facet),
    },
  };
}

/**
 * A scatter plot of many points coloured by a categorical label (tableau10), e.g. a 2-d code
 * of MNIST coloured by digit. Small, translucent circles keep 10,000 points readable.
 * @throws ConfigError on a missing field name, a bad size/opacity, or data that is not an array
 */
export function scatterChart(
  o: CommonOptions & {
    x: AxisSpec;
    y: AxisSpec;
    color?: SeriesSpec;
    /** Circle area in square SVG units (default 12). */
    size?: number;
    /** Circle opacity in (0, 1] (default 0.7). */
    opacity?: number;
  },
): TopLevelSpec {
  checkCommon('scatterChart', o);
  const size = checkNumber('scatterChart: size', o.size ?? 12, 0, 10000, { exclusiveMin: true });
  const opacity = checkNumber('scatterChart: opacity', o.opacity ?? 0.7, 0, 1, {
    exclusiveMin: true,
  });
  return {
    ...frame(o, 420, 420),
    mark: { type: 'circle', size, opacity },
    encoding: {
      x: { ...positional('x', o.x, 'quantitative'), scale: { zero: false, nice: true } },
      y: { ...positional('y', o.y, 'quantitative'), scale: { zero: false, nice: true } },
      ...(o.color !== undefined
        ? {
            color: {
              ...series(o.color),
              scale: { scheme: 'tableau10' },
              legend: { symbolOpacity: 1, symbolSize: 80 },
            },
          }
        : {}),
      ...facetEncoding(o.facet),
    },
  };
}

/**
 * A bar chart of one value per category; with `color`, bars of each category are grouped side by
 * side (not stacked). `horizontal` puts the categories on the y axis.
 * @throws ConfigError on a missing field name, a bad size, or data that is not an array
 */
export function barChart(
  o: CommonOptions & {
    /** The category axis (nominal unless said otherwise). */
    category: AxisSpec;
    /** The value axis. */
    value: AxisSpec;
    color?: SeriesSpec;
    horizontal?: boolean;
  },
): TopLevelSpec {
  checkCommon('barChart', o);
  const catBase = positional('category', o.category, 'nominal');
  // Upright category labels read better than Vega-Lite's default 270° rotation.
  const cat = { ...catBase, axis: { ...catBase.axis, labelAngle: 0 } };
  const val = positional('value', o.value, 'quantitative');
  const color = o.color !== undefined ? series(o.color) : undefined;
  const offset =
    color !== undefined ? { [o.horizontal === true ? 'yOffset' : 'xOffset']: color } : {};
  return {
    ...frame(o, 480, 300),
    mark: { type: 'bar' },
    encoding: {
      ...(o.horizontal === true ? { y: cat, x: val } : { x: cat, y: val }),
      ...(color !== undefined ? { color } : {}),
      ...offset,
      ...facetEncoding(o.facet),
    },
  };
}

/**
 * Places charts side by side (wrapping after `columns`), e.g. the three pairwise projections of
 * a 3-d code. Each chart keeps its own data; `shared` lists channels whose scales are merged so
 * panels are comparable (legends merge with `color`).
 * @throws ConfigError when `charts` is empty or `columns` is not a positive integer
 */
export function concatCharts(
  charts: readonly TopLevelSpec[],
  o: { title?: string; columns?: number; shared?: ('x' | 'y' | 'color')[] } = {},
): TopLevelSpec {
  if (!Array.isArray(charts) || charts.length === 0) {
    throw new ConfigError(`concatCharts: charts must be a non-empty array, got ${String(charts)}`);
  }
  const columns = checkInt('concatCharts: columns', o.columns ?? charts.length, 1);
  const scale: Record<string, 'shared' | 'independent'> = { color: 'shared' };
  for (const ch of o.shared ?? []) scale[ch] = 'shared';
  const children = charts.map((c) => {
    // A top-level spec's $schema/config are invalid inside a composition.
    const { $schema: _s, config: _c, ...rest } = c;
    return rest as NonNormalizedSpec;
  });
  return {
    $schema: SCHEMA,
    ...(o.title !== undefined ? { title: o.title } : {}),
    columns,
    concat: children,
    resolve: { scale },
  };
}
