// Seeded row sampling (stream-sample.ts), LLE/Isomap fitSample, and transformStream
// (stream-transform.ts): exact identities (same rows, same codes), a frequency check of the
// sampler's uniformity, and misuse.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertClose } from '../../test/helpers/close.js';
import { NpySource } from '../data/stream/npy-source.js';
import { NpyStreamWriter } from '../data/stream/writers.js';
import { ConfigError, ShapeError } from '../errors.js';
import { matrix, type Matrix32 } from '../util/matrix.js';
import { Rng } from '../util/rng.js';
import { Isomap } from './isomap.js';
import { LLE } from './lle.js';
import { PCA } from './pca.js';
import { sampleRows, sampleSource } from './stream-sample.js';
import { transformStream } from './stream-transform.js';

const dir = mkdtempSync(join(tmpdir(), 'aedr-stream-sample-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A swiss roll of n points (row i carries its index in no column: rows are distinct). */
function roll(n: number, seed = 1): Matrix32 {
  const rng = new Rng(seed);
  const x = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    const t = 1.5 * Math.PI * (1 + 2 * rng.random());
    x[i * 3] = t * Math.cos(t);
    x[i * 3 + 1] = 10 * rng.random();
    x[i * 3 + 2] = t * Math.sin(t);
  }
  return matrix(n, 3, x);
}

async function npy(x: Matrix32, name: string): Promise<string> {
  const path = join(dir, name);
  const w = await NpyStreamWriter.open(path, x.cols);
  await w.append(x.data);
  await w.finish();
  return path;
}

/** Row indices of x that the rows of s are, in order. */
function indicesOf(x: Matrix32, s: Matrix32): number[] {
  const d = x.cols;
  const key = (m: Matrix32, i: number): string =>
    Array.from(m.data.subarray(i * d, i * d + d)).join();
  const at = new Map<string, number>();
  for (let i = 0; i < x.rows; i++) at.set(key(x, i), i);
  return Array.from({ length: s.rows }, (_, i) => at.get(key(s, i)) ?? -1);
}

test('sampleRows: distinct rows of x in order, seeded; sampleSource picks the same rows', async () => {
  const x = roll(500);
  const s = sampleRows(x, 60, 4);
  const idx = indicesOf(x, s);
  assert.equal(s.rows, 60);
  assert.ok(
    idx.every((v, i) => v >= 0 && (i === 0 || v > idx[i - 1])),
    'distinct rows in order',
  );
  assert.deepEqual(sampleRows(x, 60, 4).data, s.data);
  assert.notDeepEqual(indicesOf(x, sampleRows(x, 60, 5)), idx);
  assert.equal(sampleRows(x, 500, 4), x);
  const src = await NpySource.open(await npy(x, 'roll.npy'));
  try {
    assert.deepEqual((await sampleSource(src, 60, 4, 37)).data, s.data);
  } finally {
    await src.close();
  }
});

test('sampleRows is uniform: each of 20 rows kept in 25% of 2000 seeded draws of 5 (4 sd)', () => {
  const x = matrix(
    20,
    1,
    Float32Array.from({ length: 20 }, (_, i) => i),
  );
  const hits = new Array<number>(20).fill(0);
  for (let seed = 0; seed < 2000; seed++) for (const v of sampleRows(x, 5, seed).data) hits[v]++;
  // Binomial(2000, 0.25): mean 500, sd 19.4.
  for (const h of hits) assert.ok(Math.abs(h - 500) <= 4 * 19.4, `row kept ${h} times`);
});

test('LLE and Isomap fitSample fit on sampleRows(x, N, seed) and map every row by transform', async () => {
  const x = roll(360);
  const sample = sampleRows(x, 150, 3);
  for (const make of [
    (o: { fitSample?: number }) => new LLE({ nNeighbors: 10, seed: 3, ...o }),
    (o: { fitSample?: number }) => new Isomap({ nNeighbors: 10, seed: 3, ...o }),
  ]) {
    const r = make({ fitSample: 150 });
    const z = await r.fitTransform(x);
    assert.equal(r.embedding.rows, 150);
    assert.equal(z.rows, 360);
    const ref = await make({}).fit(sample);
    assertClose(r.embedding.data, ref.embedding.data, { rtol: 0, what: `${r.name} embedding` });
    assertClose(z.data, (await ref.transform(x)).data, { rtol: 0, what: `${r.name} codes` });
  }
  assert.throws(
    () => new LLE({ fitSample: 1 }),
    (e: unknown) =>
      e instanceof ConfigError && /fitSample must be an integer >= 2, got 1/.test(e.message),
  );
  assert.throws(() => new Isomap({ fitSample: 2.5 }), ConfigError);
});

test('transformStream: codes of a .npy into a matrix or a writer equal transform of all rows', async () => {
  const x = roll(203);
  const pca = await new PCA({ nComponents: 2 }).fit(x);
  const want = await pca.transform(x);
  const src = await NpySource.open(await npy(x, 't.npy'));
  try {
    assertClose((await transformStream(pca, src, { blockRows: 50 })).data, want.data, { rtol: 0 });
    const out = join(dir, 'codes.npy');
    const w = await NpyStreamWriter.open(out, 2);
    assert.equal(await transformStream(pca, src, { blockRows: 64, writer: w }), undefined);
    await w.finish();
    const back = await NpySource.open(out);
    try {
      assertClose(await back.readBlock(0, back.rows), want.data, { rtol: 0, what: 'written' });
    } finally {
      await back.close();
    }
    await assert.rejects(
      transformStream(pca, src, { blockRows: 0 }),
      (e: unknown) =>
        e instanceof ShapeError && /blockRows must be a positive integer, got 0/.test(e.message),
    );
  } finally {
    await src.close();
  }
});

test('sampling, fitSample and partialFit draw nothing from Math.random', async () => {
  const saved = Math.random;
  Math.random = () => {
    throw new Error('Math.random called');
  };
  try {
    const x = roll(120);
    assert.equal(sampleRows(x, 30, 1).rows, 30);
    await new LLE({ nNeighbors: 6, fitSample: 40 }).fitTransform(x);
    await new PCA({ nComponents: 2 }).partialFit(x);
  } finally {
    Math.random = saved;
  }
});
