// Misuse of the `aedr` command line: every bad flag, path, data file or model gives one line
// `aedr: error: ...` naming the problem, exit code 2 for usage errors and 1 for the rest, no
// stack unless --debug, and nothing already on disk is lost. Runs the CLI in-process (runCli)
// for speed; two cases go through a real process to pin the exit code main.ts sets.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reportError } from '../src/cli/run.js';
import type { CliIo } from '../src/cli/context.js';
import { DataError } from '../src/errors.js';
import { aedr, aedrProcess } from './helpers/cli.js';

/** Asserts one error line matching `re` with exit code `code` and no stack. */
async function fails(code: number, re: RegExp, ...args: string[]): Promise<string> {
  const r = await aedr(...args);
  assert.equal(r.code, code, `exit code of ${args.join(' ')}: ${r.err}`);
  const lines = r.err.trim().split('\n');
  assert.match(lines[0], /^aedr: error: /);
  assert.match(r.err, re);
  assert.ok(!/\n\s+at /.test(r.err), `no stack without --debug: ${r.err}`);
  return r.err;
}

let dir: string;
let model: string;
let csv: string;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aedr-cli-err-'));
  csv = join(dir, 'three.csv');
  const rows = ['x,y,z'];
  for (let i = 0; i < 40; i++) rows.push(`${i},${i % 7},${(i * i) % 11}`);
  writeFileSync(csv, rows.join('\n') + '\n');
  model = join(dir, 'model');
  const r = await aedr(
    'train',
    '--data',
    csv,
    '--latent',
    '2',
    '--epochs',
    '1',
    '--out',
    model,
    '--quiet',
  );
  assert.equal(r.code, 0, r.err);
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('help exits with 0; no command prints the help on stderr and exits with 2', async () => {
  const h = await aedr('help', 'info');
  assert.equal(h.code, 0);
  assert.match(h.out, /Usage: aedr info \[options\]/);
  const none = await aedr();
  assert.equal(none.code, 2);
  assert.match(none.err, /Usage: aedr \[options\] \[command\]/);
});

test('usage errors exit with 2 and name the flag', async () => {
  await fails(2, /unknown command 'frob'/, 'frob');
  await fails(2, /unknown option '--latnet'/, 'train', '--data', 'mnist', '--latnet', '3');
  await fails(
    2,
    /option '--latent <n>' argument 'abc' is invalid\. Expected an integer >= 1\./,
    'train',
    '--data',
    'mnist',
    '--latent',
    'abc',
  );
  await fails(
    2,
    /option '--epochs <n>' argument '0' is invalid/,
    'train',
    '--data',
    'mnist',
    '--latent',
    '3',
    '--epochs',
    '0',
  );
  await fails(
    2,
    /'--latent <n>' cannot be used with option '--layers <sizes>'/,
    'train',
    '--data',
    'mnist',
    '--latent',
    '3',
    '--layers',
    '8,3',
  );
  await fails(2, /give the code size with --latent N or --layers/, 'train', '--data', 'mnist');
  await fails(
    2,
    /give the training data with --data \(or --resume DIR\)/,
    'train',
    '--latent',
    '3',
  );
  await fails(
    2,
    /'--layers <sizes>' argument '128,,3' is invalid/,
    'train',
    '--data',
    'mnist',
    '--layers',
    '128,,3',
  );
  await fails(
    2,
    /argument 'adamw' is invalid\. Allowed choices are adam, sgd/,
    'train',
    '--data',
    'mnist',
    '--latent',
    '3',
    '--optimizer',
    'adamw',
  );
  await fails(
    2,
    /'--lr <rate>' argument '-1' is invalid\. Expected a finite number > 0/,
    'train',
    '--data',
    'mnist',
    '--latent',
    '3',
    '--lr',
    '-1',
  );
  await fails(
    2,
    /--momentum applies to --optimizer sgd only/,
    'train',
    '--data',
    'mnist',
    '--latent',
    '3',
    '--momentum',
    '0.9',
  );
  await fails(
    2,
    /--data mnist has its own labels/,
    'train',
    '--data',
    'mnist',
    '--latent',
    '3',
    '--label-column',
    '0',
  );
  await fails(
    2,
    /--batch-size 64 exceeds the 40 training rows/,
    'train',
    '--data',
    csv,
    '--latent',
    '2',
    '--batch-size',
    '64',
    '--out',
    join(dir, 'x'),
  );
  await fails(
    2,
    /--out .*codes\.txt: unknown output format; expected a file name ending in \.npy, \.csv or \.tsv/,
    'encode',
    '--model',
    model,
    '--data',
    csv,
    '--out',
    join(dir, 'codes.txt'),
  );
  await fails(
    2,
    /'--cols <n>' argument 'two' is invalid/,
    'decode',
    '--model',
    model,
    '--codes',
    'c.npy',
    '--out',
    'o.png',
    '--cols',
    'two',
  );
});

test('bad data paths and files exit with 1 and name the file, row and field', async () => {
  await fails(
    1,
    /nope\.csv: file not found/,
    'train',
    '--data',
    join(dir, 'nope.csv'),
    '--latent',
    '2',
    '--out',
    join(dir, 'x'),
  );
  await fails(
    1,
    /data\.bin: unknown data format; expected \.csv/,
    'train',
    '--data',
    join(dir, 'data.bin'),
    '--latent',
    '2',
    '--out',
    join(dir, 'x'),
  );
  const bad = join(dir, 'bad.csv');
  writeFileSync(bad, 'a,b\n1,2\n3,n/a\n');
  await fails(
    1,
    /bad\.csv: row 3, field 2: expected a number, got "n\/a"/,
    'train',
    '--data',
    bad,
    '--latent',
    '1',
    '--batch-size',
    '1',
    '--out',
    join(dir, 'x'),
  );
  await fails(
    1,
    /--label-column "lbl": no such column in .*three\.csv/,
    'train',
    '--data',
    csv,
    '--label-column',
    'lbl',
    '--latent',
    '1',
    '--out',
    join(dir, 'x'),
  );
  const two = join(dir, 'two.csv');
  writeFileSync(two, '1,2\n3,4\n');
  await fails(
    1,
    /two\.csv: test data has 2 columns but the training data .* has 3/,
    'train',
    '--data',
    csv,
    '--test-data',
    two,
    '--latent',
    '1',
    '--out',
    join(dir, 'x'),
  );
  await fails(
    1,
    /two\.csv: has 2 columns, but the model .* takes 3 inputs/,
    'encode',
    '--model',
    model,
    '--data',
    two,
    '--out',
    join(dir, 'c.npy'),
  );
});

test('a missing or corrupt model exits with 1 and says what is wrong', async () => {
  await fails(1, /nowhere: model folder not found/, 'info', '--model', join(dir, 'nowhere'));
  await fails(
    1,
    /three\.csv: is a file; --model expects the folder/,
    'encode',
    '--model',
    csv,
    '--data',
    csv,
    '--out',
    join(dir, 'c.npy'),
  );
  const broken = join(dir, 'broken');
  mkdirSync(broken);
  for (const f of ['model.json', 'encoder.onnx', 'decoder.onnx'])
    writeFileSync(join(broken, f), readFileSync(join(model, f)));
  const enc = readFileSync(join(broken, 'encoder.onnx'));
  enc[enc.length - 1] ^= 0xff;
  writeFileSync(join(broken, 'encoder.onnx'), enc);
  await fails(1, /encoder\.onnx: sha256 does not match/, 'info', '--model', broken);
  writeFileSync(join(broken, 'model.json'), '{"format": "aedr-autoencoder"');
  await fails(
    1,
    /model\.json: not valid JSON/,
    'decode',
    '--model',
    broken,
    '--codes',
    'c.npy',
    '--out',
    'o.npy',
  );
  rmSync(join(broken, 'model.json'));
  await fails(
    1,
    /model\.json is missing; is this an aedr model folder\?/,
    'info',
    '--model',
    broken,
  );
});

test('decode checks codes and PNG shape; encode/decode leave existing outputs intact on error', async () => {
  const codes = join(dir, 'codes.npy');
  const e = await aedr('encode', '--model', model, '--data', csv, '--out', codes, '--quiet');
  assert.equal(e.code, 0, e.err);
  assert.equal(e.out, '');
  const before = readFileSync(codes);
  // A model of 3 inputs cannot draw square images.
  await fails(
    1,
    /a PNG needs square images, but the model's input size 3 is not a square number/,
    'decode',
    '--model',
    model,
    '--codes',
    codes,
    '--out',
    join(dir, 'o.png'),
  );
  const wide = join(dir, 'wide.csv');
  writeFileSync(wide, 'z0,z1,z2\n1,2,3\n');
  await fails(
    1,
    /wide\.csv: has 3 columns, but the model's code has 2/,
    'decode',
    '--model',
    model,
    '--codes',
    wide,
    '--out',
    join(dir, 'o.npy'),
  );
  // A failing encode does not touch the existing output.
  await fails(
    1,
    /file not found/,
    'encode',
    '--model',
    model,
    '--data',
    join(dir, 'nope.csv'),
    '--out',
    codes,
  );
  assert.deepEqual(readFileSync(codes), before);
});

test('--out must not be a folder with other files (saving replaces the folder)', async () => {
  const mine = join(dir, 'mine');
  mkdirSync(mine);
  writeFileSync(join(mine, 'notes.txt'), 'keep me');
  await fails(
    2,
    /--out .*mine exists and is not an aedr model folder/,
    'train',
    '--data',
    csv,
    '--latent',
    '1',
    '--out',
    mine,
  );
  assert.equal(readFileSync(join(mine, 'notes.txt'), 'utf8'), 'keep me');
  await fails(
    2,
    /--out .*three\.csv is a file/,
    'train',
    '--data',
    csv,
    '--latent',
    '1',
    '--out',
    csv,
  );
});

test('a diverged training is reported with its epoch and batch, and nothing is saved', async () => {
  const out = join(dir, 'diverged');
  await fails(
    1,
    /training diverged: the loss became (Infinity|NaN) at epoch 1, batch \d+; .*lower learning rate.*; nothing was saved$/m,
    'train',
    '--data',
    csv,
    '--latent',
    '2',
    '--epochs',
    '2',
    '--lr',
    '1e30',
    '--optimizer',
    'sgd',
    '--activation',
    'linear',
    '--output-activation',
    'linear',
    '--scaling',
    'none',
    '--out',
    out,
  );
  assert.equal(existsSync(out), false);
});

test('--debug prints the stack; other errors are reported as internal errors', async () => {
  const r = await aedr('--debug', 'info', '--model', join(dir, 'nowhere'));
  assert.equal(r.code, 1);
  assert.match(r.err, /^aedr: error: .*model folder not found;.*\n/);
  assert.match(r.err, /\n\s+at /);
  let err = '';
  const io: CliIo = { out: () => {}, err: (t) => void (err += t), errIsTty: false };
  assert.equal(reportError(new TypeError('x is undefined'), io, false), 1);
  assert.equal(
    err,
    'aedr: internal error: TypeError: x is undefined (this is a bug in aedr; rerun with --debug for the stack)\n',
  );
  err = '';
  assert.equal(reportError(new DataError('bad', { file: 'f.csv', row: 2 }), io, false), 1);
  assert.equal(err, 'aedr: error: f.csv: row 2: bad\n');
});

test('the real process exits with 2 for usage and 1 for other errors', () => {
  const run = aedrProcess;
  const u = run('train', '--data', 'mnist', '--latent', 'abc');
  assert.equal(u.status, 2);
  assert.equal(
    u.stderr,
    "aedr: error: option '--latent <n>' argument 'abc' is invalid. Expected an integer >= 1.\n",
  );
  const d = run('info', '--model', join(dir, 'nowhere'));
  assert.equal(d.status, 1);
  assert.match(
    d.stderr,
    /^aedr: error: .*nowhere: model folder not found; expected a folder written by `aedr train`\n$/,
  );
});
