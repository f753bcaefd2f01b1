import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FULL_SETTINGS, type CompareSettings } from './config.js';
import { compareFindings } from './findings.js';
import type { CompareResult, CompareRow } from './run.js';

function row(method: CompareRow['method'], dim: number, acc: number, ceiling: number): CompareRow {
  return {
    method,
    dim,
    trainRows: 2400,
    testRows: 600,
    knnAccuracy: acc,
    ceiling,
    trust: { value: 0.9, exact: true, n: 600 },
    fitSeconds: 0.1,
    transformSeconds: 0.01,
    metricSeconds: 0.01,
  };
}

function result(rows: CompareRow[]): CompareResult {
  return {
    settings: { ...FULL_SETTINGS, dims: [2, 5] } as CompareSettings,
    data: {
      name: 'emb.csv',
      features: 32,
      classes: 3,
      split: '',
      aeScaling: 'minmax',
      inputScaling: '',
    },
    ceilings: [{ trainRows: 2400, testRows: 600, accuracy: 1, seconds: 0.1 }],
    rows,
    estimatedSeconds: 2,
    seconds: 1.4,
  };
}

test('a code level with the ceiling is not said to be "0.0 points above" it, nor to classify better', () => {
  // The issue's line: a gap of -0.0004 printed as "0.0 points above the raw features ... the code
  // classifies better than the raw input".
  const f = compareFindings(result([row('pca', 2, 0.9996, 0.9992), row('pca', 5, 0.99, 0.9992)]));
  const closest = f.find((x) => x.startsWith('Closest to its ceiling')) ?? '';
  assert.match(
    closest,
    /level with the raw features \(0\.9992, 2,400 training rows\) to 0\.1 point/,
  );
  assert.doesNotMatch(closest, /0\.0 points|classifies better/);
  for (const x of f) assert.doesNotMatch(x, /\b0\.0 points (above|below)/);
});

test('a clear lead or deficit keeps its wording; a tie at 0.1 point says tied, not "+0.0"', () => {
  const above = compareFindings(result([row('lda', 2, 0.98, 0.95)]));
  assert.ok(above.some((x) => /3\.0 points above .*classifies better than the raw input/.test(x)));
  const below = compareFindings(result([row('pca', 2, 0.9, 0.95)]));
  assert.ok(below.some((x) => /5\.0 points below the raw features/.test(x)));
  const tie = compareFindings(result([row('pca', 2, 0.9, 0.95), row('lda', 2, 0.9002, 0.95)]));
  const best = tie.find((x) => x.startsWith('Best kNN')) ?? '';
  assert.match(best, /d = 2: LDA 0\.9002 \(tied with PCA to 0\.1 point\)/);
  assert.doesNotMatch(best, /\+0\.0/);
});
