import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyScaling, fitScaling, scalingAffine } from '../scaling.js';
import { matrix } from '../../util/matrix.js';
import { Rng } from '../../util/rng.js';
import { prepareHere, prepareWindow, WindowWorker } from './window-prep.js';

// 50 rows of 7 values over several magnitudes, so the affine map rounds differently per column.
const ROWS = 50;
const COLS = 7;
const rng = new Rng(3);
const x = Float32Array.from({ length: ROWS * COLS }, (_, i) => rng.normal() * 10 ** (i % 5));

const bits = (a: Float32Array): Uint32Array => new Uint32Array(a.slice().buffer);

test('prepareWindow maps values with applyScaling’s arithmetic, bit for bit, for every scaling', () => {
  for (const kind of ['minmax', 'standardize', 'divide255', 'none'] as const) {
    const s = fitScaling(kind, matrix(ROWS, COLS, x));
    const { off, div } = scalingAffine(s, COLS, 'test');
    const a = x.slice();
    assert.equal(prepareWindow(a, a.length, COLS, off, div), -1);
    // Exact equality: both compute (x - off) / div in float64 and round once to float32.
    assert.deepEqual(bits(a), bits(applyScaling(s, matrix(ROWS, COLS, x)).data), kind);
  }
  const a = x.slice();
  assert.equal(prepareWindow(a, a.length, COLS), -1, 'check only');
  assert.deepEqual(bits(a), bits(x), 'without an affine map the values stay as read');
});

test('prepareWindow returns the first non-finite value and stops there', () => {
  const { off, div } = scalingAffine({ kind: 'divide255' }, COLS, 'test');
  for (const bad of [NaN, Infinity, -Infinity]) {
    const a = x.slice();
    a[23] = bad;
    a[40] = NaN;
    assert.equal(prepareWindow(a, a.length, COLS, off, div), 23);
    assert.equal(prepareWindow(x.slice(), 23, COLS), -1, 'only the first n values are checked');
    const b = x.slice();
    b[30] = bad;
    assert.equal(prepareWindow(b, b.length, COLS), 30);
  }
});

test('WindowWorker gives the same bits as the pass on this thread, and moves the memory back', async () => {
  const s = fitScaling('standardize', matrix(ROWS, COLS, x));
  const affine = scalingAffine(s, COLS, 'test');
  const here = await prepareHere.run(x.slice(), x.length, COLS, affine);
  const w = new WindowWorker();
  try {
    await w.ready();
    const buf = x.slice();
    const done = await w.run(buf, x.length, COLS, affine);
    assert.equal(buf.length, 0, 'the buffer was transferred, not copied');
    assert.equal(done.bad, -1);
    assert.deepEqual(bits(done.data), bits(here.data));
    // Again with the returned memory, holding a NaN at row 4, field 3.
    done.data.set(x);
    done.data[4 * COLS + 2] = NaN;
    const again = await w.run(done.data, x.length, COLS, affine);
    assert.equal(again.bad, 4 * COLS + 2);
    // A view into a larger buffer cannot be transferred: it is done here, in place.
    const big = x.slice();
    const view = big.subarray(COLS);
    const v = await w.run(view, view.length, COLS, affine);
    assert.equal(v.data, view);
    assert.deepEqual(bits(view), bits(here.data.subarray(COLS)));
  } finally {
    await w.close();
  }
});
