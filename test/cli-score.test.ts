// `aedr score` end to end, in-process: a small model trained here through the library on rows
// near a plane, scored on held-out normal rows and off-plane anomalies. Output files and printed
// figures are checked against the library (scoreAnomalies, rocAuc, computeThreshold).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCsv } from '../src/data/csv.js';
import { readNpy } from '../src/data/npy.js';
import { fitScaling } from '../src/data/scaling.js';
import { prAuc, rocAuc, thresholdMetrics } from '../src/metrics/roc.js';
import { computeThreshold } from '../src/metrics/threshold.js';
import { stackSpec } from '../src/nn/autoencoder-spec.js';
import { scoreAnomalies } from '../src/train/anomaly.js';
import { AutoencoderModel } from '../src/train/model.js';
import { saveModel } from '../src/train/persist.js';
import { fit } from '../src/train/trainer.js';
import { matrix, type Matrix32 } from '../src/util/matrix.js';
import { Rng } from '../src/util/rng.js';
import { assertClose } from './helpers/close.js';
import { aedr, failsWithError } from './helpers/cli.js';

const rng = new Rng(9);
const basis = Array.from({ length: 12 }, () => rng.normal());
/** n rows of 6 features near a 2-d plane; `spread` > 0.05 pushes them off it. */
function rows(n: number, spread: number): Matrix32 {
  const out = new Float32Array(n * 6);
  for (let i = 0; i < n; i++) {
    const a = rng.normal();
    const b = rng.normal();
    for (let j = 0; j < 6; j++)
      out[i * 6 + j] = 5 + a * basis[j] + b * basis[6 + j] + spread * rng.normal();
  }
  return matrix(n, 6, out);
}
function csv(path: string, m: Matrix32, labels?: string[]): void {
  const lines = [
    [...Array.from({ length: m.cols }, (_, j) => `f${j}`), ...(labels ? ['kind'] : [])].join(','),
  ];
  for (let i = 0; i < m.rows; i++) {
    const r = Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols), String);
    lines.push([...r, ...(labels ? [labels[i]] : [])].join(','));
  }
  writeFileSync(path, lines.join('\n') + '\n');
}

let dir: string;
let modelDir: string;
let model: AutoencoderModel;
const train = rows(600, 0.05);
const normal = rows(40, 0.05);
const odd = rows(20, 2);
const test_ = matrix(60, 6, Float32Array.from([...normal.data, ...odd.data]));
const kinds = Array.from({ length: 60 }, (_, i) => (i < 40 ? 'ok' : i % 2 ? 'bent' : 'broken'));
const positive = kinds.map((k) => (k === 'ok' ? 0 : 1));

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aedr-score-'));
  model = AutoencoderModel.create(stackSpec(6, [2], { outputActivation: 'linear' }), {
    seed: 4,
    scaling: fitScaling('standardize', train),
  });
  await fit(model, train, { epochs: 2, batchSize: 8, threads: 1, spin: false });
  modelDir = join(dir, 'model');
  saveModel(model, modelDir);
  csv(join(dir, 'train.csv'), train);
  csv(join(dir, 'test.csv'), test_, kinds);
});
after(async () => {
  await model.dispose();
  rmSync(dir, { recursive: true, force: true });
});

test('score to CSV: score, flagged and label columns; the printed AUCs and counts are the library values', async () => {
  const out = join(dir, 'scores.csv');
  const r = await aedr(
    'score',
    '--model',
    modelDir,
    '--data',
    join(dir, 'test.csv'),
    '--label-column',
    'kind',
    '--normal-label',
    'ok',
    '--threshold',
    'quantile:0.95',
    '--train-data',
    join(dir, 'train.csv'),
    '--out',
    out,
  );
  assert.equal(r.code, 0, r.err);
  const expected = await scoreAnomalies(model, test_);
  const trainScores = await scoreAnomalies(model, train);
  const t = computeThreshold({ kind: 'quantile', q: 0.95 }, trainScores);
  const back = readCsv(out, { labelColumn: 'label' });
  const header = readFileSync(out, 'utf8').split('\n')[0];
  assert.equal(header, 'score,flagged,label');
  assert.equal(back.x.rows, 60);
  // CSV scores are float32 on reading back (rtol 1e-6); the model and data are the same.
  assertClose(
    Array.from({ length: 60 }, (_, i) => back.x.data[i * 2]),
    expected,
    { rtol: 1e-6, what: 'score' },
  );
  const flagged = Array.from({ length: 60 }, (_, i) => back.x.data[i * 2 + 1]);
  assert.deepEqual(
    flagged,
    Array.from(expected, (s) => (s > t ? 1 : 0)),
  );
  assert.deepEqual(
    Array.from(back.labels ?? [], (c) => back.labelNames?.[c]),
    kinds,
  );
  const auc = rocAuc(expected, positive);
  const ap = prAuc(expected, positive);
  const at = thresholdMetrics(expected, positive, t);
  assert.match(r.out, new RegExp(`ROC-AUC ${auc.toFixed(4)} {2}PR-AUC ${ap.toFixed(4)}`));
  assert.match(r.out, /normal label ok: 40 normal, 20 anomalous rows/);
  assert.match(
    r.out,
    new RegExp(
      `\\(quantile:0\\.95 fitted on 600 training rows\\): ${at.tp + at.fp} of 60 rows flagged`,
    ),
  );
  assert.match(
    r.out,
    new RegExp(
      `precision ${at.precision.toFixed(4)} {2}recall ${at.recall.toFixed(4)} {2}F1 ${at.f1.toFixed(4)}`,
    ),
  );
  // The off-plane rows are the anomalies: a 2-epoch model ranks them above the normal rows.
  assert.ok(auc > 0.8, `ROC-AUC ${auc}`);
});

test('score to .npy with --metric mae and --json: float64 [n] scores, exact summary', async () => {
  const out = join(dir, 'scores.npy');
  const r = await aedr(
    'score',
    '--model',
    modelDir,
    '--data',
    join(dir, 'test.csv'),
    '--label-column',
    'kind',
    '--normal-label',
    'ok',
    '--metric',
    'mae',
    '--threshold',
    '0.5',
    '--json',
    '--out',
    out,
  );
  assert.equal(r.code, 0, r.err);
  const a = readNpy(out);
  assert.deepEqual(a.shape, [60]);
  assert.ok(a.data instanceof Float64Array);
  const expected = await scoreAnomalies(model, test_, { metric: 'mae' });
  assert.deepEqual(Array.from(a.data), Array.from(expected));
  const s = JSON.parse(r.out) as { rocAuc: number; prAuc: number; flagged: number; metric: string };
  assert.equal(s.metric, 'mae');
  assert.equal(s.rocAuc, rocAuc(expected, positive));
  assert.equal(s.prAuc, prAuc(expected, positive));
  assert.equal(s.flagged, expected.filter((v) => v > 0.5).length);
});

test("a threshold in model.json's anomaly record is used without --threshold and for the same rule", async () => {
  const stored = join(dir, 'stored');
  saveModel(model, stored);
  const jsonPath = join(stored, 'model.json');
  const json = JSON.parse(readFileSync(jsonPath, 'utf8')) as Record<string, unknown>;
  json.anomaly = { metric: 'mse', rule: 'mean+3std', threshold: 0.25 };
  writeFileSync(jsonPath, JSON.stringify(json));
  const expected = await scoreAnomalies(model, test_);
  const n = expected.filter((v) => v > 0.25).length;
  for (const extra of [[], ['--threshold', 'mean+3std']]) {
    const r = await aedr(
      'score',
      '--model',
      stored,
      '--data',
      join(dir, 'test.csv'),
      '--label-column',
      'kind',
      '--out',
      join(dir, 's.csv'),
      ...extra,
    );
    assert.equal(r.code, 0, r.err);
    assert.match(
      r.out,
      new RegExp(
        `threshold 0\\.250000 \\(mean\\+3std from model\\.json\\): ${n} of 60 rows flagged`,
      ),
    );
  }
  // Another metric: the stored threshold does not apply; a note says so and nothing is flagged.
  const r = await aedr(
    'score',
    '--model',
    stored,
    '--data',
    join(dir, 'test.csv'),
    '--label-column',
    'kind',
    '--metric',
    'mae',
    '--out',
    join(dir, 's.csv'),
  );
  assert.equal(r.code, 0, r.err);
  assert.match(
    r.err,
    /note: model\.json's threshold \(mean\+3std\) is for mse scores, not mae; no rows are flagged/,
  );
  assert.equal(readFileSync(join(dir, 's.csv'), 'utf8').split('\n')[0], 'score,label');
});

test('score misuse: exit code and one error line naming the flag, file or fix', async () => {
  const base = ['score', '--model', modelDir, '--out', join(dir, 'x.csv')];
  const data = ['--data', join(dir, 'test.csv'), '--label-column', 'kind'];
  await failsWithError(
    2,
    /--threshold "mean\+2sd": expected mean\+std, mean\+Kstd \(e\.g\. mean\+3std\), quantile:Q with 0 <= Q <= 1, or a number/,
    ...base,
    ...data,
    '--threshold',
    'mean+2sd',
  );
  await failsWithError(
    2,
    /--threshold mean\+std is fitted on the mse scores of the model's training rows, and .*model\.json holds no such threshold; give --train-data <the model's training data>, or a fixed number/,
    ...base,
    ...data,
    '--threshold',
    'mean+std',
  );
  await failsWithError(
    2,
    /--train-data is only used to fit a --threshold rule/,
    ...base,
    ...data,
    '--train-data',
    join(dir, 'train.csv'),
  );
  await failsWithError(
    2,
    /--normal-label needs labels for .*train\.csv: give --labels <file> or --label-column/,
    ...base,
    '--data',
    join(dir, 'train.csv'),
    '--normal-label',
    '0',
  );
  await failsWithError(
    2,
    /--normal-label "fine" is not a label of .*test\.csv; the labels are bent, broken, ok/,
    ...base,
    ...data,
    '--normal-label',
    'fine',
  );
  await failsWithError(
    2,
    /option '--metric <name>' argument 'rmse' is invalid/,
    ...base,
    ...data,
    '--metric',
    'rmse',
  );
  await failsWithError(
    2,
    /--out .*x\.png: unknown output format; expected a file name ending in \.npy, \.csv or \.tsv/,
    'score',
    '--model',
    modelDir,
    ...data,
    '--out',
    join(dir, 'x.png'),
  );
  // Wrong width: 5 feature columns for a 6-input model.
  writeFileSync(join(dir, 'narrow.csv'), 'a,b,c,d,e\n1,2,3,4,5\n');
  await failsWithError(
    1,
    /narrow\.csv: has 5 columns, but the model .* takes 6 inputs; expected data like its training data/,
    ...base,
    '--data',
    join(dir, 'narrow.csv'),
  );
  // A NaN in the data: the reader names the row and field.
  writeFileSync(join(dir, 'nan.csv'), 'a,b,c,d,e,f\n1,2,3,4,5,6\n1,2,NaN,4,5,6\n');
  await failsWithError(
    1,
    /nan\.csv: row 3, field 3: NaN in the data, got "NaN"; expected a finite number/,
    ...base,
    '--data',
    join(dir, 'nan.csv'),
  );
  // One class only.
  await failsWithError(
    1,
    /every row has the normal label bent,broken,ok; ROC-AUC needs both normal and anomalous rows/,
    ...base,
    ...data,
    '--normal-label',
    'bent,broken,ok',
  );
});
