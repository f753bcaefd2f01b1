// The one-call onnxruntime subspace iteration against the JS kernel (Gram-Schmidt in float64)
// on seeded symmetric PSD matrices with known eigenvectors: spans, S and H, the certificate, the
// JS kernel when the certificate fails, and misuse.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose } from '../../test/helpers/close.js';
import { pencil, sinAngle, spectral as spectral64 } from '../../test/helpers/spectral.js';
import type { SubspaceIteration } from '../linalg/backend.js';
import { jsBackend } from '../linalg/js-backend.js';
import { jsProduct } from '../linalg/product.js';
import { randomizedSvd } from '../linalg/randomized-svd.js';
import { jsSubspaceIteration, ritzPairs } from '../linalg/subspace-iteration.js';
import { matrix, type Matrix32 } from '../util/matrix.js';
import { Rng } from '../util/rng.js';
import { SessionPool } from './session-pool.js';
import { ortSubspaceIteration, ortSubspaceRun } from './subspace-iteration.js';

const pool = new SessionPool({ threads: 1, spin: false });
after(() => pool.dispose());

/** The fixture with C in float32, as the onnxruntime call takes it. */
function spectral(lam: number[], seed: number): { c: Matrix32; u: Float64Array } {
  const { c, u } = spectral64(lam, seed);
  return { c: matrix(c.rows, c.cols, Float32Array.from(c.data)), u };
}

/** The top-k Ritz vectors coef·Q (k x d). */
function ritzVectors(r: SubspaceIteration, k: number): Float64Array {
  const { coef } = ritzPairs(r, k);
  const l = r.q.rows;
  const d = r.q.cols;
  const v = new Float64Array(k * d);
  for (let j = 0; j < k; j++)
    for (let t = 0; t < l; t++)
      for (let e = 0; e < d; e++) v[j * d + e] += coef.data[j * l + t] * r.q.data[t * d + e];
  return v;
}

function start(l: number, d: number, seed: number): Matrix32 {
  const rng = new Rng(seed);
  return matrix(
    l,
    d,
    Float32Array.from({ length: l * d }, () => rng.normal()),
  );
}

test('onnxruntime subspace iteration spans what the JS fallback spans; S = Q·Qᵀ, H = Q·C·Qᵀ; certificate holds', async () => {
  const d = 60;
  const l = 8;
  const steps = 5;
  const { c } = spectral(
    Array.from({ length: d }, (_, i) => 1 / (1 + i)),
    1,
  );
  const q0 = start(l, d, 2);
  const got = await ortSubspaceRun(pool)(c, q0, steps);
  const want = await jsSubspaceIteration(c, q0, steps, jsProduct);
  // Measured: ‖Q·Qᵀ − I‖²_F 1.3e-6 at most over the steps (accepted up to 0.25), the spans
  // 1.3e-6 apart (float32 products; bound 1e-4).
  assert.ok(got.dev < 1e-4, `certificate ${got.dev}`);
  const angle = sinAngle(got.q.data, l, want.q.data, l);
  assert.ok(angle < 1e-4, `span of q: sin θ = ${angle}`);
  const def = pencil(got.q.data, c.data, l, d);
  // float32 sums of d products of O(1) values: 1e-5.
  assertClose(got.s.data, def.s, { atol: 1e-5, what: 's' });
  assertClose(got.h.data, def.h, { atol: 1e-5, what: 'h' });
  // Ritz values (λ₁ = 1) of the two bases: float32 H, 1e-5.
  assertClose(ritzPairs(got, 4).values, ritzPairs(want, 4).values, { atol: 1e-5, what: 'Ritz' });
  // Certified, so the backend returns the onnxruntime result itself.
  const viaBackend = await ortSubspaceIteration(pool, jsProduct)(c, q0, steps);
  assert.deepEqual(viaBackend.q.data, got.q.data);
});

test('eigenvalues spanning 1e6: top-k accurate, in one call when the top l span little, by the fallback when they span much', async () => {
  const d = 40;
  const l = 8;
  const k = 3;
  const backend = ortSubspaceIteration(pool, jsProduct);
  const run = ortSubspaceRun(pool);
  // Geometric over the whole spectrum (1 to 1e-6, ratio 0.70): λ₁/λ₈ = 12 per step is made up.
  const wide = spectral(
    Array.from({ length: d }, (_, i) => 10 ** ((-6 * i) / (d - 1))),
    3,
  );
  const q0 = start(l, d, 4);
  const a = await run(wide.c, q0, 8);
  assert.ok(a.dev < 1e-3, `certificate ${a.dev} (measured 4.7e-6)`);
  const ra = await backend(wide.c, q0, 8);
  assert.deepEqual(ra.q.data, a.q.data);
  // (λ₉/λ₃)⁸ = 4e-8 convergence, float32 C: measured 2.2e-7 against the exact eigenvectors.
  const sa = sinAngle(ritzVectors(ra, k), k, wide.u.subarray(0, k * d), k);
  assert.ok(sa < 1e-4, `top-${k} span, sin θ = ${sa}`);
  // 1 to 1e-6 over the top 8 (ratio 0.14), flat from the 14th: λ₁/λ₈ = 1e6 per step is more
  // than the polar steps make up (measured: up to about 1e3); the certificate fails and
  // Gram-Schmidt's result comes back.
  const steep = spectral(
    Array.from({ length: d }, (_, i) => 10 ** ((-6 * Math.min(i, 13)) / 7)),
    5,
  );
  const b = await run(steep.c, q0, 8);
  assert.ok(b.dev > 0.25, `certificate ${b.dev} should fail (measured 3.3)`);
  const rb = await backend(steep.c, q0, 8);
  assert.deepEqual(rb.q.data, (await jsSubspaceIteration(steep.c, q0, 8, jsProduct)).q.data);
  const sb = sinAngle(ritzVectors(rb, k), k, steep.u.subarray(0, k * d), k);
  assert.ok(sb < 1e-4, `top-${k} span (fallback), sin θ = ${sb} (measured 2.5e-7)`);
});

test('the scale of C does not matter: 1e12 and 1e-12 times C give the same basis, certified', async () => {
  // Regression: Y·Yᵀ was formed before scaling, and its squares overflowed float32 for C of
  // about 1e9 (MNIST pixels 0-255), so every such call failed its certificate.
  const d = 50;
  const l = 6;
  const { c } = spectral(
    Array.from({ length: d }, (_, i) => 1 / (1 + i)),
    9,
  );
  const q0 = start(l, d, 10);
  const run = ortSubspaceRun(pool);
  const ref = await run(c, q0, 4);
  for (const f of [1e12, 1e-12]) {
    const cf = matrix(
      d,
      d,
      c.data.map((v) => v * f),
    );
    const got = await run(cf, q0, 4);
    assert.ok(got.dev < 1e-4, `scale ${f}: certificate ${got.dev}`);
    // Scaling by a power of ten rounds C differently in float32: spans equal to 1e-5.
    const angle = sinAngle(got.q.data, l, ref.q.data, l);
    assert.ok(angle < 1e-5, `scale ${f}: sin θ = ${angle}`);
    assertClose(
      ritzPairs(got, 3).values,
      ritzPairs(ref, 3).values.map((v) => v * f),
      {
        rtol: 1e-5,
        what: `Ritz values at scale ${f}`,
      },
    );
  }
});

test('a zero C fails the certificate (no NaN) and comes back from the fallback: H = 0', async () => {
  const c = matrix(6, 6, new Float32Array(36));
  const q0 = start(3, 6, 7);
  const r = await ortSubspaceRun(pool)(c, q0, 2);
  assert.ok(r.dev > 0.25 && Number.isFinite(r.dev), `certificate ${r.dev}`);
  const got = await ortSubspaceIteration(pool, jsProduct)(c, q0, 2);
  assert.deepEqual(Array.from(got.h.data), new Array<number>(9).fill(0));
  assert.equal(ritzPairs(got, 1).rank, 0);
});

test('randomizedSvd gram route with the onnxruntime backend matches the JS backend', async () => {
  const rng = new Rng(8);
  const [n, d, r] = [200, 30, 4];
  const f = Float64Array.from({ length: n * r }, () => rng.normal());
  const g = Float64Array.from({ length: r * d }, () => rng.normal());
  const x = new Float32Array(n * d);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < d; j++) {
      let s = 0.05 * rng.normal();
      for (let t = 0; t < r; t++) s += f[i * r + t] * g[t * d + j] * (r - t);
      x[i * d + j] = s;
    }
  const want = await randomizedSvd(matrix(n, d, x), 3, { route: 'gram', seed: 1 });
  const backend = { ...jsBackend, subspaceIteration: ortSubspaceIteration(pool, jsProduct) };
  const got = await randomizedSvd(matrix(n, d, x), 3, { route: 'gram', seed: 1, backend });
  // float32 C and products on both sides: σ to 1e-5, V and U to 1e-4 (as randomized-svd.test.ts).
  assertClose(got.s, want.s, { rtol: 1e-5, what: 's' });
  assertClose(got.vt.data, want.vt.data, { atol: 1e-4, what: 'vt' });
  assertClose(got.u.data, want.u.data, { atol: 1e-4, what: 'u' });
});

test('onnxruntime subspace iteration names a misshapen input', async () => {
  const c = matrix(3, 3, new Float32Array(9));
  await assert.rejects(
    ortSubspaceIteration(pool, jsProduct)(c, matrix(2, 4, new Float32Array(8)), 1),
    {
      name: 'ShapeError',
      message: /tensor data has 9 values, dims \[4, 4\] need 16/,
    },
  );
});
