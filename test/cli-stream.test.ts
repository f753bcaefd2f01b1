// `aedr encode` and `aedr decode` on the streaming path, in-process: a folder of .npy shards,
// `--stream` over .npy and CSV, Parquet output and input, and `--shard i/N` with completion
// markers and skipped reruns. Expected codes come from the library (`model.encode` on the whole
// matrix); the streamed path runs the same ONNX encoder on blocks, so values agree to float32
// rounding (atol 1e-6, rtol 1e-5: batch size may change onnxruntime's summation order).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCsv } from '../src/data/csv.js';
import { readNpy, writeNpy } from '../src/data/npy.js';
import { fitScaling } from '../src/data/scaling.js';
import { openSource } from '../src/data/stream/open.js';
import { readAllRows } from '../src/data/stream/source.js';
import { stackSpec } from '../src/nn/autoencoder-spec.js';
import { AutoencoderModel } from '../src/train/model.js';
import { loadModel, saveModel } from '../src/train/persist.js';
import { recordDataColumns } from '../src/cli/data-columns.js';
import { fit } from '../src/train/trainer.js';
import { matrix, sliceRows, type Matrix32 } from '../src/util/matrix.js';
import { Rng } from '../src/util/rng.js';
import { parquetBytes, table } from './helpers/arrow-tables.js';
import { assertClose } from './helpers/close.js';
import { aedr, aedrIo, failsWithError } from './helpers/cli.js';

const TOL = { atol: 1e-6, rtol: 1e-5 };
const rng = new Rng(21);
const all: Matrix32 = (() => {
  const n = 160;
  const out = new Float32Array(n * 6);
  for (let i = 0; i < out.length; i++) out[i] = 3 + rng.normal();
  return matrix(n, 6, out);
})();
// Three shards of unequal length (natural order: part-2 before part-10).
const SHARD_ROWS = [50, 70, 40];
const SHARD_NAMES = ['part-1.npy', 'part-2.npy', 'part-10.npy'];

let dir: string;
let modelDir: string;
let model: AutoencoderModel;
let expected: Matrix32;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aedr-stream-'));
  model = AutoencoderModel.create(stackSpec(6, [2], { outputActivation: 'linear' }), {
    seed: 3,
    scaling: fitScaling('standardize', all),
  });
  await fit(model, all, { epochs: 1, batchSize: 16, threads: 1, spin: false });
  modelDir = join(dir, 'model');
  saveModel(model, modelDir);
  mkdirSync(join(dir, 'shards'));
  let at = 0;
  SHARD_ROWS.forEach((n, k) => {
    writeNpy(join(dir, 'shards', SHARD_NAMES[k]), sliceRows(all, at, at + n));
    at += n;
  });
  writeNpy(join(dir, 'all.npy'), all);
  const lines: string[] = [];
  for (let i = 0; i < all.rows; i++) {
    lines.push(Array.from(all.data.subarray(i * 6, i * 6 + 6), String).join(','));
  }
  writeFileSync(join(dir, 'all.csv'), lines.join('\n') + '\n');
  expected = await model.encode(all);
});
after(async () => {
  await model.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const enc = (...args: string[]): ReturnType<typeof aedr> =>
  aedr('encode', '--model', modelDir, ...args);

test('encode a folder of .npy shards streams them in natural order', async () => {
  const out = join(dir, 'codes-shards.npy');
  const r = await enc('--data', join(dir, 'shards'), '--out', out);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /wrote .*codes-shards\.npy: 160 codes of 2 dimensions/);
  const got = readNpy(out);
  assert.deepEqual(got.shape, [160, 2]);
  assertClose(got.data, expected.data, { ...TOL, what: 'streamed codes vs model.encode' });
});

test('--stream over .npy and CSV, --limit, and .csv output with a z0..z1 header', async () => {
  const a = join(dir, 'codes-stream.npy');
  assert.equal((await enc('--data', join(dir, 'all.npy'), '--stream', '--out', a)).code, 0);
  assertClose(readNpy(a).data, expected.data, { ...TOL, what: '.npy --stream' });
  const c = join(dir, 'codes-stream.csv');
  const r = await enc('--data', join(dir, 'all.csv'), '--stream', '--limit', '37', '--out', c);
  assert.equal(r.code, 0, r.err);
  const text = readFileSync(c, 'utf8');
  assert.match(text, /^z0,z1\n/);
  const back = readCsv(c);
  assert.equal(back.x.rows, 37);
  assertClose(back.x.data, expected.data.subarray(0, 74), { ...TOL, what: 'CSV --stream' });
});

test('a terminal sees a rows/s progress line', async () => {
  const r = await aedrIo(
    true,
    'encode',
    '--model',
    modelDir,
    '--data',
    join(dir, 'all.npy'),
    '--stream',
    '--out',
    join(dir, 'codes-tty.npy'),
  );
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /encode: [\d,]+\/160 rows \(\d+%\) {2}[\d,]+ rows\/s {2}ETA \d+s/);
});

test('Parquet: encode to .parquet, read it back, decode it as a stream', async () => {
  const pq = join(dir, 'codes.parquet');
  const r = await enc('--data', join(dir, 'shards'), '--out', pq);
  assert.equal(r.code, 0, r.err);
  const s = await openSource(pq);
  const codes = await readAllRows(s);
  await s.close();
  assertClose(codes.data, expected.data, { ...TOL, what: 'parquet codes' });
  const rec = join(dir, 'rec.npy');
  const d = await aedr('decode', '--model', modelDir, '--codes', pq, '--out', rec);
  assert.equal(d.code, 0, d.err);
  assert.match(d.out, /160 rows of 6 values/);
  const want = await model.decode(codes);
  assertClose(readNpy(rec).data, want.data, { ...TOL, what: 'streamed decode vs model.decode' });
});

test('--shard i/N: two of three parts, then all three; finished parts are skipped; parts concatenate to the whole', async () => {
  const out = join(dir, 'sharded', 'codes.npy');
  const part = (i: number): string => join(dir, 'sharded', `codes.part-000${i}-of-0003.npy`);
  for (const i of [0, 2]) {
    const r = await enc('--data', join(dir, 'shards'), '--out', out, '--shard', `${i}/3`);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, new RegExp(`part ${i}/3: wrote .*1 shard files`));
  }
  assert.equal(existsSync(part(1)), false);
  const marker = JSON.parse(readFileSync(`${part(2)}.done`, 'utf8')) as Record<string, unknown>;
  assert.equal(marker.rows, 40);
  assert.equal(marker.start, 120);
  assert.match(String(marker.sha256), /^[0-9a-f]{64}$/);
  assert.equal(typeof marker.seconds, 'number');
  const outs: string[] = [];
  for (const i of [0, 1, 2]) {
    const r = await enc('--data', join(dir, 'shards'), '--out', out, '--shard', `${i}/3`);
    assert.equal(r.code, 0, r.err);
    outs.push(r.out);
  }
  assert.match(outs[0], /already done \(50 codes\); skipped/);
  assert.match(outs[1], /part 1\/3: wrote/);
  assert.match(outs[2], /already done \(40 codes\); skipped/);
  const joined = [0, 1, 2].flatMap((i) => Array.from(readNpy(part(i)).data));
  assertClose(Float32Array.from(joined), expected.data, { ...TOL, what: 'parts concatenated' });
  const whole = join(dir, 'sharded', 'whole.npy');
  assert.equal((await enc('--data', join(dir, 'shards'), '--out', whole)).code, 0);
  assertClose(Float32Array.from(joined), readNpy(whole).data, {
    ...TOL,
    what: 'parts concatenated vs a non-sharded encode',
  });
  // The parts read back as a glob of shards (the .done markers do not match it).
  const rec = join(dir, 'sharded', 'rec.npy');
  const glob = join(dir, 'sharded', 'codes.part-*-of-0003.npy');
  const d = await aedr('decode', '--model', modelDir, '--codes', glob, '--out', rec);
  assert.equal(d.code, 0, d.err);
  assert.deepEqual(readNpy(rec).shape, [160, 6]);
  // A part whose output no longer matches its marker's hash runs again.
  writeNpy(part(0), matrix(1, 2, new Float32Array(2)));
  const again = await enc('--data', join(dir, 'shards'), '--out', out, '--shard', '0/3');
  assert.match(again.out, /part 0\/3: wrote/);
  assert.deepEqual(readNpy(part(0)).shape, [50, 2]);
});

test('Parquet input with an id column: --columns picks the features; a CSV shards by row range', async () => {
  const cols: Record<string, Float32Array | Int32Array> = {
    id: Int32Array.from({ length: all.rows }, (_, i) => i),
  };
  for (let j = 0; j < 6; j++) {
    cols[`f${j}`] = Float32Array.from({ length: all.rows }, (_, i) => all.data[i * 6 + j]);
  }
  const pq = join(dir, 'emb.parquet');
  writeFileSync(pq, parquetBytes(table(cols), 64));
  const out = join(dir, 'codes-pq.npy');
  const names = Array.from({ length: 6 }, (_, j) => `f${j}`).join(',');
  const r = await enc('--data', pq, '--columns', names, '--out', out);
  assert.equal(r.code, 0, r.err);
  assertClose(readNpy(out).data, expected.data, { ...TOL, what: 'Parquet --columns' });
  const parts: number[] = [];
  for (const i of [0, 1]) {
    const c = join(dir, 'csvparts', 'codes.csv');
    const s = await enc('--data', join(dir, 'all.csv'), '--out', c, '--shard', `${i}/2`);
    assert.equal(s.code, 0, s.err);
    assert.match(s.out, i === 0 ? /rows 0\.\.80\)/ : /rows 80\.\.160\)/);
    parts.push(...readCsv(join(dir, 'csvparts', `codes.part-000${i}-of-0002.csv`)).x.data);
  }
  assertClose(Float32Array.from(parts), expected.data, { ...TOL, what: 'CSV row-range parts' });
});

test('--shard on one file splits by row range', async () => {
  const out = join(dir, 'rows', 'codes.npy');
  const parts: number[] = [];
  for (const i of [0, 1, 2, 3, 4, 5, 6]) {
    const r = await enc('--data', join(dir, 'all.npy'), '--out', out, '--shard', `${i}/7`);
    assert.equal(r.code, 0, r.err);
    parts.push(...readNpy(join(dir, 'rows', `codes.part-000${i}-of-0007.npy`)).data);
  }
  assertClose(Float32Array.from(parts), expected.data, { ...TOL, what: 'row-range parts' });
  // More parts than shard files: by row range as well.
  const r = await enc('--data', join(dir, 'shards'), '--out', out, '--shard', '4/5');
  assert.match(r.out, /rows 128\.\.160/);
});

test('misuse: bad --shard, --shard with --limit, label flags on a stream, wrong width, bad output', async () => {
  const shards = join(dir, 'shards');
  const out = join(dir, 'x.npy');
  await failsWithError(
    2,
    /--shard.*i\/N with 0 <= i < N/,
    ...encArgs(shards, out, '--shard', '3/3'),
  );
  await failsWithError(2, /--shard.*i\/N/, ...encArgs(shards, out, '--shard', 'a/2'));
  await failsWithError(
    2,
    /--limit and --shard do not go together/,
    ...encArgs(shards, out, '--shard', '0/2', '--limit', '5'),
  );
  await failsWithError(
    2,
    /--label-column does not apply to a streamed input/,
    ...encArgs(shards, out, '--label-column', '0'),
  );
  await failsWithError(
    2,
    /--out .*x\.txt: unknown output format; expected .*\.parquet/,
    ...encArgs(shards, join(dir, 'x.txt')),
  );
  await failsWithError(
    2,
    /--shard needs --data to be a \.npy file.*not mnist:test/,
    ...encArgs('mnist:test', out, '--shard', '0/2'),
  );
  await failsWithError(
    2,
    /--columns needs --data to be a \.parquet or \.arrow\/\.feather file, not .*all\.npy/,
    ...encArgs(join(dir, 'all.npy'), out, '--columns', 'a,b'),
  );
  writeNpy(join(dir, 'narrow.npy'), matrix(3, 4, new Float32Array(12)));
  await failsWithError(
    1,
    /narrow\.npy: has 4 columns, but the model .* takes 6/,
    ...encArgs(join(dir, 'narrow.npy'), out, '--stream'),
  );
  assert.equal(existsSync(out), false);
});

test('a streamed CSV cannot drop the label column the model remembers: the error says so', async () => {
  const m = loadModel(modelDir);
  recordDataColumns(m, { labelColumn: 'kind' });
  const dir2 = join(dir, 'model-labelled');
  saveModel(m, dir2);
  await m.dispose();
  const lines = ['f0,f1,f2,f3,f4,f5,kind'];
  for (let i = 0; i < 20; i++) {
    lines.push([...Array.from(all.data.subarray(i * 6, i * 6 + 6), String), 'a'].join(','));
  }
  writeFileSync(join(dir, 'lab.csv'), lines.join('\n') + '\n');
  await failsWithError(
    2,
    /lab\.csv: the model reads this CSV with --label-column kind, which a streamed CSV cannot apply/,
    'encode',
    '--model',
    dir2,
    '--data',
    join(dir, 'lab.csv'),
    '--stream',
    '--out',
    join(dir, 'lab-codes.npy'),
  );
  // Without --stream the small file takes the in-memory path and drops the label column.
  const r = await aedr(
    'encode',
    '--model',
    dir2,
    '--data',
    join(dir, 'lab.csv'),
    '--out',
    join(dir, 'lab-codes.npy'),
  );
  assert.equal(r.code, 0, r.err);
  assertClose(readNpy(join(dir, 'lab-codes.npy')).data, expected.data.subarray(0, 40), {
    ...TOL,
    what: 'in-memory CSV with a remembered label column',
  });
});

function encArgs(data: string, out: string, ...rest: string[]): string[] {
  return ['encode', '--model', modelDir, '--data', data, '--out', out, ...rest];
}
