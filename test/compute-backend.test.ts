// Options travel one way: a backend made with { threads: 1, spin: false } is the only place the
// sessions of a reducer fit, a kNN search and a metric come from, and `aedr compare --threads 1
// --no-spin` makes its backend from those flags. A recording session factory (real sessions,
// each one's options kept) shows it.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createOrtBackend } from '../src/accel/ort-backend.js';
import type { SessionFactory } from '../src/accel/session-pool.js';
import type { CliIo } from '../src/cli/context.js';
import { runCli } from '../src/cli/run.js';
import { knn } from '../src/linalg/knn.js';
import { trustworthiness } from '../src/metrics/trustworthiness.js';
import { Isomap } from '../src/reducers/isomap.js';
import { LDA } from '../src/reducers/lda.js';
import { PCA } from '../src/reducers/pca.js';
import { Session, type SessionOptions } from '../src/runtime/session.js';
import { matrix } from '../src/util/matrix.js';
import { Rng } from '../src/util/rng.js';

/** Creates real sessions and records each one with its options. */
function recording(): { factory: SessionFactory; opts: SessionOptions[]; sessions: Session[] } {
  const opts: SessionOptions[] = [];
  const sessions: Session[] = [];
  return {
    opts,
    sessions,
    factory: async (bytes, o) => {
      opts.push({ ...o });
      const s = await Session.create(bytes, o);
      sessions.push(s);
      return s;
    },
  };
}

const out = mkdtempSync(join(tmpdir(), 'aedr-compute-'));
after(() => rmSync(out, { recursive: true, force: true }));

test('a reducer fit, knn and trustworthiness on a { threads: 1, spin: false } backend create sessions with exactly those options', async () => {
  const rec = recording();
  const backend = createOrtBackend({ threads: 1, spin: false, sessionFactory: rec.factory });
  const rng = new Rng(3);
  // 1200 x 40: PCA's randomized direct route (product, gemm), Isomap's kNN candidates and
  // geodesic kernel: at least 4 sessions; LDA and trustworthiness reuse the product.
  const x = matrix(
    1200,
    40,
    Float32Array.from({ length: 1200 * 40 }, () => rng.normal()),
  );
  const y = Int32Array.from({ length: 1200 }, (_, i) => i % 3);
  try {
    const z = await new PCA({ nComponents: 3, backend }).fitTransform(x);
    await new LDA({ backend }).fit(x, y);
    const small = matrix(300, 40, x.data.slice(0, 300 * 40));
    const iso = new Isomap({ nNeighbors: 10, nComponents: 2, backend });
    await iso.fit(small);
    await iso.transform(matrix(5, 40, x.data.slice(400 * 40, 405 * 40)));
    await knn(x, 5, { backend });
    await trustworthiness(x, z, 5, { backend });
    assert.ok(rec.opts.length >= 4, `${rec.opts.length} sessions`);
    for (const o of rec.opts) assert.deepEqual(o, { threads: 1, spin: false });
    assert.equal(backend.sessionCount, rec.opts.length);
  } finally {
    await backend.dispose();
  }
  assert.equal(backend.sessionCount, 0);
});

test('aedr compare --threads 1 --no-spin makes its backend with those options (and disposes it)', async () => {
  const rec = recording();
  let err = '';
  const io: CliIo = { out: () => undefined, err: (t) => void (err += t), errIsTty: false };
  const code = await runCli(
    [
      'compare',
      '--quick',
      '--methods',
      'pca,isomap',
      '--dims',
      '2',
      '--threads',
      '1',
      '--no-spin',
      '--quiet',
      '--out',
      out,
    ],
    io,
    { sessionFactory: rec.factory },
  );
  assert.equal(code, 0, err);
  assert.ok(rec.opts.length >= 3, `${rec.opts.length} sessions`);
  for (const o of rec.opts) assert.deepEqual(o, { threads: 1, spin: false });
  // The command disposed its backend: every session is released.
  for (const s of rec.sessions)
    await assert.rejects(s.run({}), { name: 'ConfigError', message: /session was disposed/ });
});
