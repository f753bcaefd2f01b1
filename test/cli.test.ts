// End-to-end tests of the `aedr` command line: help, train on a CSV and on MNIST, info, encode,
// decode to .npy and PNG, and what Ctrl-C and kill -9 during training leave behind. Training and
// the signal tests run a real process through tsx (no build); follow-up commands run in-process
// through runCli (the same code main.ts calls) to keep the file fast.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { readNpy } from '../src/data/npy.js';
import { readCsv } from '../src/data/csv.js';
import { loadModel } from '../src/train/persist.js';
import { matrix } from '../src/util/matrix.js';
import { assertClose } from './helpers/close.js';
import { aedr as cli, aedrProcess, ROOT } from './helpers/cli.js';

const MAIN = ['--import', 'tsx', 'src/cli/main.ts'];
const EPOCH_LINE =
  /^epoch (\d+)\/(\d+) {2}loss \S+ {2}train_mse \S+( {2}test_mse \S+)? {2}\d+\.\d\ds$/;

/** Runs the CLI as a real process (`cli` runs it in-process with captured output). */
function aedr(...args: string[]): { code: number | null; out: string; err: string } {
  const r = aedrProcess(...args);
  return { code: r.status, out: r.stdout, err: r.stderr };
}

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'aedr-cli-'));
  // 120 points on a curve in 4-d with a class label column.
  const lines = ['a,b,c,d,label'];
  for (let i = 0; i < 120; i++) {
    const t = (3 * i) / 120;
    lines.push([t, Math.sin(t), t * t, Math.cos(t), i % 3].map((v) => v.toFixed(4)).join(','));
  }
  writeFileSync(join(dir, 'curve.csv'), lines.join('\n') + '\n');
  // 2000 rows of 64 features for the signal tests: epochs of a few milliseconds' training.
  const wide: string[] = [];
  for (let i = 0; i < 2000; i++) {
    wide.push(Array.from({ length: 64 }, (_, j) => ((i * (j + 1)) % 97) / 97).join(','));
  }
  writeFileSync(join(dir, 'wide.csv'), wide.join('\n') + '\n');
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('--help lists the commands, <command> --help the flags, --version the version', async () => {
  const h = aedr('--help');
  assert.equal(h.code, 0);
  for (const c of ['train', 'encode', 'decode', 'info'])
    assert.match(h.out, new RegExp(`^  ${c} `, 'm'));
  const t = await cli('train', '--help');
  assert.equal(t.code, 0);
  for (const f of [
    '--data',
    '--test-data',
    '--latent',
    '--layers',
    '--output-activation',
    '--lr',
    '--limit',
    '--json',
  ])
    assert.ok(t.out.includes(f), f);
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const v = await cli('--version');
  assert.equal(v.code, 0);
  assert.equal(v.out.trim(), pkg.version);
});

test('train on a CSV with a label column, then encode, decode and info', async () => {
  const model = join(dir, 'curve-model');
  const r = aedr(
    'train',
    '--data',
    join(dir, 'curve.csv'),
    '--label-column',
    'label',
    '--latent',
    '2',
    '--epochs',
    '2',
    '--batch-size',
    '16',
    '--out',
    model,
    '--json',
  );
  assert.equal(r.code, 0, r.err);
  const lines = r.err.trim().split('\n');
  assert.equal(lines.length, 2, r.err);
  lines.forEach((l, i) => {
    const m = EPOCH_LINE.exec(l);
    assert.ok(m, l);
    assert.equal(m[1], String(i + 1));
    assert.equal(m[3], undefined, 'no test data, no test_mse');
  });
  const summary = JSON.parse(r.out) as {
    epochs: number;
    trainRows: number;
    architecture: string;
    parameters: number;
    history: unknown[];
  };
  assert.equal(summary.epochs, 2);
  assert.equal(summary.trainRows, 120);
  assert.equal(summary.architecture, '4-2-4');
  assert.equal(summary.parameters, 4 * 2 + 2 + 2 * 4 + 4);
  const m = loadModel(model);
  assert.equal(m.history.length, 2);
  assert.equal(m.inputDim, 4, 'the label column is not a feature');
  assert.equal(m.scaling.kind, 'minmax');

  const codes = join(dir, 'curve-codes.csv');
  const e = await cli(
    'encode',
    '--model',
    model,
    '--data',
    join(dir, 'curve.csv'),
    '--label-column',
    'label',
    '--out',
    codes,
  );
  assert.equal(e.code, 0, e.err);
  assert.match(e.out, /120 codes of 2 dimensions, with labels/);
  assert.equal(readFileSync(codes, 'utf8').split('\n')[0], 'z0,z1,label');
  const back = readCsv(codes, { labelColumn: 'label' });
  assert.equal(back.x.rows, 120);
  assert.deepEqual(Array.from(back.labels!.slice(0, 4)), [0, 1, 2, 0]);

  const rec = join(dir, 'curve-rec.npy');
  const d = await cli('decode', '--model', model, '--codes', codes, '--out', rec);
  assert.equal(d.code, 0, d.err);
  assert.deepEqual(readNpy(rec).shape, [120, 4]);

  const i = await cli('info', '--model', model);
  assert.equal(i.code, 0, i.err);
  assert.match(i.out, /architecture {2}4-2-4, 22 parameters/);
  assert.match(i.out, /scaling {7}minmax/);
  assert.match(i.out, /history \(2 epochs\)/);
});

test('train on mnist --limit 600 --epochs 2; info, encode and decode to PNG', async () => {
  const model = join(dir, 'mnist-8');
  const r = aedr(
    'train',
    '--data',
    'mnist',
    '--limit',
    '600',
    '--epochs',
    '2',
    '--latent',
    '8',
    '--out',
    model,
  );
  assert.equal(r.code, 0, r.err);
  const lines = r.err.trim().split('\n');
  assert.equal(lines.length, 2, r.err);
  for (const l of lines) assert.ok(EPOCH_LINE.exec(l)?.[3], `mnist reports test_mse: ${l}`);
  assert.match(r.out, /trained 784-8-784 \(13,336 parameters\) on 600 rows for 2 epochs/);

  const info = await cli('info', '--model', model, '--json');
  assert.equal(info.code, 0, info.err);
  const j = JSON.parse(info.out) as {
    history: { epoch: number; testMse?: number }[];
    parameters: number;
    scaling: { kind: string };
    training: { trainSize: number; testSize: number; outputBias: string };
    files: { encoder: { input: string; output: string } };
  };
  assert.deepEqual(
    j.history.map((h) => h.epoch),
    [1, 2],
  );
  assert.ok(j.history.every((h) => typeof h.testMse === 'number'));
  assert.equal(j.parameters, 784 * 8 + 8 + 8 * 784 + 784);
  assert.equal(j.scaling.kind, 'divide255');
  assert.deepEqual([j.training.trainSize, j.training.testSize], [600, 10000]);
  assert.equal(j.training.outputBias, 'mean', 'the default output-bias start');
  assert.deepEqual(j.files.encoder, { ...j.files.encoder, input: 'input', output: 'code' });
  const text = await cli('info', '--model', model);
  assert.equal(text.code, 0, text.err);
  const rows = text.out.split('\n').filter((l) => /^\s+\d+\s+\S+\s+\S+\s+\S+\s+\d+\.\d\d$/.test(l));
  assert.equal(rows.length, 2, text.out);

  const npy = join(dir, 'mnist-codes.npy');
  const e = await cli(
    'encode',
    '--model',
    model,
    '--data',
    'mnist:test',
    '--limit',
    '12',
    '--out',
    npy,
  );
  assert.equal(e.code, 0, e.err);
  const codes = readNpy(npy);
  assert.deepEqual(codes.shape, [12, 8]);
  const csv = join(dir, 'mnist-codes.csv');
  assert.equal(
    (await cli('encode', '--model', model, '--data', 'mnist:test', '--limit', '12', '--out', csv))
      .code,
    0,
  );
  const c = readCsv(csv, { labelColumn: 'label' });
  assert.deepEqual(Array.from(c.labels!.slice(0, 3)), [7, 2, 1], 'the first MNIST test labels');
  // CSV keeps the shortest text that reads back to the same float32: equal to the .npy codes.
  assertClose(c.x.data, codes.data as Float32Array, { rtol: 0, what: 'csv vs npy codes' });

  const png = join(dir, 'digits.png');
  const d = aedr('decode', '--model', model, '--codes', npy, '--out', png, '--cols', '5');
  assert.equal(d.code, 0, d.err);
  const img = PNG.sync.read(readFileSync(png));
  // imageGrid: scale 2, padding 2 -> width 2 + 5*(56+2), height 2 + ceil(12/5)*(56+2).
  assert.deepEqual([img.width, img.height], [2 + 5 * 58, 2 + 3 * 58]);
  // The first pixel of image 0 is its decoded value / 255 as a byte (exact: same ONNX decoder).
  const m = loadModel(model);
  const x = await m.decode(matrix(12, 8, codes.data as Float32Array));
  await m.dispose();
  assert.equal(
    img.data[4 * (2 * img.width + 2)],
    Math.round(Math.min(1, Math.max(0, x.data[0] / 255)) * 255),
  );
  const rec = join(dir, 'digits.npy');
  assert.equal((await cli('decode', '--model', model, '--codes', npy, '--out', rec)).code, 0);
  assertClose(readNpy(rec).data, x.data, { rtol: 0, what: 'decoded .npy vs in-process decode' });
});

/** Starts `aedr train`, resolves with its stderr once `lines` epoch lines have appeared. */
function startTraining(out: string, lines: number) {
  const child = spawn(
    process.execPath,
    [
      ...MAIN,
      'train',
      '--data',
      join(dir, 'wide.csv'),
      '--latent',
      '4',
      '--epochs',
      '100000',
      '--out',
      out,
    ],
    { cwd: ROOT },
  );
  // A run that never prints its epoch lines fails the test instead of hanging it.
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  child.on('exit', () => clearTimeout(timer));
  let err = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) =>
    child.on('exit', (code, signal) => res({ code, signal })),
  );
  const ready = new Promise<void>((res, rej) => {
    child.stderr.on('data', (b: Buffer) => {
      err += b.toString();
      if (err.split('\n').filter((l) => EPOCH_LINE.test(l)).length >= lines) res();
    });
    void exited.then(() => rej(new Error(`train exited early: ${err}`)));
  });
  return { child, ready, exited, err: () => err };
}

function assertIntactOrAbsent(out: string): number {
  const parent = join(out, '..');
  const name = out.slice(parent.length + 1);
  for (const entry of readdirSync(parent)) {
    if (entry.startsWith('.aedr-tmp')) assert.notEqual(entry, name);
  }
  if (!existsSync(out)) return 0;
  const m = loadModel(out);
  return m.history.length;
}

test('Ctrl-C stops training cleanly: exit 130, the folder holds the last finished epoch', async () => {
  const out = join(dir, 'sigint');
  const t = startTraining(out, 2);
  await t.ready;
  t.child.kill('SIGINT');
  const { code } = await t.exited;
  assert.equal(code, 130, t.err());
  assert.match(
    t.err(),
    /aedr: training was cancelled during epoch \d+; .*sigint holds the run up to epoch \d+ \(continue it with --resume .*sigint\)/,
  );
  const saved = Number(/up to epoch (\d+)/.exec(t.err())![1]);
  assert.ok(saved >= 2);
  assert.equal(assertIntactOrAbsent(out), saved);
});

test('kill -9 during training never leaves a half-written model folder', async () => {
  for (const [k, lines] of [
    [0, 1],
    [1, 3],
  ] as const) {
    const out = join(dir, `killed-${k}`);
    const t = startTraining(out, lines);
    await t.ready;
    t.child.kill('SIGKILL');
    const { signal } = await t.exited;
    assert.equal(signal, 'SIGKILL');
    // The folder is saved after each epoch, so it exists unless the kill hit the swap's two renames.
    const epochs = assertIntactOrAbsent(out);
    if (existsSync(out)) assert.ok(epochs >= lines, `history ${epochs} >= ${lines}`);
    // A rerun into the same folder removes whatever temporaries the killed process left.
    const again = await cli(
      'train',
      '--data',
      join(dir, 'wide.csv'),
      '--latent',
      '4',
      '--epochs',
      '1',
      '--out',
      out,
      '--no-spin',
      '--quiet',
    );
    assert.equal(again.code, 0, again.err);
    const left = readdirSync(dir).filter(
      (n) => n.startsWith('.aedr-tmp-') && n.includes(`killed-${k}`),
    );
    assert.deepEqual(left, [], 'no temporaries of the killed run remain');
  }
});
