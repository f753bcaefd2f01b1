// LLE against scikit-learn 1.2 on the golden swiss roll (n = 500, k = 10, d = 2; scikit-learn's
// ARPACK tol is 1e-6, so embeddings agree to ~1e-3 of their scale, compared up to sign), its
// invariants (weights sum to 1, orthonormal embedding orthogonal to the constant, dense and
// shift-invert solvers agree), trustworthiness, the saved form, and misuse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose } from '../../test/helpers/close.js';
import { knn } from '../linalg/knn.js';
import { trustworthiness } from '../metrics/trustworthiness.js';
import { matrix } from '../util/matrix.js';
import { Rng } from '../util/rng.js';
import {
  aligned,
  column,
  expected64,
  input32,
  section,
} from '../../test/helpers/reducers-golden.js';
import { LLE } from './lle.js';
import { barycenterWeights } from './lle-weights.js';
import { loadReducer } from './loader.js';

const g = section('swiss');
const x = input32(g.x);
const xNew = input32(g.new);

test('LLE matches scikit-learn on the swiss roll: embedding, error, out-of-sample, trustworthiness', async () => {
  const lle = new LLE({ nNeighbors: 10, nComponents: 2 });
  const z = await lle.fitTransform(x);
  const e = expected64(g.lle_embedding);
  for (let j = 0; j < 2; j++) {
    const scale = Math.max(...column(e, j).map(Math.abs));
    assertClose(aligned(z, e, j), column(e, j), {
      atol: 2e-3 * scale,
      what: `embedding column ${j}`,
    });
  }
  assertClose(lle.reconstructionError, g.lle_reconstruction_error as number, {
    rtol: 1e-2,
    what: 'reconstructionError',
  });
  const t = await lle.transform(xNew);
  const et = expected64(g.lle_transform);
  for (let j = 0; j < 2; j++) {
    const scale = Math.max(...column(et, j).map(Math.abs));
    assertClose(aligned(t, et, j), column(et, j), {
      atol: 3e-3 * scale,
      what: `transform column ${j}`,
    });
  }
  const trust = (await trustworthiness(x, z, 10)).value;
  assertClose(trust, g.lle_trustworthiness as number, { atol: 0.01, what: 'trustworthiness' });
});

test('LLE invariants: weights sum to 1, orthonormal embedding ⟂ constant, solvers agree, transform(train) = fitTransform', async () => {
  const k = 10;
  const nb = await knn(x, k);
  const w = barycenterWeights(x, x, nb.indices, k, 1e-3);
  for (let i = 0; i < x.rows; i++) {
    let s = 0;
    for (let t = 0; t < k; t++) s += w[i * k + t];
    assertClose(s, 1, { atol: 1e-12, what: `weights of row ${i}` });
  }
  const sub = matrix(300, 3, x.data.slice(0, 900));
  const sparse = new LLE({ nNeighbors: k, eigenSolver: 'lanczos' });
  const zs = await sparse.fitTransform(sub);
  const zd = await new LLE({ nNeighbors: k, eigenSolver: 'dense' }).fitTransform(sub);
  const e = sparse.embedding;
  for (let a = 0; a < 2; a++) {
    assertClose(
      column(e, a).reduce((p, v) => p + v, 0),
      0,
      { atol: 1e-6, what: `sum of column ${a}` },
    );
    for (let b = 0; b < 2; b++) {
      const dot = column(e, a).reduce((p, v, i) => p + v * column(e, b)[i], 0);
      assertClose(dot, a === b ? 1 : 0, { atol: 1e-8, what: `column ${a}·${b}` });
    }
    assertClose(aligned(zd, matrix(300, 2, Float64Array.from(zs.data)), a), column(zs, a), {
      atol: 1e-6,
      what: `dense vs lanczos ${a}`,
    });
  }
  assert.deepEqual((await sparse.transform(sub)).data, zs.data);
});

test('LLE saved form round-trips', async () => {
  const sub = matrix(60, 3, x.data.slice(0, 180));
  const lle = await new LLE({ nNeighbors: 6 }).fit(sub);
  const back = loadReducer(JSON.parse(JSON.stringify(lle.toJSON())));
  assert.deepEqual((await back.transform(xNew)).data, (await lle.transform(xNew)).data);
});

test('LLE rejects too few samples, too many components, NaN, bad options and use before fit', async () => {
  const small = matrix(
    5,
    3,
    Float32Array.from({ length: 15 }, () => new Rng(1).normal()),
  );
  await assert.rejects(new LLE({ nNeighbors: 5 }).fit(small), {
    name: 'ConfigError',
    message: /nNeighbors must be < the number of samples \(5\), got 5/,
  });
  await assert.rejects(new LLE({ nNeighbors: 2, nComponents: 4 }).fit(small), {
    name: 'ConfigError',
    message: /nComponents must be <= the input dimension \(3\), got 4/,
  });
  const nan = matrix(4, 2, Float32Array.of(0, 0, 1, NaN, 2, 2, 3, 3));
  await assert.rejects(new LLE({ nNeighbors: 2, nComponents: 1 }).fit(nan), {
    name: 'DataError',
    message: /LLE fit x must be finite, found NaN at row 1, column 1/,
  });
  assert.throws(() => new LLE({ reg: -1 }), {
    name: 'ConfigError',
    message: /reg must be a finite number >= 0, got -1/,
  });
  assert.throws(() => new LLE({ eigenSolver: 'arpack' as 'dense' }), {
    name: 'ConfigError',
    message: /eigenSolver must be one of auto, dense, lanczos, got "arpack"/,
  });
  assert.throws(() => new LLE({ nNeighbors: 0 }), {
    name: 'ConfigError',
    message: /nNeighbors must be an integer >= 1, got 0/,
  });
  await assert.rejects(new LLE().transform(small), {
    name: 'NotFittedError',
    message: /LLE is not fitted/,
  });
  const lle = await new LLE({ nNeighbors: 3, nComponents: 1 }).fit(
    matrix(
      30,
      2,
      Float32Array.from({ length: 60 }, (_, i) => (i % 2 ? Math.sin(i) : i)),
    ),
  );
  await assert.rejects(lle.transform(small), {
    name: 'ShapeError',
    message: /LLE transform x must have 2 columns, got 5 x 3/,
  });
});
