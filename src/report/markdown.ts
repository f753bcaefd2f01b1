/**
 * GitHub-flavoured Markdown tables (GFM spec 0.29, §4.10 "Tables") for results.md files, with the
 * same number formatting as the HTML report.
 */
import { ConfigError } from '../errors.js';
import { cellText, columnAlign, type Column } from './format.js';

/** Checks a column list and a row list, the shared contract of every table. @throws ConfigError */
export function checkTable<R extends object>(
  where: string,
  columns: readonly Column<R>[],
  rows: readonly R[],
): void {
  if (!Array.isArray(columns) || columns.length === 0) {
    throw new ConfigError(`${where}: columns must be a non-empty array, got ${String(columns)}`);
  }
  columns.forEach((c, i) => {
    if (typeof c.key !== 'string' || typeof c.title !== 'string') {
      throw new ConfigError(
        `${where}: columns[${i}] needs string key and title, got ${JSON.stringify(c)}`,
      );
    }
  });
  if (!Array.isArray(rows)) {
    throw new ConfigError(`${where}: rows must be an array, got ${typeof rows}`);
  }
}

/** A cell made safe for one Markdown table cell: pipes escaped, line breaks turned to spaces. */
function mdCell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/**
 * A Markdown table with one line per row; numbers right-aligned and formatted by `formatNumber`.
 * @throws ConfigError when `columns` is empty or malformed or `rows` is not an array
 * @example
 * markdownTable([{ key: 'd', title: 'dim' }, { key: 'mse', title: 'MSE' }], [{ d: 2, mse: 0.0412345 }])
 * // | dim | MSE |
 * // | --: | --: |
 * // | 2 | 0.04123 |
 */
export function markdownTable<R extends object>(
  columns: readonly Column<NoInfer<R>>[],
  rows: readonly R[],
): string {
  checkTable('markdownTable', columns, rows);
  const head = `| ${columns.map((c) => mdCell(c.title)).join(' | ')} |`;
  const rule = `| ${columns.map((c) => (columnAlign(c, rows) === 'right' ? '--:' : ':--')).join(' | ')} |`;
  const body = rows.map((r) => `| ${columns.map((c) => mdCell(cellText(c, r))).join(' | ')} |`);
  return [head, rule, ...body].join('\n') + '\n';
}
