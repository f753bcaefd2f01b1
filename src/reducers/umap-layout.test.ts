// UMAP's SGD layout: umap-learn's epochs_per_sample rule, the unrolled 2-D epoch against the
// general one (a 3-D run with a zero third column takes the same steps: bit-identical first two
// columns), determinism for a seed, and the attraction it exists for (a two-node graph closes up).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../util/rng.js';
import { makeEpochsPerSample, optimizeLayout, type LayoutOptions } from './umap-layout.js';

const opts: LayoutOptions = {
  dim: 2,
  nEpochs: 50,
  a: 1.577,
  b: 0.895,
  gamma: 1,
  initialAlpha: 1,
  negativeSampleRate: 5,
  moveOther: true,
  seed: 4,
};

function randomGraph(n: number, perNode: number, seed: number) {
  const rng = new Rng(seed);
  const head = new Int32Array(n * perNode);
  const tail = new Int32Array(n * perNode);
  const w = new Float64Array(n * perNode);
  for (let i = 0; i < n; i++)
    for (let t = 0; t < perNode; t++) {
      head[i * perNode + t] = i;
      tail[i * perNode + t] = (i + 1 + rng.int(n - 1)) % n;
      w[i * perNode + t] = 0.05 + rng.random();
    }
  const y = new Float64Array(n * 2).map(() => rng.uniform(0, 10));
  return { head, tail, w, y };
}

test('makeEpochsPerSample: max(w)/w epochs per sample, -1 for a zero weight', () => {
  assert.deepEqual(
    Array.from(makeEpochsPerSample(Float64Array.of(1, 0.5, 0.25, 0), 200)),
    [1, 2, 4, -1],
  );
});

test('the unrolled 2-D epoch takes the general epoch steps exactly (3-D with a zero column)', () => {
  const n = 200;
  const g = randomGraph(n, 6, 1);
  const eps = makeEpochsPerSample(g.w, opts.nEpochs);
  const y2 = g.y.slice();
  optimizeLayout(y2, y2, g.head, g.tail, eps, opts);
  const y3 = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) y3.set(g.y.subarray(2 * i, 2 * i + 2), 3 * i);
  optimizeLayout(y3, y3, g.head, g.tail, eps, { ...opts, dim: 3 });
  for (let i = 0; i < n; i++) {
    assert.equal(y3[3 * i + 2], 0);
    assert.equal(y3[3 * i], y2[2 * i], `row ${i} x`);
    assert.equal(y3[3 * i + 1], y2[2 * i + 1], `row ${i} y`);
  }
  assert.notDeepEqual(Array.from(y2), Array.from(g.y));
});

test('the same seed gives the same layout; another seed another one', () => {
  const g = randomGraph(100, 5, 2);
  const eps = makeEpochsPerSample(g.w, opts.nEpochs);
  const run = (seed: number): Float64Array => {
    const y = g.y.slice();
    optimizeLayout(y, y, g.head, g.tail, eps, { ...opts, seed });
    return y;
  };
  assert.deepEqual(run(7), run(7));
  assert.notDeepEqual(run(7), run(8));
});

test('with the tail fixed (transform) only the head rows move, towards their neighbours', () => {
  const tail = Float64Array.of(0, 0, 10, 10);
  const head = Float64Array.of(1, 1);
  const eps = makeEpochsPerSample(Float64Array.of(1), 30);
  optimizeLayout(head, tail.slice(), Int32Array.of(0), Int32Array.of(0), eps, {
    ...opts,
    nEpochs: 30,
    negativeSampleRate: 0,
    moveOther: false,
  });
  assert.ok(Math.hypot(head[0], head[1]) < Math.SQRT2 / 2, `head ${head[0]}, ${head[1]}`);
});
