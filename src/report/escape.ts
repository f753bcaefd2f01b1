/**
 * Escaping of untrusted text for HTML and SVG (XML) content and quoted attribute values: the five
 * characters with meaning in markup become numeric character references (HTML Living Standard §13.1.4).
 */

/** Escapes `& < > " '` so `s` is inert in element content and in quoted attributes. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
