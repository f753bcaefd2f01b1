// The window ops' builders: symbolic batch sizes through the gradient rules, and every misuse
// pinned to its error class and message. Values come from the float64 reference interpreter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Graph } from './graph.js';
import { gradients } from './autodiff.js';
import { evaluate, type Value } from './evaluate.js';
import { samePads } from './conv-shape.js';
import { Rng } from '../util/rng.js';
import { GraphError, ShapeError } from '../errors.js';
import { assertClose } from '../../test/helpers/close.js';
import { WINDOW_MODEL_SHAPES, windowModel } from '../../test/helpers/op-cases.js';

test('gradients with a symbolic batch equal those with a static batch (float64, rtol 1e-12)', () => {
  const r = new Rng(5);
  const feeds: Record<string, Value> = {};
  const fill = (name: string, shape: number[]): void => {
    const n = shape.reduce((a, b) => a * b, 1);
    feeds[name] = { shape, data: Float64Array.from({ length: n }, () => r.uniform(-1, 1)) };
  };
  fill('x', [3, 1, 8, 8]);
  for (const [k, s] of Object.entries(WINDOW_MODEL_SHAPES)) fill(k, s);
  const results = [windowModel('batch'), windowModel(3)].map(({ g, loss, params }) =>
    evaluate(g, feeds, gradients(g, loss, params)),
  );
  results[0].forEach((v, i) => {
    assert.deepEqual(v.shape, results[1][i].shape);
    assertClose(v.data, results[1][i].data, { rtol: 1e-12, what: `gradient ${i}` });
  });
});

test('symbolic channel counts take the swapped-axes kernel-gradient route and agree with the unfold route (rtol 1e-12)', () => {
  const r = new Rng(6);
  const xv: Value = {
    shape: [2, 3, 7, 6],
    data: Float64Array.from({ length: 252 }, () => r.uniform(-1, 1)),
  };
  const wc: Value = {
    shape: [2, 3, 3, 3],
    data: Float64Array.from({ length: 54 }, () => r.uniform(-1, 1)),
  };
  const wt: Value = {
    shape: [2, 3, 3, 2],
    data: Float64Array.from({ length: 36 }, () => r.uniform(-1, 1)),
  };
  const w3v: Value = {
    shape: [3, 2, 2, 2],
    data: Float64Array.from({ length: 24 }, () => r.uniform(-1, 1)),
  };
  const run = (c: number | string): Value[] => {
    const g = new Graph();
    const x = g.input('x', [2, c, 7, 6]);
    const w1 = g.input('w1', [2, c, 3, 3]);
    const y = g.conv(x, w1, undefined, { strides: [2, 2], autoPad: 'VALID' });
    const w2 = g.input('w2', [2, 3, 3, 2]);
    const z = g.convTranspose(g.tanh(y), w2, undefined, { strides: [2, 3], outputPadding: [1, 2] });
    const w3 = g.input('w3', [c, 2, 2, 2]);
    const z3 = g.convTranspose(x, w3, undefined, { strides: [2, 2], outputPadding: [1, 1] });
    const loss = g.add(g.reduceSum(g.mul(z, z), [], false), g.reduceSum(g.mul(z3, z3), [], false));
    return evaluate(g, { x: xv, w1: wc, w2: wt, w3: w3v }, gradients(g, loss, [w1, w2, w3]));
  };
  const [a, b] = [run('channels'), run(3)];
  a.forEach((v, i) =>
    assertClose(v.data, b[i].data, { rtol: 1e-12, atol: 1e-14, what: `gradient ${i}` }),
  );
});

test('Keras same pads put the odd pad at the end', () => {
  assert.deepEqual(samePads(28, 3, 2), [0, 1]);
  assert.deepEqual(samePads(7, 3, 2), [1, 1]);
  assert.deepEqual(samePads(5, 2, 2), [0, 1]);
  assert.deepEqual(samePads(4, 1, 2), [0, 0]);
  const g = new Graph();
  const x = g.input('x', ['batch', 1, 28, 28]);
  const c1 = g.conv(x, g.input('w1', [16, 1, 3, 3]), undefined, {
    strides: [2, 2],
    autoPad: 'SAME_UPPER',
  });
  const c2 = g.conv(c1, g.input('w2', [8, 16, 3, 3]), undefined, {
    strides: [2, 2],
    autoPad: 'SAME_UPPER',
  });
  assert.deepEqual(c2.shape, ['batch', 8, 7, 7]);
  const t1 = g.convTranspose(c2, g.input('w3', [8, 8, 3, 3]), undefined, {
    strides: [2, 2],
    autoPad: 'SAME_UPPER',
  });
  assert.deepEqual(t1.shape, ['batch', 8, 14, 14]);
  assert.deepEqual(t1.producer?.attrs.pads, [0, 0, 1, 1]);
  const t2 = g.convTranspose(t1, g.input('w4', [8, 16, 1, 1]), undefined, {
    strides: [2, 2],
    autoPad: 'SAME_UPPER',
  });
  assert.deepEqual(t2.shape, ['batch', 16, 28, 28]);
  assert.deepEqual(t2.producer?.attrs.output_padding, [1, 1]);
  assert.deepEqual(g.flatten(c2).shape, ['batch', 392]);
});

test('window-op misuse names the op, the value and what was expected', () => {
  const g = new Graph();
  const x = g.input('x', ['batch', 3, 8, 8]);
  const w = g.input('w', [4, 3, 3, 3]);
  const shapeErr = (re: RegExp) => (e: unknown) => e instanceof ShapeError && re.test(e.message);
  const graphErr = (re: RegExp) => (e: unknown) => e instanceof GraphError && re.test(e.message);
  assert.throws(
    () => g.conv(g.input('flat', ['batch', 64]), w),
    shapeErr(
      /Conv: expected an NCHW input \[N, C, H, W\] with static H and W, got \['batch', 64\]/,
    ),
  );
  assert.throws(
    () => g.conv(x, g.input('w2', [4, 2, 3, 3])),
    shapeErr(/Conv: weight must be \[M, C, kH, kW\] with C = 3 .* got \[4, 2, 3, 3\]/),
  );
  assert.throws(
    () => g.conv(x, w, g.input('b', [3])),
    shapeErr(/Conv: bias must be \[4\], got \[3\]/),
  );
  assert.throws(
    () => g.conv(x, w, undefined, { pads: [1, 1, 1, 1], autoPad: 'SAME_UPPER' }),
    graphErr(/Conv: give either pads or autoPad SAME_UPPER, not both/),
  );
  assert.throws(
    () => g.conv(x, w, undefined, { pads: [1, 1, -1, 1] }),
    graphErr(
      /Conv: pads must be 4 integers >= 0 \[top, left, bottom, right\], got \[1, 1, -1, 1\]/,
    ),
  );
  assert.throws(
    () => g.conv(x, w, undefined, { strides: [0, 1] }),
    graphErr(/Conv: strides must be >= 1, got \[0, 1\]/),
  );
  assert.throws(
    () => g.conv(g.input('tiny', [1, 3, 2, 2]), w),
    shapeErr(/Conv: input \[1, 3, 2, 2\] is too small for the window \(output 0x0\)/),
  );
  assert.throws(
    () =>
      g.convTranspose(x, g.input('wt', [3, 2, 3, 3]), undefined, {
        strides: [2, 2],
        outputPadding: [2, 0],
      }),
    graphErr(
      /ConvTranspose: outputPadding must be >= 0 and below the stride \[2, 2\], got \[2, 0\]/,
    ),
  );
  assert.throws(
    () =>
      g.convTranspose(x, g.input('wt2', [3, 2, 3, 3]), undefined, {
        autoPad: 'SAME_UPPER',
        outputPadding: [1, 1],
      }),
    graphErr(/ConvTranspose: autoPad SAME_UPPER sets pads and outputPadding itself; give neither/),
  );
  assert.throws(
    () => g.convTranspose(x, w),
    shapeErr(/ConvTranspose: weight must be \[C, M, kH, kW\] with C = 3 .* got \[4, 3, 3, 3\]/),
  );
  assert.throws(
    () => g.maxPool(x, { kernelShape: [2, 2], pads: [2, 0, 0, 0] }),
    graphErr(/MaxPool: pads \[2, 0, 0, 0\] must each be below the kernel \[2, 2\]/),
  );
  assert.throws(
    () => g.maxPool(x, { kernelShape: [2] }),
    graphErr(/MaxPool: kernelShape must be 2 integers, got \[2\]/),
  );
  assert.throws(
    () => g.upsample(x, 1.5),
    graphErr(/Resize: scales must be integers >= 1, got \[1.5, 1.5\]/),
  );
  assert.throws(
    () => g.pad(x, [0, 0, 1, 1]),
    shapeErr(/Pad: expected 8 integer pads for \['batch', 3, 8, 8\], got \[0, 0, 1, 1\]/),
  );
  assert.throws(
    () => g.pad(x, [1, 0, 0, 0, 0, 0, 0, 0]),
    shapeErr(/Pad: cannot pad axis 0 of \['batch', 3, 8, 8\] by \[1, 0\]/),
  );
  assert.throws(
    () => g.scatterAdd(g.input('d', [4]), g.constant([0, 1], [2], 'int64'), g.input('u', [3])),
    shapeErr(
      /ScatterElements: expected 1-D data, indices and updates of one length, got \[4\], \[2\], \[3\]/,
    ),
  );
  assert.throws(
    () => g.flatten(g.input('v', [5])),
    shapeErr(/Flatten: expected \[N, \.\.\.\] with static trailing dimensions, got \[5\]/),
  );
});
