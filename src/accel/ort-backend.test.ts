// The onnxruntime backend owns its sessions: created through the given factory with the
// backend's { threads, spin }, kept per backend (never shared between two), released by
// dispose(); and misuse of its options.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClose } from '../../test/helpers/close.js';
import { productSync } from '../linalg/product.js';
import { Session, type SessionOptions } from '../runtime/session.js';
import { matrix } from '../util/matrix.js';
import { createOrtBackend } from './ort-backend.js';
import type { SessionFactory } from './session-pool.js';

/** A factory that creates real sessions and records each one with its options. */
function recording(): { factory: SessionFactory; made: { opts: SessionOptions; s: Session }[] } {
  const made: { opts: SessionOptions; s: Session }[] = [];
  const factory: SessionFactory = async (bytes, opts) => {
    const s = await Session.create(bytes, opts);
    made.push({ opts: { ...opts }, s });
    return s;
  };
  return { factory, made };
}

const a = matrix(3, 2, Float32Array.of(1, 2, 3, 4, 5, 6));
const b = matrix(2, 2, Float32Array.of(1, 0, 0, 1));

test('sessions are created once per model with the backend options, and released by dispose', async () => {
  const rec = recording();
  const backend = createOrtBackend({ threads: 1, sessionFactory: rec.factory });
  assert.deepEqual([backend.name, backend.threads, backend.spin], ['onnxruntime', 1, false]);
  // A·Bᵀ with B = I: float32 products of small integers, exact.
  assertClose((await backend.product(a, b)).data, productSync(a, b).data, { atol: 0 });
  await backend.product(a, b);
  await backend.gemm(a, b, false, true);
  assert.equal(backend.sessionCount, 2, 'product and gemm: one session each, reused');
  assert.deepEqual(
    rec.made.map((m) => m.opts),
    [
      { threads: 1, spin: false },
      { threads: 1, spin: false },
    ],
  );
  await backend.dispose();
  assert.equal(backend.sessionCount, 0);
  for (const { s } of rec.made)
    await assert.rejects(s.run({}), { name: 'ConfigError', message: /session was disposed/ });
  await assert.rejects(backend.product(a, b), {
    name: 'ConfigError',
    message: /this onnxruntime backend was disposed; create a new one/,
  });
  await backend.dispose(); // twice is fine
});

test('two backends never share sessions; each keeps its own options', async () => {
  const rec = recording();
  const one = createOrtBackend({ threads: 1, sessionFactory: rec.factory });
  const two = createOrtBackend({ threads: 2, spin: true, sessionFactory: rec.factory });
  try {
    await one.product(a, b);
    await two.product(a, b);
    assert.deepEqual(
      rec.made.map((m) => m.opts),
      [
        { threads: 1, spin: false },
        { threads: 2, spin: true },
      ],
    );
    assert.notEqual(rec.made[0].s, rec.made[1].s);
  } finally {
    await one.dispose();
    await two.dispose();
  }
});

test('createOrtBackend rejects a thread count that is not a positive integer', () => {
  for (const threads of [0, 1.5, -2])
    assert.throws(() => createOrtBackend({ threads }), {
      name: 'ConfigError',
      message: new RegExp(`threads must be an integer >= 1, got ${threads}`),
    });
});
