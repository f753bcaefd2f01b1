// End-to-end replay of issue 16's scenarios on a user's own data: a generated clustered CSV with
// a string ID column and string class labels (and the same rows as .npy with a label file). It
// checks that labels keep their names, that the CSV flags and errors speak in flags and suggest
// the nearest name, that model.json remembers the columns, that `serve --data FILE` without
// --model trains on that file (or refuses before training), and that info, train and compare
// report what actually happened. Small data and 2 epochs keep it to seconds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '../../src/cli/commands/serve.js';
import type { CliIo } from '../../src/cli/context.js';
import { writeNpy } from '../../src/data/npy.js';
import { matrix } from '../../src/util/matrix.js';
import { Rng } from '../../src/util/rng.js';
import { aedr } from '../helpers/cli.js';

const NAMES = ['bird', 'cat', 'dog'];
const ROWS = 300;
const COLS = 16;
let dir: string;
let csv: string;
let npy: string;
let names: string;
let model: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aedr-user-data-'));
  // 3 clusters of 100 rows in 16-d: cluster c has mean 4 on coordinates 4c..4c+3 (sd 1).
  const rng = new Rng(16);
  const header = ['id', ...Array.from({ length: COLS }, (_, j) => `f${j}`), 'species'];
  const lines = [header.join(',')];
  const x = new Float32Array(ROWS * COLS);
  const labels: string[] = [];
  for (let i = 0; i < ROWS; i++) {
    const c = i % 3;
    for (let j = 0; j < COLS; j++)
      x[i * COLS + j] = Math.fround(rng.normal() + (Math.floor(j / 4) === c ? 4 : 0));
    const row = Array.from(x.subarray(i * COLS, (i + 1) * COLS), (v) => v.toFixed(4));
    lines.push([`item${i}`, ...row, NAMES[c]].join(','));
    labels.push(NAMES[c]);
  }
  csv = join(dir, 'emb.csv');
  writeFileSync(csv, lines.join('\n') + '\n');
  npy = join(dir, 'emb.npy');
  writeNpy(npy, matrix(ROWS, COLS, x));
  names = join(dir, 'labels.txt');
  writeFileSync(names, labels.join('\n') + '\n');
  model = join(dir, 'model');
  const r = await aedr(
    'train',
    '--data',
    csv,
    '--ignore-columns',
    'id',
    '--label-column',
    'species',
    '--latent',
    '2',
    '--epochs',
    '2',
    '--out',
    model,
  );
  assert.equal(r.code, 0, r.err);
  // MSE is labelled with its units, with the data-unit value beside the scaled one.
  assert.match(r.out, /train_mse [\d.e-]+ scaled \([\d.e+-]+ in data units\)/);
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('a text ID column is named, with the flag that skips it; errors are short and suggest', async () => {
  const text = await aedr('train', '--data', csv, '--latent', '2', '--out', join(dir, 'x'));
  assert.equal(text.code, 1);
  assert.match(
    text.err,
    /row 2, field 1: columns "id" \("item0"\), "species" \("bird"\) hold text, not numbers; skip them with --ignore-columns id,species\n$/,
  );
  const typo = await aedr(
    'train',
    '--data',
    csv,
    '--ignore-columns',
    'id',
    '--label-column',
    'specis',
    '--latent',
    '2',
    '--out',
    join(dir, 'x'),
  );
  assert.equal(typo.code, 1);
  assert.match(
    typo.err,
    /^aedr: error: --label-column "specis": no such column in .*emb\.csv; did you mean species\?\n$/,
  );
  assert.ok(typo.err.length < 200, `a short message, got ${typo.err.length} characters`);
  assert.doesNotMatch(typo.err, /labelColumn|f15/);
  const mnsit = await aedr('train', '--data', 'mnsit', '--latent', '2', '--out', join(dir, 'x'));
  assert.match(
    mnsit.err,
    /^aedr: error: mnsit: not a file or a data set name; did you mean mnist\?/,
  );
  assert.equal(existsSync(join(dir, 'x')), false);
});

test('model.json remembers the columns; encode on the training file needs no flags and keeps names', async () => {
  const m = JSON.parse(readFileSync(join(model, 'model.json'), 'utf8')) as {
    training: { dataColumns?: unknown; finalMse?: { train: { scaled: number; data: number } } };
  };
  assert.deepEqual(m.training.dataColumns, {
    labelColumn: 'species',
    ignoreColumns: ['id'],
    columns: Array.from({ length: COLS }, (_, j) => `f${j}`),
  });
  // Data-unit MSE of min-max scaled data: larger than the scaled one (ranges of about 10).
  const fm = m.training.finalMse;
  assert.ok(fm && fm.train.data > fm.train.scaled, JSON.stringify(fm));

  const codes = join(dir, 'codes.csv');
  const e = await aedr('encode', '--model', model, '--data', csv, '--out', codes);
  assert.equal(e.code, 0, e.err);
  assert.match(
    e.err,
    /read .*emb\.csv as the model's training data was: --label-column species --ignore-columns id/,
  );
  const lines = readFileSync(codes, 'utf8').trim().split('\n');
  assert.equal(lines[0], 'z0,z1,label');
  assert.equal(lines.length, ROWS + 1);
  assert.deepEqual(
    lines.slice(1, 4).map((l) => l.split(',')[2]),
    ['bird', 'cat', 'dog'],
  );

  // score reads the training file the same way, and its labels are the names.
  const scores = join(dir, 'scores.csv');
  const sc = await aedr(
    'score',
    '--model',
    model,
    '--data',
    csv,
    '--normal-label',
    'bird,cat',
    '--out',
    scores,
  );
  assert.equal(sc.code, 0, sc.err);
  assert.match(sc.err, /read .*emb\.csv as the model's training data was/);

  // The same rows as .npy with a label file of names: the names survive too.
  const codes2 = join(dir, 'codes2.csv');
  const n = await aedr(
    'encode',
    '--model',
    model,
    '--data',
    npy,
    '--labels',
    names,
    '--out',
    codes2,
  );
  assert.equal(n.code, 0, n.err);
  assert.deepEqual(
    readFileSync(codes2, 'utf8')
      .split('\n')
      .slice(1, 4)
      .map((l) => l.split(',')[2]),
    ['bird', 'cat', 'dog'],
  );
});

test('info shows the epochs run of those planned, why training stopped, and MSE units', async () => {
  const i = await aedr('info', '--model', model);
  assert.equal(i.code, 0, i.err);
  assert.match(i.out, /^ {14}2 epochs run: completed$/m);
  assert.match(i.out, /^columns +--label-column species --ignore-columns id/m);
  assert.match(i.out, /^final MSE +train [\d.e-]+ scaled \([\d.e+-]+ in data units\)$/m);
  assert.match(i.out, /^history \(2 epochs\)$/m);
  assert.match(
    i.out,
    /^scaling +minmax; losses and MSEs are in scaled units: each column min-max/m,
  );

  // A run cancelled after 2 of 100 planned epochs must not read "100 epochs".
  const cancelled = join(dir, 'cancelled');
  mkdirSync(cancelled);
  for (const f of ['encoder.onnx', 'decoder.onnx'])
    writeFileSync(join(cancelled, f), readFileSync(join(model, f)));
  const m = JSON.parse(readFileSync(join(model, 'model.json'), 'utf8')) as {
    training: Record<string, unknown>;
  };
  m.training.epochs = 100;
  m.training.stopReason = 'cancelled';
  writeFileSync(join(cancelled, 'model.json'), JSON.stringify(m));
  const c = await aedr('info', '--model', cancelled);
  assert.equal(c.code, 0, c.err);
  assert.match(c.out, /2 epochs run of 100 planned: cancelled/);
  assert.doesNotMatch(c.out, /\b100 epochs\b/);
  // An older model.json without stopReason: the history length tells the truth.
  delete m.training.stopReason;
  writeFileSync(join(cancelled, 'model.json'), JSON.stringify(m));
  const old = await aedr('info', '--model', cancelled);
  assert.match(old.out, /2 epochs run of 100 planned: the run ended early/);
});

test('serve --data FILE without --model trains on that file (progress shown), or refuses first', async () => {
  const web = join(dir, 'web');
  mkdirSync(web);
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>t</title>');
  const err: string[] = [];
  const out: string[] = [];
  const io: CliIo = { out: (t) => void out.push(t), err: (t) => void err.push(t), errIsTty: false };
  const cwd = process.cwd();
  process.chdir(dir); // the model is cached under ./runs
  try {
    let meta: { data: { count: number; hasLabels: boolean; labelNames?: string[] } } | undefined;
    let stop: () => void = () => undefined;
    await serve({ data: npy, labels: names, port: 0, host: '127.0.0.1', limit: 10000 }, io, {
      assetsDir: web,
      stop: new Promise<void>((r) => (stop = r)),
      onReady: (r) => {
        fetch(`${r.url}api/meta`)
          .then((res) => res.json() as Promise<typeof meta>)
          .then((x) => (meta = x))
          .finally(stop)
          .catch(() => undefined);
      },
    });
    const log = err.join('');
    assert.match(
      log,
      /no --model given: training a 16-8-3-8-16 autoencoder on the 300 rows of .*emb\.npy/,
    );
    assert.match(log, /epoch 1\/\d+ {2}loss [\d.]+ \(scaled\)/);
    assert.doesNotMatch(log, /MNIST|784/);
    const saved = JSON.parse(readFileSync(join(dir, 'runs/explorer-emb/model.json'), 'utf8')) as {
      architecture: { inputDim: number };
    };
    assert.equal(saved.architecture.inputDim, COLS);
    assert.match(out.join(''), /model runs\/explorer-emb, 300 samples of .*emb\.npy/);
    assert.equal(meta?.data.count, ROWS);
    assert.deepEqual(meta?.data.labelNames, NAMES);

    // Three columns cannot be reduced to 3-d: refused before anything is trained or written.
    const three = join(dir, 'three.csv');
    writeFileSync(three, 'a,b,c\n1,2,3\n4,5,6\n7,8,9\n');
    await assert.rejects(
      serve({ data: three, port: 0, host: '127.0.0.1', limit: 10 }, io, { assetsDir: web }),
      /three\.csv has 3 columns; the explorer's default model reduces to 3 and needs more, so nothing was trained/,
    );
    assert.equal(existsSync(join(dir, 'runs/explorer-three')), false);
  } finally {
    process.chdir(cwd);
  }
});

test('mnist means the training images in every command; serve says its default is mnist:test', async () => {
  // Help text is wrapped to the terminal width: compare it with whitespace runs as one space.
  const flat = (t: string): string => t.replace(/\s+/g, ' ');
  const h = await aedr('serve', '--help');
  assert.match(flat(h.out), /mnist:test \(the 10k test images\), mnist \(= mnist:train/);
  assert.match(flat(h.out), /default: "mnist:test"/);
  const e = await aedr('encode', '--help');
  assert.match(flat(e.out), /mnist \(its 60k training images; = mnist:train\)/);
});

test('compare: real row counts in the header, --ignore-columns and --n-neighbors', async () => {
  const out = join(dir, 'cmp');
  const r = await aedr(
    'compare',
    '--data',
    csv,
    '--ignore-columns',
    'id',
    '--label-column',
    'species',
    '--methods',
    'pca,isomap',
    '--dims',
    '2',
    '--n-neighbors',
    '12',
    '--out',
    out,
  );
  assert.equal(r.code, 0, r.err);
  // A stratified 20% split of 300 rows: 240 / 60, not MNIST's 60,000 / 10,000.
  assert.match(
    r.err.split('\n')[0],
    /^compare: PCA, Isomap at d = 2 on .*emb\.csv; 240 train \/ 60 test rows$/,
  );
  assert.doesNotMatch(r.err, /60,000|10,000/);
  // One ETA wording throughout.
  assert.doesNotMatch(r.err, /estimated time/);
  const json = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as {
    settings: { nNeighbors: number };
  };
  assert.equal(json.settings.nNeighbors, 12);
});
