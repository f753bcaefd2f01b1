// Row-range views and the seeded block hold-out: reads through a view equal the rows of the
// ranges read directly (exact copies), the hold-out partitions the blocks and is fixed by the seed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../errors.js';
import { writeNpy } from '../npy.js';
import { matrix } from '../../util/matrix.js';
import { fitScaling } from '../scaling.js';
import { summarizeColumns } from './column-summary.js';
import { NpySource } from './npy-source.js';
import { holdOutBlocks, RowRangesSource } from './row-ranges.js';

let dir: string;
let src: NpySource;
const rows = 103;
const x = matrix(
  rows,
  3,
  Float32Array.from({ length: rows * 3 }, (_, i) => (i * 7919) % 101),
);
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aedr-ranges-'));
  writeNpy(join(dir, 'x.npy'), x);
  src = await NpySource.open(join(dir, 'x.npy'));
});
after(async () => {
  await src.close();
  rmSync(dir, { recursive: true, force: true });
});

test('RowRangesSource reads the rows of its ranges in order, across range boundaries', async () => {
  const v = new RowRangesSource(src, [
    { start: 90, count: 13 },
    { start: 0, count: 5 },
    { start: 40, count: 10 },
  ]);
  assert.equal(v.rows, 28);
  const want = [
    ...Array.from({ length: 13 }, (_, i) => 90 + i),
    ...Array.from({ length: 5 }, (_, i) => i),
    ...Array.from({ length: 10 }, (_, i) => 40 + i),
  ];
  const got = await v.readBlock(10, 12);
  const exp = want.slice(10, 22).flatMap((r) => Array.from(x.data.subarray(r * 3, r * 3 + 3)));
  assert.deepEqual(Array.from(got), exp);
  let n = 0;
  for await (const b of v.blocks(7)) n += b.rows;
  assert.equal(n, 28);
  assert.throws(
    () => new RowRangesSource(src, [{ start: 100, count: 4 }]),
    (e: unknown) =>
      e instanceof ConfigError && /range 100\+4 lies outside the 103 rows/.test(e.message),
  );
});

test('holdOutBlocks partitions whole blocks, seeded, and refuses an empty part', () => {
  const a = holdOutBlocks(rows, 10, 0.25, 4);
  const b = holdOutBlocks(rows, 10, 0.25, 4);
  assert.deepEqual(a, b);
  const count = (rs: { count: number }[]): number => rs.reduce((s, r) => s + r.count, 0);
  assert.equal(count(a.train) + count(a.val), rows);
  // 11 blocks, ceil(2.75) = 3 held out: 30 rows, or 23 when the last (3-row) block is one of them.
  assert.ok([30, 23].includes(count(a.val)), `${count(a.val)}`);
  for (const r of [...a.train, ...a.val]) assert.equal(r.start % 10, 0);
  assert.notDeepEqual(holdOutBlocks(rows, 10, 0.25, 5).val, a.val);
  assert.throws(
    () => holdOutBlocks(rows, 200, 0.5, 1),
    (e: unknown) => e instanceof ConfigError && /holds out 1 blocks and keeps 0/.test(e.message),
  );
});

test('summarizeColumns: exact min/max, mean and the scalings of fitScaling (rtol 1e-12: float64 sums)', async () => {
  const s = await summarizeColumns(src, 'standardize', 16);
  const ref = fitScaling('standardize', x);
  assert.ok(s.scaling.kind === 'standardize' && ref.kind === 'standardize');
  s.scaling.std.forEach((v, j) => assert.ok(Math.abs(v - ref.std[j]) <= 1e-12 * ref.std[j]));
  s.mean.forEach((v, j) => assert.ok(Math.abs(v - ref.mean[j]) <= 1e-12 * ref.mean[j]));
  const m = await summarizeColumns(src, 'minmax', 16);
  assert.deepEqual(m.scaling, fitScaling('minmax', x));
  assert.deepEqual(Array.from(m.min), (fitScaling('minmax', x) as { min: number[] }).min);
  await assert.rejects(summarizeColumns(src, 'bogus' as 'minmax'), ConfigError);
});
