import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EtaModel, MIN_PRIOR } from './eta.js';

test('a tiny case running slow (start-up costs) does not scale the methods not yet run', () => {
  // The case: PCA on 3,000 rows has a millisecond prior and took 0.3 s; Isomap's 2 s prior
  // was scaled by that 100x ratio into a 200 s ETA for a run that took 1.4 s.
  const eta = new EtaModel([
    { method: 'pca', prior: 0.003 },
    { method: 'pca', prior: 0.003 },
    { method: 'isomap', prior: 2 },
  ]);
  eta.finish(0.3);
  assert.equal(eta.ratio('pca'), 100); // its own method: the same start-up cost again
  assert.equal(eta.ratio('isomap'), 1); // a new method: no case with a prior >= MIN_PRIOR yet
  assert.equal(eta.remaining(), 0.3 + 2);
  assert.ok(MIN_PRIOR > 0.003 && MIN_PRIOR < 2);
});

test('cases with priors of at least MIN_PRIOR still set the ratio of a new method', () => {
  const eta = new EtaModel([
    { method: 'a', prior: 0.01 },
    { method: 'b', prior: 4 },
    { method: 'c', prior: 10 },
  ]);
  eta.finish(1); // 100x, ignored for c
  eta.finish(12); // 3x, counts for c
  assert.equal(eta.ratio('c'), 3);
  assert.equal(eta.remaining(), 30);
});
