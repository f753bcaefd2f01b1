import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ShapeError } from '../../errors.js';
import { groupMeans, scatterMatrix } from '../../linalg/scatter.js';
import { Rng } from '../../util/rng.js';
import { matrix } from '../../util/matrix.js';
import { assertClose } from '../../../test/helpers/close.js';
import { fitScaling } from '../scaling.js';
import { NpySource } from './npy-source.js';
import { fitScalingStream, ScatterAccumulator } from './stream-stats.js';
import { NpyStreamWriter } from './writers.js';

const dir = mkdtempSync(join(tmpdir(), 'aedr-stats-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// Columns with a large offset against their spread: where E[x²] − E[x]² would lose digits.
function data(rows: number, cols: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const x = new Float32Array(rows * cols);
  for (let i = 0; i < x.length; i++) x[i] = 1000 * (i % cols) + rng.normal(0, 1 + (i % cols));
  return x;
}

test('fitScalingStream equals fitScaling on the same rows (rtol 1e-12), any block size', async () => {
  const x = data(257, 5, 1);
  const path = join(dir, 'x.npy');
  const w = await NpyStreamWriter.open(path, 5);
  await w.append(x);
  await w.finish();
  const s = await NpySource.open(path);
  const m = matrix(257, 5, x);
  for (const kind of ['standardize', 'minmax'] as const) {
    const want = fitScaling(kind, m);
    for (const block of [1, 16, 1000]) {
      const got = await fitScalingStream(kind, s, block);
      assert.equal(got.kind, kind);
      const [a, b] =
        got.kind === 'minmax'
          ? [got.min, got.max]
          : got.kind === 'standardize'
            ? [got.mean, got.std]
            : [[], []];
      const [ea, eb] =
        want.kind === 'minmax'
          ? [want.min, want.max]
          : want.kind === 'standardize'
            ? [want.mean, want.std]
            : [[], []];
      assertClose(a, ea, { rtol: 1e-12, what: `${kind} ${block} a` });
      assertClose(b, eb, { rtol: 1e-12, what: `${kind} ${block} b` });
    }
  }
  assert.deepEqual(await fitScalingStream('divide255', s), { kind: 'divide255' });
  await assert.rejects(
    fitScalingStream('standardize', s, 0),
    /blockRows must be a positive integer, got 0/,
  );
  await s.close();
});

test('ScatterAccumulator over blocks equals the in-memory scatter to 1e-9', async () => {
  const rows = 301;
  const d = 6;
  const x = data(rows, d, 2);
  const rng = new Rng(3);
  const labels = Int32Array.from({ length: rows }, () => rng.int(3));
  const m = matrix(rows, d, x);
  // In-memory references: linalg/scatter.ts on the whole matrix, in float64.
  const total = await scatterMatrix(m, { precision: 'float64', route: 'dense' });
  const within = await scatterMatrix(m, { groups: labels, precision: 'float64', route: 'dense' });
  const gm = groupMeans(m, labels, 3);
  for (const cuts of [[rows], [1, 100, 200], [7, 8, 150, 299, 300]]) {
    const pca = new ScatterAccumulator(d);
    const lda = new ScatterAccumulator(d, { nClasses: 3 });
    let start = 0;
    for (const end of [...cuts, rows]) {
      await pca.add(x.subarray(start * d, end * d), end - start);
      await lda.add(x.subarray(start * d, end * d), end - start, labels.subarray(start, end));
      start = end;
    }
    const scale = Math.max(...total.data.map(Math.abs));
    const p = pca.result();
    assert.equal(p.n, rows);
    assertClose(p.total.data, total.data, { rtol: 1e-9, atol: 1e-12 * scale, what: 'total' });
    assertClose(p.within.data, total.data, {
      rtol: 1e-9,
      atol: 1e-12 * scale,
      what: 'one-class within',
    });
    assertClose(p.mean, groupMeans(m).means.data, { rtol: 1e-12, what: 'mean' });
    const l = lda.result();
    assertClose(l.within.data, within.data, { rtol: 1e-9, atol: 1e-12 * scale, what: 'within' });
    assertClose(l.total.data, total.data, { rtol: 1e-9, atol: 1e-12 * scale, what: 'lda total' });
    assertClose(l.classMeans.data, gm.means.data, { rtol: 1e-12, what: 'class means' });
    assert.deepEqual(Array.from(l.counts), Array.from(gm.counts));
  }
});

test('ScatterAccumulator misuse is a ShapeError', async () => {
  assert.throws(() => new ScatterAccumulator(0), /cols must be a positive integer, got 0/);
  const a = new ScatterAccumulator(2, { nClasses: 2 });
  await assert.rejects(a.add(new Float32Array(4), 2), /2 classes need labels/);
  await assert.rejects(
    a.add(new Float32Array(3), 2, new Int32Array(2)),
    /3 values for 2 rows of 2/,
  );
  await assert.rejects(a.add(new Float32Array(2), 1, new Int32Array([5])), ShapeError);
  assert.throws(() => new ScatterAccumulator(2).result(), /no rows were added/);
});
