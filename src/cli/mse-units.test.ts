import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TrainingConfig } from '../train/model.js';
import { mseText, rememberedFinalMse, scaledUnitsText } from './mse-units.js';

test('mseText labels the scaled value and puts the data-unit value beside it', () => {
  assert.equal(
    mseText({ scaled: 0.0091, data: 0.99 }, 'minmax'),
    '0.0091 scaled (0.99 in data units)',
  );
  assert.equal(mseText({ scaled: 0.5, data: 0.5 }, 'none'), '0.5 (data units)');
  assert.equal(scaledUnitsText('divide255'), 'scaled units: data / 255');
  assert.equal(scaledUnitsText({ kind: 'none' }), 'data units, unscaled');
});

test('rememberedFinalMse reads a well-formed record and ignores anything else', () => {
  const t = (finalMse: unknown): TrainingConfig => ({ finalMse }) as unknown as TrainingConfig;
  const good = { train: { scaled: 0.01, data: 1 }, test: { scaled: 0.02, data: 2 } };
  assert.deepEqual(rememberedFinalMse(t(good)), good);
  assert.deepEqual(rememberedFinalMse(t({ train: good.train, test: 3 })), { train: good.train });
  assert.equal(rememberedFinalMse(t({ train: { scaled: 1 } })), undefined);
  assert.equal(rememberedFinalMse(undefined), undefined);
});
