/**
 * A builder for self-contained HTML reports: one file that opens offline from disk (no server, no
 * CDN, no external URL), with a table of contents from its sections, tables, figures embedded as
 * data URIs, and at most one kind of script (the 3-d scatter widget). Every piece of text given
 * to the builder is escaped; prose accepts the small Markdown subset of html-text.ts.
 */
import { isAbsolute, join, normalize, sep } from 'node:path';
import { ConfigError } from '../errors.js';
import { writeFileAtomic } from '../util/atomic.js';
import { checkInt } from '../util/check.js';
import type { RenderedChart } from './chart.js';
import { escapeXml } from './escape.js';
import { cellText, columnAlign, type Column } from './format.js';
import { REPORT_CSS } from './html-style.js';
import { renderProse } from './html-text.js';
import { checkTable } from './markdown.js';
import {
  packScatter3d,
  SCATTER3D_SCRIPT,
  scatter3dFigure,
  type Scatter3dOptions,
} from './scatter3d.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function dataUri(mime: string, bytes: Uint8Array | string): string {
  const buf = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : Buffer.from(bytes);
  return `data:${mime};base64,${buf.toString('base64')}`;
}

/**
 * A report page under construction; each method appends to the current section and returns `this`.
 * @example
 * const html = new HtmlReport('MNIST study').section('mse', 'Reconstruction error').paragraph('**Lower** is better.').render();
 */
export class HtmlReport {
  private readonly title: string;
  private readonly subtitle: string | undefined;
  private readonly intro: string[] = [];
  private readonly sections: { id: string; title: string; body: string[] }[] = [];
  private widgets = 0;

  /** @throws ConfigError when `title` is not a non-empty string */
  constructor(title: string, opts: { subtitle?: string } = {}) {
    if (typeof title !== 'string' || title.trim() === '') {
      throw new ConfigError(
        `HtmlReport: title must be a non-empty string, got ${JSON.stringify(title)}`,
      );
    }
    this.title = title;
    this.subtitle = opts.subtitle;
  }

  private get body(): string[] {
    return this.sections.at(-1)?.body ?? this.intro;
  }

  /**
   * Starts a section (an `<h2>` with anchor `id`, listed in the table of contents).
   * @throws ConfigError when `id` is not a simple identifier or is already used
   */
  section(id: string, title: string, intro?: string): this {
    if (typeof id !== 'string' || !/^[A-Za-z][\w-]*$/.test(id)) {
      throw new ConfigError(
        `HtmlReport.section: id must match /^[A-Za-z][\\w-]*$/, got ${JSON.stringify(id)}`,
      );
    }
    if (this.sections.some((s) => s.id === id)) {
      throw new ConfigError(
        `HtmlReport.section: id ${JSON.stringify(id)} is already used; ids must be unique`,
      );
    }
    this.sections.push({ id, title, body: [] });
    if (intro !== undefined) this.paragraph(intro);
    return this;
  }

  /** Adds prose: blank-line-separated paragraphs, lists, `code`, **bold**, *italic*, local [links](#id). */
  paragraph(text: string): this {
    this.body.push(renderProse(String(text)));
    return this;
  }

  /**
   * Adds a table with one `<tr>` per row; numbers formatted by `formatNumber` and right-aligned.
   * @throws ConfigError when `columns` is empty or malformed or `rows` is not an array
   */
  table<R extends object>(
    columns: readonly Column<NoInfer<R>>[],
    rows: readonly R[],
    opts: { caption?: string } = {},
  ): this {
    checkTable('HtmlReport.table', columns, rows);
    const cls = columns.map((c) => (columnAlign(c, rows) === 'right' ? ' class="num"' : ''));
    const head = columns.map((c, i) => `<th${cls[i]}>${escapeXml(c.title)}</th>`).join('');
    const body = rows
      .map(
        (r) =>
          `<tr>${columns.map((c, i) => `<td${cls[i]}>${escapeXml(cellText(c, r))}</td>`).join('')}</tr>`,
      )
      .join('\n');
    const caption =
      opts.caption !== undefined ? `<caption>${escapeXml(opts.caption)}</caption>` : '';
    this.body.push(
      `<div class="table-wrap"><table>${caption}<thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`,
    );
    return this;
  }

  /**
   * Adds a figure from PNG bytes or SVG text, embedded as a data URI; `width` is its CSS width.
   * @throws ConfigError when the bytes are not a PNG or `width` is not a positive integer
   */
  image(
    src: Uint8Array | { svg: string },
    alt: string,
    caption?: string,
    opts: { width?: number } = {},
  ): this {
    let uri: string;
    if (src instanceof Uint8Array) {
      if (!PNG_SIGNATURE.every((b, i) => src[i] === b)) {
        throw new ConfigError(
          `HtmlReport.image: src must be PNG bytes (signature 89 50 4E 47 ...), got ${src.length} bytes without it`,
        );
      }
      uri = dataUri('image/png', src);
    } else if (typeof src?.svg === 'string') {
      uri = dataUri('image/svg+xml', src.svg);
    } else {
      throw new ConfigError(
        `HtmlReport.image: src must be PNG bytes or { svg: string }, got ${typeof src}`,
      );
    }
    const width =
      opts.width !== undefined
        ? ` width="${checkInt('HtmlReport.image: width', opts.width, 1)}"`
        : '';
    const cap = caption !== undefined ? `<figcaption>${escapeXml(caption)}</figcaption>` : '';
    this.body.push(`<figure><img src="${uri}" alt="${escapeXml(alt)}"${width}>${cap}</figure>`);
    return this;
  }

  /**
   * Adds a rendered chart as SVG or PNG ('auto', the default: whichever is smaller, so a scatter
   * of 10,000 points goes in as PNG), shown at its SVG size.
   * @throws ConfigError when `chart` is not a RenderedChart
   */
  chart(
    chart: RenderedChart,
    caption: string,
    opts: { embed?: 'svg' | 'png' | 'auto'; alt?: string } = {},
  ): this {
    if (typeof chart?.svg !== 'string' || !(chart.png instanceof Uint8Array)) {
      throw new ConfigError(
        'HtmlReport.chart: chart must be the result of renderChart (svg and png), got ' +
          typeof chart,
      );
    }
    const embed = opts.embed ?? 'auto';
    const useSvg =
      embed === 'svg' || (embed === 'auto' && Buffer.byteLength(chart.svg) <= chart.png.length);
    const width = Math.round(chart.width / chart.scale);
    return this.image(useSvg ? { svg: chart.svg } : chart.png, opts.alt ?? caption, caption, {
      width,
    });
  }

  /**
   * Adds an interactive 3-d scatter of `points` (n x 3, row-major) coloured by `labels`.
   * @throws ShapeError when the lengths disagree; ConfigError on bad options; DataError on non-finite points
   */
  scatter3d(
    points: Float32Array | Float64Array,
    labels: Int32Array,
    opts: Scatter3dOptions & { caption?: string } = {},
  ): this {
    const data = packScatter3d(points, labels, opts);
    const height = checkInt('HtmlReport.scatter3d: height', opts.height ?? 480, 50, 4000);
    this.widgets += 1;
    this.body.push(
      scatter3dFigure(`scatter3d-${this.widgets}`, data, opts.caption ?? '3-d scatter', height),
    );
    return this;
  }

  /** The whole page as one HTML document. */
  render(): string {
    const toc =
      this.sections.length > 0
        ? `<nav class="toc"><div class="toc-title">Contents</div><ol>${this.sections
            .map((s) => `<li><a href="#${s.id}">${escapeXml(s.title)}</a></li>`)
            .join('')}</ol></nav>`
        : '';
    const sections = this.sections.map(
      (s) =>
        `<section id="${s.id}"><h2>${escapeXml(s.title)}</h2>\n${s.body.join('\n')}\n</section>`,
    );
    const sub =
      this.subtitle !== undefined ? `<p class="subtitle">${escapeXml(this.subtitle)}</p>` : '';
    const script = this.widgets > 0 ? `<script>${SCATTER3D_SCRIPT}</script>` : '';
    return [
      '<!doctype html>',
      '<html lang="en"><head><meta charset="utf-8">',
      '<meta name="viewport" content="width=device-width, initial-scale=1">',
      `<title>${escapeXml(this.title)}</title>`,
      `<style>${REPORT_CSS}</style></head>`,
      `<body><main><h1>${escapeXml(this.title)}</h1>${sub}`,
      this.intro.join('\n'),
      toc,
      ...sections,
      `</main>${script}</body></html>`,
      '',
    ].join('\n');
  }
}

/**
 * Writes each `files[name]` under `dir` atomically (temp file + rename); names may hold subfolders.
 * Returns the paths written.
 * @throws ConfigError on an absolute name or one that leaves `dir` ('..')
 */
export function writeReport(dir: string, files: Record<string, string | Uint8Array>): string[] {
  const entries = Object.entries(files);
  for (const [name] of entries) {
    const norm = normalize(name);
    if (name === '' || isAbsolute(name) || norm === '..' || norm.startsWith('..' + sep)) {
      throw new ConfigError(
        `writeReport: file name must be a relative path inside the report folder, got ${JSON.stringify(name)}`,
      );
    }
  }
  return entries.map(([name, data]) => {
    const path = join(dir, name);
    writeFileAtomic(path, data);
    return path;
  });
}
