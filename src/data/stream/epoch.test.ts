import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError, ShapeError } from '../../errors.js';
import { NpySource } from './npy-source.js';
import {
  epochBatches,
  epochPlan,
  epochRowOrder,
  epochSlices,
  readAhead,
  type EpochOptions,
  type EpochScratch,
} from './epoch.js';
import { WindowWorker } from './window-prep.js';
import { NpyStreamWriter } from './writers.js';

const dir = mkdtempSync(join(tmpdir(), 'aedr-epoch-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const ROWS = 103;
const COLS = 3;

/** A file whose row i is [i, 2i, -i], so each batch row names its source row. */
async function source(): Promise<NpySource> {
  const path = join(dir, 'rows.npy');
  const w = await NpyStreamWriter.open(path, COLS);
  const x = new Float32Array(ROWS * COLS);
  for (let i = 0; i < ROWS; i++) x.set([i, 2 * i, -i], i * COLS);
  await w.append(x);
  await w.finish();
  return NpySource.open(path);
}

// 10-row blocks, windows of 2 blocks: 2 * 10 * 3 * 4 bytes per window, twice.
const OPTS: EpochOptions = { seed: 7, epoch: 0, batchSize: 8, blockRows: 10, memoryBytes: 480 };

async function collect(
  s: NpySource,
  o: EpochOptions,
): Promise<{ rows: number[]; positions: number[] }> {
  const rows: number[] = [];
  const positions: number[] = [];
  for await (const b of epochBatches(s, o)) {
    for (let r = 0; r < b.rows; r++) {
      const i = b.data[r * COLS];
      assert.deepEqual(Array.from(b.data.subarray(r * COLS, (r + 1) * COLS)), [i, 2 * i, -i]);
      rows.push(i);
    }
    positions.push(b.position);
  }
  return { rows, positions };
}

test('an epoch visits every row once, in the seeded order, in full batches but the last', async () => {
  const s = await source();
  const { rows, positions } = await collect(s, OPTS);
  assert.deepEqual(
    [...rows].sort((a, b) => a - b),
    Array.from({ length: ROWS }, (_, i) => i),
  );
  assert.deepEqual(rows, Array.from(epochRowOrder(ROWS, COLS, OPTS)));
  assert.deepEqual(positions, [8, 16, 24, 32, 40, 48, 56, 64, 72, 80, 88, 96, 103]);
  assert.deepEqual((await collect(s, OPTS)).rows, rows, 'same seed and epoch, same order');
  const next = (await collect(s, { ...OPTS, epoch: 1 })).rows;
  assert.notDeepEqual(next, rows, 'another epoch, another order');
  await s.close();
});

test('each window holds whole blocks of the block order, permuted within the window only', () => {
  const plan = epochPlan(ROWS, COLS, OPTS);
  assert.equal(plan.windowBlocks, 2);
  assert.deepEqual(
    [...plan.blockOrder].sort((a, b) => a - b),
    Array.from({ length: 11 }, (_, i) => i),
  );
  const order = epochRowOrder(ROWS, COLS, OPTS);
  for (let w = 0; w + 1 < plan.windowStart.length; w++) {
    const blocks = new Set(
      Array.from(order.subarray(plan.windowStart[w], plan.windowStart[w + 1]), (r) =>
        Math.floor(r / 10),
      ),
    );
    assert.deepEqual(
      [...blocks].sort((a, b) => a - b),
      [...plan.blockOrder.subarray(2 * w, 2 * w + 2)].sort((a, b) => a - b),
    );
  }
  // A budget below one block still reads one block per window; a large one takes everything.
  assert.equal(epochPlan(ROWS, COLS, { ...OPTS, memoryBytes: 1 }).windowBlocks, 1);
  assert.equal(epochPlan(ROWS, COLS, { ...OPTS, memoryBytes: 1e9 }).windowBlocks, 11);
});

test('resuming at any position yields exactly the rest of the epoch', async () => {
  const s = await source();
  const full = (await collect(s, OPTS)).rows;
  for (const position of [0, 5, 8, 19, 20, 40, 63, 102, 103]) {
    const rest = (await collect(s, { ...OPTS, position })).rows;
    assert.deepEqual(rest, full.slice(position), `position ${position}`);
  }
  await s.close();
});

test('stopping early leaves the source usable; bad options are ShapeErrors', async () => {
  const s = await source();
  for await (const b of epochBatches(s, OPTS)) {
    assert.equal(b.rows, 8);
    break;
  }
  assert.deepEqual(Array.from(await s.readBlock(1, 1)), [1, 2, -1]);
  const bad = async (o: Partial<EpochOptions>, re: RegExp) =>
    assert.rejects(
      (async () => {
        for await (const _ of epochBatches(s, { ...OPTS, ...o })) break;
      })(),
      (e: unknown) => e instanceof ShapeError && re.test(e.message),
    );
  await bad({ batchSize: 0 }, /batchSize must be a positive integer, got 0/);
  await bad({ epoch: -1 }, /epoch must be a non-negative integer/);
  await bad({ memoryBytes: 0 }, /memoryBytes must be positive/);
  await bad({ position: 104 }, /position must be an integer in 0..103, got 104/);
  await s.close();
});

test('epochSlices: the same rows as epochBatches, gathered from the windows, scaled as they load', async () => {
  const s = await source();
  const order = epochRowOrder(ROWS, COLS, OPTS);
  const affine = { off: new Float64Array([0, 1, 0]), div: new Float64Array([2, 2, 4]) };
  const w = new WindowWorker();
  try {
    for (const prepare of [undefined, w]) {
      const rows: number[] = [];
      let gathered = 0;
      for await (const b of epochSlices(s, { ...OPTS, affine, prepare })) {
        for (let r = 0; r < b.rows; r++) {
          const k = b.index[b.offset + r] * COLS;
          const i = b.data[k] * 2;
          assert.deepEqual(Array.from(b.data.subarray(k, k + COLS)), [
            i / 2,
            (2 * i - 1) / 2,
            -i / 4,
          ]);
          rows.push(i);
        }
        if (b.index.length > b.rows) gathered++;
      }
      assert.deepEqual(rows, Array.from(order));
      // 13 batches of 8: those inside one window are gathered, the rest copied.
      assert.ok(gathered >= 6, `${gathered} batches gathered from windows`);
    }
  } finally {
    await w.close();
  }
  await s.close();
});

test('a non-finite value in a window is a DataError naming the file, row, field and byte', async () => {
  // The bad row lies in the last window: read ahead from position 0, loaded first from its start.
  const plan = epochPlan(ROWS, COLS, OPTS);
  const last = plan.windowStart[plan.windowStart.length - 2];
  const row = epochRowOrder(ROWS, COLS, OPTS)[last];
  const path = join(dir, 'nan.npy');
  const wr = await NpyStreamWriter.open(path, COLS);
  const x = new Float32Array(ROWS * COLS).fill(1);
  x[row * COLS + 1] = NaN;
  await wr.append(x);
  await wr.finish();
  const s = await NpySource.open(path);
  const byte = s.layout.dataOffset + (row * COLS + 1) * 4;
  const want = new RegExp(`nan\\.npy: row ${row + 1}, field 2: NaN in the data at byte ${byte};`);
  const w = new WindowWorker();
  try {
    for (const prepare of [undefined, w])
      for (const position of [0, last])
        await assert.rejects(
          (async () => {
            for await (const _ of epochBatches(s, { ...OPTS, prepare, position }));
          })(),
          (e: unknown) => e instanceof DataError && want.test(e.message),
        );
  } finally {
    await w.close();
  }
  await s.close();
});

test('windows read ahead (readAhead, next) give the same rows; one for another epoch is discarded', async () => {
  const s = await source();
  const w = new WindowWorker();
  try {
    const want0 = (await collect(s, OPTS)).rows;
    const want1 = (await collect(s, { ...OPTS, epoch: 1 })).rows;
    const scratch: EpochScratch = {};
    const o = { ...OPTS, scratch, prepare: w };
    readAhead(s, { ...o, position: 0 });
    assert.equal(scratch.ahead?.window, 0);
    assert.deepEqual((await collect(s, { ...o, next: { epoch: 1 } })).rows, want0);
    assert.equal(scratch.ahead?.epoch, 1, "epoch 1's first window was read during epoch 0");
    assert.deepEqual((await collect(s, { ...o, epoch: 1 })).rows, want1);
    assert.equal(scratch.ahead, undefined);
    // Read ahead for epoch 3, then epoch 1 from row 40 runs instead: the window is not used.
    readAhead(s, { ...o, epoch: 3 });
    assert.deepEqual((await collect(s, { ...o, epoch: 1, position: 40 })).rows, want1.slice(40));
    readAhead(s, { ...o, epoch: 1 });
    assert.deepEqual((await collect(s, { ...o, epoch: 1, position: 40 })).rows, want1.slice(40));
  } finally {
    await w.close();
  }
  await s.close();
});
