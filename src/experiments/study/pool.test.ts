import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planRuns, resolveStudyConfig } from './config.js';
import { executeRuns, StudyCancelledError, type PoolEvent } from './pool.js';
import { readFinishedRun } from './runs.js';

const out = mkdtempSync(join(tmpdir(), 'aedr-study-pool-'));
after(() => rmSync(out, { recursive: true, force: true }));

const config = resolveStudyConfig({
  latentDims: [3, 5],
  activations: ['sigmoid'],
  epochs: 1,
  trainSize: 300,
  testSize: 40,
  threads: 2,
  deep: { layers: [8, 3], epochs: 1 },
  out,
});
const runs = planRuns(config).filter((r) => r.kind === 'shallow');
const opts = { out, trainSize: 300, testSize: 40, threads: 2 };

test('two workers and one thread give the same results, in the order of the runs', async () => {
  const events: PoolEvent[] = [];
  const onWorkers = await executeRuns(runs, {
    ...opts,
    workers: 2,
    onEvent: (e) => events.push(e),
  });
  assert.deepEqual(
    onWorkers.map((r) => r.id),
    runs.map((r) => r.id),
  );
  for (const run of runs) {
    const kinds = events.filter((e) => e.run.id === run.id).map((e) => e.type);
    assert.equal(kinds[0], 'start');
    assert.equal(kinds.at(-1), 'done');
    assert.ok(kinds.includes('epoch'));
    assert.ok(readFinishedRun(out, run) !== undefined);
  }
  // One onnxruntime thread per worker vs two on this thread: training is the same computation;
  // the evaluated MSE may differ in the last float32 bits of its reduction (1e-6 relative).
  const here = await executeRuns(runs, { ...opts, workers: 1, threads: 1 });
  here.forEach((r, i) => {
    const w = onWorkers[i];
    assert.ok(r.kind === 'shallow' && w.kind === 'shallow');
    assert.ok(Math.abs(r.testMse - w.testMse) <= 1e-6 * w.testMse, `${r.testMse} vs ${w.testMse}`);
  });
});

test('an aborted signal stops the pool with StudyCancelledError (before and during the runs)', async () => {
  const before = new AbortController();
  before.abort();
  await assert.rejects(
    executeRuns(runs, { ...opts, workers: 2, signal: before.signal }),
    (e: unknown) =>
      e instanceof StudyCancelledError && /cancelled after 0 of 2 runs/.test(e.message),
  );
  const during = new AbortController();
  await assert.rejects(
    executeRuns(runs, {
      ...opts,
      workers: 2,
      signal: during.signal,
      onEvent: (e) => {
        if (e.type === 'start') during.abort();
      },
    }),
    (e: unknown) => e instanceof StudyCancelledError && /finished runs are kept/.test(e.message),
  );
  const here = new AbortController();
  await assert.rejects(
    executeRuns(runs, {
      ...opts,
      workers: 1,
      signal: here.signal,
      onEvent: (e) => {
        if (e.type === 'progress') here.abort();
      },
    }),
    (e: unknown) => e instanceof StudyCancelledError,
  );
});

test('no runs: resolves at once with no results', async () => {
  assert.deepEqual(await executeRuns([], { ...opts, workers: 2 }), []);
});
