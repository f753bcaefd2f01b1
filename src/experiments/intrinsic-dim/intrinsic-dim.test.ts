import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, ShapeError } from '../../errors.js';
import { manifold } from '../../data/manifold.js';
import { matrix, sliceRows, toFloat32 } from '../../util/matrix.js';
import { assertClose } from '../../../test/helpers/close.js';
import { aeDimensionSweep, pcaDims, range } from './estimators.js';
import { dataIntrinsicDim } from './data.js';
import { runIntrinsicDimExperiment } from './run.js';
import { dimTable, passRates, withinOne, type DimTableRow } from './table.js';

const dir = mkdtempSync(join(tmpdir(), 'aedr-idim-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A 2-d linear subspace of R^20: train 400 rows, test 100, labels by the sign of u1. */
function plane() {
  const d = manifold('linear', 2, 20, 500, { seed: 3 });
  const x = toFloat32(d.x);
  const labels = Int32Array.from({ length: 500 }, (_, i) => (d.params.data[2 * i] > 0 ? 1 : 0));
  return {
    train: sliceRows(x, 0, 400),
    test: sliceRows(x, 400, 500),
    labels: { train: labels.slice(0, 400), test: labels.slice(400) },
  };
}

test('AE sweep on a 2-d plane in R^20: the error reaches its floor at k = 2, so the estimate is 2', async () => {
  const p = plane();
  const r = await aeDimensionSweep(
    p.train,
    p.test,
    { latentSizes: range(1, 5), epochs: 15 },
    p.labels,
  );
  assert.equal(r.estimate, 2);
  assert.deepEqual(
    r.steps.map((s) => s.latent),
    [1, 2, 3, 4, 5],
  );
  // Standardised columns: predicting the mean leaves variance 1 per entry (held-out, so about 1).
  assertClose(r.baselineMse, 1, { atol: 0.15, what: 'baseline MSE' });
  // k = 1 loses one of two equal-variance directions (about half); k = 2 is near the floor.
  assert.ok(r.steps[0].testMse > 0.2 && r.steps[1].testMse < 0.02, JSON.stringify(r.steps));
  // With labels by the sign of u1, a 2-d code classifies almost perfectly.
  assert.ok((r.steps[1].knnAccuracy ?? 0) > 0.9);
  assert.ok(r.bestKnnLatent !== undefined && r.bestKnnLatent >= 2);
  assert.match(r.rule, /flattening/);
});

test('aeDimensionSweep rejects bad latent sizes, column mismatch and label mismatch', async () => {
  const p = plane();
  await assert.rejects(
    aeDimensionSweep(p.train, p.test, { latentSizes: [3, 2] }),
    (e: unknown) =>
      e instanceof ConfigError &&
      /latentSizes must increase strictly, got 3 then 2 at index 1/.test(e.message),
  );
  await assert.rejects(
    aeDimensionSweep(p.train, p.test, { latentSizes: [1] }),
    /at least 2 sizes, got \[1\]/,
  );
  await assert.rejects(
    aeDimensionSweep(p.train, matrix(2, 3, new Float32Array(6))),
    (e: unknown) =>
      e instanceof ShapeError && /test must have 20 columns, got 2 x 3/.test(e.message),
  );
  await assert.rejects(
    aeDimensionSweep(p.train, p.test, {}, { train: new Int32Array(3), test: p.labels.test }),
    /need 400 train and 100 test labels, got 3 and 100/,
  );
});

test('pcaDims: variances 9 : 4 : 1 need 2 components for 90% (13/14) and 3 for 95%', async () => {
  // Points ±3 e1, ±2 e2, ±1 e3: column variances in the ratio 9 : 4 : 1, cumulative 9/14, 13/14, 1.
  const x = matrix(6, 3, Float32Array.of(3, 0, 0, -3, 0, 0, 0, 2, 0, 0, -2, 0, 0, 0, 1, 0, 0, -1));
  const r = await pcaDims(x);
  assert.equal(r.k90, 2);
  assert.equal(r.k95, 3);
  assertClose(r.cumulative, [9 / 14, 13 / 14, 1], { rtol: 1e-9 });
});

test('dimTable: one small case per kind is scored, and passRates counts within ±1', async () => {
  const { rows, settings } = await dimTable({
    kinds: ['linear'],
    dims: [3],
    noiseLevels: [0],
    n: 300,
    latentSizes: range(1, 6),
    epochs: 15,
  });
  assert.equal(rows.length, 1);
  assert.equal(rows[0].ae, 3);
  assert.ok(withinOne(rows[0].mle, 3), `MLE ${rows[0].mle}`);
  assert.equal(rows[0].curve.length, 7);
  assert.equal(settings.nTest, 75);
  const fake = (
    kind: 'linear' | 'sphere',
    d: number,
    ae: number | null,
    mle: number,
    noise = 0,
  ): DimTableRow => ({
    kind,
    d,
    ambient: 24,
    noise,
    n: 1,
    ae,
    aeKneedle: null,
    mle,
    mlePlain: mle - 0.5,
    twoNN: d,
    pca90: d,
    pca95: d,
    curve: [],
    seconds: 0,
  });
  const rates = passRates([
    fake('linear', 1, 1, 2.5),
    fake('linear', 5, null, 4.1, 0.01),
    fake('sphere', 3, 4, 3),
  ]);
  const all = rates.find((g) => g.group === 'all');
  assert.equal(all?.cases, 3);
  assertClose(
    [all?.within.ae ?? NaN, all?.within.mle ?? NaN, all?.within.mlePlain ?? NaN],
    [2 / 3, 2 / 3, 2 / 3],
    { rtol: 1e-15 },
  );
  assert.deepEqual(
    rates.map((g) => g.group),
    ['all', 'noise-free', 'noise 0.01', 'linear', 'sphere'],
  );
  assert.equal(withinOne(null, 1), false);
  assert.equal(withinOne(NaN, 1), false);
});

test('dimTable rejects dimensions the ambient space cannot hold', async () => {
  await assert.rejects(
    dimTable({ dims: [30] }),
    (e: unknown) =>
      e instanceof ConfigError && /dims\[0\] must be an integer in 1\.\.23, got 30/.test(e.message),
  );
  await assert.rejects(
    dimTable({ noiseLevels: [-0.1] }),
    /noiseLevels\[0\] must be a finite number >= 0/,
  );
});

test('dataIntrinsicDim on a labelled CSV: every estimate, kNN accuracy per latent size', async () => {
  const d = manifold('linear', 2, 6, 120, { seed: 5 });
  const rows = ['a,b,c,d,e,f'];
  const labels: string[] = [];
  for (let i = 0; i < 120; i++) {
    rows.push(Array.from(d.x.data.subarray(6 * i, 6 * i + 6)).join(','));
    labels.push(d.params.data[2 * i] > 0 ? '1' : '0');
  }
  writeFileSync(join(dir, 'plane.csv'), rows.join('\n') + '\n');
  writeFileSync(join(dir, 'labels.txt'), labels.join('\n') + '\n');
  const r = await dataIntrinsicDim(join(dir, 'plane.csv'), {
    labels: join(dir, 'labels.txt'),
    latentSizes: [1, 2, 3, 4],
    epochs: 30,
    mleK1: 5,
    mleK2: 10,
  });
  assert.equal(r.n, 96);
  assert.equal(r.testRows, 24);
  assert.equal(r.pca.k95, 2);
  assert.ok(withinOne(r.mle.value, 2), `MLE ${r.mle.value}`);
  assert.ok(r.ae.steps.every((s) => s.knnAccuracy !== undefined));
  assert.deepEqual(r.settings.hiddenLayers, [64]);
});

test('dataIntrinsicDim and runIntrinsicDimExperiment reject misuse', async () => {
  await assert.rejects(dataIntrinsicDim('mnist', { labels: 'x.txt' }), /mnist has its own labels/);
  writeFileSync(join(dir, 'tiny.csv'), 'a,b\n1,2\n3,4\n5,7\n');
  await assert.rejects(
    dataIntrinsicDim(join(dir, 'tiny.csv')),
    (e: unknown) =>
      e instanceof ConfigError &&
      /tiny\.csv: 3 rows are too few; the estimates need at least 25/.test(e.message),
  );
  await assert.rejects(
    runIntrinsicDimExperiment({ synthetic: false }),
    (e: unknown) => e instanceof ConfigError && /nothing to run/.test(e.message),
  );
});
