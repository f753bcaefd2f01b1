import { test } from 'node:test';
import { ortProduct } from './product-backend.js';
import { productSync } from '../linalg/product.js';
import { matrix } from '../util/matrix.js';
import { Rng } from '../util/rng.js';
import { assertClose } from '../../test/helpers/close.js';

test('onnxruntime A·Bᵀ equals the float64-accumulated JS product (float32 tolerance 1e-5)', async () => {
  const r = new Rng(5);
  const rand = (n: number): Float32Array =>
    Float32Array.from({ length: n }, () => r.uniform(-1, 1));
  const a = matrix(37, 53, rand(37 * 53));
  const b = matrix(29, 53, rand(29 * 53));
  const c = await ortProduct({ threads: 1 })(a, b);
  assertClose(c.data, productSync(a, b).data, { atol: 1e-5, rtol: 1e-5, what: 'A·Bᵀ' });
  const view = matrix(5, 53, a.data.subarray(53 * 3, 53 * 8));
  assertClose((await ortProduct()(view, b)).data, productSync(view, b).data, {
    atol: 1e-5,
    rtol: 1e-5,
    what: 'row view',
  });
});
