// PCA's partialFit and fitStream against the in-memory 'full' PCA of the same rows (exact
// scatter, so components to 1e-5 up to sign and variances to 1e-9 relative), and their misuse.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertClose } from '../../test/helpers/close.js';
import { NpySource } from '../data/stream/npy-source.js';
import { NpyStreamWriter } from '../data/stream/writers.js';
import { ConfigError, DataError, NotFittedError, ShapeError } from '../errors.js';
import { matrix, type Matrix, type Matrix32 } from '../util/matrix.js';
import { Rng } from '../util/rng.js';
import { PCA } from './pca.js';

const dir = mkdtempSync(join(tmpdir(), 'aedr-pca-stream-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** n x d rows with column scales 1..d and a large offset (tests the shifted sums). */
function data(n: number, d: number, seed = 3): Matrix32 {
  const rng = new Rng(seed);
  const x = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const a = rng.normal();
    for (let j = 0; j < d; j++) x[i * d + j] = 100 + (j + 1) * rng.normal() + a * (j % 3);
  }
  return matrix(n, d, x);
}

function rows(x: Matrix32, start: number, end: number): Matrix32 {
  return matrix(end - start, x.cols, x.data.slice(start * x.cols, end * x.cols));
}

/** Components equal up to the sign of each row. */
function assertSameComponents(a: Matrix, e: Matrix, atol: number): void {
  assert.equal(a.rows, e.rows);
  const d = a.cols;
  for (let t = 0; t < a.rows; t++) {
    let dot = 0;
    for (let j = 0; j < d; j++) dot += a.data[t * d + j] * e.data[t * d + j];
    const s = dot < 0 ? -1 : 1;
    const row = Array.from(a.data.subarray(t * d, t * d + d), (v) => s * v);
    assertClose(row, e.data.subarray(t * d, t * d + d), { atol, what: `component ${t}` });
  }
}

function assertSameFit(got: PCA, ref: PCA): void {
  assertSameComponents(got.components, ref.components, 1e-5);
  assertClose(got.mean, ref.mean, { rtol: 1e-12, what: 'mean' });
  assertClose(got.explainedVariance, ref.explainedVariance, { rtol: 1e-9, what: 'variance' });
  assertClose(got.explainedVarianceRatio, ref.explainedVarianceRatio, { rtol: 1e-9 });
  assertClose(got.noiseVariance, ref.noiseVariance, { rtol: 1e-9, what: 'noiseVariance' });
  assert.equal(got.svdSolver, 'full');
}

test('partialFit over uneven blocks equals the in-memory full PCA (components 1e-5 up to sign)', async () => {
  const x = data(300, 12);
  const ref = await new PCA({ nComponents: 4, svdSolver: 'full' }).fit(x);
  const pca = new PCA({ nComponents: 4 });
  for (const [s, e] of [
    [0, 1],
    [1, 101],
    [101, 101],
    [101, 230],
    [230, 300],
  ])
    await pca.partialFit(rows(x, s, e));
  assertSameFit(pca, ref);
  // transform agrees up to the components' signs: |codes| to float32 precision.
  const za = await pca.transform(x);
  const zr = await ref.transform(x);
  assertClose(za.data.map(Math.abs), zr.data.map(Math.abs), { atol: 1e-3, rtol: 1e-5 });
  // Another block updates the fit (state recomputed lazily), as a fit on all 400 rows.
  const more = data(100, 12, 9);
  await pca.partialFit(more);
  const all = matrix(400, 12, Float32Array.of(...x.data, ...more.data));
  assertSameFit(pca, await new PCA({ nComponents: 4, svdSolver: 'full' }).fit(all));
  assert.equal(PCA.fromJSON(pca.toJSON()).nComponents, 4);
});

test('fitStream over a .npy equals the in-memory full PCA, also for a variance fraction', async () => {
  const x = data(257, 9, 5);
  const path = join(dir, 'x.npy');
  const w = await NpyStreamWriter.open(path, 9);
  await w.append(x.data);
  await w.finish();
  for (const nc of [3, 0.9]) {
    const src = await NpySource.open(path);
    try {
      const pca = await new PCA({ nComponents: nc }).fitStream(src, { blockRows: 50 });
      assertSameFit(pca, await new PCA({ nComponents: nc, svdSolver: 'full' }).fit(x));
    } finally {
      await src.close();
    }
  }
});

test('partialFit misuse: width change, NaN, after fit, randomized solver, too few rows', async () => {
  const x = data(20, 4);
  const pca = new PCA({ nComponents: 2 });
  await assert.rejects(pca.transform(x), NotFittedError);
  await pca.partialFit(rows(x, 0, 1));
  assert.throws(() => pca.components, /PCA needs at least 2 rows to fit, got 1/);
  await assert.rejects(
    pca.partialFit(matrix(2, 3, new Float32Array(6))),
    (e: unknown) => e instanceof ShapeError && /PCA partialFit x/.test(e.message),
  );
  const bad = rows(x, 1, 5);
  bad.data[5] = NaN;
  await assert.rejects(pca.partialFit(bad), DataError);
  const inMemory = await new PCA({ nComponents: 2 }).fit(x);
  await assert.rejects(
    inMemory.partialFit(x),
    (e: unknown) =>
      e instanceof ConfigError && /fitted in memory by fit\(x\).*use a new PCA/.test(e.message),
  );
  await assert.rejects(
    new PCA({ svdSolver: 'randomized', nComponents: 2 }).partialFit(x),
    /svdSolver 'randomized' does not apply/,
  );
  await assert.rejects(
    new PCA({ nComponents: 5 }).partialFit(x),
    /nComponents must be <= nFeatures = 4, got 5/,
  );
  const flat = new PCA();
  await flat.partialFit(matrix(3, 2, new Float32Array(6).fill(7)));
  assert.throws(
    () => flat.components,
    (e: unknown) => e instanceof DataError && /zero variance/.test(e.message),
  );
  // fit(x) after partialFit starts afresh: the in-memory fit of x alone.
  const again = new PCA({ nComponents: 2 });
  await again.partialFit(data(30, 4, 8));
  await again.fit(x);
  assertClose(again.mean, inMemory.mean, { rtol: 1e-12 });
});
