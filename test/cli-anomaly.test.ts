// `aedr anomaly`'s flags, in-process: help and the usage errors raised before any data is read
// (the experiment itself is tested on small data in src/experiments/anomaly/anomaly.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aedr, failsWithError } from './helpers/cli.js';

test('anomaly --help lists the flags', async () => {
  const r = await aedr('anomaly', '--help');
  assert.equal(r.code, 0);
  for (const f of [
    '--digits',
    '--layers',
    '--epochs',
    '--conv',
    '--no-conv',
    '--conv-epochs',
    '--no-vae',
    '--vae-epochs',
    '--beta',
    '--pca-components',
    '--quick',
    '--out',
  ])
    assert.ok(r.out.includes(f), f);
  const top = await aedr('--help');
  assert.match(top.out, /^ {2}anomaly /m);
  assert.match(top.out, /^ {2}score /m);
});

test('anomaly misuse: bad --digits, --epochs, --train-limit, --conv, --conv-epochs', async () => {
  await failsWithError(
    2,
    /--conv "16,x": expected comma-separated filter counts, e\.g\. 16,8/,
    'anomaly',
    '--conv',
    '16,x',
  );
  await failsWithError(
    2,
    /--conv-epochs applies to the conv AE; drop --no-conv or --conv-epochs/,
    'anomaly',
    '--no-conv',
    '--conv-epochs',
    '3',
  );
  await failsWithError(
    2,
    /--vae-epochs and --beta apply to the VAE; drop --no-vae or them/,
    'anomaly',
    '--no-vae',
    '--beta',
    '4',
  );
  await failsWithError(
    2,
    /--digits "3,x": expected comma-separated digits 0-9, e\.g\. 3,8/,
    'anomaly',
    '--digits',
    '3,x',
  );
  await failsWithError(
    2,
    /option '--epochs <n>' argument '0' is invalid/,
    'anomaly',
    '--epochs',
    '0',
  );
  await failsWithError(
    2,
    /option '--train-limit <n>' argument '1' is invalid\. Expected an integer >= 2\./,
    'anomaly',
    '--train-limit',
    '1',
  );
});
