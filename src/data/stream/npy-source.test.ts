import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError, ShapeError } from '../../errors.js';
import { npyBytes } from '../../../test/helpers/npy-bytes.js';
import { NpySource } from './npy-source.js';
import { RowRangesSource } from './row-ranges.js';
import { NpyShardSource, listShards } from './shards.js';
import { readAllRows } from './source.js';

const dir = mkdtempSync(join(tmpdir(), 'aedr-npy-stream-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

/** Asserts that `p` rejects with a DataError at `row`/`field` whose message matches `re`. */
async function rejectsData(p: Promise<unknown>, re: RegExp, row?: number, field?: number) {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof DataError, `expected DataError, got ${String(e)}`);
    assert.match(e.message, re);
    assert.equal(e.row, row);
    assert.equal(e.field, field);
    return true;
  });
}

const VALUES = [0, 1, 2, 100, 7, 3, 5, 6, 4, 9, 8, 11];

test('every dtype, both byte orders and header versions 1-3 read back exactly', async () => {
  const kinds = ['f4', 'f8', 'u1', 'i1', 'b1', 'i2', 'u2', 'i4', 'u4', 'i8', 'u8'];
  for (const kind of kinds) {
    for (const order of kind.endsWith('1') ? ['|'] : ['<', '>']) {
      for (const major of [1, 2, 3]) {
        const vals = kind === 'b1' ? VALUES.map((v) => v % 2) : VALUES;
        const p = file(
          `d-${kind}-${order === '<' ? 'le' : 'be'}-${major}.npy`,
          npyBytes(order + kind, [4, 3], vals, { major }),
        );
        const s = await NpySource.open(p);
        try {
          assert.equal(s.rows, 4);
          assert.equal(s.cols, 3);
          const all = await s.readBlock(0, 4);
          assert.deepEqual(Array.from(all), vals, `${order}${kind} v${major}`);
          const mid = await s.readBlock(1, 2, new Float32Array(100));
          assert.deepEqual(Array.from(mid), vals.slice(3, 9));
        } finally {
          await s.close();
        }
      }
    }
  }
});

test('a 1-d array is one column; trailing dimensions are flattened', async () => {
  const one = await NpySource.open(file('one.npy', npyBytes('<f4', [3], [1, 2, 3])));
  assert.deepEqual([one.rows, one.cols], [3, 1]);
  await one.close();
  const img = await NpySource.open(file('img.npy', npyBytes('<f4', [2, 2, 3], VALUES)));
  assert.deepEqual([img.rows, img.cols], [2, 6]);
  assert.deepEqual(Array.from((await readAllRows(img)).data), VALUES);
  await img.close();
});

test('blocks() visits every row once, in order, through one reused buffer', async () => {
  const n = 11;
  const vals = Array.from({ length: n * 2 }, (_, i) => i);
  const s = await NpySource.open(file('blocks.npy', npyBytes('<f8', [n, 2], vals)));
  const seen: number[] = [];
  const buffers = new Set<ArrayBufferLike>();
  for await (const b of s.blocks(4)) {
    assert.equal(b.data.length, b.rows * 2);
    assert.equal(b.start, seen.length / 2);
    buffers.add(b.data.buffer);
    seen.push(...b.data);
  }
  assert.deepEqual(seen, vals);
  assert.equal(buffers.size, 1);
  await s.close();
});

test('bad files give DataErrors naming the file, row and byte offset', async () => {
  const bytes = npyBytes('<f4', [4, 3], VALUES);
  await rejectsData(
    NpySource.open(file('trunc.npy', bytes.subarray(0, bytes.length - 13))),
    /trunc\.npy: row 3: truncated \.npy file: .* needs 176 bytes, the data stops at byte 163 inside row 3 \(2 complete rows of 4\)/,
    3,
  );
  await rejectsData(
    NpySource.open(file('over.npy', new Uint8Array([...bytes, 0]))),
    /oversized .npy file: .*ends at byte 176, the file has 177/,
  );
  await rejectsData(
    NpySource.open(file('head.npy', bytes.subarray(0, 40))),
    /truncated .npy header: it needs 128 bytes, the file has 40/,
  );
  await rejectsData(
    NpySource.open(file('tiny.npy', bytes.subarray(0, 5))),
    /not a .npy file: missing the \\x93NUMPY magic at byte 0/,
  );
  await rejectsData(
    NpySource.open(file('fort.npy', npyBytes('<f4', [4, 3], VALUES, { fortran: 'True' }))),
    /fortran_order is True; expected C order/,
  );
  await rejectsData(
    NpySource.open(
      file(
        'c8.npy',
        npyBytes('<f4', [4, 3], VALUES, {
          header: "{'descr': '<c8', 'fortran_order': False, 'shape': (4, 3), }",
        }),
      ),
    ),
    /unsupported dtype '<c8'; expected one of <f4/,
  );
  await rejectsData(
    NpySource.open(
      file(
        'scalar.npy',
        npyBytes('<f4', [], [1], {
          header: "{'descr': '<f4', 'fortran_order': False, 'shape': (), }",
        }),
      ),
    ),
    /0-d \(scalar\)/,
  );
  const v9 = bytes.slice();
  v9[6] = 9;
  await rejectsData(NpySource.open(file('v9.npy', v9)), /unsupported .npy version 9.0 at byte 6/);
  await rejectsData(NpySource.open(join(dir, 'absent.npy')), /absent\.npy: file not found/);

  const nan = await NpySource.open(
    file('nan.npy', npyBytes('<f4', [4, 3], [...VALUES.slice(0, 7), NaN, ...VALUES.slice(8)])),
  );
  await rejectsData(
    nan.readBlock(1, 3),
    /nan\.npy: row 3, field 2: NaN in the data at byte 156/,
    3,
    2,
  );
  assert.deepEqual(
    Array.from(await nan.readBlock(0, 2)),
    VALUES.slice(0, 6),
    'rows before the NaN still read',
  );
  // An unchecked read leaves the check to the caller (epoch.ts), through row ranges too.
  assert.ok(Number.isNaN((await nan.readBlock(1, 3, undefined, { unchecked: true }))[4]));
  const ranges = new RowRangesSource(nan, [{ start: 2, count: 2 }]);
  assert.ok(Number.isNaN((await ranges.readBlock(0, 1, undefined, { unchecked: true }))[1]));
  await rejectsData(ranges.readBlock(0, 1), /nan\.npy: row 3, field 2: NaN/, 3, 2);
  await nan.close();
  const big = await NpySource.open(file('big.npy', npyBytes('<f8', [2, 1], [1, 1e39])));
  assert.equal((await big.readBlock(0, 2, undefined, { unchecked: true }))[1], Infinity);
  await rejectsData(
    big.readBlock(0, 2),
    /row 2, field 1: a non-finite value \(or one outside the float32 range/,
    2,
    1,
  );
  await big.close();
  const i8 = await NpySource.open(file('i8.npy', npyBytes('<i8', [2, 1], [1, 2 ** 60])));
  await rejectsData(
    i8.readBlock(0, 2),
    /int64 value 1152921504606846976 at byte 136 exceeds 2\^53/,
    2,
    1,
  );
  await i8.close();
});

test('readBlock refuses ranges outside the data and short buffers', async () => {
  const s = await NpySource.open(file('range.npy', npyBytes('<f4', [4, 3], VALUES)));
  await assert.rejects(
    s.readBlock(3, 2),
    (e: unknown) =>
      e instanceof ShapeError && /has 4 rows; the block ends at row 5/.test(e.message),
  );
  await assert.rejects(s.readBlock(-1, 1), ShapeError);
  await assert.rejects(
    s.readBlock(0, 2, new Float32Array(5)),
    /out holds 5 values, the block needs 6 \(2 x 3\)/,
  );
  await s.close();
});

test('shards concatenate in natural order; blocks may span shard boundaries', async () => {
  const sd = join(dir, 'shards');
  mkdirSync(sd);
  const rows = [3, 0, 5, 2];
  let v = 0;
  const expected: number[] = [];
  rows.forEach((r, i) => {
    const vals = Array.from({ length: r * 2 }, () => v++);
    expected.push(...vals);
    // part-10 sorts after part-2 in natural order.
    writeFileSync(join(sd, `part-${[1, 2, 10, 11][i]}.npy`), npyBytes('<f4', [r, 2], vals));
  });
  writeFileSync(join(sd, 'notes.txt'), 'not a shard');
  assert.deepEqual(
    listShards(sd).map((p) => p.slice(sd.length + 1)),
    ['part-1.npy', 'part-2.npy', 'part-10.npy', 'part-11.npy'],
  );
  const s = await NpyShardSource.open(sd);
  assert.deepEqual([s.rows, s.cols], [10, 2]);
  assert.deepEqual(Array.from(await s.readBlock(0, 10)), expected);
  assert.deepEqual(Array.from(await s.readBlock(2, 4)), expected.slice(4, 12));
  assert.deepEqual(Array.from(await s.readBlock(8, 2)), expected.slice(16, 20));
  await s.close();
  const g = await NpyShardSource.open(join(sd, 'part-1?.npy'));
  assert.deepEqual([g.rows, g.layouts.length], [7, 2]);
  await g.close();
});

test('ragged or mismatched shards name the offending file', async () => {
  const sd = join(dir, 'ragged');
  mkdirSync(sd);
  writeFileSync(join(sd, 'a.npy'), npyBytes('<f4', [2, 3], VALUES.slice(0, 6)));
  writeFileSync(join(sd, 'b.npy'), npyBytes('<f4', [3, 2], VALUES.slice(0, 6)));
  await rejectsData(
    NpyShardSource.open(sd),
    /ragged\/b\.npy: shard has 2 values per row \(shape \(3, 2\)\), but .*a\.npy has 3/,
  );
  writeFileSync(join(sd, 'b.npy'), npyBytes('<f8', [2, 3], VALUES.slice(0, 6)));
  await rejectsData(
    NpyShardSource.open(sd),
    /b\.npy: shard has dtype '<f8', but .*a\.npy has '<f4'/,
  );
  writeFileSync(join(sd, 'b.npy'), npyBytes('<f4', [2, 3], VALUES.slice(0, 6)).subarray(0, 140));
  await rejectsData(
    NpyShardSource.open(sd),
    /b\.npy: row 2: truncated .* inside row 2 \(1 complete rows of 2\)/,
    2,
  );
  await rejectsData(
    NpyShardSource.open(join(dir, 'nothing-*.npy')),
    /no files match nothing-\*\.npy/,
  );
  mkdirSync(join(dir, 'empty'));
  await rejectsData(NpyShardSource.open(join(dir, 'empty')), /the folder holds no .npy files/);
});
