/**
 * Image grids: n grayscale images (e.g. MNIST digits and their reconstructions) tiled into one
 * PNG with optional row and column labels. Pixels are composed exactly in memory (nearest-neighbour
 * upscaling, no smoothing); labels, when asked for, are SVG text around the composed image,
 * rasterised by resvg like every other figure, so the image pixels stay exact.
 */
import { ConfigError, DataError, ShapeError } from '../errors.js';
import { checkInt } from '../util/check.js';
import { escapeXml } from './escape.js';
import { encodePngRgba, toByte } from './png.js';
import { FIGURE_FONT, rasteriseSvg } from './svg-raster.js';

export { decodePng, decodePngGray, encodePng, type Pixels } from './png.js';

/** Layout of an image grid; sizes are in output pixels. */
export interface ImageGridOptions {
  /** Number of images in `images`. */
  n: number;
  /** Image height and width in pixels (default 28 x 28, MNIST). */
  h?: number;
  w?: number;
  /** Images per grid row; the grid has ceil(n / cols) rows. */
  cols: number;
  /** Output pixels per image pixel (default 2). */
  scale?: number;
  /** Gap between cells and around the border (default 2). */
  padding?: number;
  /** One label per grid row, drawn to the left. */
  rowLabels?: string[];
  /** One label per grid column, drawn above. */
  colLabels?: string[];
  /** Colour of the gaps and label area, '#rgb' or '#rrggbb' (default '#ffffff'). */
  background?: string;
  /** Label font size in pixels (default 12). */
  fontSize?: number;
}

/**
 * Tiles `n` images (rows of `images`, values in [0, 1], clipped) into a PNG. Without labels the
 * size is `padding + cols*(w*scale + padding)` by `padding + rows*(h*scale + padding)`; labels
 * add a margin on the left and/or top.
 * @throws ShapeError when `images` does not hold n*h*w values; ConfigError on bad options or
 *   label counts; DataError on a NaN pixel
 */
export function imageGrid(images: Float32Array | Float64Array, opts: ImageGridOptions): Uint8Array {
  const n = checkInt('imageGrid: n', opts.n, 1);
  const h = checkInt('imageGrid: h', opts.h ?? 28, 1);
  const w = checkInt('imageGrid: w', opts.w ?? 28, 1);
  const cols = checkInt('imageGrid: cols', opts.cols, 1);
  const scale = checkInt('imageGrid: scale', opts.scale ?? 2, 1, 64);
  const pad = checkInt('imageGrid: padding', opts.padding ?? 2, 0, 1000);
  const fontSize = checkInt('imageGrid: fontSize', opts.fontSize ?? 12, 4, 200);
  const bg = parseHexColor(opts.background ?? '#ffffff');
  if (images.length !== n * h * w) {
    throw new ShapeError(
      `imageGrid: images must hold n*h*w = ${n}*${h}*${w} = ${n * h * w} values, got ${images.length}`,
    );
  }
  const rows = Math.ceil(n / cols);
  checkLabels('rowLabels', opts.rowLabels, rows);
  checkLabels('colLabels', opts.colLabels, cols);

  const cw = w * scale + pad;
  const ch = h * scale + pad;
  const gw = pad + cols * cw;
  const gh = pad + rows * ch;
  const rgba = new Uint8Array(gw * gh * 4);
  for (let i = 0; i < gw * gh; i++) rgba.set(bg, 4 * i);
  for (let k = 0; k < n; k++) {
    const x0 = pad + (k % cols) * cw;
    const y0 = pad + Math.floor(k / cols) * ch;
    for (let y = 0; y < h * scale; y++) {
      const src = k * h * w + Math.floor(y / scale) * w;
      let o = 4 * ((y0 + y) * gw + x0);
      for (let x = 0; x < w * scale; x++, o += 4) {
        const v = images[src + Math.floor(x / scale)];
        if (Number.isNaN(v)) {
          const p = src - k * h * w + Math.floor(x / scale);
          throw new DataError(
            `imageGrid: image ${k}, pixel ${p} (x ${p % w}, y ${Math.floor(p / w)}) is NaN; expected a value in [0, 1]`,
          );
        }
        const b = toByte(v);
        rgba[o] = b;
        rgba[o + 1] = b;
        rgba[o + 2] = b;
        rgba[o + 3] = 255;
      }
    }
  }
  const gridPng = encodePngRgba(rgba, gw, gh);
  if (opts.rowLabels === undefined && opts.colLabels === undefined) return gridPng;
  return withLabels(gridPng, gw, gh, {
    ...opts,
    rows,
    cw,
    ch,
    pad,
    fontSize,
    bg: opts.background ?? '#ffffff',
  });
}

function checkLabels(name: string, labels: string[] | undefined, expected: number): void {
  if (labels === undefined) return;
  if (!Array.isArray(labels) || labels.length !== expected) {
    const got = Array.isArray(labels) ? `${labels.length} labels` : typeof labels;
    throw new ConfigError(
      `imageGrid: ${name} must hold ${expected} strings (one per grid ${name === 'rowLabels' ? 'row' : 'column'}), got ${got}`,
    );
  }
}

/** Parses '#rgb' or '#rrggbb' to opaque RGBA bytes. @throws ConfigError */
function parseHexColor(c: string): Uint8Array {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(c);
  if (m === null)
    throw new ConfigError(
      `imageGrid: background must be '#rgb' or '#rrggbb', got ${JSON.stringify(c)}`,
    );
  const hex = m[1].length === 3 ? [...m[1]].map((d) => d + d).join('') : m[1];
  return Uint8Array.of(
    parseInt(hex.slice(0, 2), 16),
    parseInt(hex.slice(2, 4), 16),
    parseInt(hex.slice(4, 6), 16),
    255,
  );
}

interface LabelLayout {
  rowLabels?: string[];
  colLabels?: string[];
  rows: number;
  cw: number;
  ch: number;
  pad: number;
  fontSize: number;
  bg: string;
}

// Wraps the exact grid PNG in an SVG (placed 1:1 at whole-pixel offsets, so resvg copies its
// pixels unchanged) and adds the labels as text.
function withLabels(gridPng: Uint8Array, gw: number, gh: number, o: LabelLayout): Uint8Array {
  const fs = o.fontSize;
  // DejaVu Sans averages about 0.6 em per character; the margin is sized from that estimate.
  const longest = Math.max(0, ...(o.rowLabels ?? []).map((s) => s.length));
  const left = o.rowLabels !== undefined ? Math.ceil(longest * fs * 0.62) + 8 : 0;
  const top = o.colLabels !== undefined ? Math.ceil(fs * 1.6) : 0;
  const width = left + gw;
  const height = top + gh;
  const text: string[] = [];
  const font = `font-family="${escapeXml(FIGURE_FONT)}" font-size="${fs}" fill="#222"`;
  (o.rowLabels ?? []).forEach((label, r) => {
    const y = top + o.pad + r * o.ch + (o.ch - o.pad) / 2 + fs * 0.35;
    text.push(
      `<text x="${left - 6}" y="${y}" text-anchor="end" ${font}>${escapeXml(label)}</text>`,
    );
  });
  (o.colLabels ?? []).forEach((label, c) => {
    const x = left + o.pad + c * o.cw + (o.cw - o.pad) / 2;
    text.push(
      `<text x="${x}" y="${top - fs * 0.5}" text-anchor="middle" ${font}>${escapeXml(label)}</text>`,
    );
  });
  const b64 = Buffer.from(gridPng).toString('base64');
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<rect width="${width}" height="${height}" fill="${escapeXml(o.bg)}"/>` +
    `<image x="${left}" y="${top}" width="${gw}" height="${gh}" image-rendering="optimizeSpeed" href="data:image/png;base64,${b64}"/>` +
    text.join('') +
    `</svg>`;
  return rasteriseSvg(svg, 1).png;
}
