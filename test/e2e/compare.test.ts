// End-to-end tests of `aedr compare`: the --quick run as a real process through tsx (exit code,
// one JSON row per method x dim, non-empty PNGs, the HTML page, progress lines on a pipe), a
// labelled CSV file split in-process, and the errors for bad flags.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../../src/util/rng.js';
import { aedr, aedrIo, aedrProcess } from '../helpers/cli.js';

interface Row {
  method: string;
  dim: number;
  trainRows: number;
  knnAccuracy: number | null;
  ceiling: number | null;
  trust: { value: number; exact: boolean } | null;
  fitSeconds: number | null;
  skipped?: string;
  error?: string;
}

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'aedr-compare-e2e-'));
  // 4 classes of 30 points in 8-d: class c has mean 3 on coordinate c (sd 1), plus a label column.
  const rng = new Rng(7);
  const lines = ['f0,f1,f2,f3,f4,f5,f6,f7,label'];
  const labels: string[] = [];
  for (let i = 0; i < 120; i++) {
    const c = i % 4;
    const x = Array.from({ length: 8 }, (_, j) => (rng.normal() + (j === c ? 3 : 0)).toFixed(4));
    lines.push([...x, String(c)].join(','));
    labels.push(String(c));
  }
  writeFileSync(join(dir, 'pts.csv'), lines.join('\n') + '\n');
  writeFileSync(join(dir, 'x.csv'), lines.map((l) => l.replace(/,[^,]*$/, '')).join('\n') + '\n');
  writeFileSync(join(dir, 'y.txt'), labels.join('\n') + '\n');
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('aedr compare --quick: one JSON row per method x dim, non-empty PNGs, the HTML page, progress lines', () => {
  const out = join(dir, 'quick');
  const r = aedrProcess('compare', '--quick', '--out', out);
  assert.equal(r.status, 0, r.stderr);
  const res = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as {
    rows: Row[];
    ceilings: { trainRows: number; accuracy: number }[];
    findings: string[];
  };
  // 5 methods x dims 2 and 10, in table order.
  assert.deepEqual(
    res.rows.map((x) => `${x.method}${x.dim}`),
    ['ae2', 'ae10', 'pca2', 'pca10', 'lda2', 'lda10', 'lle2', 'lle10', 'isomap2', 'isomap10'],
  );
  assert.match(res.rows[5].skipped ?? '', /at most classes − 1 = 9/);
  for (const x of res.rows.filter((y) => y.skipped === undefined)) {
    assert.equal(x.error, undefined, `${x.method} d=${x.dim}`);
    assert.equal(x.trainRows, 2000);
    assert.ok(x.knnAccuracy !== null && x.knnAccuracy > 0.15 && x.knnAccuracy <= 1, `${x.method}`);
    assert.ok(x.trust?.exact === true && (x.fitSeconds ?? -1) >= 0);
  }
  // kNN(5) on the first 2,000 / 500 raw MNIST images: 0.864 (measured; deterministic).
  assert.deepEqual(
    res.ceilings.map((c) => [c.trainRows, c.accuracy]),
    [[2000, 0.864]],
  );
  // PCA to 10 dims stays within 5 points of raw pixels on these rows (measured 2.8).
  const pca10 = res.rows.find((x) => x.method === 'pca' && x.dim === 10);
  assert.ok(pca10 && (pca10.knnAccuracy ?? 0) > 0.81, JSON.stringify(pca10));
  for (const f of ['accuracy.png', 'trustworthiness.png', 'timing.png'])
    assert.ok(statSync(join(out, f)).size > 5000, `${f} non-empty`);
  const html = readFileSync(join(out, 'index.html'), 'utf8');
  assert.match(html, /Classification comparison/);
  assert.match(html, /Best kNN\(5\) accuracy per dimension/);
  assert.ok(existsSync(join(out, 'results.md')));
  assert.match(r.stdout, /wrote 6 files to .*quick\//);
  // Not a terminal: plain lines, one per case, each with an ETA; no carriage returns.
  assert.match(r.stderr, /^\[1\/9\] PCA d=2 .*\| elapsed .*, ETA /m);
  assert.match(r.stderr, /^\[9\/9\] Isomap d=10 /m);
  assert.ok(!r.stderr.includes('\r'));
});

test('aedr compare --data file --labels: a stratified split, LDA up to classes - 1; a live status line on a terminal', async () => {
  const out = join(dir, 'file');
  const r = await aedrIo(
    true,
    'compare',
    '--data',
    join(dir, 'x.csv'),
    '--labels',
    join(dir, 'y.txt'),
    '--methods',
    'pca,lda,isomap',
    '--dims',
    '2,3,5',
    '--out',
    out,
  );
  assert.equal(r.code, 0, r.err);
  // On a terminal each case first draws a status line, which its result line replaces.
  const clearLine = '\r\u001b[K';
  assert.ok(r.err.includes(`${clearLine}[1/8] PCA d=2: fitting 96 rows  ETA `), r.err);
  assert.ok(r.err.includes(`${clearLine}[8/8] Isomap d=5  acc `), r.err);
  const res = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as {
    rows: Row[];
    data: { split: string; classes: number };
  };
  assert.match(res.data.split, /seeded stratified split .*120 rows, 20% held out/);
  assert.equal(res.data.classes, 4);
  assert.equal(res.rows.length, 9);
  assert.match(res.rows.find((x) => x.method === 'lda' && x.dim === 5)?.skipped ?? '', /= 3/);
  const lda3 = res.rows.find((x) => x.method === 'lda' && x.dim === 3);
  // Class means 3 sd apart in 8-d: LDA's 3 discriminants classify most test rows.
  assert.ok(lda3 && (lda3.knnAccuracy ?? 0) >= 0.75, JSON.stringify(lda3));
  assert.equal(lda3?.trainRows, 96);
});

async function fails(code: number, re: RegExp, ...args: string[]): Promise<void> {
  const r = await aedr(...args);
  assert.equal(r.code, code, `exit code of ${args.join(' ')}: ${r.err}`);
  assert.match(r.err.split('\n')[0], /^aedr: error: |^error: /);
  assert.match(r.err, re);
}

test('aedr compare: bad input gives one clear error line', async () => {
  const x = join(dir, 'x.csv');
  await fails(2, /--data mnist has its own labels/, 'compare', '--labels', join(dir, 'y.txt'));
  await fails(
    2,
    /--test-labels belongs to --test-data/,
    'compare',
    '--data',
    x,
    '--test-labels',
    x,
  );
  await fails(
    2,
    /--split and --test-fraction split --data; with --test-data nothing is split/,
    'compare',
    '--data',
    join(dir, 'pts.csv'),
    '--label-column',
    'label',
    '--test-data',
    x,
    '--split',
    'random',
  );
  await fails(1, /x\.csv has no labels; .*give labels/, 'compare', '--data', x, '--quiet');
  await fails(
    2,
    /option '--methods <list>' argument 'pca,som' is invalid/,
    'compare',
    '--methods',
    'pca,som',
  );
  await fails(2, /option '--dims <list>' argument '0,2' is invalid/, 'compare', '--dims', '0,2');
  await fails(
    2,
    /argument 'half' is invalid. Allowed choices are stratified, random/,
    'compare',
    '--split',
    'half',
  );
});
