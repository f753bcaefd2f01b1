// The Autoencoder reducer's scikit-learn-style convergence defaults (maxIter, tol, nIterNoChange,
// earlyStopping on validationFraction, batch size 'auto').
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../errors.js';
import { planeData } from '../../test/helpers/plane-data.js';
import { Autoencoder } from './autoencoder.js';

test('earlyStopping: the fit stops once the validation loss stops improving, with the best weights, batch min(200, n)', async () => {
  const x = planeData(300, 21, 0.01);
  // tol 1e-2 of the variance: the loss stops improving that much well before maxIter.
  const ae = new Autoencoder({
    nComponents: 2,
    earlyStopping: true,
    tol: 1e-2,
    nIterNoChange: 3,
    threads: 1,
  });
  await ae.fit(x);
  const t = ae.trained.training!;
  assert.equal(ae.stopReason, 'early-stopped');
  assert.ok(ae.epochsRun < 200, `epochsRun ${ae.epochsRun}`);
  assert.equal(ae.epochsRun, ae.history.length);
  assert.deepEqual(t.validation, { kind: 'split', fraction: 0.1, rows: 30 });
  assert.equal(t.batchSize, 200, 'auto: min(200, 270 training rows)');
  assert.equal(t.earlyStopping?.patience, 4, 'stops after more than nIterNoChange epochs');
  const vals = ae.history.map((r) => r.valLoss!);
  assert.equal(ae.bestEpoch, vals.indexOf(Math.min(...vals)) + 1);
  await ae.dispose();
});

test('by default the training loss is monitored; epochs gives a fixed count without a convergence test', async () => {
  const x = planeData(60, 22);
  const a = new Autoencoder({ nComponents: 2, maxIter: 3, threads: 1 });
  await a.fit(x);
  assert.equal(a.trained.training?.earlyStopping?.monitor, 'loss');
  assert.equal(a.trained.training?.batchSize, 60, 'auto: all 60 rows');
  assert.equal(a.epochsRun, 3);
  assert.equal(a.stopReason, 'completed');
  const b = new Autoencoder({ nComponents: 2, epochs: 4, batchSize: 16, threads: 1 });
  await b.fit(x);
  assert.equal(b.epochsRun, 4);
  assert.equal(b.trained.training?.earlyStopping, undefined);
  assert.equal(b.bestEpoch, undefined);
  await a.dispose();
  await b.dispose();
});

test('convergence options are checked', () => {
  assert.throws(
    () => new Autoencoder({ maxIter: 0 }),
    (e: unknown) =>
      e instanceof ConfigError && /maxIter must be an integer >= 1, got 0/.test(e.message),
  );
  assert.throws(() => new Autoencoder({ tol: -1 }), /tol must be a finite number >= 0, got -1/);
  assert.throws(
    () => new Autoencoder({ validationFraction: 1 }),
    /validationFraction must be a finite number > 0 and <= 0.999999, got 1/,
  );
  assert.throws(
    () => new Autoencoder({ batchSize: 'big' as 'auto' }),
    /batchSize must be an integer >= 1, got big/,
  );
});
