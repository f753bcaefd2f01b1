/**
 * SVG → PNG rasterisation with resvg (https://github.com/linebender/resvg, through
 * `@resvg/resvg-js` 2.6): the one path by which charts and image grids become PNG files, so
 * every figure gets the same fonts. Text is drawn with DejaVu Sans, which Debian/Ubuntu ship at
 * /usr/share/fonts/truetype/dejavu; other systems fall back to their own sans-serif.
 */
import { existsSync } from 'node:fs';
import { Resvg, type ResvgRenderOptions } from '@resvg/resvg-js';
import { ConfigError } from '../errors.js';
import { checkNumber } from '../util/check.js';

/** The font family every figure asks for; a list so browsers without DejaVu fall back cleanly. */
export const FIGURE_FONT = 'DejaVu Sans, Verdana, Arial, sans-serif';

/** A rasterised SVG: PNG bytes and the pixel size of the PNG. */
export interface RasterImage {
  png: Uint8Array;
  width: number;
  height: number;
}

/**
 * Rasterises an SVG document to PNG at `scale` device pixels per SVG unit.
 * @throws ConfigError when `scale` is not a positive number or the SVG cannot be parsed
 */
export function rasteriseSvg(svg: string, scale = 1): RasterImage {
  checkNumber('scale', scale, 0, 16, { exclusiveMin: true });
  let resvg: Resvg;
  try {
    resvg = new Resvg(svg, {
      fitTo: { mode: 'zoom', value: scale },
      font: fontOptions(),
      logLevel: 'off',
    });
  } catch (err) {
    throw new ConfigError(`svg could not be parsed by resvg: ${String(err)}`, { cause: err });
  }
  const img = resvg.render();
  const png = new Uint8Array(img.asPng());
  return { png, width: img.width, height: img.height };
}

const DEJAVU_DIRS = ['/usr/share/fonts/truetype/dejavu', '/usr/share/fonts/TTF'];
let cachedFontDirs: string[] | undefined;

function fontOptions(): ResvgRenderOptions['font'] {
  cachedFontDirs ??= DEJAVU_DIRS.filter((d) => existsSync(d));
  // Scanning every system font costs tens of ms per figure, so only do it when DejaVu is absent.
  if (cachedFontDirs.length > 0) {
    return {
      loadSystemFonts: false,
      fontDirs: cachedFontDirs,
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
    };
  }
  return { loadSystemFonts: true };
}
