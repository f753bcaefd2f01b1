import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, ShapeError } from '../errors.js';
import type { RenderedChart } from './chart.js';
import { HtmlReport, writeReport } from './html.js';
import { encodePng } from './png.js';

const png = encodePng(Float32Array.of(0, 1, 1, 0), 2, 2);

function fakeChart(svgBytes: number, pngBytes: number): RenderedChart {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="200">${' '.repeat(svgBytes)}</svg>`;
  const bytes = new Uint8Array(pngBytes);
  bytes.set(png.subarray(0, 8));
  return { svg, png: bytes, width: 600, height: 400, scale: 2, warnings: [] };
}

function sampleReport(): HtmlReport {
  const pts = Float32Array.from({ length: 30 }, (_, i) => Math.sin(i));
  const labels = Int32Array.from({ length: 10 }, (_, i) => i % 3);
  return new HtmlReport('Study <script>alert(1)</script>', { subtitle: 'seed & size' })
    .paragraph('Intro with <b>tags</b>.')
    .section('results', 'Results & errors', 'Lower is **better**.')
    .table(
      [
        { key: 'model', title: 'Model' },
        { key: 'mse', title: 'MSE' },
      ],
      [
        { model: 'relu', mse: 0.0123456 },
        { model: '<i>pca</i>', mse: 0.02 },
        { model: 'sigmoid', mse: null },
      ],
      { caption: 'Table 1' },
    )
    .image(png, 'a "tiny" image', 'Figure 1 <caption>')
    .image(
      { svg: '<svg xmlns="http://www.w3.org/2000/svg" width="2" height="2"/>' },
      'svg',
      'Figure 2',
    )
    .section('codes', 'Codes')
    .chart(fakeChart(10, 5000), 'Figure 3')
    .scatter3d(pts, labels, { caption: 'Figure 4', labelNames: ['zero', 'one', 'two'] });
}

test('HtmlReport: every given text is escaped', () => {
  const html = sampleReport().render();
  assert.ok(!html.includes('<script>alert(1)'), 'title escaped');
  assert.ok(html.includes('<title>Study &#60;script&#62;alert(1)&#60;/script&#62;</title>'));
  assert.ok(html.includes('Intro with &#60;b&#62;tags&#60;/b&#62;.'));
  assert.ok(html.includes('<td>&#60;i&#62;pca&#60;/i&#62;</td>'));
  assert.ok(html.includes('alt="a &#34;tiny&#34; image"'));
  assert.ok(html.includes('<figcaption>Figure 1 &#60;caption&#62;</figcaption>'));
  assert.ok(html.includes('seed &#38; size'));
  // Exactly one executable script (the widget), and it comes from this library.
  assert.equal((html.match(/<script>/g) ?? []).length, 1);
});

test('HtmlReport: self-contained — images are data URIs, no src/href leaves the page', () => {
  const html = sampleReport().render();
  const refs = [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((m) => m[1]);
  assert.ok(refs.length >= 5);
  for (const r of refs)
    assert.match(r, /^(data:image\/(png|svg\+xml);base64,|#)/, `reference ${r.slice(0, 40)}`);
  assert.equal(/<link\b|@import|url\(/.test(html), false, 'no stylesheet or font fetches');
  assert.ok(html.includes(`src="data:image/png;base64,${Buffer.from(png).toString('base64')}"`));
});

test('HtmlReport: table has one <tr> per row plus the header; numbers right-aligned and formatted', () => {
  const html = sampleReport().render();
  const table = /<table>[\s\S]*?<\/table>/.exec(html)?.[0] ?? '';
  assert.equal((table.match(/<tr>/g) ?? []).length, 3 + 1);
  assert.ok(table.includes('<caption>Table 1</caption>'));
  assert.ok(table.includes('<th class="num">MSE</th>'));
  assert.ok(table.includes('<td class="num">0.01235</td>'));
  assert.ok(table.includes('<td class="num"></td>'), 'null cell empty');
});

test('HtmlReport: table of contents from sections; chart embeds the smaller of SVG and PNG at SVG size', () => {
  const html = sampleReport().render();
  assert.ok(
    html.includes(
      '<li><a href="#results">Results &#38; errors</a></li><li><a href="#codes">Codes</a></li>',
    ),
  );
  assert.ok(html.includes('<section id="codes"><h2>Codes</h2>'));
  assert.ok(html.includes('<p>Lower is <strong>better</strong>.</p>'));
  // fakeChart(10, 5000): SVG (~80 bytes) is smaller than the PNG, so it goes in as SVG, 600/2 wide.
  assert.match(html, /<img src="data:image\/svg\+xml;base64,[^"]+" alt="Figure 3" width="300">/);
  const big = new HtmlReport('t').chart(fakeChart(9000, 100), 'c').render();
  assert.match(big, /<img src="data:image\/png;base64,[^"]+" alt="c" width="300">/);
  const forced = new HtmlReport('t').chart(fakeChart(9000, 100), 'c', { embed: 'svg' }).render();
  assert.match(forced, /data:image\/svg\+xml/);
});

test('HtmlReport: the scatter3d widget carries its data, labels and script', () => {
  const html = sampleReport().render();
  assert.ok(html.includes('<figure class="scatter3d" id="scatter3d-1">'));
  const json = /<script type="application\/json" class="s3d-data">(.*?)<\/script>/.exec(html)?.[1];
  assert.ok(json !== undefined);
  const data = JSON.parse(json) as { xyz: number[]; cls: number[]; names: string[] };
  assert.equal(data.xyz.length, 30);
  assert.deepEqual(data.cls, [0, 1, 2, 0, 1, 2, 0, 1, 2, 0]);
  assert.deepEqual(data.names, ['zero', 'one', 'two']);
  assert.ok(html.includes("document.querySelectorAll('figure.scatter3d')"));
  assert.ok(
    !new HtmlReport('no widget').render().includes('<script>'),
    'no script without a widget',
  );
});

test('writeReport: writes every file (subfolders too) and leaves no temp files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aedr-report-'));
  try {
    const paths = writeReport(dir, { 'index.html': '<p>x</p>', 'img/a.png': png });
    assert.deepEqual(paths, [join(dir, 'index.html'), join(dir, 'img', 'a.png')]);
    assert.equal(readFileSync(join(dir, 'index.html'), 'utf8'), '<p>x</p>');
    assert.deepEqual(new Uint8Array(readFileSync(join(dir, 'img', 'a.png'))), png);
    assert.deepEqual(readdirSync(dir).sort(), ['img', 'index.html']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('HtmlReport and writeReport: misuse', () => {
  const isConfig = (re: RegExp) => (e: unknown) => e instanceof ConfigError && re.test(e.message);
  assert.throws(() => new HtmlReport(' '), isConfig(/title must be a non-empty string, got " "/));
  const r = new HtmlReport('t').section('a', 'A');
  assert.throws(() => r.section('a', 'again'), isConfig(/id "a" is already used/));
  assert.throws(() => r.section('1 bad', 'x'), isConfig(/id must match .*, got "1 bad"/));
  assert.throws(
    () => r.image(Uint8Array.of(1, 2, 3), 'x'),
    isConfig(/src must be PNG bytes \(signature 89 50 4E 47 ...\), got 3 bytes/),
  );
  assert.throws(
    () => r.image({} as never, 'x'),
    isConfig(/src must be PNG bytes or \{ svg: string \}/),
  );
  assert.throws(
    () => r.chart({} as never, 'x'),
    isConfig(/chart must be the result of renderChart/),
  );
  assert.throws(
    () => r.table([], []),
    isConfig(/HtmlReport.table: columns must be a non-empty array/),
  );
  assert.throws(
    () => r.scatter3d(new Float32Array(4), new Int32Array(2)),
    (e: unknown) =>
      e instanceof ShapeError && /points must hold 3 values per label/.test(e.message),
  );
  assert.throws(
    () => r.scatter3d(new Float32Array(3), new Int32Array(1), { height: 10 }),
    isConfig(/height must be an integer in 50..4000, got 10/),
  );
  for (const bad of ['../x.html', '/abs.html', 'a/../../x', '']) {
    assert.throws(
      () => writeReport('/tmp/never', { [bad]: 'x' }),
      isConfig(/file name must be a relative path inside the report folder/),
    );
  }
});
