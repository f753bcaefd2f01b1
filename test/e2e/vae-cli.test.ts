// End to end: `aedr train --variational` on a generated 16-column .npy (4x4 "images" in [0, 1]),
// then info, encode with --logvar, and sample to PNG and .npy; a sparse run's summary; and
// the misuse errors (--beta without --variational, --logvar of a plain model).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readNpy, writeNpy } from '../../src/data/npy.js';
import { matrix } from '../../src/util/matrix.js';
import { Rng } from '../../src/util/rng.js';
import { aedr, failsWithError } from '../helpers/cli.js';

let dir: string;
let npy: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'aedr-vae-cli-'));
  npy = join(dir, 'x.npy');
  // Two latent factors mixed into 16 values in [0, 1].
  const r = new Rng(1);
  const w = Array.from({ length: 32 }, () => r.uniform(-1, 1));
  const x = new Float32Array(400 * 16);
  for (let i = 0; i < 400; i++) {
    const a = r.normal();
    const b = r.normal();
    for (let j = 0; j < 16; j++) x[i * 16 + j] = 1 / (1 + Math.exp(-(a * w[j] + b * w[16 + j])));
  }
  writeNpy(npy, matrix(400, 16, x));
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('train --variational, info, encode --logvar, sample', async () => {
  const out = join(dir, 'vae');
  const t = await aedr(
    'train',
    '--data',
    npy,
    '--layers',
    '8,2',
    '--variational',
    '--beta',
    '0.5',
    '--loss',
    'bce',
    '--epochs',
    '3',
    '--batch-size',
    '40',
    '--threads',
    '1',
    '--quiet',
    '--out',
    out,
    '--json',
  );
  assert.equal(t.code, 0, t.err);
  const summary = JSON.parse(t.out) as { final: Record<string, number> };
  for (const k of ['trainRecon', 'trainKl']) assert.ok(Number.isFinite(summary.final[k]), k);
  const manifest = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')) as {
    architecture: { variational?: boolean };
    training: { beta?: number };
  };
  assert.equal(manifest.architecture.variational, true);
  assert.equal(manifest.training.beta, 0.5);

  const info = await aedr('info', '--model', out);
  assert.equal(info.code, 0, info.err);
  assert.match(
    info.out,
    /variational \(VAE\): code = mean μ, encoder.onnx also gives logvar; beta 0\.5/,
  );

  const codes = join(dir, 'mu.npy');
  const logvar = join(dir, 'logvar.csv');
  const e = await aedr('encode', '--model', out, '--data', npy, '--out', codes, '--logvar', logvar);
  assert.equal(e.code, 0, e.err);
  assert.deepEqual(readNpy(codes).shape, [400, 2]);
  const lines = readFileSync(logvar, 'utf8').trim().split('\n');
  assert.equal(lines[0], 'logvar0,logvar1');
  assert.equal(lines.length, 401);

  const png = join(dir, 's.png');
  const s = await aedr('sample', '--model', out, '--n', '12', '--seed', '3', '--out', png);
  assert.equal(s.code, 0, s.err);
  assert.match(
    s.out,
    /wrote .*s\.png: 12 samples \(4x4 images\) from N\(0, I\) in 2 dimensions, seed 3/,
  );
  assert.deepEqual([...readFileSync(png).subarray(1, 4)], [0x50, 0x4e, 0x47]);
  assert.equal(s.err, '');
  const a = join(dir, 'a.npy');
  const b = join(dir, 'b.npy');
  for (const f of [a, b])
    assert.equal((await aedr('sample', '--model', out, '--n', '5', '--out', f, '--quiet')).code, 0);
  const sa = readNpy(a);
  assert.deepEqual(sa.shape, [5, 16]);
  assert.deepEqual(sa.data, readNpy(b).data, 'same seed, same samples');
});

test('a plain model: sample warns, encode --logvar is refused; --beta needs --variational', async () => {
  const out = join(dir, 'plain');
  const t = await aedr(
    'train',
    '--data',
    npy,
    '--latent',
    '3',
    '--code-activation',
    'sigmoid',
    '--sparsity',
    '0.1',
    '--sparsity-weight',
    '0.5',
    '--activity-l1',
    '1e-4',
    '--epochs',
    '2',
    '--batch-size',
    '40',
    '--threads',
    '1',
    '--out',
    out,
  );
  assert.equal(t.code, 0, t.err);
  assert.match(t.out, /mean code activation 0\.\d+ {2}sparsity penalty \d/);
  const s = await aedr('sample', '--model', out, '--n', '4', '--out', join(dir, 'p.npy'));
  assert.equal(s.code, 0, s.err);
  assert.match(s.err, /warning: .* is not variational: its codes follow no N\(0, I\)/);
  assert.ok(existsSync(join(dir, 'p.npy')));
  await failsWithError(
    2,
    /--logvar needs a variational model \(trained with --variational\)/,
    'encode',
    '--model',
    out,
    '--data',
    npy,
    '--out',
    join(dir, 'c.npy'),
    '--logvar',
    join(dir, 'l.npy'),
  );
  await failsWithError(
    2,
    /--beta weights the KL term of --variational; add --variational/,
    'train',
    '--data',
    npy,
    '--latent',
    '2',
    '--beta',
    '2',
    '--out',
    join(dir, 'x'),
  );
});
