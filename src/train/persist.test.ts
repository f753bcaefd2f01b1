import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelFormatError } from '../errors.js';
import { stackSpec } from '../nn/autoencoder-spec.js';
import { RtTensor, Session } from '../runtime/session.js';
import { matrix } from '../util/matrix.js';
import { Rng } from '../util/rng.js';
import { AutoencoderModel } from './model.js';
import { loadModel, saveModel } from './persist.js';
import { fit } from './trainer.js';

const dir = mkdtempSync(join(tmpdir(), 'aedr-persist-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

function data(n: number): ReturnType<typeof matrix<Float32Array>> {
  const r = new Rng(2);
  return matrix(
    n,
    20,
    Float32Array.from({ length: n * 20 }, () => Math.round(r.uniform(0, 255))),
  );
}

async function trained(): Promise<AutoencoderModel> {
  const m = AutoencoderModel.create(stackSpec(20, [8, 3], { outputActivation: 'sigmoid' }), {
    seed: 4,
    scaling: { kind: 'divide255' },
    threads: 1,
  });
  await fit(m, data(64), { epochs: 2, batchSize: 16 });
  return m;
}

test('save then load gives bit-identical encode and decode; model.json holds the history contract', async () => {
  const m = await trained();
  const out = join(dir, 'm1');
  saveModel(m, out);
  const back = loadModel(out, { threads: 1 });
  const x = data(10);
  assert.deepEqual(Array.from((await back.encode(x)).data), Array.from((await m.encode(x)).data));
  const z = await m.encode(x);
  assert.deepEqual(Array.from((await back.decode(z)).data), Array.from((await m.decode(z)).data));
  const json = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')) as {
    history: Record<string, number>[];
    scaling: unknown;
  };
  assert.equal(json.history.length, 2);
  for (const k of ['epoch', 'trainLoss', 'trainMse', 'seconds'])
    assert.equal(typeof json.history[1][k], 'number', k);
  assert.deepEqual(json.scaling, { kind: 'divide255' });
  assert.deepEqual(
    readdirSync(dir).filter((n) => n.startsWith('.aedr-tmp')),
    [],
    'no temp folders left',
  );
  await m.dispose();
  await back.dispose();
});

test('encoder.onnx and decoder.onnx run in a plain session and equal encode()/decode() (data units in, data units out)', async () => {
  const m = await trained();
  const out = join(dir, 'm2');
  saveModel(m, out);
  const x = data(7);
  const enc = await Session.create(readFileSync(join(out, 'encoder.onnx')), { threads: 1 });
  const code = (await enc.run({ input: new RtTensor(x.data, [7, 20]) })).code.data as Float32Array;
  assert.deepEqual(Array.from(code), Array.from((await m.encode(x)).data));
  const dec = await Session.create(readFileSync(join(out, 'decoder.onnx')), { threads: 1 });
  const rec = (await dec.run({ code: new RtTensor(code, [7, 3]) })).output.data as Float32Array;
  assert.ok(
    rec.every((v) => v >= 0 && v <= 255),
    'sigmoid output times 255 stays in data units',
  );
  await enc.dispose();
  await dec.dispose();
  await m.dispose();
});

test('saving over an existing model replaces it whole', async () => {
  const out = join(dir, 'm3');
  const a = await trained();
  saveModel(a, out);
  const b = AutoencoderModel.create(stackSpec(20, [5]), { seed: 1 });
  saveModel(b, out);
  assert.equal(loadModel(out).latentDim, 5);
});

test('missing, corrupt or inconsistent model files raise ModelFormatError naming file and field', async () => {
  const out = join(dir, 'm4');
  saveModel(await trained(), out);
  const isFormat = (re: RegExp) => (e: unknown) =>
    e instanceof ModelFormatError && re.test(e.message);
  assert.throws(
    () => loadModel(join(dir, 'nope')),
    isFormat(/nope\/model\.json: model\.json is missing; is this an aedr model folder\?/),
  );
  const json = readFileSync(join(out, 'model.json'), 'utf8');
  writeFileSync(join(out, 'model.json'), json.slice(0, 100));
  assert.throws(() => loadModel(out), isFormat(/model\.json: not valid JSON/));
  const obj = JSON.parse(json) as Record<string, unknown>;
  writeFileSync(
    join(out, 'model.json'),
    JSON.stringify({ ...obj, architecture: { ...(obj.architecture as object), inputDim: -3 } }),
  );
  assert.throws(
    () => loadModel(out),
    isFormat(/model\.json: field architecture\.inputDim: expected a positive integer, got -3/),
  );
  writeFileSync(join(out, 'model.json'), JSON.stringify({ ...obj, formatVersion: 99 }));
  assert.throws(() => loadModel(out), isFormat(/field formatVersion: expected 1, got 99/));
  writeFileSync(join(out, 'model.json'), json);
  const enc = readFileSync(join(out, 'encoder.onnx'));
  enc[enc.length - 5] ^= 0xff;
  writeFileSync(join(out, 'encoder.onnx'), enc);
  assert.throws(
    () => loadModel(out),
    isFormat(/encoder\.onnx: sha256 does not match model\.json's files\.encoder\.sha256/),
  );
  rmSync(join(out, 'decoder.onnx'));
  writeFileSync(join(out, 'encoder.onnx'), enc.subarray(0, 10));
  assert.throws(() => loadModel(out), isFormat(/encoder\.onnx: sha256 does not match/));
});
