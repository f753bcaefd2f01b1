import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { assertClose } from '../../test/helpers/close.js';
import { computeThreshold, formatThresholdRule, parseThresholdRule } from './threshold.js';

const golden = JSON.parse(
  readFileSync(new URL('../../test/golden/roc_sklearn.json', import.meta.url), 'utf8'),
) as {
  cases: { name: string; scores: number[]; mean_std3: number; quantiles: [number, number][] }[];
};

for (const c of golden.cases) {
  test(`${c.name}: thresholds mean+3std and quantile:Q equal numpy (rtol 1e-12, roc_sklearn.py)`, () => {
    const ms = computeThreshold(parseThresholdRule('mean+3std'), c.scores);
    assertClose(ms, c.mean_std3, { rtol: 1e-12 });
    for (const [q, v] of c.quantiles) {
      assertClose(computeThreshold(parseThresholdRule(`quantile:${q}`), c.scores), v, {
        rtol: 1e-12,
        what: `quantile ${q}`,
      });
    }
  });
}

test('parseThresholdRule: the accepted forms, and a ConfigError naming the flag otherwise', () => {
  assert.deepEqual(parseThresholdRule('mean+std'), { kind: 'meanStd', k: 1 });
  assert.deepEqual(parseThresholdRule('mean+3std'), { kind: 'meanStd', k: 3 });
  assert.deepEqual(parseThresholdRule(' mean + 2.5*std '), { kind: 'meanStd', k: 2.5 });
  assert.deepEqual(parseThresholdRule('quantile:0.99'), { kind: 'quantile', q: 0.99 });
  assert.deepEqual(parseThresholdRule('0.0125'), { kind: 'value', value: 0.0125 });
  assert.deepEqual(parseThresholdRule('1e-3'), { kind: 'value', value: 0.001 });
  for (const bad of ['mean+', 'mean-std', 'median', '', 'quantile:', 'Infinity']) {
    assert.throws(() => parseThresholdRule(bad, '--threshold'), {
      name: 'ConfigError',
      message: `--threshold ${JSON.stringify(bad)}: expected mean+std, mean+Kstd (e.g. mean+3std), quantile:Q with 0 <= Q <= 1, or a number`,
    });
  }
  assert.throws(() => parseThresholdRule('quantile:1.5', '--train-threshold'), {
    name: 'ConfigError',
    message: /^--train-threshold "quantile:1\.5": the quantile is outside \[0, 1\]; expected/,
  });
});

test('computeThreshold: hand-checked values and misuse', () => {
  // mean 4, population std sqrt(12.5) for [1, 2, 3, 10].
  assertClose(computeThreshold({ kind: 'meanStd', k: 2 }, [1, 2, 3, 10]), 4 + 2 * Math.sqrt(12.5), {
    rtol: 1e-15,
  });
  assert.equal(computeThreshold({ kind: 'quantile', q: 0.5 }, [10, 1, 3, 2]), 2.5);
  assert.equal(computeThreshold({ kind: 'quantile', q: 1 }, [10, 1, 3, 2]), 10);
  assert.equal(computeThreshold({ kind: 'value', value: 7 }, []), 7);
  assert.throws(() => computeThreshold({ kind: 'quantile', q: 0.5 }, []), {
    name: 'DataError',
    message: 'computeThreshold: no training scores to fit the threshold on',
  });
  assert.throws(() => computeThreshold({ kind: 'meanStd', k: 1 }, [1, Infinity]), {
    name: 'DataError',
    message: 'computeThreshold: training scores must be finite, got Infinity at index 1',
  });
});

test('formatThresholdRule reads back through parseThresholdRule', () => {
  for (const t of ['mean+std', 'mean+3std', 'mean+2.5std', 'quantile:0.99', '0.0125']) {
    assert.equal(formatThresholdRule(parseThresholdRule(t)), t);
  }
});
