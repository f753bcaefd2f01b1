// aedr train's validation, early-stopping, schedule and --resume flags: misuse names the flag
// (in process), and a run with them records what it did in model.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aedr, failsWithError } from './helpers/cli.js';
import { planeData } from './helpers/plane-data.js';

const dir = mkdtempSync(join(tmpdir(), 'aedr-train-flags-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const x = planeData(100, 41, 0.02);
const csv = join(dir, 'x.csv');
writeFileSync(
  csv,
  Array.from({ length: x.rows }, (_, i) =>
    Array.from(x.data.subarray(i * 12, (i + 1) * 12)).join(','),
  ).join('\n') + '\n',
);
const base = ['train', '--data', csv, '--latent', '2', '--threads', '1', '--quiet'];

test('a run with validation, early stopping and a step schedule records them; the epoch line shows val metrics', async () => {
  const out = join(dir, 'm');
  const r = await aedr(
    ...base.filter((a) => a !== '--quiet'),
    '--epochs',
    '4',
    '--batch-size',
    '16',
    '--validation-split',
    '0.2',
    '--early-stopping',
    '--patience',
    '3',
    '--lr-schedule',
    'step',
    '--lr-step-size',
    '2',
    '--lr-factor',
    '0.5',
    '--out',
    out,
  );
  assert.equal(r.code, 0, r.err);
  assert.match(
    r.err,
    /^epoch 1\/4 {2}loss \S+ {2}train_mse \S+ {2}val_loss \S+ {2}val_mse \S+ {2}/m,
  );
  const m = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')) as {
    training: Record<string, unknown>;
    history: { lr: number }[];
  };
  assert.deepEqual(
    m.history.map((h) => h.lr),
    [0.001, 0.001, 0.0005, 0.0005],
  );
  assert.deepEqual(m.training.validation, { kind: 'split', fraction: 0.2, rows: 20 });
  assert.deepEqual(m.training.earlyStopping, { monitor: 'val_loss', patience: 3, minDelta: 0 });
  assert.equal(m.training.stopReason, 'completed');
  assert.equal(typeof m.training.bestEpoch, 'number');
  // Raising the limit continues the finished run.
  const more = await aedr('train', '--resume', out, '--epochs', '5', '--quiet');
  assert.equal(more.code, 0, more.err);
  assert.equal(
    (JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')) as { history: unknown[] }).history
      .length,
    5,
  );
  await failsWithError(
    2,
    /--resume continues with the saved settings; leave out --batch-size, --seed \(only --epochs, --threads, --no-spin, --quiet and --json apply\)/,
    'train',
    '--resume',
    out,
    '--batch-size',
    '8',
    '--seed',
    '2',
  );
});

test('schedule, early-stopping and resume flags out of place are usage errors naming the flag', async () => {
  await failsWithError(
    2,
    /--lr-factor applies to --lr-schedule plateau or step only/,
    ...base,
    '--lr-factor',
    '0.5',
  );
  await failsWithError(
    2,
    /--lr-step-size applies to --lr-schedule step only/,
    ...base,
    '--lr-schedule',
    'cosine',
    '--lr-step-size',
    '3',
  );
  await failsWithError(
    2,
    /--min-delta applies to --early-stopping only/,
    ...base,
    '--min-delta',
    '0.01',
  );
  await failsWithError(
    2,
    /--monitor applies to --early-stopping and --lr-schedule plateau only/,
    ...base,
    '--monitor',
    'loss',
  );
  await failsWithError(
    2,
    /give the training data with --data \(or --resume DIR\)/,
    'train',
    '--latent',
    '2',
  );
  await failsWithError(
    2,
    /--resume .*nowhere: no train-command.json there/,
    'train',
    '--resume',
    join(dir, 'nowhere'),
  );
  await failsWithError(
    1,
    /earlyStopping.monitor 'val_loss' needs validation data/,
    ...base,
    '--early-stopping',
    '--monitor',
    'val_loss',
  );
});
