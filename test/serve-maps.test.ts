// GET /api/map/:method of the explorer's server: the served rows mapped to 2-D by PCA, UMAP and
// t-SNE, fitted on the first request and cached, the same bytes as the reducers give directly;
// an unknown method is a JSON 404 naming the maps there are.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stackSpec } from '../src/nn/autoencoder-spec.js';
import { AutoencoderModel } from '../src/train/model.js';
import { saveModel } from '../src/train/persist.js';
import { matrix, type Matrix32 } from '../src/util/matrix.js';
import { Rng } from '../src/util/rng.js';
import { UMAP } from '../src/reducers/umap.js';
import { PCA } from '../src/reducers/pca.js';
import { prepareExplorerData, type ExplorerData } from '../src/cli/serve/explorer-data.js';
import { ExplorerMaps } from '../src/cli/serve/maps.js';
import { startExplorer, type RunningExplorer } from '../src/cli/serve/server.js';

let dir: string;
let explorer: ExplorerData;
let running: RunningExplorer;
let x: Matrix32;
const n = 90;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aedr-maps-'));
  // Three blobs (sd 10) around pixel values 40, 128 and 216 in 16 columns.
  const rng = new Rng(3);
  const data = new Float32Array(n * 16);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < 16; j++)
      data[i * 16 + j] = Math.min(255, Math.max(0, 40 + 88 * (i % 3) + 10 * rng.normal()));
  x = matrix(n, 16, data);
  const model = AutoencoderModel.create(stackSpec(16, [8, 3]), { scaling: { kind: 'divide255' } });
  saveModel(model, join(dir, 'model'));
  explorer = await prepareExplorerData(
    join(dir, 'model'),
    { x, labels: new Int32Array(n).map((_, i) => i % 3), source: 'blobs' },
    { threads: 1 },
  );
  mkdirSync(join(dir, 'web'));
  writeFileSync(join(dir, 'web', 'index.html'), '<!doctype html><title>t</title>');
  running = await startExplorer(explorer, { port: 0, assetsDir: join(dir, 'web') });
});

after(async () => {
  await running.close();
  await explorer.model.dispose();
  rmSync(dir, { recursive: true, force: true });
});

async function get(path: string): Promise<{ status: number; body: Buffer; type: string }> {
  const r = await fetch(new URL(path, running.url));
  return {
    status: r.status,
    body: Buffer.from(await r.arrayBuffer()),
    type: r.headers.get('content-type') ?? '',
  };
}

const floats = (b: Buffer): Float32Array =>
  new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));

test('GET /api/map/pca, /umap, /pumap, /tsne: Float32 [rows, 2], finite, the same bytes on a second request', async () => {
  for (const m of ['pca', 'umap', 'pumap', 'tsne']) {
    const a = await get(`/api/map/${m}`);
    assert.equal(a.status, 200, `${m}: ${a.body.toString()}`);
    assert.equal(a.type, 'application/octet-stream');
    assert.equal(a.body.length, n * 2 * 4, m);
    assert.ok(floats(a.body).every(Number.isFinite), m);
    const b = await get(`/api/map/${m}`);
    assert.ok(a.body.equals(b.body), `${m} is cached`);
  }
});

test("the maps are the reducers' own outputs on the served rows (PCA, UMAP with 15 neighbours, seed 0)", async () => {
  const pca = await new PCA({ nComponents: 2, seed: 0 }).fitTransform(x);
  assert.deepEqual(floats((await get('/api/map/pca')).body), pca.data);
  const umap = await new UMAP({ nComponents: 2, nNeighbors: 15, seed: 0 }).fitTransform(x);
  assert.deepEqual(floats((await get('/api/map/umap')).body), umap.data);
});

test('ExplorerMaps fits once per method, shares a pending fit, and lowers UMAP/t-SNE settings on few rows', async () => {
  const few = matrix(10, 16, x.data.slice(0, 160));
  const maps = new ExplorerMaps(few);
  assert.equal(maps.has('tsne'), false);
  const p1 = maps.get('tsne');
  const p2 = maps.get('tsne');
  assert.equal(p1, p2, 'one pending fit');
  assert.equal((await p1).length, 20);
  // 10 rows: nNeighbors 9 instead of 15 (UMAP refuses nNeighbors >= n).
  assert.equal((await maps.get('umap')).length, 20);
});

test('an unknown map is a JSON 404 naming the maps', async () => {
  const r = await get('/api/map/som');
  assert.equal(r.status, 404);
  assert.match(
    (JSON.parse(r.body.toString()) as { error: string }).error,
    /no map "som"; maps are pca, umap, pumap, tsne \(the model's own is \/api\/codes\)/,
  );
});
