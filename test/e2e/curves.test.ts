// End-to-end tests of `aedr curves`: the --quick run as a real process through tsx (exit code,
// the report folder, the stability table in results.json, Isomap's bar on the log curve), a
// curve read from files (--data, --t) in-process, and the errors for bad input.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aedr, aedrProcess, failsWithError } from '../helpers/cli.js';

interface Stat {
  variant: string;
  curve: string;
  method: string;
  absSpearman: { mean: number; min: number };
  stable: boolean;
  failed: number;
}

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'aedr-curves-'));
  // A log curve of 100 points as files: points (x, ln x) and the parameter t = x.
  const pts = ['x,y'];
  const t: string[] = [];
  for (let i = 0; i < 100; i++) {
    const v = 0.1 + (9.9 * i) / 99;
    pts.push(`${v},${Math.log(v)}`);
    t.push(String(v));
  }
  writeFileSync(join(dir, 'pts.csv'), pts.join('\n') + '\n');
  writeFileSync(join(dir, 't.csv'), t.join('\n') + '\n');
  writeFileSync(join(dir, 'short.csv'), t.slice(0, 5).join('\n') + '\n');
  writeFileSync(join(dir, 'two.csv'), t.map((v) => `${v},${v}`).join('\n') + '\n');
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('aedr curves --quick writes the report; all five methods on both curves; Isomap |Spearman| >= 0.99 on the log curve', () => {
  const out = join(dir, 'quick');
  const r = aedrProcess('curves', '--quick', '--out', out);
  assert.equal(r.status, 0, r.stderr);
  for (const f of [
    'index.html',
    'results.md',
    'results.json',
    'curve-line.png',
    'curve-log.png',
    'curve-log-paper-like.png',
    'surface-swiss-roll.png',
    'surface-s-curve.png',
  ])
    assert.ok(existsSync(join(out, f)) && statSync(join(out, f)).size > 500, `${f} written`);
  const res = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as {
    curves: Stat[];
    verdict: { method: string; paperStable: boolean; stable: boolean }[];
    surfaces: { method: string; surface: string }[];
    runs: { variant: string }[];
  };
  // 2 variants x 2 curves x 5 methods; 3 seeds each.
  assert.equal(res.curves.length, 20);
  const methods = new Set(res.curves.map((c) => c.method));
  assert.deepEqual([...methods].sort(), ['autoencoder', 'isomap', 'lda', 'lle', 'pca']);
  assert.equal(res.runs.length, 60);
  const iso = res.curves.find(
    (c) => c.variant === 'default' && c.curve === 'log' && c.method === 'isomap',
  );
  assert.ok(
    iso && iso.absSpearman.min >= 0.99 && iso.stable && iso.failed === 0,
    JSON.stringify(iso),
  );
  assert.equal(res.verdict.length, 5);
  assert.equal(res.surfaces.length, 10);
  assert.match(r.stdout, /wrote 9 files to .*quick\//);
  assert.match(r.stdout, /paper-like +log +LLE/);
  const html = readFileSync(join(out, 'index.html'), 'utf8');
  assert.match(html, /Stability over seeds/);
  assert.ok(
    !/https?:\/\/(?!vega\.github\.io\/schema)/.test(html.replace(/<svg[\s\S]*?<\/svg>/g, '')),
    'no external URLs',
  );
});

test('aedr curves --data --t: the curve from files, each seed a subsample; no surfaces, no verdict', async () => {
  const out = join(dir, 'file');
  const r = await aedr(
    'curves',
    '--data',
    join(dir, 'pts.csv'),
    '--t',
    join(dir, 't.csv'),
    '--seeds',
    '2',
    '--n',
    '60',
    '--no-paper-like',
    '--quiet',
    '--out',
    out,
  );
  assert.equal(r.code, 0, r.err);
  const res = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as {
    curves: Stat[];
    surfaces: unknown[];
    verdict: unknown;
    config: { n: number };
  };
  assert.equal(res.curves.length, 5);
  assert.equal(res.surfaces.length, 0);
  assert.equal(res.verdict, null);
  for (const m of ['pca', 'isomap']) {
    const s = res.curves.find((c) => c.method === m);
    assert.ok(s && s.absSpearman.min >= 0.99, `${m}: ${JSON.stringify(s)}`);
  }
  assert.ok(existsSync(join(out, 'curve-pts.png')), 'the chart is named after the file');
});

test('aedr curves: bad input gives one clear error line', async () => {
  const pts = join(dir, 'pts.csv');
  await failsWithError(2, /--data .*pts\.csv needs --t <path>/, 'curves', '--data', pts, '--quiet');
  await failsWithError(2, /--t gives the parameter of --data/, 'curves', '--t', join(dir, 't.csv'));
  await failsWithError(
    1,
    /short\.csv: has 5 values but the data has 100 rows; expected one t per data row/,
    'curves',
    '--data',
    pts,
    '--t',
    join(dir, 'short.csv'),
  );
  await failsWithError(
    1,
    /two\.csv: expected one value per row \(1 column\), got 2 columns/,
    'curves',
    '--data',
    pts,
    '--t',
    join(dir, 'two.csv'),
  );
  await failsWithError(
    1,
    /nope\.csv/,
    'curves',
    '--data',
    join(dir, 'nope.csv'),
    '--t',
    join(dir, 't.csv'),
  );
  await failsWithError(2, /option '--seeds <n>' argument '0' is invalid/, 'curves', '--seeds', '0');
  await failsWithError(
    2,
    /option '--noise <sd>' argument '-1' is invalid/,
    'curves',
    '--noise',
    '-1',
  );
});
