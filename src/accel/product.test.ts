// onnxruntime's A·Bᵀ, plain and centred, against the JS product.
import { after, test } from 'node:test';
import { productSync } from '../linalg/product.js';
import { matrix } from '../util/matrix.js';
import { Rng } from '../util/rng.js';
import { assertClose } from '../../test/helpers/close.js';
import { ortProduct } from './product.js';
import { SessionPool } from './session-pool.js';

const pool = new SessionPool({ threads: 1, spin: false });
after(() => pool.dispose());

test('onnxruntime A·Bᵀ equals the float64-accumulated JS product (float32 tolerance 1e-5)', async () => {
  const r = new Rng(5);
  const rand = (n: number): Float32Array =>
    Float32Array.from({ length: n }, () => r.uniform(-1, 1));
  const a = matrix(37, 53, rand(37 * 53));
  const b = matrix(29, 53, rand(29 * 53));
  const c = await ortProduct(pool)(a, b);
  assertClose(c.data, productSync(a, b).data, { atol: 1e-5, rtol: 1e-5, what: 'A·Bᵀ' });
  const view = matrix(5, 53, a.data.subarray(53 * 3, 53 * 8));
  assertClose((await ortProduct(pool)(view, b)).data, productSync(view, b).data, {
    atol: 1e-5,
    rtol: 1e-5,
    what: 'row view',
  });
});

test('onnxruntime (A − 1cᵀ)·Bᵀ equals the JS product with the center subtracted (1e-4 on values near 100)', async () => {
  const r = new Rng(6);
  const a = matrix(
    41,
    30,
    Float32Array.from({ length: 41 * 30 }, () => 100 + r.normal()),
  );
  const b = matrix(
    7,
    30,
    Float32Array.from({ length: 7 * 30 }, () => r.normal()),
  );
  const c = Float32Array.from({ length: 30 }, () => 100 + r.normal(0, 0.1));
  const want = productSync(a, b, c);
  // Reference by hand in float64: the centred rows times B.
  let maxErr = 0;
  for (let i = 0; i < 41; i++)
    for (let j = 0; j < 7; j++) {
      let s = 0;
      for (let k = 0; k < 30; k++) s += (a.data[i * 30 + k] - c[k]) * b.data[j * 30 + k];
      maxErr = Math.max(maxErr, Math.abs(s - want.data[i * 7 + j]));
    }
  assertClose(maxErr, 0, { atol: 1e-5, what: 'JS centred product vs float64' });
  const got = await ortProduct(pool)(a, b, c);
  assertClose(got.data, want.data, { atol: 1e-4, rtol: 1e-5, what: '(A − 1cᵀ)·Bᵀ' });
});
