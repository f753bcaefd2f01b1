// The JS gemm against a naive triple loop on explicit transposes, and its misuse errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClose } from '../../test/helpers/close.js';
import { ShapeError } from '../errors.js';
import { matrix, transpose, type Matrix } from '../util/matrix.js';
import { Rng } from '../util/rng.js';
import { gemm, gemmSync } from './gemm.js';
import { jsBackend } from './js-backend.js';

function naive(a: Matrix, b: Matrix): Float64Array {
  const out = new Float64Array(a.rows * b.cols);
  for (let i = 0; i < a.rows; i++)
    for (let j = 0; j < b.cols; j++)
      for (let t = 0; t < a.cols; t++)
        out[i * b.cols + j] += a.data[i * a.cols + t] * b.data[t * b.cols + j];
  return out;
}

const r = new Rng(3);
const rand = (rows: number, cols: number): Matrix =>
  matrix(
    rows,
    cols,
    Float64Array.from({ length: rows * cols }, () => r.uniform(-1, 1)),
  );

test('gemmSync equals the naive product for every transpose flag (float64 1e-14, float32 1e-6)', () => {
  const a = rand(7, 5);
  const b = rand(5, 6);
  const ref = naive(a, b);
  const at = transpose(a);
  const bt = transpose(b);
  for (const [x, y, ta, tb] of [
    [a, b, false, false],
    [at, b, true, false],
    [a, bt, false, true],
    [at, bt, true, true],
  ] as const) {
    const c = gemmSync(x, y, ta, tb);
    assert.deepEqual([c.rows, c.cols], [7, 6]);
    assertClose(c.data, ref, { atol: 1e-14, what: `f64 transA ${ta} transB ${tb}` });
    const c32 = gemmSync(
      matrix(x.rows, x.cols, Float32Array.from(x.data)),
      matrix(y.rows, y.cols, Float32Array.from(y.data)),
      ta,
      tb,
    );
    assert.ok(c32.data instanceof Float32Array);
    assertClose(c32.data, ref, { atol: 1e-6, what: `f32 transA ${ta} transB ${tb}` });
  }
});

test('gemm rejects mismatched inner sizes and mixed element types', () => {
  assert.throws(() => gemm(jsBackend, rand(3, 4), rand(3, 4)), {
    name: ShapeError.name,
    message: /gemm: op\(A\) is 3 x 4 and op\(B\) is 3 x 4; the inner sizes must agree/,
  });
  const f32 = matrix(2, 2, new Float32Array(4)) as unknown as Matrix;
  assert.throws(() => gemmSync(rand(2, 2), f32), {
    name: ShapeError.name,
    message: /same element type/,
  });
  assert.throws(() => gemm(jsBackend, rand(2, 3), rand(3, 2), { c: rand(3, 3) }), {
    name: ShapeError.name,
    message: /gemm: C must be 2 x 2 like the product, got 3 x 3/,
  });
});

test('gemmSync computes α·A·B + C (float64 1e-14)', () => {
  const a = rand(4, 3);
  const b = rand(3, 5);
  const c = rand(4, 5);
  const ref = naive(a, b).map((v, i) => c.data[i] - 2 * v);
  assertClose(gemmSync(a, b, false, false, -2, c).data, ref, { atol: 1e-14, what: 'C − 2·A·B' });
});
