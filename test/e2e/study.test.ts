// End-to-end tests of `aedr study --quick`, run as a real process through tsx: the report folder
// it writes; index.html rendered by headless Chromium (no console errors, every figure loaded
// with a non-zero size, the interactive 3-d view drawn, one table row per configuration, the
// convolutional denoising AE's section and table); and
// kill -9 after the first finished run followed by a rerun giving the same table as the
// uninterrupted run (finished runs reused from <out>/runs/, the others trained again).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { aedrProcess } from '../helpers/cli.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../helpers/chromium.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
}

/**
 * Runs `aedr study --quick --out dir` asynchronously (the test runner stays responsive); with
 * `killAfterDone`, sends SIGKILL as soon as that many runs are reported done; `extra` flags follow.
 */
function study(dir: string, killAfterDone?: number, extra: string[] = []): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const p = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'study', '--quick', '--out', dir, ...extra],
      { cwd: ROOT },
    );
    let out = '';
    let err = '';
    p.stdout.on('data', (b: Buffer) => (out += b.toString()));
    p.stderr.on('data', (b: Buffer) => {
      err += b.toString();
      const done = (err.match(/^\[ *\d+\/\d+\] done /gm) ?? []).length;
      if (killAfterDone !== undefined && done >= killAfterDone) p.kill('SIGKILL');
    });
    p.on('error', reject);
    p.on('close', (code, signal) => resolve({ code, signal, out, err }));
  });
}

const dirs: string[] = [];
let dir: string;
let run: Outcome;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aedr-study-'));
  dirs.push(dir);
  run = await study(dir);
});
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const FIGURES = [
  'mse-vs-latent.png',
  'training-curves.png',
  'deep-training.png',
  'deep-code-projections.png',
  'run-times.png',
  'reconstructions-relu.png',
  'reconstructions-sigmoid.png',
  'relu-vs-sigmoid.png',
  'generation-deep-interpolation.png',
  'generation-deep-samples.png',
  'generation-latent50-sigmoid-interpolation.png',
  'generation-latent50-sigmoid-samples.png',
  'denoising.png',
];

test('study --quick exits 0, prints the table and writes the report files and the runs', () => {
  assert.equal(run.code, 0, run.err);
  assert.match(
    run.err,
    /^study: 7 runs, 2 at a time over 2 thread\(s\)$|^study: 7 runs, 1 at a time/m,
  );
  assert.match(run.out, /^ {6}50 {2}sigmoid /m);
  assert.match(run.out, /recommended latent dimension: (10|50) \(flattening/);
  assert.match(run.out, /^conv denoising AE 16,8 \(code 7x7x8 = 392\): test_mse 0\.\d+, noisy/m);
  for (const f of ['index.html', 'results.json', 'results.md', ...FIGURES]) {
    assert.ok(existsSync(join(dir, f)), f);
    assert.ok(statSync(join(dir, f)).size > 0, f);
  }
  const json = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as {
    sweep: { latent: number; activation: string; testMse: number }[];
    pca: { dims: number[]; testMse: number[] };
    conv: { filters: string; latent: number; testMse: number; testMseNoisy: number }[];
  };
  assert.deepEqual(
    json.sweep.map((r) => `${r.latent}/${r.activation}`),
    ['10/relu', '10/sigmoid', '50/relu', '50/sigmoid'],
  );
  // 2 epochs on 3000 images: every model is far from the trivial mean image (MSE ≈ 0.067) or better.
  for (const r of json.sweep)
    assert.ok(r.testMse > 0 && r.testMse < 0.08, `${r.latent}: ${r.testMse}`);
  // PCA on the same rows: more components never reconstruct worse.
  assert.ok(json.pca.testMse[1] < json.pca.testMse[0]);
  // The conv denoising AE at its code size in values, and PCA with as many components beside it.
  assert.deepEqual(
    json.conv.map((c) => `${c.filters}/${c.latent}`),
    ['16,8/392'],
  );
  assert.deepEqual(json.pca.dims, [10, 50, 392]);
  // 2 epochs on 3000 noisy images: far below the mean image's 0.067 with either input.
  for (const c of json.conv) {
    assert.ok(c.testMse > 0 && c.testMse < 0.04, `conv clean input: ${c.testMse}`);
    assert.ok(c.testMseNoisy > 0 && c.testMseNoisy < 0.04, `conv noisy input: ${c.testMseNoisy}`);
  }
});

test('index.html renders offline in Chromium: no console errors, every figure and the 3-d view drawn, one row per run', async () => {
  assert.equal(run.code, 0, run.err);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('request', (r) => {
      if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) requests.push(r.url());
    });
    await page.goto('file://' + join(dir, 'index.html'), { waitUntil: 'load' });
    const images = await page.$$eval('img', (els) =>
      els.map((e) => ({
        alt: e.alt,
        ok: e.complete && e.naturalWidth > 0 && e.naturalHeight > 0,
        w: e.getBoundingClientRect().width,
        h: e.getBoundingClientRect().height,
      })),
    );
    // 5 charts + 2 reconstruction grids + the comparison + 4 generation grids + denoising.
    assert.equal(images.length, FIGURES.length);
    for (const i of images) assert.ok(i.ok && i.w > 0 && i.h > 0, `image not drawn: ${i.alt}`);
    const canvas = await page.$eval('figure.scatter3d canvas', (c) => {
      const el = c as HTMLCanvasElement;
      const ctx = el.getContext('2d');
      const px = ctx?.getImageData(0, 0, el.width, el.height).data ?? new Uint8ClampedArray();
      let painted = 0;
      for (let i = 3; i < px.length; i += 4) if (px[i] > 0) painted++;
      return { w: el.width, h: el.height, painted };
    });
    assert.ok(canvas.w > 0 && canvas.h > 0, 'scatter3d canvas has no size');
    assert.ok(canvas.painted > 1000, `scatter3d painted ${canvas.painted} pixels`);
    // The per-model table is the one with a Decoder column (the other compares per latent size).
    const rows = await page.$$eval('#sweep table', (tables) => {
      const t = tables.find((x) =>
        Array.from(x.querySelectorAll('th')).some((th) => th.textContent === 'Decoder'),
      );
      return Array.from(t?.querySelectorAll('tbody tr') ?? []).map((tr) =>
        Array.from(tr.querySelectorAll('td')).map((td) => td.textContent ?? ''),
      );
    });
    assert.deepEqual(
      rows.map((r) => `${r[0]} ${r[1]}`),
      ['10 relu', '10 sigmoid', '50 relu', '50 sigmoid'],
    );
    // The conv AE's table: one row, its filters, code shape and code size in values.
    const conv = await page.$$eval('#denoising table tbody tr', (trs) =>
      trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent ?? '')),
    );
    assert.deepEqual(
      conv.map((r) => r.slice(0, 3)),
      [['16,8', '7 x 7 x 8', '392']],
    );
    const sections = await page.$$eval('main section', (ss) => ss.map((s) => s.id));
    assert.deepEqual(sections, [
      'models',
      'sweep',
      'saturation',
      'reconstructions',
      'activation',
      'deep',
      'denoising',
      'generation',
      'training',
      'runtime',
    ]);
    assert.deepEqual(errors, []);
    assert.deepEqual(requests, []);
  } finally {
    await browser.close();
  }
});

/** The sweep table without the columns that measure time or provenance. */
function table(dir: string): unknown[] {
  const json = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as {
    sweep: Record<string, unknown>[];
    pca: { testMse: number[] };
    deep: { testMse: number };
    conv: Record<string, unknown>[];
    saturation: { recommended: number | null };
  };
  return [
    json.sweep.map(({ seconds: _s, reused: _r, ...rest }) => rest),
    json.conv.map(({ seconds: _s, reused: _r, id: _i, ...rest }) => rest),
    json.pca.testMse,
    json.deep.testMse,
    json.saturation.recommended,
  ];
}

test('kill -9 after the first finished run, rerun: the same table as an uninterrupted run', async () => {
  assert.equal(run.code, 0, run.err);
  const resumed = mkdtempSync(join(tmpdir(), 'aedr-study-resumed-'));
  dirs.push(resumed);

  const killed = await study(resumed, 1);
  assert.equal(killed.signal, 'SIGKILL', `the study was not killed: ${killed.err}`);
  const finished = readdirSync(join(resumed, 'runs'));
  assert.ok(finished.length >= 1, 'no run folder survived');

  // The rerun lets onnxruntime's threads sleep: scheduling only, so the same runs and numbers.
  const second = await study(resumed, undefined, ['--no-spin']);
  assert.equal(second.code, 0, second.err);
  const reused = /^study: 7 runs \((\d+) reused\)/m.exec(second.err);
  assert.ok(reused !== null && Number(reused[1]) >= 1, `no run was reused: ${second.err}`);
  // Leftover temporary files of the killed save are gone with their unfinished runs.
  for (const id of readdirSync(join(resumed, 'runs'))) {
    const files = readdirSync(join(resumed, 'runs', id));
    assert.ok(files.includes('result.json'), `${id}: ${files.join(', ')}`);
    assert.ok(!files.some((f) => f.startsWith('.aedr-tmp')), `${id}: ${files.join(', ')}`);
  }
  assert.deepEqual(table(resumed), table(dir));
});

test('study --help lists the flags; bad values and combinations exit 2 naming the flag', () => {
  const run = (...args: string[]): { status: number | null; stdout: string; stderr: string } =>
    aedrProcess('study', ...args);
  const help = run('--help');
  assert.equal(help.status, 0);
  for (const f of [
    '--latent',
    '--activations',
    '--epochs',
    '--batch-size',
    '--train-size',
    '--seed',
    '--out',
    '--threads',
    '--quick',
    '--fresh',
    '--no-spin',
    '--output-bias',
    '--conv',
    '--conv-epochs',
  ])
    assert.ok(help.stdout.includes(f), f);
  const badRange = run('--latent', '10:5:1');
  assert.equal(badRange.status, 2);
  assert.match(badRange.stderr, /option '--latent <dims>' argument '10:5:1' is invalid/);
  const badConv = run('--conv', '16,x');
  assert.equal(badConv.status, 2);
  assert.match(badConv.stderr, /Expected filter lists such as 16,8 or 16,8\/16,4, or 'none'/);
  const badAct = run('--activations', 'relu,softmax');
  assert.equal(badAct.status, 2);
  assert.match(badAct.stderr, /Expected a comma list of relu, sigmoid/);
  const badCombo = run('--threads', '2', '--workers', '3', '--out', join(dir, 'never'));
  assert.equal(badCombo.status, 2);
  assert.match(badCombo.stderr, /^aedr: error: workers must be an integer in 1\.\.2, got 3$/m);
  assert.ok(!existsSync(join(dir, 'never')));
});
