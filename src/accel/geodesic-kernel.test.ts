// The onnxruntime geodesic kernel against the JS kernel and the float64 definition, across
// chunk boundaries and k = 1, on a backend and misused.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { assertClose } from '../../test/helpers/close.js';
import { randomKernel, reference } from '../../test/helpers/geodesic-kernel.js';
import { geodesicKernelProjection, jsGeodesicKernel } from '../linalg/geodesic-kernel.js';
import { jsProduct } from '../linalg/product.js';
import { matrix } from '../util/matrix.js';
import { ortGeodesicKernel } from './geodesic-kernel.js';
import { createOrtBackend } from './ort-backend.js';
import { SessionPool } from './session-pool.js';

const pool = new SessionPool({ threads: 1, spin: false });
after(() => pool.dispose());

test('onnxruntime geodesic kernel equals the JS kernel and the definition (k = 1, chunk edges)', async () => {
  // chunkFloats / (k·n) queries per call: 5000 / (4·60) = 20, so 47 queries are 20 + 20 + 7;
  // 100 < k·n gives one query per call; the default takes all in one call.
  for (const [q, n, dOut, k, chunkFloats] of [
    [47, 60, 3, 4, 5000],
    [47, 60, 3, 4, 100],
    [33, 50, 2, 1, 500],
    [20, 30, 5, 6, undefined],
  ] as const) {
    const p = randomKernel(100 + q * k, n, dOut, q, k);
    const got = await ortGeodesicKernel(pool, { chunkFloats })(p.kernel, p.nb);
    const js = await jsGeodesicKernel(p.kernel, p.nb, jsProduct);
    const what = `q = ${q}, k = ${k}, chunkFloats = ${chunkFloats}`;
    assert.deepEqual([got.rows, got.cols], [q, dOut], what);
    // Float32 sums D + dist before the min (the JS kernel sums in float64), then float64:
    // measured 4e-7 off on codes of |z| <= 3 here.
    assertClose(got.data, js.data, { atol: 2e-6, what: `${what} vs js` });
    assertClose(got.data, reference(p), { atol: 2e-6, what: `${what} vs definition` });
  }
});

test('on an onnxruntime backend, the kernel serves geodesicKernelProjection; shapes are checked first', async () => {
  const p = randomKernel(3, 40, 2, 9, 3);
  const backend = createOrtBackend({ threads: 1 });
  try {
    const got = await geodesicKernelProjection(backend, p.kernel, p.nb);
    assertClose(got.data, reference(p), { atol: 2e-6, what: 'on the backend' });
    assert.throws(
      () =>
        geodesicKernelProjection(
          backend,
          { ...p.kernel, alpha: matrix(2, 39, new Float64Array(78)) },
          p.nb,
        ),
      { name: 'ShapeError', message: /alpha must be dOut x 40, got 2 x 39/ },
    );
    assert.throws(
      () =>
        geodesicKernelProjection(backend, p.kernel, {
          ...p.nb,
          indices: p.nb.indices.map(() => -1),
        }),
      { name: 'ShapeError', message: /neighbour index -1 at 0 is outside 0\.\.39/ },
    );
  } finally {
    await backend.dispose();
  }
  assert.throws(() => ortGeodesicKernel(pool, { chunkFloats: 0 }), {
    name: 'ConfigError',
    message: /chunkFloats must be an integer >= 1, got 0/,
  });
});
