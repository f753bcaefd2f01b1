// The VAE's loss terms: forward values against closed forms written out here in plain
// float64 TypeScript (the formulas of pytorch/examples' vae/main.py loss_function), and
// gradients against central differences (float64 interpreter, h = 1e-6, atol 1e-7, rtol 1e-6)
// with the noise ε held fixed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Graph } from '../graph/graph.js';
import { evaluate, type Value } from '../graph/evaluate.js';
import { Rng } from '../util/rng.js';
import { ShapeError } from '../errors.js';
import { assertClose } from '../../test/helpers/close.js';
import { checkGradients } from '../../test/helpers/grad-check.js';
import { klDivergence, reconstructionSum, reparameterize } from './vae.js';

const B = 3;
const K = 2;
const D = 4;
const value = (shape: number[], r: Rng, lo = -1, hi = 1): Value => ({
  shape,
  data: Float64Array.from({ length: shape[0] * shape[1] }, () => r.uniform(lo, hi)),
});

test('klDivergence is -1/2 sum(1 + logvar - mu^2 - exp(logvar)) per row, averaged or summed over rows (rtol 1e-12)', () => {
  const r = new Rng(3);
  const g = new Graph();
  const mu = g.input('mu', [B, K]);
  const lv = g.input('lv', [B, K]);
  const feeds = { mu: value([B, K], r), lv: value([B, K], r) };
  const [mean, sum] = evaluate(g, feeds, [
    klDivergence(g, mu, lv, 'mean'),
    klDivergence(g, mu, lv, 'sum'),
  ]);
  let expected = 0;
  for (let i = 0; i < B * K; i++) {
    const m = feeds.mu.data[i];
    const v = feeds.lv.data[i];
    expected += -0.5 * (1 + v - m * m - Math.exp(v));
  }
  assertClose(sum.data[0], expected, { rtol: 1e-12, what: 'KL summed' });
  assertClose(mean.data[0], expected / B, { rtol: 1e-12, what: 'KL per row' });
  // KL(N(0, 1) || N(0, 1)) = 0.
  const zero = evaluate(
    g,
    {
      mu: { shape: [B, K], data: new Float64Array(B * K) },
      lv: { shape: [B, K], data: new Float64Array(B * K) },
    },
    [klDivergence(g, mu, lv, 'sum')],
  );
  assert.equal(Math.abs(zero[0].data[0]), 0);
});

test('reconstructionSum: BCE from logits and squared error, summed per row (rtol 1e-12)', () => {
  const r = new Rng(4);
  const g = new Graph();
  const z = g.input('z', [B, D]);
  const y = g.input('y', [B, D]);
  const p = g.sigmoid(z);
  const feeds = { z: value([B, D], r, -3, 3), y: value([B, D], r, 0, 1) };
  const [bce, bceSum, sq] = evaluate(g, feeds, [
    reconstructionSum(g, 'bce', p, y, 'mean', z),
    reconstructionSum(g, 'bce', p, y, 'sum', z),
    reconstructionSum(g, 'mse', p, y, 'mean'),
  ]);
  let b = 0;
  let s = 0;
  for (let i = 0; i < B * D; i++) {
    const q = 1 / (1 + Math.exp(-feeds.z.data[i]));
    const t = feeds.y.data[i];
    b += -(t * Math.log(q) + (1 - t) * Math.log(1 - q));
    s += (q - t) ** 2;
  }
  assertClose(bceSum.data[0], b, { rtol: 1e-12, what: 'BCE summed' });
  assertClose(bce.data[0], b / B, { rtol: 1e-12, what: 'BCE per row' });
  assertClose(sq.data[0], s / B, { rtol: 1e-12, what: 'squared error per row' });
});

test('reparameterize gives mu + exp(logvar / 2) * eps (rtol 1e-12)', () => {
  const r = new Rng(5);
  const g = new Graph();
  const [mu, lv, eps] = ['mu', 'lv', 'eps'].map((n) => g.input(n, [B, K]));
  const feeds = { mu: value([B, K], r), lv: value([B, K], r), eps: value([B, K], r, -2, 2) };
  const [zv] = evaluate(g, feeds, [reparameterize(g, mu, lv, eps)]);
  const expected = feeds.mu.data.map(
    (m, i) => m + Math.exp(feeds.lv.data[i] / 2) * feeds.eps.data[i],
  );
  assertClose(zv.data, expected, { rtol: 1e-12, what: 'z' });
});

test('KL and reparameterisation gradients match central differences with eps fixed', () => {
  const r = new Rng(6);
  const g = new Graph();
  const [mu, lv, eps] = ['mu', 'lv', 'eps'].map((n) => g.input(n, [B, K]));
  const y = g.input('y', [B, K]);
  const z = reparameterize(g, mu, lv, eps);
  // A loss through z (squared error to y) plus the KL: both paths reach mu and logvar.
  const loss = g.add(reconstructionSum(g, 'mse', z, y, 'mean'), klDivergence(g, mu, lv, 'mean'));
  const feeds = {
    mu: value([B, K], r),
    lv: value([B, K], r),
    eps: value([B, K], r, -2, 2),
    y: value([B, K], r),
  };
  checkGradients(g, loss, [mu, lv], feeds);
  const g2 = new Graph();
  const [m2, l2] = ['mu', 'lv'].map((n) => g2.input(n, [B, K]));
  checkGradients(g2, klDivergence(g2, m2, l2, 'sum'), [m2, l2], feeds);
});

test('the per-row reductions refuse a tensor without static columns', () => {
  const g = new Graph();
  const a = g.input('a', [B, 'k']);
  assert.throws(
    () => klDivergence(g, a, a, 'mean'),
    (e: unknown) =>
      e instanceof ShapeError && /expected \[rows, values\] with static values/.test(e.message),
  );
});
