import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, DataError } from '../../errors.js';
import { matrix } from '../../util/matrix.js';
import { Rng } from '../../util/rng.js';
import { assertClose } from '../../../test/helpers/close.js';
import {
  FULL_SETTINGS,
  parseMethods,
  resolveCompareSettings,
  type CompareSettings,
} from './config.js';
import { loadCompareData, stratifiedSplit, type CompareData } from './data.js';
import { EtaModel } from './eta.js';
import { compareFindings, points } from './findings.js';
import { priorSeconds, skipReason } from './methods.js';
import { compareTableRows, settingsText, trustModeText, writeCompareReport } from './report.js';
import { runCompare, type CompareResult, type CompareRow } from './run.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'aedr-compare-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Three Gaussian blobs (sd 1) centred 10 apart on the axes of R^6: separable by any method. */
function blobs(n: number, seed: number): { x: Float32Array; y: Int32Array } {
  const rng = new Rng(seed);
  const x = new Float32Array(n * 6);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 3;
    for (let j = 0; j < 6; j++) x[i * 6 + j] = rng.normal() + (j === y[i] ? 10 : 0);
  }
  return { x, y };
}

function blobData(nTrain: number, nTest: number): CompareData {
  const a = blobs(nTrain, 1);
  const b = blobs(nTest, 2);
  const train = { x: matrix(nTrain, 6, a.x), labels: a.y, source: 'blobs' };
  const test = { x: matrix(nTest, 6, b.x), labels: b.y, source: 'blobs' };
  return {
    name: 'blobs',
    isMnist: false,
    train,
    test,
    xTrain: train.x,
    xTest: test.x,
    aeScaling: 'minmax',
    classes: 3,
    splitText: 'two seeded samples.',
  };
}

test('resolveCompareSettings: full and quick presets, overrides, manifold sizes clipped to the main ones', () => {
  const full = resolveCompareSettings();
  assert.deepEqual(full.dims, [2, 3, 5, 9, 10, 20, 50]);
  assert.deepEqual(
    [full.trainSize, full.testSize, full.manifoldTrainSize, full.manifoldTestSize],
    [60000, 10000, 10000, 2000],
  );
  assert.deepEqual(full.methods, ['ae', 'pca', 'lda', 'lle', 'isomap']);
  const q = resolveCompareSettings({ quick: true });
  assert.deepEqual(
    [q.trainSize, q.testSize, q.dims, q.ae.epochs, q.ae.maxIter, q.ae.batchSize],
    [2000, 500, [2, 10], undefined, 30, 'auto'],
  );
  const o = resolveCompareSettings({
    methods: ['pca', 'ae'],
    dims: [10, 2, 10],
    trainSize: 500,
    ae: { epochs: 2 },
  });
  // Methods in table order, dims sorted and unique, manifold rows at most the main ones.
  assert.deepEqual(o.methods, ['ae', 'pca']);
  assert.deepEqual(o.dims, [2, 10]);
  assert.equal(o.manifoldTrainSize, 500);
  assert.deepEqual([o.ae.epochs, o.ae.batchSize], [2, FULL_SETTINGS.ae.batchSize]);
});

test('resolveCompareSettings rejects unknown methods, empty or bad dims, tiny sizes', () => {
  assert.throws(
    () => resolveCompareSettings({ methods: ['som' as 'ae'] }),
    (e: unknown) => e instanceof ConfigError && /methods\[0\] must be one of/.test(e.message),
  );
  assert.throws(() => resolveCompareSettings({ methods: [] }), /methods must list at least one/);
  assert.throws(() => resolveCompareSettings({ dims: [] }), /dims must list at least one/);
  assert.throws(
    () => resolveCompareSettings({ dims: [2, 0] }),
    /dims\[1\] must be an integer >= 1, got 0/,
  );
  assert.throws(
    () => resolveCompareSettings({ trainSize: 5 }),
    /trainSize must be an integer >= 10, got 5/,
  );
  assert.throws(
    () => resolveCompareSettings({ ae: { learningRate: 0 } }),
    /ae\.learningRate must be a finite number > 0/,
  );
});

test('parseMethods: comma list, all, the long AE name; unknown names are ConfigErrors', () => {
  assert.deepEqual(parseMethods('ae, PCA,lle'), ['ae', 'pca', 'lle']);
  assert.deepEqual(parseMethods('all'), [
    'ae',
    'pca',
    'lda',
    'lle',
    'isomap',
    'umap',
    'pumap',
    'tsne',
  ]);
  assert.deepEqual(parseMethods('autoencoder'), ['ae']);
  assert.deepEqual(parseMethods('tsne,UMAP'), ['tsne', 'umap']);
  assert.throws(
    () => parseMethods('pca,som'),
    (e: unknown) => e instanceof ConfigError && /unknown method "som"/.test(e.message),
  );
  assert.throws(() => parseMethods(' , '), /expected a comma list/);
});

test('stratifiedSplit keeps each class share (round(count * 0.2)), covers every row once, is seeded', () => {
  // Classes of 10, 20 and 5 rows: 2, 4 and 1 test rows.
  const labels = Int32Array.from([...Array(10).fill(0), ...Array(20).fill(1), ...Array(5).fill(2)]);
  const x = matrix(
    35,
    1,
    Float32Array.from({ length: 35 }, (_, i) => i),
  );
  const d = { x, labels, source: 's' };
  const a = stratifiedSplit(d, 0.2, 3);
  const count = (l: Int32Array | undefined, c: number): number =>
    (l as Int32Array).filter((v) => v === c).length;
  assert.deepEqual(
    [0, 1, 2].map((c) => count(a.test.labels, c)),
    [2, 4, 1],
  );
  assert.deepEqual(
    [0, 1, 2].map((c) => count(a.train.labels, c)),
    [8, 16, 4],
  );
  const rows = [...a.train.x.data, ...a.test.x.data].sort((p, q) => p - q);
  assert.deepEqual(
    rows,
    Array.from({ length: 35 }, (_, i) => i),
  );
  // Labels travel with their rows.
  a.test.x.data.forEach((v, i) => assert.equal(a.test.labels?.[i], labels[v]));
  assert.deepEqual(stratifiedSplit(d, 0.2, 3).test.x.data, a.test.x.data);
  assert.notDeepEqual(stratifiedSplit(d, 0.2, 4).test.x.data, a.test.x.data);
  assert.throws(
    () => stratifiedSplit({ x, source: 'nolabels' }, 0.2, 0),
    (e: unknown) => e instanceof ConfigError && /needs labels; nolabels has none/.test(e.message),
  );
  assert.throws(() => stratifiedSplit(d, 0.01, 0), /gives 0 test and 35 train rows/);
});

test('loadCompareData: a CSV with labels is split (stratified by default, or random); a test file must match', () => {
  const lines = ['a,b,label'];
  for (let i = 0; i < 40; i++) lines.push(`${i},${i % 7},${i % 4}`);
  const csv = join(dir, 'pts.csv');
  writeFileSync(csv, lines.join('\n') + '\n');
  const d = loadCompareData({ data: csv, labelColumn: 'label' }, { trainSize: 100, testSize: 100 });
  assert.deepEqual([d.train.x.rows, d.test.x.rows, d.classes, d.aeScaling], [32, 8, 4, 'minmax']);
  assert.match(d.splitText, /seeded stratified split .*40 rows, 20% held out, seed 0/);
  assert.equal(d.xTrain, d.train.x, 'a file is used as read');
  const r = loadCompareData(
    { data: csv, labelColumn: 'label', split: 'random', testFraction: 0.25 },
    { trainSize: 20, testSize: 100 },
  );
  assert.deepEqual([r.train.x.rows, r.test.x.rows], [20, 10]);
  assert.match(r.splitText, /seeded random split/);

  const noLabels = join(dir, 'nolabels.csv');
  writeFileSync(noLabels, '1,2\n3,4\n5,6\n');
  assert.throws(
    () => loadCompareData({ data: noLabels }, { trainSize: 10, testSize: 10 }),
    (e: unknown) => e instanceof ConfigError && /has no labels; .*give labels/.test(e.message),
  );
  const wide = join(dir, 'wide.csv');
  writeFileSync(wide, 'a,b,c,label\n1,2,3,0\n4,5,6,1\n');
  assert.throws(
    () =>
      loadCompareData(
        { data: csv, labelColumn: 'label', testData: wide },
        { trainSize: 10, testSize: 10 },
      ),
    (e: unknown) =>
      e instanceof DataError && /wide\.csv: has 3 columns, but .* has 2/.test(e.message),
  );
  assert.throws(
    () => loadCompareData({ data: 'mnist', labels: csv }, { trainSize: 10, testSize: 10 }),
    /mnist has its own labels and test set/,
  );
});

test('skipReason: LDA stops at classes - 1; no method maps to as many dims as features', () => {
  const shape = { features: 6, classes: 3, trainRows: 100 };
  assert.equal(skipReason('lda', 2, shape), undefined);
  assert.match(skipReason('lda', 3, shape) ?? '', /at most classes − 1 = 2/);
  assert.match(skipReason('pca', 6, shape) ?? '', /not a reduction of 6 features/);
  assert.equal(skipReason('isomap', 5, shape), undefined);
  assert.match(skipReason('lle', 5, { ...shape, trainRows: 5 }) ?? '', /more than 5 training rows/);
  // Full MNIST on 2 cores: the priors add up to tens of minutes, led by the AE and Isomap.
  const s = resolveCompareSettings();
  const mn = { train: 60000, test: 10000, features: 784 };
  assert.ok(priorSeconds('ae', 10, mn, s) > priorSeconds('pca', 10, mn, s));
});

test('EtaModel scales priors by measured/prior per method (all finished cases, at least 1, for a new method)', () => {
  const eta = new EtaModel([
    { method: 'a', prior: 10 },
    { method: 'a', prior: 10 },
    { method: 'b', prior: 20 },
  ]);
  assert.equal(eta.priorTotal, 40);
  assert.equal(eta.remaining(), 40);
  eta.finish(20);
  // a runs at twice its prior; b has not run and takes the overall ratio, also 2.
  assert.equal(eta.ratio('a'), 2);
  assert.equal(eta.remaining(), 20 + 40);
  // The current case half done after 5 s: 5 s more for it.
  assert.equal(eta.remaining({ elapsed: 5, fraction: 0.5 }), 5 + 40);
  // A faster-than-prior case lowers its own method's ratio, but a new method never goes below 1.
  const fast = new EtaModel([
    { method: 'a', prior: 10 },
    { method: 'b', prior: 20 },
  ]);
  fast.finish(5);
  assert.deepEqual([fast.ratio('a'), fast.ratio('b'), fast.remaining()], [0.5, 1, 20]);
  eta.finish(10);
  eta.finish(10);
  assert.equal(eta.remaining(), 0);
  assert.throws(() => eta.finish(1), /all 3 cases are already done/);
  assert.throws(
    () => new EtaModel([{ method: 'a', prior: -1 }]),
    (e: unknown) =>
      e instanceof ConfigError &&
      /cases\[0\]\.prior must be a finite number >= 0, got -1/.test(e.message),
  );
});

function row(
  method: CompareRow['method'],
  dim: number,
  acc: number,
  ceiling: number,
  trust: number,
): CompareRow {
  return {
    method,
    dim,
    trainRows: method === 'lle' ? 100 : 1000,
    testRows: 50,
    knnAccuracy: acc,
    ceiling,
    trust: { value: trust, exact: true, n: 50 },
    fitSeconds: dim,
    transformSeconds: 0.1,
    metricSeconds: 0.1,
  };
}

test('compareFindings: the best method per dim, closeness to the ceiling, trust winners, skips, cost', () => {
  const r: CompareResult = {
    settings: { ...FULL_SETTINGS, dims: [2, 10] } as CompareSettings,
    data: {
      name: 'mnist',
      features: 784,
      classes: 10,
      split: '',
      aeScaling: 'divide255',
      inputScaling: '',
    },
    ceilings: [
      { trainRows: 1000, testRows: 50, accuracy: 0.95, seconds: 1 },
      { trainRows: 100, testRows: 50, accuracy: 0.8, seconds: 1 },
    ],
    rows: [
      row('pca', 2, 0.4, 0.95, 0.7),
      row('pca', 10, 0.945, 0.95, 0.9),
      row('lda', 2, 0.5, 0.95, 0.6),
      {
        ...row('lda', 10, 0, 0.95, 0),
        knnAccuracy: null,
        trust: null,
        skipped: 'LDA gives at most 9',
      },
      row('lle', 2, 0.45, 0.8, 0.8),
      row('lle', 10, 0.81, 0.8, 0.85),
    ],
    estimatedSeconds: 100,
    seconds: 130,
  };
  const f = compareFindings(r);
  assert.match(f[0], /raw pixels scores 0\.95 with 1,000 training rows and 0\.8 with 100/);
  assert.match(
    f[1],
    /d = 2: LDA 0\.5 \(\+5\.0 over LLE\); d = 10: PCA 0\.945 \(\+13\.5 over LLE\)/,
  );
  assert.match(f[2], /Closest to its ceiling: LLE at d = 10, 0\.81: 1\.0 points above/);
  assert.match(
    f[3],
    /PCA from d = 10; LDA never \(best 0\.5 at d = 2, 45\.0 points short\); LLE from d = 10/,
  );
  assert.match(f[4], /Highest trustworthiness \(k = 5\): LLE at d = 2; PCA at d = 10/);
  assert.ok(f.some((x) => /LLE were fitted on 100 training rows/.test(x)));
  assert.ok(f.some((x) => /LDA skipped at d = 10: LDA gives at most 9/.test(x)));
  assert.match(
    f.at(-1) ?? '',
    /took 2\.2 min \(estimated 100\.0 s beforehand\); the slowest fit was PCA at d = 10/,
  );
  assert.equal(points(0.9688 - 0.9612), '0.8');
  assert.equal(trustModeText(row('pca', 2, 0.4, 0.9, 0.7)), 'exact (n = 50)');
  assert.equal(
    trustModeText({
      ...row('pca', 2, 0.4, 0.9, 0.7),
      trust: { value: 0.9, exact: false, n: 60000, sampleSize: 2000, standardError: 0.00123 },
    }),
    'sample 2000 of 60000, ± 0.0012',
  );
});

test('runCompare on separable blobs: methods near the ceiling of 1, LDA skipped past classes - 1, Isomap failing on a split graph, seeded; report written', async () => {
  const s = resolveCompareSettings({
    dims: [1, 2, 3],
    trainSize: 90,
    testSize: 45,
    manifoldTrainSize: 60,
    manifoldTestSize: 30,
    ae: { hiddenLayers: [8], epochs: 30, batchSize: 16, learningRate: 0.01 },
  });
  const original = Math.random;
  Math.random = () => {
    throw new Error('Math.random was called');
  };
  const events: string[] = [];
  let r: CompareResult;
  try {
    r = await runCompare(blobData(90, 45), s, (e) => events.push(e.kind));
  } finally {
    Math.random = original;
  }
  assert.equal(r.rows.length, 15);
  assert.deepEqual(
    r.ceilings.map((c) => [c.trainRows, c.testRows, c.accuracy]),
    // Blobs 10 sd apart: kNN on the raw rows makes no mistake.
    [
      [90, 45, 1],
      [60, 30, 1],
    ],
  );
  const lda3 = r.rows.find((x) => x.method === 'lda' && x.dim === 3);
  assert.match(lda3?.skipped ?? '', /at most classes − 1 = 2/);
  // Isomap's graph of k = 10 on blobs of 20 points falls into 3 pieces: an error row per dim,
  // and the run goes on.
  for (const x of r.rows.filter((y) => y.method === 'isomap')) {
    assert.match(x.error ?? '', /3 connected components \(sizes 20, 20, 20\)/);
    assert.equal(x.knnAccuracy, null);
  }
  for (const x of r.rows.filter((y) => y.skipped === undefined && y.method !== 'isomap')) {
    assert.equal(x.error, undefined, `${x.method} d=${x.dim}: ${x.error}`);
    assert.equal(x.trainRows, x.method === 'lle' || x.method === 'isomap' ? 60 : 90);
    // At d = 2 every method separates the blobs. (At d = 3 LLE's graph of k = 10 on blobs of
    // 20 points falls into pieces, and its third eigenvector splits one blob: about 0.87.)
    if (x.dim === 2)
      assert.ok((x.knnAccuracy ?? 0) >= 0.95, `${x.method} d=${x.dim}: ${x.knnAccuracy}`);
    assert.ok(x.trust?.exact === true && x.trust.n === x.testRows);
  }
  // PCA at d = 3 spans the three centres' plane: every neighbourhood is kept (within 0.05).
  const pca3 = r.rows.find((x) => x.method === 'pca' && x.dim === 3);
  assertClose(pca3?.trust?.value ?? 0, 1, { atol: 0.05, what: 'PCA d=3 trustworthiness' });
  assert.equal(events.filter((e) => e === 'done').length, 14);
  assert.ok(events.includes('epoch'), 'the AE reports epochs');
  for (const x of r.rows.filter((y) => y.method === 'ae'))
    assert.deepEqual(x.training, { epochsRun: 30, stopReason: 'completed' }, 'a fixed count');

  const out = join(dir, 'report');
  const files = await writeCompareReport(out, r);
  assert.equal(files.length, 6);
  for (const f of ['accuracy.png', 'trustworthiness.png', 'timing.png'])
    assert.ok(statSync(join(out, f)).size > 1000, f);
  const json = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as {
    rows: unknown[];
    findings: string[];
  };
  assert.equal(json.rows.length, 15);
  assert.match(json.findings[0], /raw features scores 1 with 90 training rows/);
  assert.ok(json.findings.some((f) => /^Isomap failed at d = 1: Isomap: the kNN graph/.test(f)));
  assert.ok(existsSync(join(out, 'index.html')));
  assert.match(
    readFileSync(join(out, 'results.md'), 'utf8'),
    /\| LDA \| 3 \|.*at most classes − 1 = 2 dimensions \|/,
  );
});

test('runCompare with UMAP and t-SNE on blobs: both on the manifold rows, t-SNE fitted on train + test together and skipped past 3 dimensions, seeded', async () => {
  const s = resolveCompareSettings({
    methods: ['umap', 'tsne'],
    dims: [2, 5],
    trainSize: 90,
    testSize: 45,
    manifoldTrainSize: 60,
    manifoldTestSize: 30,
  });
  const original = Math.random;
  Math.random = () => {
    throw new Error('Math.random was called');
  };
  let r: CompareResult;
  let again: CompareResult;
  try {
    r = await runCompare(blobData(90, 45), s);
    again = await runCompare(blobData(90, 45), s);
  } finally {
    Math.random = original;
  }
  assert.deepEqual(
    r.rows.map((x) => [x.method, x.dim, x.trainRows, x.testRows]),
    [
      ['umap', 2, 60, 30],
      ['umap', 5, 60, 30],
      ['tsne', 2, 60, 30],
      ['tsne', 5, 60, 30],
    ],
  );
  assert.match(r.rows[3].skipped ?? '', /t-SNE makes maps of at most 3 dimensions/);
  for (const x of r.rows.filter((y) => y.skipped === undefined)) {
    assert.equal(x.error, undefined, `${x.method} d=${x.dim}: ${x.error}`);
    // Blobs 10 sd apart stay apart in both maps: no test point is labelled wrong.
    assert.equal(x.knnAccuracy, 1, `${x.method} d=${x.dim}`);
    assert.ok(x.trust?.exact === true && x.trust.n === 30);
  }
  const tsne = r.rows[2];
  assert.equal(tsne.jointFit, true);
  assert.equal(tsne.transformSeconds, null);
  assert.equal(r.rows[0].jointFit, undefined);
  assert.ok((r.rows[0].transformSeconds ?? -1) >= 0, 'UMAP maps the test rows with transform');
  // Same seed, same codes: the whole row (timings aside) repeats.
  const strip = (x: CompareRow): unknown => [x.knnAccuracy, x.trust?.value, x.skipped];
  assert.deepEqual(r.rows.map(strip), again.rows.map(strip));

  assert.match(settingsText(r), /UMAP \(umap-learn's defaults: 15 neighbours/);
  assert.match(
    settingsText(r),
    /t-SNE has no transform .* fitted on the training and test rows together/,
  );
  assert.equal(compareTableRows(r)[2].note, 'fitted on train + test rows together (no transform)');
  const out = join(dir, 'report-umap-tsne');
  await writeCompareReport(out, r);
  assert.match(
    readFileSync(join(out, 'results.md'), 'utf8'),
    /^# Classification comparison: UMAP, t-SNE\n/,
  );
});

test('runCompare with parametric UMAP on blobs: on the manifold rows, test rows mapped by transform, seeded', async () => {
  const s = resolveCompareSettings({
    methods: ['pumap'],
    dims: [2, 3],
    trainSize: 90,
    testSize: 45,
    manifoldTrainSize: 60,
    manifoldTestSize: 30,
  });
  const r = await runCompare(blobData(90, 45), s);
  const again = await runCompare(blobData(90, 45), s);
  assert.deepEqual(
    r.rows.map((x) => [x.method, x.dim, x.trainRows, x.testRows, x.error]),
    [
      ['pumap', 2, 60, 30, undefined],
      ['pumap', 3, 60, 30, undefined],
    ],
  );
  assert.ok((r.rows[0].transformSeconds ?? -1) >= 0, 'the test rows go through transform');
  const strip = (x: CompareRow): unknown => [x.knnAccuracy, x.trust?.value];
  assert.deepEqual(r.rows.map(strip), again.rows.map(strip));
  assert.match(settingsText(r), /parametric UMAP \(umap-learn's defaults/);
});
