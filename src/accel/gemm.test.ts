// onnxruntime's gemm against the JS gemm of linalg/gemm.ts for every transpose flag.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { assertClose } from '../../test/helpers/close.js';
import { gemmSync } from '../linalg/gemm.js';
import { matrix } from '../util/matrix.js';
import { Rng } from '../util/rng.js';
import { ortGemm } from './gemm.js';
import { SessionPool } from './session-pool.js';

const pool = new SessionPool({ threads: 1, spin: false });
after(() => pool.dispose());

test('onnxruntime gemm equals the JS gemm (float64 1e-12, float32 1e-5), all transposes', async () => {
  const r = new Rng(9);
  const g = ortGemm(pool);
  const shapes = {
    NN: [
      [13, 21],
      [21, 8],
    ],
    TN: [
      [21, 13],
      [21, 8],
    ],
    NT: [
      [13, 21],
      [8, 21],
    ],
    TT: [
      [21, 13],
      [8, 21],
    ],
  };
  for (const [key, [sa, sb]] of Object.entries(shapes)) {
    const ta = key[0] === 'T';
    const tb = key[1] === 'T';
    const a = matrix(
      sa[0],
      sa[1],
      Float64Array.from({ length: sa[0] * sa[1] }, () => r.normal()),
    );
    const b = matrix(
      sb[0],
      sb[1],
      Float64Array.from({ length: sb[0] * sb[1] }, () => r.normal()),
    );
    const ref = gemmSync(a, b, ta, tb).data;
    assertClose((await g(a, b, ta, tb)).data, ref, { atol: 1e-12, what: `f64 ${key}` });
    const a32 = matrix(a.rows, a.cols, Float32Array.from(a.data));
    const b32 = matrix(b.rows, b.cols, Float32Array.from(b.data));
    const c32 = await g(a32, b32, ta, tb);
    assertClose(c32.data, gemmSync(a32, b32, ta, tb).data, {
      atol: 1e-5,
      rtol: 1e-5,
      what: `f32 ${key}`,
    });
  }
  const a = matrix(
    6,
    4,
    Float64Array.from({ length: 24 }, () => r.normal()),
  );
  const c = matrix(
    6,
    6,
    Float64Array.from({ length: 36 }, () => r.normal()),
  );
  assertClose((await g(a, a, false, true, -1, c)).data, gemmSync(a, a, false, true, -1, c).data, {
    atol: 1e-12,
    what: 'C − A·Aᵀ',
  });
  const empty = await g(
    matrix(0, 3, new Float64Array(0)),
    matrix(3, 2, new Float64Array(6)),
    false,
    false,
  );
  assertClose(empty.rows + empty.cols, 2, { what: 'empty product shape' });
});

test('onnxruntime gemm takes operands in shared memory (copied; onnxruntime-node refuses them)', async () => {
  const a = new Float64Array(new SharedArrayBuffer(32));
  a.set([1, 2, 3, 4]);
  const r = await ortGemm(pool)(matrix(2, 2, a), matrix(2, 2, a), false, false);
  assert.deepEqual([...r.data], [7, 10, 15, 22]);
});
