import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose } from '../../test/helpers/close.js';
import { fitScaling } from '../data/scaling.js';
import { reconstructionMse } from '../metrics/reconstruction.js';
import { rocAuc } from '../metrics/roc.js';
import { stackSpec } from '../nn/autoencoder-spec.js';
import { matrix, type Matrix32 } from '../util/matrix.js';
import { Rng } from '../util/rng.js';
import { fitAnomalyThreshold, parseAnomalyRecord, scoreAnomalies } from './anomaly.js';
import { computeThreshold } from '../metrics/threshold.js';
import { AutoencoderModel } from './model.js';
import { fit } from './trainer.js';
import { deserializeModel, loadModel, saveModel, serializeModel } from './persist.js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Normal rows lie near a 2-d plane in 8-d (values about 0..100); anomalies are off the plane.
const rng = new Rng(3);
const basis = Array.from({ length: 16 }, () => rng.normal());
function rows(n: number, anomalous: boolean): Matrix32 {
  const out = new Float32Array(n * 8);
  for (let i = 0; i < n; i++) {
    const a = rng.normal();
    const b = rng.normal();
    for (let j = 0; j < 8; j++) {
      const off = anomalous ? 3 * rng.normal() : 0.05 * rng.normal();
      out[i * 8 + j] = 50 + 10 * (a * basis[j] + b * basis[8 + j] + off);
    }
  }
  return matrix(n, 8, out);
}
const train = rows(300, false);
const normal = rows(60, false);
const odd = rows(20, true);
const test_ = matrix(80, 8, Float32Array.from([...normal.data, ...odd.data]));
const labels = Array.from({ length: 80 }, (_, i) => (i < 60 ? 0 : 1));
let model: AutoencoderModel;

before(async () => {
  model = AutoencoderModel.create(stackSpec(8, [6, 2], { outputActivation: 'linear' }), {
    seed: 1,
    scaling: fitScaling('standardize', train),
  });
  await fit(model, train, { epochs: 30, batchSize: 16, threads: 1, spin: false });
});
after(async () => model.dispose());

test('mse and mae scores are per-row errors of reconstruct() in scaled units (rtol 1e-6: float32 reconstructions)', async () => {
  const rec = await model.reconstruct(test_);
  const scaling = model.scaling;
  assert.equal(scaling.kind, 'standardize');
  const std = scaling.kind === 'standardize' ? scaling.std : [];
  const mse = await scoreAnomalies(model, test_);
  const mae = await scoreAnomalies(model, test_, { metric: 'mae' });
  const eMse = new Float64Array(80);
  const eMae = new Float64Array(80);
  for (let i = 0; i < 80; i++) {
    for (let j = 0; j < 8; j++) {
      const e = (test_.data[i * 8 + j] - rec.data[i * 8 + j]) / std[j];
      eMse[i] += (e * e) / 8;
      eMae[i] += Math.abs(e) / 8;
    }
  }
  assertClose(mse, eMse, { rtol: 1e-6, what: 'mse' });
  assertClose(mae, eMae, { rtol: 1e-6, what: 'mae' });
  // Batching changes nothing (same float32 reconstructions row by row).
  assert.deepEqual(await scoreAnomalies(model, test_, { batchSize: 7 }), mse);
  // The trained model separates the off-plane rows (a structural check, not a golden value).
  assert.ok(rocAuc(mse, labels) > 0.9, `AUC ${rocAuc(mse, labels)}`);
});

test('with no scaling the mse score is reconstructionMse per sample in data units (rtol 1e-12)', async () => {
  const m = AutoencoderModel.create(stackSpec(8, [3], { outputActivation: 'linear' }), { seed: 2 });
  const s = await scoreAnomalies(m, normal);
  assertClose(s, reconstructionMse(normal, await m.reconstruct(normal)).perSample, { rtol: 1e-12 });
  assert.equal((await scoreAnomalies(m, matrix(0, 8, new Float32Array(0)))).length, 0);
  await m.dispose();
});

test('scoreAnomalies misuse: wrong width, NaN/Inf naming row and column, bad options', async () => {
  await assert.rejects(scoreAnomalies(model, matrix(2, 5, new Float32Array(10))), {
    name: 'ShapeError',
    message: "scoreAnomalies: x must have 8 columns (the model's inputDim), got 2 x 5",
  });
  const bad = Float32Array.from(normal.data);
  bad[2 * 8 + 5] = NaN;
  await assert.rejects(scoreAnomalies(model, matrix(60, 8, bad)), {
    name: 'DataError',
    message: 'scoreAnomalies: x must be finite, found NaN at row 2, column 5',
  });
  bad[2 * 8 + 5] = 1;
  bad[0] = -Infinity;
  await assert.rejects(scoreAnomalies(model, matrix(60, 8, bad)), {
    name: 'DataError',
    message: 'scoreAnomalies: x must be finite, found -Infinity at row 0, column 0',
  });
  await assert.rejects(scoreAnomalies(model, normal, { metric: 'rmse' as 'mse' }), {
    name: 'ConfigError',
    message: 'metric must be one of mse, mae, got "rmse"',
  });
  await assert.rejects(scoreAnomalies(model, normal, { batchSize: 0 }), {
    name: 'ConfigError',
    message: 'batchSize must be an integer >= 1, got 0',
  });
});

test('parseAnomalyRecord: absent, valid, and each bad field named', () => {
  assert.equal(parseAnomalyRecord({ format: 'x' }, 'm/model.json'), undefined);
  const ok = { anomaly: { metric: 'mae', rule: 'quantile:0.99', threshold: 0.5 } };
  assert.deepEqual(parseAnomalyRecord(ok, 'm/model.json'), ok.anomaly);
  for (const [anomaly, msg] of [
    [3, 'm/model.json: field anomaly: expected an object, got 3'],
    [
      { ...ok.anomaly, metric: 'l2' },
      'm/model.json: field anomaly.metric: expected "mse" or "mae", got "l2"',
    ],
    [
      { ...ok.anomaly, threshold: null },
      'm/model.json: field anomaly.threshold: expected a finite number, got null',
    ],
    [
      { ...ok.anomaly, rule: 'top5' },
      'm/model.json: field anomaly.rule: expected mean+std, mean+Kstd, quantile:Q or a number, got "top5"',
    ],
  ] as const) {
    assert.throws(() => parseAnomalyRecord({ anomaly }, 'm/model.json'), {
      name: 'ModelFormatError',
      message: msg,
    });
  }
});

test('fitAnomalyThreshold: the rule on the training scores, in the record form parseAnomalyRecord reads', async () => {
  const rec = await fitAnomalyThreshold(model, train, 'quantile:0.99', { metric: 'mae' });
  const scores = await scoreAnomalies(model, train, { metric: 'mae' });
  assert.deepEqual(rec, {
    metric: 'mae',
    rule: 'quantile:0.99',
    threshold: computeThreshold({ kind: 'quantile', q: 0.99 }, scores),
  });
  assert.deepEqual(parseAnomalyRecord({ anomaly: rec }, 'model.json'), rec);
  // About 1 % of the training rows lie above their own 0.99 quantile.
  assert.equal(scores.filter((s) => s > rec.threshold).length, 3);
  assert.deepEqual(await fitAnomalyThreshold(model, train, '0.5'), {
    metric: 'mse',
    rule: '0.5',
    threshold: 0.5,
  });
  await assert.rejects(fitAnomalyThreshold(model, train, 'top1%', { flag: '--threshold' }), {
    name: 'ConfigError',
    message: /^--threshold "top1%": expected mean\+std/,
  });
});

test('a model.anomaly record survives saveModel/loadModel and serialize/deserialize; a bad one is refused at load', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'aedr-anomaly-'));
  try {
    model.anomaly = await fitAnomalyThreshold(model, train, 'mean+2std');
    saveModel(model, dir);
    const back = loadModel(dir, { threads: 1 });
    assert.deepEqual(back.anomaly, model.anomaly);
    // Saved again (as `aedr serve` or a reducer would), the record stays.
    saveModel(back, dir);
    assert.deepEqual(loadModel(dir).anomaly, model.anomaly);
    await back.dispose();
    const files = serializeModel(model);
    assert.deepEqual(files.manifest.anomaly, model.anomaly);
    const mem = deserializeModel(
      { modelJson: JSON.stringify(files.manifest), encoder: files.encoder, decoder: files.decoder },
      'mem',
    );
    assert.deepEqual(mem.anomaly, model.anomaly);
    // The stored threshold is the rule on the scores of the rows it was fitted on (same float32
    // reconstructions: exact).
    const scores = await scoreAnomalies(mem, train);
    assert.equal(mem.anomaly?.threshold, computeThreshold({ kind: 'meanStd', k: 2 }, scores));
    await mem.dispose();
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    writeFileSync(
      join(dir, 'model.json'),
      JSON.stringify({ ...json, anomaly: { metric: 'mse', rule: 'top5', threshold: 1 } }),
    );
    assert.throws(() => loadModel(dir), {
      name: 'ModelFormatError',
      message:
        /model\.json: field anomaly\.rule: expected mean\+std, mean\+Kstd, quantile:Q or a number, got "top5"/,
    });
  } finally {
    model.anomaly = undefined;
    rmSync(dir, { recursive: true, force: true });
  }
});
