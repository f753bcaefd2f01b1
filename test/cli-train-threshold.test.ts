// `aedr train --threshold`: the anomaly threshold fitted on the training rows after training,
// stored in model.json's `anomaly` record, shown by `aedr info`, used by `aedr score` without a
// --threshold flag, and fitted again for the new weights by --resume. Expected thresholds come
// from the library (fitAnomalyThreshold on the saved model), exactly: the same float32
// reconstructions give the same scores.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fitAnomalyThreshold, scoreAnomalies } from '../src/train/anomaly.js';
import { loadModel } from '../src/train/persist.js';
import { matrix, type Matrix32 } from '../src/util/matrix.js';
import { Rng } from '../src/util/rng.js';
import { aedr, failsWithError } from './helpers/cli.js';

const rng = new Rng(21);
const basis = Array.from({ length: 10 }, () => rng.normal());
/** n rows of 5 features near a 2-d plane; `spread` > 0.05 pushes them off it. */
function rows(n: number, spread: number): Matrix32 {
  const out = new Float32Array(n * 5);
  for (let i = 0; i < n; i++) {
    const a = rng.normal();
    const b = rng.normal();
    for (let j = 0; j < 5; j++)
      out[i * 5 + j] = 3 + a * basis[j] + b * basis[5 + j] + spread * rng.normal();
  }
  return matrix(n, 5, out);
}
function csv(path: string, m: Matrix32): void {
  const lines = [Array.from({ length: m.cols }, (_, j) => `f${j}`).join(',')];
  for (let i = 0; i < m.rows; i++)
    lines.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols), String).join(','));
  writeFileSync(path, lines.join('\n') + '\n');
}

let dir: string;
const train = rows(200, 0.05);
const probe = matrix(30, 5, Float32Array.from([...rows(20, 0.05).data, ...rows(10, 3).data]));

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'aedr-train-threshold-'));
  csv(join(dir, 'train.csv'), train);
  csv(join(dir, 'probe.csv'), probe);
});
after(() => rmSync(dir, { recursive: true, force: true }));

const trainArgs = (out: string, ...extra: string[]): string[] => [
  'train',
  '--data',
  join(dir, 'train.csv'),
  '--latent',
  '2',
  '--epochs',
  '2',
  '--batch-size',
  '16',
  '--threads',
  '1',
  '--no-spin',
  '--out',
  out,
  ...extra,
];

test('train --threshold quantile:0.9 --metric mae: model.json holds the library threshold; info shows it; score flags by it; resume refits it', async () => {
  const out = join(dir, 'q');
  const r = await aedr(...trainArgs(out, '--threshold', 'quantile:0.9', '--metric', 'mae'));
  assert.equal(r.code, 0, r.err);
  const m = loadModel(out, { threads: 1 });
  const expected = await fitAnomalyThreshold(m, train, 'quantile:0.9', { metric: 'mae' });
  assert.deepEqual(m.anomaly, expected);
  assert.match(
    r.out,
    /anomaly threshold \S+ \(quantile:0\.9 of the mae scores of the 200 training rows; aedr score flags rows above it\)/,
  );

  const info = await aedr('info', '--model', out);
  assert.equal(info.code, 0, info.err);
  assert.match(
    info.out,
    /anomaly {7}threshold \S+ on mae scores \(quantile:0\.9, fitted on the training rows\); aedr score flags rows above it/,
  );

  // score without --threshold (and without --metric: the stored one) flags rows above it.
  const s = await aedr(
    'score',
    '--model',
    out,
    '--data',
    join(dir, 'probe.csv'),
    '--out',
    join(dir, 's.csv'),
    '--json',
  );
  assert.equal(s.code, 0, s.err);
  const summary = JSON.parse(s.out) as { metric: string; flagged: number; threshold: unknown };
  const scores = await scoreAnomalies(m, probe, { metric: 'mae' });
  assert.equal(summary.metric, 'mae');
  assert.deepEqual(summary.threshold, {
    value: expected.threshold,
    rule: 'quantile:0.9',
    source: 'model.json',
  });
  assert.equal(summary.flagged, scores.filter((v) => v > expected.threshold).length);
  // The off-plane rows lie above a 0.9 quantile of the training errors (structural check).
  assert.ok(summary.flagged >= 10, `flagged ${summary.flagged}`);
  await m.dispose();

  // --resume trains on: the threshold is fitted again on the new weights, same rule and metric.
  const again = await aedr('train', '--resume', out, '--epochs', '3', '--quiet');
  assert.equal(again.code, 0, again.err);
  const m3 = loadModel(out, { threads: 1 });
  assert.equal(m3.history.length, 3);
  assert.deepEqual(
    m3.anomaly,
    await fitAnomalyThreshold(m3, train, 'quantile:0.9', { metric: 'mae' }),
  );
  assert.notEqual(m3.anomaly?.threshold, expected.threshold);
  await m3.dispose();
});

test('train --threshold mean+2std and a fixed value: the record; without --threshold none; --json carries it', async () => {
  const out = join(dir, 'std');
  const r = await aedr(...trainArgs(out, '--threshold', 'mean+2std', '--json'));
  assert.equal(r.code, 0, r.err);
  const m = loadModel(out, { threads: 1 });
  const expected = await fitAnomalyThreshold(m, train, 'mean+2std');
  assert.deepEqual((JSON.parse(r.out) as { anomaly: unknown }).anomaly, expected);
  assert.deepEqual(m.anomaly, expected);
  await m.dispose();

  const fixed = join(dir, 'fixed');
  const f = await aedr(...trainArgs(fixed, '--threshold', '0.125', '--quiet'));
  assert.equal(f.code, 0, f.err);
  assert.deepEqual(loadModel(fixed).anomaly, { metric: 'mse', rule: '0.125', threshold: 0.125 });

  const none = join(dir, 'none');
  assert.equal((await aedr(...trainArgs(none, '--quiet'))).code, 0);
  assert.equal(loadModel(none).anomaly, undefined);
  assert.equal(
    (JSON.parse(readFileSync(join(none, 'model.json'), 'utf8')) as { anomaly?: unknown }).anomaly,
    undefined,
  );
});

test('train --threshold misuse: a bad rule and --metric alone are refused before training', async () => {
  await failsWithError(
    2,
    /--threshold "top1%": expected mean\+std, mean\+Kstd \(e\.g\. mean\+3std\), quantile:Q with 0 <= Q <= 1, or a number/,
    ...trainArgs(join(dir, 'bad'), '--threshold', 'top1%'),
  );
  await failsWithError(
    2,
    /--metric applies to --threshold only/,
    ...trainArgs(join(dir, 'bad'), '--metric', 'mae'),
  );
  await failsWithError(
    2,
    /option '--metric <name>' argument 'rmse' is invalid/,
    ...trainArgs(join(dir, 'bad'), '--threshold', 'mean+std', '--metric', 'rmse'),
  );
});

test('train --conv with --threshold: a convolutional model stores its threshold too; score uses it', async () => {
  // 8 x 8 one-channel images: a bright 3 x 3 blob at a random place on dark noise, 0..255.
  const r8 = new Rng(5);
  const n = 96;
  const x = new Float32Array(n * 64);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < 64; p++) x[i * 64 + p] = r8.uniform(0, 30);
    const r0 = r8.int(6);
    const c0 = r8.int(6);
    for (let r = r0; r < r0 + 3; r++) for (let c = c0; c < c0 + 3; c++) x[i * 64 + r * 8 + c] = 220;
  }
  const images = matrix(n, 64, x);
  csv(join(dir, 'images.csv'), images);
  const out = join(dir, 'conv');
  const r = await aedr(
    'train',
    '--data',
    join(dir, 'images.csv'),
    '--conv',
    '4',
    '--input-shape',
    '8x8x1',
    '--scaling',
    'divide255',
    '--epochs',
    '1',
    '--batch-size',
    '16',
    '--threads',
    '1',
    '--no-spin',
    '--threshold',
    'quantile:0.95',
    '--out',
    out,
    '--quiet',
  );
  assert.equal(r.code, 0, r.err);
  const m = loadModel(out, { threads: 1 });
  assert.deepEqual(m.anomaly, await fitAnomalyThreshold(m, images, 'quantile:0.95'));
  const s = await aedr(
    'score',
    '--model',
    out,
    '--data',
    join(dir, 'images.csv'),
    '--out',
    join(dir, 'conv.npy'),
    '--json',
  );
  assert.equal(s.code, 0, s.err);
  const scores = await scoreAnomalies(m, images);
  const summary = JSON.parse(s.out) as { flagged: number };
  assert.equal(summary.flagged, scores.filter((v) => v > (m.anomaly?.threshold ?? 0)).length);
  await m.dispose();
});
