import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertClose } from '../../../test/helpers/close.js';
import type { Dataset } from '../../data/dataset.js';
import { matrix } from '../../util/matrix.js';
import { Rng } from '../../util/rng.js';
import { checkAnomalySettings, quickAnomalySettings, type AnomalySettings } from './config.js';
import { anomalyFindings, writeAnomalyReport } from './report.js';
import { runAnomaly, type AnomalyData } from './run.js';

/** 8 x 8 images: class k is a bright 3 x 3 blob at one of three places, plus noise in 0..255. */
function blobs(n: number, rng: Rng, source: string): Dataset {
  const x = new Float32Array(n * 64);
  const labels = new Int32Array(n);
  const at = [
    [1, 1],
    [4, 4],
    [1, 5],
  ];
  for (let i = 0; i < n; i++) {
    const k = i % 3;
    labels[i] = k;
    for (let p = 0; p < 64; p++) x[i * 64 + p] = rng.uniform(0, 40);
    const [r0, c0] = at[k];
    for (let r = r0; r < r0 + 3; r++)
      for (let c = c0; c < c0 + 3; c++) x[i * 64 + r * 8 + c] = rng.uniform(180, 255);
  }
  return { x: matrix(n, 64, x), labels, source };
}

const rng = new Rng(21);
const data: AnomalyData = {
  name: 'blobs',
  train: blobs(240, rng, 'blobs:train'),
  test: blobs(120, rng, 'blobs:test'),
  image: { h: 8, w: 8 },
};
const settings: AnomalySettings = {
  layers: [16, 3],
  epochs: 15,
  batchSize: 16,
  learningRate: 3e-3,
  conv: { filters: [8, 4], epochs: 10, batchSize: 16, learningRate: 3e-3 },
  vae: { layers: [16, 3], epochs: 15, batchSize: 16, learningRate: 3e-3, beta: 1, loss: 'bce' },
  pcaComponents: 3,
  scaling: 'divide255',
  seed: 2,
  shownImages: 4,
  threads: 1,
  spin: false,
};

test('runAnomaly: dense, conv and variational AE per class, separable classes near AUROC 1, the report is written (no Math.random)', async () => {
  const random = Math.random;
  Math.random = () => {
    throw new Error('Math.random used during the experiment');
  };
  let r;
  const events: string[] = [];
  try {
    r = await runAnomaly(data, settings, (e) => events.push(e.kind));
  } finally {
    Math.random = random;
  }
  assert.deepEqual(
    r.classes.map((c) => [c.normal, c.trainRows, c.testNormal, c.testAnomalous]),
    [
      [0, 80, 40, 80],
      [1, 80, 40, 80],
      [2, 80, 40, 80],
    ],
  );
  assert.equal(events.filter((e) => e === 'start').length, 3);
  assert.equal(
    events.filter((e) => e === 'epoch').length,
    3 * (settings.epochs + (settings.conv?.epochs ?? 0) + (settings.vae?.epochs ?? 0)),
  );
  assert.deepEqual(r.methods, ['ae', 'conv', 'vae', 'pca']);
  assert.deepEqual(r.data.image, { h: 8, w: 8, c: 1 });
  for (const c of r.classes) {
    // A blob elsewhere is far from every training image: every detector should be near perfect
    // (structural, not a golden value).
    for (const m of ['ae', 'conv', 'vae', 'pca'] as const) {
      const o = c[m];
      assert.ok(o !== undefined && o.auroc > 0.95, `class ${c.normal} ${m} AUROC ${o?.auroc}`);
      const { fpr, tpr } = o.roc;
      assert.deepEqual([fpr[0], tpr[0], fpr.at(-1), tpr.at(-1)], [0, 0, 1, 1]);
    }
    // The least anomalous rows are of the normal class; the most anomalous are not.
    const labels = data.test.labels ?? new Int32Array(0);
    for (const m of ['ae', 'conv', 'vae'] as const) {
      const o = c[m];
      assert.ok(
        o?.leastAnomalous.every((i) => labels[i] === c.normal),
        `${m} least`,
      );
      assert.ok(
        o?.mostAnomalous.every((i) => labels[i] !== c.normal),
        `${m} most`,
      );
      assert.equal(o?.mostAnomalous.length, 4);
    }
  }
  assertClose(
    r.meanAuroc.conv ?? NaN,
    r.classes.reduce((a, c) => a + (c.conv?.auroc ?? 0), 0) / 3,
    {
      rtol: 1e-15,
    },
  );
  assertClose(r.meanAuroc.ae, r.classes.reduce((a, c) => a + c.ae.auroc, 0) / 3, { rtol: 1e-15 });
  assert.match(
    anomalyFindings(r)[0],
    /^Mean AUROC over 3 normal classes: dense ae [\d.]+, conv ae [\d.]+, vae [\d.]+, PCA [\d.]+; the (dense ae|conv ae|vae) is higher than PCA for \d of 3 classes\.$/,
  );

  const dir = mkdtempSync(join(tmpdir(), 'aedr-anomaly-'));
  try {
    const files = await writeAnomalyReport(dir, r, {
      testX: data.test.x,
      h: 8,
      w: 8,
      pixelMax: 255,
    });
    const names = files.map((f) => f.slice(dir.length + 1)).sort();
    assert.deepEqual(names, [
      'index.html',
      'least-anomalous-ae.png',
      'least-anomalous-conv.png',
      'least-anomalous-vae.png',
      'most-anomalous-ae.png',
      'most-anomalous-conv.png',
      'most-anomalous-vae.png',
      'results.json',
      'results.md',
      'roc.png',
    ]);
    const json = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as {
      meanAuroc: { ae: number };
      findings: string[];
    };
    assert.equal(json.meanAuroc.ae, r.meanAuroc.ae);
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    assert.match(html, /AUROC per normal class/);
    assert.match(html, /Conv AE AUROC/);
    assert.match(html, /Conv AE on 8x8x1 images: Conv2D 8, 4 filters/);
    assert.match(html, /VAE 64-16-3 \(relu hidden, linear μ and log σ² heads/);
    assert.ok(!/https?:\/\/(?!www\.w3\.org)/.test(html.replace(/data:[^"]+/g, '')), 'no URLs');
    assert.ok(existsSync(join(dir, 'roc.png')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('runAnomaly without an image shape runs no conv AE; without vae settings no VAE', async () => {
  const { image: _i, ...flat } = data;
  const { vae: _v, ...noVae } = settings;
  const r = await runAnomaly(flat, { ...noVae, epochs: 2, classes: [1] });
  assert.deepEqual(r.methods, ['ae', 'pca']);
  assert.equal(r.classes[0].vae, undefined);
  assert.equal(r.classes[0].conv, undefined);
  assert.equal(r.meanAuroc.conv, undefined);
});

test('runAnomaly misuse: unlabelled data, a class without rows, bad settings', async () => {
  const { labels: _l, ...unlabelled } = data.train;
  await assert.rejects(runAnomaly({ ...data, train: unlabelled }, settings), {
    name: 'DataError',
    message: 'the training data blobs:train has no labels; the protocol needs classes',
  });
  await assert.rejects(runAnomaly(data, { ...settings, classes: [7] }), {
    name: 'ConfigError',
    message: 'class 7 has 0 training rows in blobs; a one-class model needs at least 2',
  });
  assert.throws(() => checkAnomalySettings({ ...quickAnomalySettings(), epochs: 0 }), {
    name: 'ConfigError',
    message: 'epochs must be an integer >= 1, got 0',
  });
  await assert.rejects(runAnomaly({ ...data, image: { h: 7, w: 8 } }, settings), {
    name: 'ConfigError',
    message: 'image shape 7x8x1 of blobs does not hold its 64 columns',
  });
  const conv = { filters: [16, 0], epochs: 1, batchSize: 1, learningRate: 1e-3 };
  assert.throws(() => checkAnomalySettings({ ...quickAnomalySettings(), conv }), {
    name: 'ConfigError',
    message: 'conv.filters[1] must be an integer >= 1, got 0',
  });
  const vae = {
    layers: [8],
    epochs: 1,
    batchSize: 1,
    learningRate: 1e-3,
    beta: -1,
    loss: 'bce' as const,
  };
  assert.throws(() => checkAnomalySettings({ ...quickAnomalySettings(), vae }), {
    name: 'ConfigError',
    message: /^vae\.beta must be/,
  });
  assert.throws(() => checkAnomalySettings({ ...quickAnomalySettings(), layers: [] }), {
    name: 'ConfigError',
    message: 'layers must list at least the code size, got []',
  });
});
