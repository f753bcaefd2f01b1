import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { matrix } from '../util/matrix.js';
import { knnAccuracy } from './knn-accuracy.js';

interface Golden {
  knn: {
    cols: number;
    train: number[];
    test: number[];
    trainLabels: number[];
    testLabels: number[];
    names: string[];
    cases: {
      k: number;
      labels: 'int' | 'str';
      accuracy: number;
      predictions: (number | string)[];
    }[];
  };
}
const g = (
  JSON.parse(
    readFileSync(new URL('../../test/golden/metrics_sklearn.json', import.meta.url), 'utf8'),
  ) as Golden
).knn;
const train = matrix(g.trainLabels.length, g.cols, Float64Array.from(g.train));
const testM = matrix(g.testLabels.length, g.cols, Float64Array.from(g.test));
const toName = (y: number): string => g.names[(y - 1) / 3];

test('knnAccuracy equals KNeighborsClassifier (sklearn 1.2, metrics_sklearn.py), incl. even k ties', async () => {
  for (const c of g.cases) {
    const r =
      c.labels === 'int'
        ? await knnAccuracy(train, g.trainLabels, testM, g.testLabels, c.k)
        : await knnAccuracy(train, g.trainLabels.map(toName), testM, g.testLabels.map(toName), c.k);
    // Exact: a count over 100 rows.
    assert.equal(r.value, c.accuracy, `k=${c.k} ${c.labels}`);
    assert.deepEqual(r.predictions, c.predictions, `k=${c.k} ${c.labels}`);
    assert.equal(r.n, 100);
    assert.equal(r.correct, Math.round(c.accuracy * 100));
  }
});

test('a tied vote goes to the smallest label', async () => {
  // Query at 0; neighbours at distances 1 (label 9), 2 (label 3), then far: 2-NN vote is 1-1.
  const tr = matrix(3, 1, Float64Array.of(1, -2, 10));
  const r = await knnAccuracy(tr, [9, 3, 9], matrix(1, 1, Float64Array.of(0)), [3], 2);
  assert.deepEqual(r.predictions, [3]);
  assert.equal(r.value, 1);
  const s = await knnAccuracy(tr, ['b', 'a', 'b'], matrix(1, 1, Float64Array.of(0)), ['b'], 2);
  assert.deepEqual(s.predictions, ['a']);
});

test('knnAccuracy misuse: label lengths, k, columns, NaN, mixed kinds', async () => {
  const tr = matrix(4, 2, Float64Array.of(0, 0, 1, 0, 0, 1, 1, 1));
  const te = matrix(2, 2, Float64Array.of(0.1, 0, 0.9, 1));
  await assert.rejects(knnAccuracy(tr, [0, 1, 0], te, [0, 1]), {
    name: 'ShapeError',
    message: /knnAccuracy trainLabels must have one label per row \(4\), got 3/,
  });
  await assert.rejects(knnAccuracy(tr, [0, 1, 0, 1], te, [0]), {
    name: 'ShapeError',
    message: /testLabels must have one label per row \(2\), got 1/,
  });
  await assert.rejects(knnAccuracy(tr, [0, 1, 0, 1], te, [0, 1], 5), {
    name: 'ConfigError',
    message: /knnAccuracy k must be an integer in 1\.\.4 \(the training rows\), got 5/,
  });
  await assert.rejects(knnAccuracy(tr, [0, 1, 0, 1], matrix(1, 3, new Float64Array(3)), [0]), {
    name: 'ShapeError',
    message: /knnAccuracy testZ must have 2 columns, got 1 x 3/,
  });
  await assert.rejects(knnAccuracy(tr, [0, 1, NaN, 1], te, [0, 1]), {
    name: 'DataError',
    message: /trainLabels\[2\] must be a finite number or a string, got NaN/,
  });
  await assert.rejects(
    knnAccuracy(tr, [0, 1, 0, 1], matrix(2, 2, Float64Array.of(0, NaN, 1, 1)), [0, 1]),
    {
      name: 'DataError',
      message: /knnAccuracy testZ must be finite, found NaN at row 0, column 1/,
    },
  );
  await assert.rejects(knnAccuracy<number | string>(tr, [0, 1, 0, 1], te, [0, '1'], 1), {
    name: 'DataError',
    message:
      /labels must all be numbers or all strings, got number and string \(testLabels\[1\] = 1\)/,
  });
});
