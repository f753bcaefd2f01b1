import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, DataError, ShapeError } from '../../errors.js';
import { logCurve2d } from '../../data/synthetic.js';
import { matrix } from '../../util/matrix.js';
import { assertClose } from '../../../test/helpers/close.js';
import {
  DEFAULT_SETTINGS,
  fileSource,
  generatorSource,
  makeReducer,
  parseCurveMethods,
  segmentLabels,
  type MethodName,
} from './methods.js';
import { pearson, ranks, spearman, summarize, zscore } from '../../metrics/rank-correlation.js';
import {
  alignedCode,
  curveStats,
  graphComponents,
  runCurve,
  runSurface,
  seedList,
  type CurveRun,
} from './curves.js';
import { runCurvesExperiment } from './run.js';
import { slug } from './figures.js';

test('spearman: scipy.stats.spearmanr([1,2,3,4,5], [5,6,7,8,7]) = 0.8207826816681233 (scipy 1.10 docs)', () => {
  assertClose(spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]), 0.8207826816681233, { rtol: 1e-12 });
});

test('ranks share ties (average rank); pearson of a line is 1, of a constant NaN', () => {
  assert.deepEqual(Array.from(ranks([10, 20, 20, 30])), [1, 2.5, 2.5, 4]);
  assertClose(pearson([1, 2, 3], [3, 5, 7]), 1, { rtol: 1e-15 });
  assertClose(pearson([1, 2, 3], [3, 1, -1]), -1, { rtol: 1e-15 });
  assert.ok(Number.isNaN(pearson([1, 2, 3], [4, 4, 4])));
  // zscore of [1, 2, 3]: mean 2, population sd sqrt(2/3).
  assertClose(zscore([1, 2, 3]), [-Math.sqrt(1.5), 0, Math.sqrt(1.5)], { rtol: 1e-14 });
  const s = summarize([1, 2, 3, 4]);
  // Sample sd of 1..4: sqrt(5/3).
  assertClose([s.mean, s.min, s.max, s.sd], [2.5, 1, 4, Math.sqrt(5 / 3)], { rtol: 1e-14 });
});

test('pearson and spearman reject series of different lengths', () => {
  assert.throws(() => pearson([1, 2], [1, 2, 3]), ShapeError);
  assert.throws(() => spearman([1, 2], [1]), /same length, got 2 and 1/);
});

test('segmentLabels: consecutive equal-count segments of t', () => {
  assert.deepEqual(Array.from(segmentLabels([5, 1, 3, 2, 4, 0], 3)), [2, 0, 1, 1, 2, 0]);
  assert.throws(
    () => segmentLabels([1, 2, 3], 1),
    /ldaClasses must be an integer in 2\.\.3, got 1/,
  );
});

test('makeReducer builds each method and rejects an unknown one', () => {
  const names = (
    ['pca', 'lda', 'lle', 'isomap', 'autoencoder', 'umap', 'pumap', 'tsne'] as MethodName[]
  ).map((m) => makeReducer(m, 1, 0).name);
  assert.deepEqual(names, ['pca', 'lda', 'lle', 'isomap', 'autoencoder', 'umap', 'pumap', 'tsne']);
  assert.throws(
    () => makeReducer('som' as MethodName, 1, 0),
    (e: unknown) =>
      e instanceof ConfigError && /method must be one of pca, lda.*got "som"/.test(e.message),
  );
  assert.deepEqual(parseCurveMethods('tsne, PCA,ae'), ['pca', 'autoencoder', 'tsne']);
  assert.deepEqual(parseCurveMethods('paper'), ['pca', 'lda', 'lle', 'isomap', 'autoencoder']);
  assert.equal(parseCurveMethods('all').length, 8);
  assert.throws(
    () => parseCurveMethods('pca,som'),
    (e: unknown) => e instanceof ConfigError && /unknown method "som"/.test(e.message),
  );
});

test('parametric UMAP maps the log curve to 1-D in order (|Spearman| >= 0.9, n = 150: a 1-D map that keeps the neighbourhoods of the curve is monotone in t up to folds)', async () => {
  const src = generatorSource('log', 'log', logCurve2d, 150, 0, 50);
  const { stats } = await runCurve(src, [0], ['pumap']);
  assert.equal(stats[0].failed, 0);
  assert.ok(stats[0].absSpearman.min >= 0.9, `pumap: ${stats[0].absSpearman.min}`);
});

test('Isomap, PCA and LDA order the log curve by t in every seed (|Spearman| >= 0.99, n = 150)', async () => {
  const src = generatorSource('log', 'log', logCurve2d, 150, 0, 50);
  const { runs, stats } = await runCurve(src, [0, 1], ['pca', 'lda', 'isomap']);
  assert.equal(runs.length, 6);
  for (const s of stats) {
    assert.ok(s.absSpearman.min >= 0.99, `${s.method}: ${s.absSpearman.min}`);
    assert.equal(s.failed, 0);
    assert.equal(s.stable, true);
    // Both runs code the same 50 evaluation points nearly identically (up to sign and scale).
    assert.ok(s.agreement.min >= 0.99, `${s.method} agreement ${s.agreement.min}`);
  }
  const iso = runs.filter((r) => r.method === 'isomap');
  assert.ok(iso.every((r) => r.graphComponents === 1));
  // The log curve's arc length grows with t, so each Isomap code is monotone in t.
  assert.ok(iso.every((r) => Math.abs(r.spearman) > 0.999));
});

test('a failing reducer is recorded, not thrown: Isomap on a split 2-NN graph of two far clumps', async () => {
  // Two far-apart clumps of a line: the 2-NN graph has two pieces and Isomap refuses it.
  const t = Float64Array.from({ length: 40 }, (_, i) => (i < 20 ? i : 1000 + i));
  const x = matrix(40, 2, Float32Array.from(Array.from(t).flatMap((v) => [v, 0])));
  const src = fileSource('clumps.csv', x, t, 40);
  const { runs, stats } = await runCurve(src, [0], ['isomap'], {
    ...DEFAULT_SETTINGS,
    isomapNeighbors: 2,
  });
  // The 32-row subsample may split a clump too; the run records the same count Isomap saw.
  const pieces = /has (\d+) connected components/.exec(runs[0].error ?? '');
  assert.ok(pieces, runs[0].error);
  assert.equal(runs[0].graphComponents, Number(pieces[1]));
  assert.ok(Number(pieces[1]) >= 2);
  assert.equal(stats[0].failed, 1);
  assert.equal(stats[0].stable, false);
  assert.equal(stats[0].absSpearman.max, 0);
  assert.equal(stats[0].splitGraphs, 1);
});

test('graphComponents counts the pieces of the undirected kNN graph', async () => {
  const x = matrix(6, 1, Float32Array.of(0, 1, 2, 100, 101, 102));
  assert.equal(await graphComponents(x, 2), 2);
  assert.equal(await graphComponents(x, 3), 1);
});

test('alignedCode z-scores a run and flips it to the sign of the reference', () => {
  const base = {
    method: 'pca',
    curve: 'c',
    seed: 0,
    spearman: 1,
    t: new Float64Array(3),
    seconds: 0,
  } as const;
  const ref: CurveRun = {
    ...base,
    code: Float64Array.of(1, 2, 3),
    gridCode: Float64Array.of(1, 2, 3),
  };
  const flipped: CurveRun = {
    ...base,
    code: Float64Array.of(30, 20, 10),
    gridCode: Float64Array.of(-1, -2, -3),
  };
  assertClose(alignedCode(flipped, ref), [-Math.sqrt(1.5), 0, Math.sqrt(1.5)], { rtol: 1e-14 });
  const s = curveStats([ref, flipped]);
  assertClose(s.agreement.mean, 1, { rtol: 1e-14 });
});

test('fileSource: each seed draws 80% of the rows; t must match the rows', () => {
  const x = matrix(
    20,
    1,
    Float32Array.from({ length: 20 }, (_, i) => i),
  );
  const t = Float64Array.from({ length: 20 }, (_, i) => i);
  const src = fileSource('f.csv', x, t, 1000);
  assert.equal(src.sample(0).x.rows, 16);
  assert.notDeepEqual(Array.from(src.sample(0).t), Array.from(src.sample(1).t));
  assert.equal(src.grid.x.rows, 20);
  assert.throws(
    () => fileSource('f.csv', x, t.subarray(0, 5), 10),
    (e: unknown) =>
      e instanceof DataError &&
      /f\.csv: the parameter file has 5 values but the data has 20 rows/.test(e.message),
  );
  assert.throws(
    () => fileSource('f.csv', matrix(10, 1, new Float32Array(10)), new Float64Array(10), 10),
    /at least 15 rows/,
  );
});

test('runSurface scores each method by trustworthiness and rejects an unknown surface', async () => {
  const { stats, runs } = await runSurface('s-curve', 120, 0, [0], ['pca', 'isomap']);
  // Isomap unrolls the S-curve; PCA's projection folds it. Both are well above chance (~0.5).
  const trust = Object.fromEntries(stats.map((s) => [s.method, s.trustworthiness.mean]));
  assert.ok(trust.isomap > 0.95 && trust.pca > 0.8, JSON.stringify(trust));
  assert.equal(runs[0].code?.cols, 2);
  await assert.rejects(
    runSurface('torus', 100, 0, [0]),
    (e: unknown) =>
      e instanceof ConfigError &&
      /surface must be one of swiss-roll, s-curve, got "torus"/.test(e.message),
  );
});

test('runCurvesExperiment rejects options out of range', async () => {
  await assert.rejects(
    runCurvesExperiment({ seeds: 0 }),
    /seeds must be an integer in 1\.\.1000, got 0/,
  );
  await assert.rejects(
    runCurvesExperiment({ n: 5 }),
    (e: unknown) => e instanceof ConfigError && /n must be an integer >= 20, got 5/.test(e.message),
  );
  await assert.rejects(
    runCurvesExperiment({ noise: -1 }),
    /noise must be a finite number >= 0, got -1/,
  );
  await assert.rejects(
    runCurvesExperiment({ settings: { aeHidden: [0] } }),
    /aeHidden\[0\] must be an integer >= 1, got 0/,
  );
  assert.throws(() => seedList(1.5), /seeds must be an integer/);
});

test('runs are seeded: Math.random is never called and a rerun gives identical codes', async () => {
  const src = generatorSource('log', 'log', logCurve2d, 60, 0.01, 20);
  const settings = { ...DEFAULT_SETTINGS, aeEpochs: 5 };
  const original = Math.random;
  Math.random = () => {
    throw new Error('Math.random was called');
  };
  try {
    const a = await runCurve(src, [4], ['lle', 'autoencoder'], settings);
    const b = await runCurve(src, [4], ['lle', 'autoencoder'], settings);
    for (let i = 0; i < a.runs.length; i++) {
      assert.equal(a.runs[i].error, undefined);
      assert.deepEqual(Array.from(a.runs[i].code), Array.from(b.runs[i].code));
    }
  } finally {
    Math.random = original;
  }
});

test('slug names chart files after a data path', () => {
  assert.equal(slug('/data/my points.v2.csv'), 'my-points-v2');
  assert.equal(slug('log'), 'log');
  assert.equal(slug('C:\\x\\curve.npy'), 'curve');
});

test('UMAP and t-SNE on the log curve: 1-d codes of the sample and of the evaluation set (t-SNE fitted on both together), seeded', async () => {
  const src = generatorSource('log', 'log', logCurve2d, 120, 0, 30);
  const original = Math.random;
  Math.random = () => {
    throw new Error('Math.random was called');
  };
  let a: Awaited<ReturnType<typeof runCurve>>;
  let b: Awaited<ReturnType<typeof runCurve>>;
  try {
    a = await runCurve(src, [0, 1], ['umap', 'tsne']);
    b = await runCurve(src, [0], ['umap', 'tsne']);
  } finally {
    Math.random = original;
  }
  assert.deepEqual(
    a.runs.map((r) => [r.method, r.seed, r.error, r.code.length, r.gridCode.length]),
    [
      ['umap', 0, undefined, 120, 30],
      ['umap', 1, undefined, 120, 30],
      ['tsne', 0, undefined, 120, 30],
      ['tsne', 1, undefined, 120, 30],
    ],
  );
  for (const r of a.runs) assert.ok(r.code.every(Number.isFinite), `${r.method} ${r.seed}`);
  // t-SNE keeps the curve's order in 1-d (measured |Spearman| 1 for both seeds; bound 0.99).
  // UMAP's 1-d layout folds the curve here (measured 0.46 and 0.53), so no bound is set on it.
  for (const r of a.runs.filter((x) => x.method === 'tsne'))
    assert.ok(Math.abs(r.spearman) >= 0.99, `t-SNE seed ${r.seed}: ${r.spearman}`);
  assert.deepEqual(Array.from(b.runs[0].code), Array.from(a.runs[0].code), 'UMAP seed 0 repeats');
  assert.deepEqual(Array.from(b.runs[1].code), Array.from(a.runs[2].code), 't-SNE seed 0 repeats');
});
