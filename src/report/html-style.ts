/**
 * The stylesheet of the HTML report: system fonts, a readable measure, quiet tables and figures,
 * and a light/dark scheme that follows the reader's setting. Kept apart so html.ts reads as logic.
 */

/** CSS for every report page. */
export const REPORT_CSS = `
:root { color-scheme: light dark; --fg: #1d1d1f; --muted: #5f6368; --bg: #fff; --line: #dadce0;
  --head: #f4f5f7; --accent: #2b6cb0; }
@media (prefers-color-scheme: dark) { :root { --fg: #e8eaed; --muted: #9aa0a6; --bg: #17181a;
  --line: #3c4043; --head: #222326; --accent: #8ab4f8; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); line-height: 1.55; font-size: 16px;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
main { max-width: 960px; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
h1 { font-size: 1.9rem; line-height: 1.2; margin: 0 0 .4rem; }
h2 { font-size: 1.35rem; margin: 2.6rem 0 .6rem; padding-bottom: .25rem; border-bottom: 1px solid var(--line); }
.subtitle { color: var(--muted); margin: 0 0 1.5rem; }
a { color: var(--accent); }
code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .9em;
  background: var(--head); padding: .05em .3em; border-radius: 3px; }
nav.toc { border: 1px solid var(--line); border-radius: 6px; padding: .6rem 1.2rem; margin: 1rem 0 2rem;
  display: inline-block; min-width: 16rem; }
nav.toc ol { margin: .3rem 0; padding-left: 1.3rem; }
nav.toc .toc-title { font-weight: 600; }
.table-wrap { overflow-x: auto; margin: 1rem 0 1.5rem; }
table { border-collapse: collapse; font-size: .92rem; font-variant-numeric: tabular-nums; }
caption { caption-side: top; text-align: left; color: var(--muted); padding-bottom: .4rem; }
th, td { padding: .35rem .75rem; border-bottom: 1px solid var(--line); }
th { background: var(--head); text-align: left; font-weight: 600; border-bottom-width: 2px; }
td.num, th.num { text-align: right; }
tbody tr:hover { background: var(--head); }
figure { margin: 1.5rem 0; }
figure img { max-width: 100%; height: auto; display: block; background: #fff; border-radius: 4px; }
figcaption { color: var(--muted); font-size: .92rem; margin-top: .5rem; }
.scatter3d canvas { width: 100%; display: block; border: 1px solid var(--line); border-radius: 6px;
  background: #fff; cursor: grab; touch-action: none; }
.scatter3d canvas:active { cursor: grabbing; }
.s3d-legend { display: flex; flex-wrap: wrap; gap: .3rem .9rem; margin-top: .5rem; font-size: .9rem; }
.s3d-legend button { font: inherit; color: inherit; background: none; border: 0; padding: 0; cursor: pointer; }
.s3d-legend button[aria-pressed="false"] { opacity: .35; }
.s3d-legend i { display: inline-block; width: .8em; height: .8em; border-radius: 50%; margin-right: .35em;
  vertical-align: -.05em; }
`;
