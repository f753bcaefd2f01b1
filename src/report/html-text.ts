/**
 * A small, safe subset of Markdown for report prose: paragraphs split by blank lines, "- " and
 * "1. " lists, `code`, **bold**, *italic* and [links](target). All text is escaped first; links
 * are kept only to local targets (anchors and relative paths), so a report never points a browser
 * at the network on its own. Anything else is shown as the plain text it is.
 */
import { escapeXml } from './escape.js';

/** Renders md-ish `text` to HTML blocks (`<p>`, `<ul>`, `<ol>`). */
export function renderProse(text: string): string {
  const blocks = text
    .replace(/\r\n?/g, '\n')
    .trim()
    .split(/\n\s*\n/);
  return blocks
    .filter((b) => b.trim() !== '')
    .map((block) => {
      const lines = block.split('\n').map((l) => l.trim());
      if (lines.every((l) => /^[-*] /.test(l))) return list('ul', lines, /^[-*] /);
      if (lines.every((l) => /^\d+[.)] /.test(l))) return list('ol', lines, /^\d+[.)] /);
      return `<p>${renderInline(lines.join(' '))}</p>`;
    })
    .join('\n');
}

function list(tag: 'ul' | 'ol', lines: string[], marker: RegExp): string {
  const items = lines.map((l) => `<li>${renderInline(l.replace(marker, ''))}</li>`).join('');
  return `<${tag}>${items}</${tag}>`;
}

/** Renders inline md-ish markup of one line; code spans are left untouched by other rules. */
export function renderInline(text: string): string {
  return text
    .split(/(`[^`]+`)/)
    .map((part, i) =>
      i % 2 === 1 ? `<code>${escapeXml(part.slice(1, -1))}</code>` : emphasis(escapeXml(part)),
    )
    .join('');
}

// Runs on escaped text, so the only markup present is what these rules add.
function emphasis(s: string): string {
  return s
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_m, label: string, href: string) =>
      isLocalTarget(href) ? `<a href="${href}">${label}</a>` : `${label} (${href})`,
    )
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[^\w*])\*([^*\s][^*]*)\*(?!\w)/g, '$1<em>$2</em>')
    .replace(/(^|[^\w])_([^_\s][^_]*)_(?!\w)/g, '$1<em>$2</em>');
}

/** An anchor or relative path: no scheme (http:, javascript:, data:) and not protocol-relative. */
export function isLocalTarget(href: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:/i.test(href) && !href.startsWith('//');
}
