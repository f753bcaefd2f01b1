import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PCA } from '../../reducers/pca.js';
import { loadModel } from '../../train/persist.js';
import { matrix } from '../../util/matrix.js';
import { Rng } from '../../util/rng.js';
import { assertClose } from '../../../test/helpers/close.js';
import { planRuns, resolveStudyConfig, type RunSpec } from './config.js';
import {
  executeRun,
  loadStudyData,
  pcaMseCurve,
  readFinishedRun,
  runDir,
  type TrainResult,
} from './runs.js';

const out = mkdtempSync(join(tmpdir(), 'aedr-study-runs-'));
after(() => rmSync(out, { recursive: true, force: true }));

const config = resolveStudyConfig({
  latentDims: [4],
  activations: ['sigmoid'],
  epochs: 2,
  trainSize: 200,
  testSize: 50,
  threads: 1,
  deep: { layers: [16, 3], epochs: 1 },
  conv: { filters: ['4,2'], epochs: 1, batchSize: 50 },
  out,
});
const runs = planRuns(config);
const shallow = runs[0];
const convRun = runs.find((r) => r.kind === 'conv') ?? runs[0];
const pcaRun = runs.find((r) => r.kind === 'pca') ?? runs[0];
const data = loadStudyData(200, 50);

test('pcaMseCurve equals the MSE of inverseTransform(transform(x)) at every k (1e-5 relative: float32 codes)', async () => {
  const rng = new Rng(2);
  const x = matrix(
    60,
    12,
    Float32Array.from({ length: 720 }, (_, i) => rng.normal() * (1 + (i % 12))),
  );
  const pca = await new PCA({ nComponents: 8, svdSolver: 'full' }).fit(x);
  const dims = [1, 3, 8];
  const curve = await pcaMseCurve(pca, x, dims);
  const direct: number[] = [];
  for (const k of dims) {
    const pk = await new PCA({ nComponents: k, svdSolver: 'full' }).fit(x);
    const r = await pk.inverseTransform(await pk.transform(x));
    let s = 0;
    for (let i = 0; i < x.data.length; i++) s += (x.data[i] - r.data[i]) ** 2;
    direct.push(s / x.data.length);
  }
  // float32 codes and reconstructions: agreement to float32 precision of the sums.
  assertClose(curve, direct, { rtol: 1e-5, what: 'PCA MSE' });
  assert.ok(curve[0] > curve[1] && curve[1] > curve[2]);
});

test('executeRun trains, saves model + result.json; readFinishedRun finds it, and not for another id', async () => {
  const events: number[] = [];
  const r = (await executeRun(shallow, data, out, 1, {
    onEpoch: (rec) => events.push(rec.epoch),
  })) as TrainResult;
  assert.deepEqual(events, [1, 2]);
  assert.equal(r.history.length, 2);
  assert.equal(r.trainLoss, r.history[1].trainLoss);
  // Pixels in [0, 1]: a reconstruction error per pixel between 0 and 1.
  assert.ok(r.testMse > 0 && r.testMse < 1);
  const dir = runDir(out, shallow.id);
  assert.ok(existsSync(join(dir, 'result.json')));
  const model = loadModel(join(dir, 'model'));
  assert.equal(model.latentDim, 4);
  assert.equal(model.history.length, 2);
  assert.deepEqual(readFinishedRun(out, shallow), JSON.parse(JSON.stringify(r)));
  const other = { ...shallow, id: 'latent4-sigmoid-0000000000' } as RunSpec;
  assert.equal(readFinishedRun(out, other), undefined);
});

test('readFinishedRun: a result.json without its model, or unreadable, counts as unfinished', () => {
  const fake = { ...shallow, id: 'latent4-relu-1111111111' } as RunSpec;
  const dir = runDir(out, fake.id);
  rmSync(dir, { recursive: true, force: true });
  assert.equal(readFinishedRun(out, fake), undefined, 'no folder');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'result.json'), JSON.stringify({ id: fake.id, kind: 'shallow' }));
  assert.equal(readFinishedRun(out, fake), undefined, 'no model folder');
  writeFileSync(join(dir, 'result.json'), '{"id": ');
  assert.equal(readFinishedRun(out, fake), undefined, 'truncated JSON');
});

test('executeRun on the PCA spec: MSE falls with k and explained variance rises', async () => {
  const multi = { ...pcaRun, dims: [2, 4, 8] } as RunSpec;
  const r = await executeRun(multi, data, out, 1);
  assert.ok(r.kind === 'pca');
  assert.equal(r.testMse.length, 3);
  assert.ok(r.testMse[0] > r.testMse[1] && r.testMse[1] > r.testMse[2]);
  assert.ok(r.explainedVariance[0] < r.explainedVariance[2] && r.explainedVariance[2] < 1);
  assert.ok(existsSync(join(runDir(out, multi.id), 'pca.json')));
});

test('executeRun on a conv spec: a denoising run with its test MSE for clean and noisy input', async () => {
  const r = await executeRun(convRun, data, out, 1);
  assert.ok(r.kind === 'conv');
  // convShorthand('4,2') on 28x28x1: 14x14x4, then the code 7x7x2 = 98 values, and back.
  assert.equal(r.latent, 98);
  assert.deepEqual(r.codeShape, [7, 7, 2]);
  assert.deepEqual(r.layerShapes, [
    [28, 28, 1],
    [14, 14, 4],
    [7, 7, 2],
    [14, 14, 2],
    [28, 28, 4],
    [28, 28, 1],
  ]);
  assert.equal(r.noise, 'gaussian:0.2');
  assert.equal(r.history.length, 1);
  assert.equal(r.testMseNoisy, r.history[0].testMseNoisy);
  // Both are MSEs of [0, 1] images, each below the mean image's (about 0.1 at one epoch's start).
  for (const v of [r.testMse, r.testMseNoisy ?? NaN]) assert.ok(v > 0 && v < 0.12, String(v));
  const model = loadModel(join(runDir(out, convRun.id), 'model'));
  try {
    assert.equal(model.training?.noise, 'gaussian:0.2');
  } finally {
    await model.dispose();
  }
  assert.deepEqual(readFinishedRun(out, convRun), JSON.parse(JSON.stringify(r)));
});
