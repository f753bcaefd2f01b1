// `aedr pumap` on the first 300 MNIST images, 2 epochs of a small network: the folder it writes
// is read by loadModel (what encode, decode, info and serve use), info says both epochs ran, with the same codes as
// ParametricUMAP.load, model.json says it is a parametric UMAP, aedr serve prepares its page
// data from it, and a file as --out is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMnist } from '../../data/mnist.js';
import { ParametricUMAP } from '../../reducers/pumap.js';
import { loadModel } from '../../train/persist.js';
import { UsageError } from '../context.js';
import { prepareExplorerData } from '../serve/explorer-data.js';
import { info } from './info.js';
import { pumap, type PumapFlags } from './pumap.js';

const flags = (out: string): PumapFlags => ({
  data: 'mnist',
  out,
  limit: 300,
  dims: 2,
  layers: [16],
  neighbors: 10,
  minDist: 0.1,
  epochs: 2,
  batchSize: 200,
  lr: 0.003,
  reconstructionWeight: 1,
  metric: 'euclidean',
  scaling: 'minmax',
  seed: 1,
  threads: 1,
  quiet: true,
});

test('aedr pumap writes a model folder that loadModel and ParametricUMAP.load read alike', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'aedr-pumap-cli-'));
  const said: string[] = [];
  const io = { out: (t: string) => said.push(t), err: () => undefined, errIsTty: false };
  try {
    const out = join(dir, 'm');
    await pumap(flags(out), { io }, io);
    const m = loadModel(out);
    assert.equal(m.training?.parametricUmap?.nNeighbors, 10);
    assert.equal(m.latentDim, 2);
    const x = loadMnist('test', { limit: 20 }).x;
    const p = ParametricUMAP.load(out);
    assert.deepEqual(await m.encode(x), await p.transform(x));
    assert.equal((await m.decode(await m.encode(x))).cols, 784);
    await Promise.all([m.dispose(), p.dispose()]);
    // aedr info counts the epochs run from the last history record (the folder keeps only it).
    said.length = 0;
    await info({ model: out }, io);
    assert.match(said.join('\n'), /2 epochs run: completed/);
    // aedr serve's data for the page: the codes are the parametric UMAP map, the decoder is served.
    const served = await prepareExplorerData(out, loadMnist('test', { limit: 50 }), { threads: 1 });
    assert.equal(served.meta.model.latentDim, 2);
    await served.model.dispose();
    const file = join(dir, 'file');
    writeFileSync(file, 'x');
    await assert.rejects(
      pumap(flags(file), { io }, io),
      (e: unknown) => e instanceof UsageError && /is a file/.test(e.message),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
