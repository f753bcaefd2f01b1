import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidArgumentError } from 'commander';
import { partPath, planPart, shardArg } from './shard.js';

test('shardArg parses 0-based i/N and rejects the rest', () => {
  assert.deepEqual(shardArg('3/8'), { index: 3, count: 8 });
  assert.deepEqual(shardArg(' 0/1 '), { index: 0, count: 1 });
  for (const bad of ['8/8', '1/0', '-1/4', '1', 'a/b', '1/2/3', '']) {
    assert.throws(() => shardArg(bad), InvalidArgumentError, bad);
  }
});

test('planPart: row ranges tile the rows; shard files split into contiguous groups', () => {
  for (const [rows, n] of [
    [10, 3],
    [7, 7],
    [3, 5],
    [0, 2],
  ]) {
    let at = 0;
    for (let i = 0; i < n; i++) {
      const p = planPart({ index: i, count: n }, rows);
      assert.equal(p.start, at, `${rows}/${n} part ${i}`);
      assert.ok(p.end >= p.start);
      at = p.end;
    }
    assert.equal(at, rows);
  }
  const files = [5, 0, 7, 2, 4].map((r, k) => ({ file: `s${k}.npy`, rows: r }));
  const parts = [0, 1].map((i) => planPart({ index: i, count: 2 }, 18, files));
  assert.deepEqual(parts[0], { start: 0, end: 5, by: 'files', files: ['s0.npy', 's1.npy'] });
  assert.deepEqual(parts[1], {
    start: 5,
    end: 18,
    by: 'files',
    files: ['s2.npy', 's3.npy', 's4.npy'],
  });
  // Fewer files than parts: by rows.
  assert.equal(planPart({ index: 5, count: 6 }, 18, files).by, 'rows');
});

test('partPath pads to 4 digits or the width of N', () => {
  assert.equal(
    partPath('out/codes.npy', { index: 3, count: 8 }),
    'out/codes.part-0003-of-0008.npy',
  );
  assert.equal(partPath('c.parquet', { index: 7, count: 12345 }), 'c.part-00007-of-12345.parquet');
});
