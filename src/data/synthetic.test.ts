import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { EigenvalueDecomposition, Matrix as MlMatrix } from 'ml-matrix';
import { ConfigError } from '../errors.js';
import type { Matrix } from '../util/matrix.js';
import { assertClose } from '../../test/helpers/close.js';
import {
  helix,
  line2d,
  logCurve2d,
  manifold,
  randomOrthonormal,
  sCurve,
  sCurveAt,
  swissRoll,
  swissRollAt,
} from './synthetic.js';
import { Rng } from '../util/rng.js';

interface Golden {
  swissRoll: { X: number[][]; t: number[] };
  sCurve: { X: number[][]; t: number[] };
}
// Made by test/golden/synthetic_sklearn.py (scikit-learn 1.2.1, n = 20, random_state = 0, noise 0).
const golden = JSON.parse(
  readFileSync(new URL('../../test/golden/synthetic_sklearn.json', import.meta.url), 'utf8'),
) as Golden;

test('swissRollAt / sCurveAt reproduce scikit-learn 1.2 given its t and height (rtol 1e-15)', () => {
  for (const [name, at] of [
    ['swissRoll', swissRollAt],
    ['sCurve', sCurveAt],
  ] as const) {
    const g = golden[name];
    const x = at(
      g.t,
      g.X.map((r) => r[1]),
    );
    assertClose(x.data, g.X.flat(), { rtol: 1e-15, atol: 1e-15, what: name });
  }
});

test('swissRoll and sCurve draw t and height over sklearn ranges; noise has the asked std', () => {
  const r = swissRoll(2000, { seed: 1 });
  assert.equal(r.intrinsicDim, 2);
  for (let i = 0; i < 2000; i++) {
    assert.ok(r.t[i] >= 1.5 * Math.PI && r.t[i] <= 4.5 * Math.PI);
    const h = r.params.data[2 * i + 1];
    assert.ok(h >= 0 && h <= 21);
    assert.equal(r.params.data[2 * i], r.t[i]);
  }
  assertClose(
    r.x.data,
    swissRollAt(
      r.t,
      Array.from({ length: 2000 }, (_, i) => r.params.data[2 * i + 1]),
    ).data,
    { rtol: 0, atol: 0 },
  );
  const s = sCurve(3000, { seed: 2, noise: 0.1 });
  const clean = sCurveAt(
    s.t,
    Array.from({ length: 3000 }, (_, i) => s.params.data[2 * i + 1]),
  );
  let ss = 0;
  for (let i = 0; i < s.x.data.length; i++) ss += (s.x.data[i] - clean.data[i]) ** 2;
  // Sample std of 9000 N(0, 0.1^2) draws: within 3% (about 4 standard errors of 0.75%).
  assertClose(Math.sqrt(ss / s.x.data.length), 0.1, { rtol: 0.03 });
  for (const t of s.t) assert.ok(Math.abs(t) <= 1.5 * Math.PI);
});

test('curves lie on their stated formulas; the same seed repeats the sample', () => {
  const l = line2d(100, { seed: 3 });
  const g = logCurve2d(100, { seed: 3 });
  const h = helix(100, { seed: 3 });
  for (let i = 0; i < 100; i++) {
    const t = l.t[i];
    assertClose([l.x.data[2 * i], l.x.data[2 * i + 1]], [t, t / 2 + 1], { rtol: 1e-15 });
    assert.ok(g.t[i] >= 0.1 && g.t[i] <= 10);
    assertClose(g.x.data[2 * i + 1], Math.log(g.x.data[2 * i]), { rtol: 1e-15, atol: 1e-15 });
    assertClose(Math.hypot(h.x.data[3 * i], h.x.data[3 * i + 1]), 1, { rtol: 1e-15 });
  }
  assert.deepEqual(
    line2d(5, { seed: 9, noise: 0.2 }).x.data,
    line2d(5, { seed: 9, noise: 0.2 }).x.data,
  );
  assert.notDeepEqual(line2d(5, { seed: 9 }).x.data, line2d(5, { seed: 10 }).x.data);
  assert.equal(helix(4).intrinsicDim, 1);
});

/** Eigenvalues of the covariance of the centred rows, largest first (same nonzero spectrum as the Gram matrix). */
function spectrum(x: Matrix): number[] {
  const m = new MlMatrix(
    Array.from({ length: x.rows }, (_, i) =>
      Array.from(x.data.subarray(i * x.cols, (i + 1) * x.cols)),
    ),
  );
  const c = m.clone().subRowVector(m.mean('column'));
  const ev = new EigenvalueDecomposition(c.transpose().mmul(c), { assumeSymmetric: true });
  return ev.realEigenvalues.sort((a, b) => b - a);
}

/** Numerical rank: eigenvalues above 1e-10 of the largest. */
function rank(x: Matrix): number {
  const s = spectrum(x);
  return s.filter((v) => v > 1e-10 * s[0]).length;
}

test('linear manifold: centred data has rank d in R^D; params map through the orthonormal basis', () => {
  const m = manifold('linear', 3, 10, 200, { seed: 4 });
  assert.equal(m.intrinsicDim, 3);
  assert.deepEqual([m.x.rows, m.x.cols], [200, 10]);
  assert.equal(rank(m.x), 3);
  const b = m.basis as Matrix;
  const q = new MlMatrix(
    Array.from({ length: 10 }, (_, i) => Array.from(b.data.subarray(3 * i, 3 * i + 3))),
  );
  assertClose(q.transpose().mmul(q).to1DArray(), [1, 0, 0, 0, 1, 0, 0, 0, 1], { atol: 1e-12 });
});

test('sphere: every point at distance 1 from the origin, spanning exactly d+1 dimensions', () => {
  const m = manifold('sphere', 2, 7, 300, { seed: 5 });
  for (let i = 0; i < 300; i++)
    assertClose(Math.hypot(...m.x.data.subarray(7 * i, 7 * i + 7)), 1, { rtol: 1e-12 });
  assert.equal(rank(m.x), 3);
  assert.deepEqual([m.params.cols, m.intrinsicDim], [3, 2]);
});

test('smooth: basis^T x recovers u exactly (injective, rank-d Jacobian), yet the data is curved', () => {
  const d = 2;
  const D = 6;
  const m = manifold('smooth', d, D, 400, { seed: 6 });
  const b = m.basis as Matrix;
  for (let i = 0; i < 400; i++) {
    for (let c = 0; c < d; c++) {
      let s = 0;
      for (let j = 0; j < D; j++) s += b.data[j * d + c] * m.x.data[i * D + j];
      assertClose(s, m.params.data[i * d + c], { atol: 1e-12, rtol: 0 });
    }
  }
  // Curvature: more than 5% of the variance lies outside the first d principal directions, so
  // PCA needs more than d components for 95% (seed 6: 7.7%, the bend's wavelength about pi).
  const s = spectrum(m.x);
  const total = s.reduce((a, v) => a + v, 0);
  assert.ok(
    s.slice(d).reduce((a, v) => a + v, 0) / total > 0.05,
    `spectrum ${s.map((v) => v.toFixed(3))}`,
  );
  assert.equal(rank(m.x), D);
});

test('randomOrthonormal gives orthonormal columns', () => {
  const q = randomOrthonormal(5, 5, new Rng(1));
  const m = new MlMatrix(
    Array.from({ length: 5 }, (_, i) => Array.from(q.data.subarray(5 * i, 5 * i + 5))),
  );
  const eye = MlMatrix.eye(5).to1DArray();
  assertClose(m.transpose().mmul(m).to1DArray(), eye, { atol: 1e-12 });
  assert.throws(
    () => randomOrthonormal(2, 3, new Rng(1)),
    (e: unknown) =>
      e instanceof ConfigError && /k = 3 columns exceed dimension D = 2/.test(e.message),
  );
});

test('misuse: bad n, noise, kind or dimensions are ConfigErrors', () => {
  const is = (re: RegExp) => (e: unknown) => e instanceof ConfigError && re.test(e.message);
  assert.throws(() => swissRoll(0), is(/n must be an integer >= 1, got 0/));
  assert.throws(() => line2d(10, { noise: -1 }), is(/noise must be a finite number >= 0, got -1/));
  assert.throws(() => logCurve2d(10, { seed: NaN }), is(/seed must be a finite number/));
  assert.throws(
    () => manifold('torus' as 'linear', 1, 3, 10),
    is(/kind must be one of linear, sphere, smooth, got "torus"/),
  );
  assert.throws(() => manifold('linear', 4, 3, 10), is(/D must be an integer >= 4, got 3/));
  assert.throws(() => manifold('sphere', 2, 2, 10), is(/D must be an integer >= 3, got 2/));
  assert.throws(() => manifold('smooth', 0, 2, 10), is(/d must be an integer >= 1, got 0/));
});
