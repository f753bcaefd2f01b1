import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { matrix, toFloat32, type Matrix } from '../util/matrix.js';
import { Rng } from '../util/rng.js';
import { continuity, trustworthiness } from './trustworthiness.js';
import { assertClose } from '../../test/helpers/close.js';

interface Golden {
  trust: {
    rows: number;
    cols: number;
    X: number[];
    pca2: number[];
    randproj2: number[];
    cases: {
      embedding: 'pca2' | 'randproj2';
      k: number;
      trustworthiness: number;
      continuity: number;
    }[];
  };
}
const golden = JSON.parse(
  readFileSync(new URL('../../test/golden/metrics_sklearn.json', import.meta.url), 'utf8'),
) as Golden;
const g = golden.trust;
const X = matrix(g.rows, g.cols, Float64Array.from(g.X));
const Z = {
  pca2: matrix(g.rows, 2, Float64Array.from(g.pca2)),
  randproj2: matrix(g.rows, 2, Float64Array.from(g.randproj2)),
};

test('trustworthiness and continuity equal scikit-learn 1.2 (atol 1e-9, metrics_sklearn.py)', async () => {
  for (const c of g.cases) {
    const t = await trustworthiness(X, Z[c.embedding], c.k);
    assertClose(t.value, c.trustworthiness, { atol: 1e-9, what: `T ${c.embedding} k=${c.k}` });
    assert.deepEqual({ exact: t.exact, n: t.n }, { exact: true, n: 300 });
    const co = await continuity(X, Z[c.embedding], c.k);
    assertClose(co.value, c.continuity, { atol: 1e-9, what: `C ${c.embedding} k=${c.k}` });
  }
});

test('float32 inputs give the same values (the golden inputs are float32-exact)', async () => {
  const c = g.cases[1];
  const t = await trustworthiness(toFloat32(X), toFloat32(Z[c.embedding]), c.k);
  assertClose(t.value, c.trustworthiness, { atol: 1e-9 });
});

test('an isometric embedding has trustworthiness and continuity 1', async () => {
  const rng = new Rng(4);
  const pts = matrix(
    80,
    3,
    Float64Array.from({ length: 240 }, () => rng.normal()),
  );
  // Rotate by 90 degrees in the first plane and shift: distances unchanged.
  const moved = matrix(80, 3, new Float64Array(240));
  for (let i = 0; i < 80; i++) {
    moved.data[i * 3] = -pts.data[i * 3 + 1] + 5;
    moved.data[i * 3 + 1] = pts.data[i * 3];
    moved.data[i * 3 + 2] = pts.data[i * 3 + 2] - 2;
  }
  assertClose((await trustworthiness(pts, moved, 7)).value, 1, { atol: 1e-12 });
  assertClose((await continuity(pts, moved, 7)).value, 1, { atol: 1e-12 });
});

test('subsampled mode: flagged, seeded, within 4 standard errors of the exact value', async () => {
  const c = g.cases[2];
  const opts = { maxExact: 100, sampleSize: 120, seed: 3 };
  const s = await trustworthiness(X, Z[c.embedding], c.k, opts);
  assert.equal(s.exact, false);
  assert.equal(s.sampleSize, 120);
  assert.equal(s.n, 300);
  assert.ok(s.standardError !== undefined && s.standardError > 0);
  assert.ok(
    Math.abs(s.value - c.trustworthiness) < 4 * (s.standardError ?? 0),
    `${s.value} vs ${c.trustworthiness} (se ${s.standardError})`,
  );
  const again = await trustworthiness(X, Z[c.embedding], c.k, opts);
  assert.equal(again.value, s.value);
  // A sample as large as the data falls back to the exact computation.
  const full = await trustworthiness(X, Z[c.embedding], c.k, { maxExact: 100, sampleSize: 300 });
  assert.equal(full.exact, true);
  assertClose(full.value, c.trustworthiness, { atol: 1e-9 });
});

test('trustworthiness/continuity misuse: rows, k, NaN, options', async () => {
  const small: Matrix = matrix(
    10,
    2,
    new Float64Array(20).map((_, i) => i * 0.37),
  );
  await assert.rejects(trustworthiness(small, matrix(9, 2, new Float64Array(18))), {
    name: 'ShapeError',
    message: /trustworthiness: X and Z must have the same number of rows, got 10 and 9/,
  });
  await assert.rejects(trustworthiness(small, small, 5), {
    name: 'ConfigError',
    message: /trustworthiness k must be an integer >= 1 and less than n_samples \/ 2 \(5\), got 5/,
  });
  await assert.rejects(continuity(small, small, 0), {
    name: 'ConfigError',
    message: /continuity k must be an integer >= 1/,
  });
  const bad = matrix(10, 2, Float64Array.from(small.data));
  bad.data[3] = Infinity;
  await assert.rejects(continuity(small, bad, 2), {
    name: 'DataError',
    message: /continuity Z must be finite, found Infinity at row 1, column 1/,
  });
  await assert.rejects(trustworthiness(small, small, 2, { sampleSize: 0 }), {
    name: 'ConfigError',
    message: /trustworthiness sampleSize must be an integer >= 1, got 0/,
  });
});
