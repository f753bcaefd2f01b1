/**
 * Chart rendering: a Vega-Lite spec is compiled to Vega (vega-lite 6, https://vega.github.io/vega-lite/),
 * drawn to SVG by a headless Vega view (vega 6, `renderer: 'none'` + `toSVG()`), and rasterised to
 * PNG by resvg. No chart is drawn by hand; the spec builders live in chart-specs.ts.
 */
import * as vega from 'vega';
import type { LoggerInterface } from 'vega';
import { compile, type Config, type TopLevelSpec } from 'vega-lite';
import { ConfigError } from '../errors.js';
import { FIGURE_FONT, rasteriseSvg } from './svg-raster.js';

export type { TopLevelSpec } from 'vega-lite';

/** A chart as SVG text and PNG bytes; `width`/`height` are PNG pixels, `scale` PNG pixels per SVG unit. */
export interface RenderedChart {
  svg: string;
  png: Uint8Array;
  width: number;
  height: number;
  scale: number;
  /** Warnings Vega-Lite and Vega raised while compiling and running the spec. */
  warnings: string[];
}

/** The house look applied under every spec's own `config`: one font, readable sizes, white background. */
export const CHART_CONFIG: Config = {
  font: FIGURE_FONT,
  background: 'white',
  padding: 8,
  title: { fontSize: 16, anchor: 'start', offset: 10 },
  axis: { labelFontSize: 12, titleFontSize: 13, titleFontWeight: 'normal', gridOpacity: 0.6 },
  legend: { labelFontSize: 12, titleFontSize: 13, titleFontWeight: 'normal' },
  header: { labelFontSize: 13, titleFontSize: 13 },
  range: { category: { scheme: 'tableau10' } },
  view: { stroke: null },
};

/**
 * Renders a Vega-Lite spec to SVG and to a PNG at `scale` (default 2) pixels per SVG unit.
 * @throws ConfigError when the spec does not compile or Vega fails to run it
 */
export async function renderChart(
  spec: TopLevelSpec,
  opts: { scale?: number } = {},
): Promise<RenderedChart> {
  const scale = opts.scale ?? 2;
  const warnings: string[] = [];
  const logger = collectingLogger(warnings);
  let vgSpec: vega.Spec;
  try {
    vgSpec = compile(spec, { config: CHART_CONFIG, logger }).spec;
  } catch (err) {
    throw new ConfigError(`chart spec does not compile: ${errorText(err)}`, { cause: err });
  }
  let svg: string;
  const view = new vega.View(vega.parse(vgSpec), { renderer: 'none', logger });
  try {
    svg = await view.toSVG();
  } catch (err) {
    throw new ConfigError(`chart spec failed to render: ${errorText(err)}`, { cause: err });
  } finally {
    view.finalize();
  }
  const raster = rasteriseSvg(svg, scale);
  return { svg, ...raster, scale, warnings };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

// Library code never logs: Vega's messages are kept and handed back with the chart.
function collectingLogger(sink: string[]): LoggerInterface {
  let level = vega.Warn;
  const text = (args: readonly unknown[]): string => args.map((a) => String(a)).join(' ');
  const logger: LoggerInterface = {
    level(l?: number) {
      if (l === undefined) return level;
      level = l;
      return logger;
    },
    error(...args: readonly unknown[]) {
      sink.push(`error: ${text(args)}`);
      return logger;
    },
    warn(...args: readonly unknown[]) {
      if (level >= vega.Warn) sink.push(text(args));
      return logger;
    },
    info: () => logger,
    debug: () => logger,
  } as LoggerInterface;
  return logger;
}
