/**
 * The worker-thread side of noise-pool.ts: for each message, corrupts a chunk's clean input
 * rows step by step with `corruptSteps` and posts the corrupted rows back (the clean buffer is
 * returned too, so the pool can reuse it).
 */
import { parentPort } from 'node:worker_threads';
import { corruptSteps, type NoiseJob } from './step-draws.js';

parentPort?.on('message', (job: NoiseJob & { id: number; buffer: ArrayBuffer }) => {
  try {
    const clean = new Float32Array(job.buffer);
    const out = corruptSteps(clean, job);
    parentPort?.postMessage({ id: job.id, buffer: job.buffer, out: out.buffer }, [
      job.buffer,
      out.buffer as ArrayBuffer,
    ]);
  } catch (e) {
    parentPort?.postMessage({ id: job.id, error: (e as Error).message });
  }
});
