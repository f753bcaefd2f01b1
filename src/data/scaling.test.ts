import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, DataError, ShapeError } from '../errors.js';
import { matrix } from '../util/matrix.js';
import { assertClose } from '../../test/helpers/close.js';
import {
  applyScaling,
  fitScaling,
  invertScaling,
  parseScaling,
  type ScalingKind,
} from './scaling.js';

// Column 0 varies, column 1 is constant (scikit-learn scales a constant column by 1).
const X = matrix(3, 2, new Float32Array([1, 10, 2, 10, 4, 10]));

test('minmax maps each column to [0, 1]; constant columns to 0 (as sklearn MinMaxScaler)', () => {
  const s = fitScaling('minmax', X);
  assert.deepEqual(s, { kind: 'minmax', min: [1, 10], max: [4, 10] });
  // Expected by hand: (x - 1) / 3.
  assertClose(applyScaling(s, X).data, [0, 0, 1 / 3, 0, 1, 0], { rtol: 0, atol: 1e-7 });
});

test('standardize uses the population std (ddof 0, as sklearn StandardScaler)', () => {
  const s = fitScaling('standardize', X);
  assert.equal(s.kind, 'standardize');
  // Mean 7/3; std sqrt(((1-7/3)^2 + (2-7/3)^2 + (4-7/3)^2) / 3) = sqrt(14/9), worked by hand.
  if (s.kind === 'standardize') {
    assertClose(s.mean, [7 / 3, 10], { rtol: 1e-15 });
    assertClose(s.std, [Math.sqrt(14 / 9), 1], { rtol: 1e-15 });
  }
  const z = applyScaling(s, X);
  const sd = Math.sqrt(14 / 9);
  assertClose(z.data, [(1 - 7 / 3) / sd, 0, (2 - 7 / 3) / sd, 0, (4 - 7 / 3) / sd, 0], {
    atol: 1e-6,
    rtol: 0,
  });
});

test('divide255 and none; invertScaling undoes applyScaling (float32, rtol 1e-6)', () => {
  const img = matrix(1, 3, new Float32Array([0, 51, 255]));
  assertClose(applyScaling(fitScaling('divide255', img), img).data, [0, 0.2, 1], { rtol: 1e-7 });
  assert.equal(applyScaling(fitScaling('none', img), img), img);
  const kinds: ScalingKind[] = ['none', 'divide255', 'minmax', 'standardize'];
  for (const k of kinds) {
    const s = fitScaling(k, X);
    assertClose(invertScaling(s, applyScaling(s, X)).data, X.data, { rtol: 1e-6, what: k });
  }
});

test('a scaling survives JSON and parseScaling unchanged', () => {
  for (const k of ['none', 'divide255', 'minmax', 'standardize'] as const) {
    const s = fitScaling(k, X);
    assert.deepEqual(parseScaling(JSON.parse(JSON.stringify(s)), 'model.json'), s);
  }
});

test('parseScaling names the file and the bad field', () => {
  const bad = (v: unknown, re: RegExp): void =>
    assert.throws(
      () => parseScaling(v, 'model.json'),
      (e: unknown) => e instanceof DataError && e.file === 'model.json' && re.test(e.message),
    );
  bad(null, /model\.json: field scaling: scaling must be an object, got null/);
  bad(
    { kind: 'zscore' },
    /field scaling\.kind: scaling\.kind must be one of none, divide255, minmax, standardize, got "zscore"/,
  );
  bad({ kind: 'minmax', min: [0], max: 'x' }, /scaling\.max must be an array of numbers, got "x"/);
  bad(
    { kind: 'standardize', mean: [0, 1], std: [1, 0] },
    /field scaling\.std\[1\]: scaling\.std\[1\] must be a finite number > 0, got 0/,
  );
  bad(
    { kind: 'standardize', mean: [0, null], std: [1, 1] },
    /scaling\.mean\[1\] must be a finite number, got null/,
  );
  bad(
    { kind: 'minmax', min: [0, 1], max: [1] },
    /scaling\.min has 2 values but scaling\.max has 1/,
  );
  bad(
    { kind: 'minmax', min: [2], max: [1] },
    /scaling\.max\[0\] = 1 is below scaling\.min\[0\] = 2/,
  );
});

test('misuse: unknown kind, empty data, column mismatch', () => {
  assert.throws(
    () => fitScaling('l2' as ScalingKind, X),
    (e: unknown) =>
      e instanceof ConfigError &&
      /scaling must be one of none, divide255, minmax, standardize, got "l2"/.test(e.message),
  );
  assert.throws(
    () => fitScaling('minmax', matrix(0, 2, new Float32Array(0))),
    (e: unknown) => e instanceof ShapeError && /at least 1 row, got 0/.test(e.message),
  );
  const s = fitScaling('standardize', X);
  const three = matrix(1, 3, new Float32Array(3));
  assert.throws(
    () => applyScaling(s, three),
    (e: unknown) =>
      e instanceof ShapeError &&
      /applyScaling: the standardize scaling was fitted on 2 columns, x has 3/.test(e.message),
  );
  assert.throws(() => invertScaling(s, three), /invertScaling: .* fitted on 2 columns, x has 3/);
});
