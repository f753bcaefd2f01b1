import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClose } from '../../test/helpers/close.js';
import { ConfigError } from '../errors.js';
import { Rng } from '../util/rng.js';
import { glorotUniform, outputBiasForMean } from './init.js';

test('glorotUniform stays within ±sqrt(6/(fanIn+fanOut)) and has the uniform variance limit²/3', () => {
  const w = glorotUniform(300, 200, new Rng(3));
  const limit = Math.sqrt(6 / 500);
  let s2 = 0;
  for (const v of w) {
    assert.ok(Math.abs(v) <= limit);
    s2 += v * v;
  }
  // 60,000 draws: the sample variance is within 2% of limit²/3 (its sd is about 0.5%).
  assertClose(s2 / w.length, (limit * limit) / 3, { rtol: 0.02 });
});

test('outputBiasForMean inverts each output activation at the mean', () => {
  const mean = [0, 0.005, 0.25, 0.5, 0.995, 1];
  // relu and linear: the mean itself (relu clamps negatives at 0).
  assertClose(outputBiasForMean('relu', [...mean, -0.3]), [...mean, 0], { rtol: 1e-7 });
  assertClose(outputBiasForMean('linear', [-0.3, 2]), [-0.3, 2], { rtol: 1e-7 });
  // sigmoid: logit of the mean clamped to [0.01, 0.99], so sigmoid(b) = clamp(mean).
  const b = outputBiasForMean('sigmoid', mean);
  const back = Array.from(b, (v) => 1 / (1 + Math.exp(-v)));
  assertClose(back, [0.01, 0.01, 0.25, 0.5, 0.99, 0.99], { rtol: 1e-6 });
  // tanh: atanh of the mean clamped to [−0.98, 0.98].
  const t = Array.from(outputBiasForMean('tanh', [-1, 0.3, 1]), Math.tanh);
  assertClose(t, [-0.98, 0.3, 0.98], { rtol: 1e-6 });
});

test('outputBiasForMean refuses a non-finite mean, naming the index', () => {
  assert.throws(() => outputBiasForMean('relu', [0.1, NaN]), {
    name: ConfigError.name,
    message: /mean\[1\] must be finite, got NaN/,
  });
});
