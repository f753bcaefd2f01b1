// LDA.fitStream against LDA.fit on the same rows and labels (the same float64 scatter summed
// blockwise, so the scalings agree to 1e-8 relative up to each column's sign), and its misuse.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertClose } from '../../test/helpers/close.js';
import { NpySource } from '../data/stream/npy-source.js';
import { NpyStreamWriter } from '../data/stream/writers.js';
import { ConfigError, ShapeError } from '../errors.js';
import { matrix, type Matrix, type Matrix32 } from '../util/matrix.js';
import { Rng } from '../util/rng.js';
import { LDA } from './lda.js';

const dir = mkdtempSync(join(tmpdir(), 'aedr-lda-stream-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** 3 classes (labels 7, 2, 5) with different centres in 6 features; one constant feature. */
function data(n: number): { x: Matrix32; y: Int32Array } {
  const rng = new Rng(11);
  const d = 6;
  const x = new Float32Array(n * d);
  const y = new Int32Array(n);
  const labels = [7, 2, 5];
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    y[i] = labels[c];
    for (let j = 0; j < d - 1; j++) x[i * d + j] = 10 + c * (j - 2) + (j + 1) * rng.normal();
    x[i * d + d - 1] = 4;
  }
  return { x: matrix(n, d, x), y };
}

async function npy(x: Matrix32, name: string): Promise<string> {
  const path = join(dir, name);
  const w = await NpyStreamWriter.open(path, x.cols);
  await w.append(x.data);
  await w.finish();
  return path;
}

/**
 * The first `cols` columns of a and e equal up to sign (the eigen solver's later columns span
 * the null space of Sb, where any basis is a solution).
 */
function assertSameColumns(a: Matrix, e: Matrix, cols: number, rtol: number, what: string): void {
  assert.equal(a.cols, e.cols, `${what}: columns`);
  for (let c = 0; c < cols; c++) {
    let dot = 0;
    for (let j = 0; j < a.rows; j++) dot += a.data[j * a.cols + c] * e.data[j * e.cols + c];
    const s = dot < 0 ? -1 : 1;
    const col = Array.from({ length: a.rows }, (_, j) => s * a.data[j * a.cols + c]);
    const ref = Array.from({ length: e.rows }, (_, j) => e.data[j * e.cols + c]);
    const scale = Math.max(...ref.map(Math.abs));
    assertClose(col, ref, { atol: rtol * scale, what: `${what} column ${c}` });
  }
}

for (const solver of ['svd', 'eigen'] as const) {
  test(`LDA.fitStream (${solver}) over a .npy equals LDA.fit (scalings 1e-8 relative up to sign)`, async () => {
    const { x, y } = data(301);
    // The eigen solver needs a non-singular Sw: drop the constant column for it.
    const xs =
      solver === 'eigen'
        ? matrix(
            301,
            5,
            Float32Array.from(
              { length: 301 * 5 },
              (_, i) => x.data[Math.floor(i / 5) * 6 + (i % 5)],
            ),
          )
        : x;
    const src = await NpySource.open(await npy(xs, `${solver}.npy`));
    try {
      const got = await new LDA({ solver }).fitStream(src, y, { blockRows: 64 });
      const ref = await new LDA({ solver }).fit(xs, y);
      assert.deepEqual(Array.from(got.classes), [2, 5, 7]);
      assertClose(got.means.data, ref.means.data, { rtol: 1e-12, what: 'class means' });
      assertClose(got.priors, ref.priors, { rtol: 1e-15, what: 'priors' });
      assertSameColumns(got.scalings, ref.scalings, 2, 1e-8, 'scalings');
      assertClose(got.explainedVarianceRatio, ref.explainedVarianceRatio, {
        rtol: 1e-8,
        atol: 1e-14,
      });
      const za = await got.transform(xs);
      const zr = await ref.transform(xs);
      assertClose(za.data.map(Math.abs), zr.data.map(Math.abs), { atol: 1e-4, rtol: 1e-5 });
    } finally {
      await src.close();
    }
  });
}

test('LDA.fitStream misuse: labels missing or of another length, eigen with shrinkage', async () => {
  const { x, y } = data(30);
  const src = await NpySource.open(await npy(x, 'misuse.npy'));
  try {
    await assert.rejects(
      new LDA().fitStream(src, Array.from(y) as unknown as Int32Array),
      (e: unknown) =>
        e instanceof ConfigError && /needs class labels y \(Int32Array/.test(e.message),
    );
    await assert.rejects(
      new LDA().fitStream(src, y.subarray(0, 29)),
      (e: unknown) => e instanceof ShapeError && /has 30 rows but y has 29 labels/.test(e.message),
    );
    await assert.rejects(
      new LDA({ solver: 'eigen', shrinkage: 'auto' }).fitStream(src, y),
      /solver 'eigen' takes neither shrinkage nor priors/,
    );
    await assert.rejects(
      new LDA().fitStream(src, y, { blockRows: 0 }),
      /blockRows must be a positive integer, got 0/,
    );
  } finally {
    await src.close();
  }
});
