// The onnxruntime geodesic kernel against the JS fallback and the float64 definition, across
// chunk boundaries and k = 1, installed and misused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClose } from '../../test/helpers/close.js';
import { randomKernel, reference } from '../../test/helpers/geodesic-kernel.js';
import {
  geodesicKernelProjection,
  jsGeodesicKernel,
  setGeodesicKernelBackend,
} from '../linalg/geodesic-kernel.js';
import { matrix } from '../util/matrix.js';
import { ortGeodesicKernel } from './geodesic-kernel-backend.js';

test('onnxruntime geodesic kernel equals the JS fallback and the definition (k = 1, chunk edges)', async () => {
  // chunkFloats / (k·n) queries per call: 5000 / (4·60) = 20, so 47 queries are 20 + 20 + 7;
  // 100 < k·n gives one query per call; the default takes all in one call.
  for (const [q, n, dOut, k, chunkFloats] of [
    [47, 60, 3, 4, 5000],
    [47, 60, 3, 4, 100],
    [33, 50, 2, 1, 500],
    [20, 30, 5, 6, undefined],
  ] as const) {
    const p = randomKernel(100 + q * k, n, dOut, q, k);
    const got = await ortGeodesicKernel({ threads: 1, chunkFloats })(p.kernel, p.nb);
    const js = await jsGeodesicKernel(p.kernel, p.nb);
    const what = `q = ${q}, k = ${k}, chunkFloats = ${chunkFloats}`;
    assert.deepEqual([got.rows, got.cols], [q, dOut], what);
    // Float32 sums D + dist before the min (the fallback sums in float64), then float64:
    // measured 4e-7 off on codes of |z| <= 3 here.
    assertClose(got.data, js.data, { atol: 2e-6, what: `${what} vs js` });
    assertClose(got.data, reference(p), { atol: 2e-6, what: `${what} vs definition` });
  }
});

test('installed, the onnxruntime kernel serves geodesicKernelProjection; shapes are checked first', async () => {
  const p = randomKernel(3, 40, 2, 9, 3);
  setGeodesicKernelBackend(ortGeodesicKernel({ threads: 1 }));
  try {
    const got = await geodesicKernelProjection(p.kernel, p.nb);
    assertClose(got.data, reference(p), { atol: 2e-6, what: 'installed' });
    assert.throws(
      () =>
        geodesicKernelProjection({ ...p.kernel, alpha: matrix(2, 39, new Float64Array(78)) }, p.nb),
      { name: 'ShapeError', message: /alpha must be dOut x 40, got 2 x 39/ },
    );
    assert.throws(
      () => geodesicKernelProjection(p.kernel, { ...p.nb, indices: p.nb.indices.map(() => -1) }),
      { name: 'ShapeError', message: /neighbour index -1 at 0 is outside 0\.\.39/ },
    );
  } finally {
    setGeodesicKernelBackend(undefined);
  }
  assert.throws(() => ortGeodesicKernel({ chunkFloats: 0 }), {
    name: 'ConfigError',
    message: /chunkFloats must be an integer >= 1, got 0/,
  });
});
