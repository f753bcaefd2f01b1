// compare's fitSample setting (`--fit-sample N`): checked, and handed to LLE and Isomap only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../errors.js';
import { Isomap } from '../../reducers/isomap.js';
import { LLE } from '../../reducers/lle.js';
import { PCA } from '../../reducers/pca.js';
import { resolveCompareSettings } from './config.js';
import { makeCompareReducer } from './methods.js';

test('fitSample reaches LLE and Isomap, not the other methods; bad values are ConfigErrors', () => {
  const s = resolveCompareSettings({ quick: true, fitSample: 50 });
  assert.equal(s.fitSample, 50);
  const lle = makeCompareReducer('lle', 2, s, 'minmax');
  const iso = makeCompareReducer('isomap', 2, s, 'minmax');
  assert.ok(lle instanceof LLE && iso instanceof Isomap);
  assert.equal(lle.options.fitSample, 50);
  assert.equal(iso.options.fitSample, 50);
  const pca = makeCompareReducer('pca', 2, s, 'minmax');
  assert.ok(pca instanceof PCA);
  assert.equal('fitSample' in pca.options, false);
  assert.equal(resolveCompareSettings({ quick: true }).fitSample, undefined);
  assert.throws(
    () => resolveCompareSettings({ fitSample: 1 }),
    (e: unknown) =>
      e instanceof ConfigError && /fitSample must be an integer >= 2, got 1/.test(e.message),
  );
});
