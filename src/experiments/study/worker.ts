/**
 * The worker-thread side of pool.ts: loads the study's MNIST rows once, then takes runs from the
 * shared counter until none is left, posting start, progress, epoch and done messages. Each
 * worker has its own onnxruntime sessions on its share of the threads (training sessions, and
 * the compute backend of a PCA run, runs.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerInput, WorkerMessage } from './pool.js';
import { executeRun, loadStudyData } from './runs.js';

const input = workerData as WorkerInput;
const port = parentPort;
const post = (m: WorkerMessage): void => port?.postMessage(m);

async function main(): Promise<void> {
  const data = loadStudyData(input.trainSize, input.testSize);
  for (;;) {
    const index = Atomics.add(input.next, 0, 1);
    if (index >= input.runs.length) return;
    const run = input.runs[index];
    post({ type: 'start', index });
    try {
      const result = await executeRun(run, data, input.out, input.threads, {
        ...(input.spin ? {} : { spin: false }),
        onProgress: (progress) => post({ type: 'progress', index, progress }),
        onEpoch: (record) => post({ type: 'epoch', index, record }),
      });
      post({ type: 'done', index, result });
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      post({ type: 'failed', index, name: e.name, message: e.message, stack: e.stack });
      return;
    }
  }
}

await main();
