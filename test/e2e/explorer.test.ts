// End-to-end test of the latent-space explorer in real headless Chromium: builds the page
// (scripts/build-web.mjs into a temp folder), trains a small 3-d MNIST model through the
// library (2,000 images, 2 epochs), serves 1,000 test images and checks what a user sees: no
// console errors and no request leaving the server, one scatter point per image, a hover card,
// a click showing the reconstruction (compared with onnxruntime-node's decode of the same code,
// so browser and server agree), sliders changing the decoded pixels, the interpolation strip.
// Slider-to-image latency is measured in the page for the browser and the server decoder and
// printed. Screenshots go to $AEDR_SCREENSHOTS or a temp folder (never committed).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { loadMnist } from '../../src/data/mnist.js';
import { stackSpec } from '../../src/nn/autoencoder-spec.js';
import { AutoencoderModel } from '../../src/train/model.js';
import { saveModel } from '../../src/train/persist.js';
import { fit } from '../../src/train/trainer.js';
import { matrix } from '../../src/util/matrix.js';
import { prepareExplorerData, type ExplorerData } from '../../src/cli/serve/explorer-data.js';
import { startExplorer, type RunningExplorer } from '../../src/cli/serve/server.js';
import { assertClose } from '../helpers/close.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../helpers/chromium.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const POINTS = 1000;
const skip = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM}`;

let dir: string;
let shots: string;
let explorer: ExplorerData;
let running: RunningExplorer;
let context: BrowserContext;
const consoleErrors: string[] = [];
const foreign: string[] = [];

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'aedr-e2e-'));
  shots = process.env.AEDR_SCREENSHOTS ?? join(dir, 'screenshots');
  mkdirSync(shots, { recursive: true });
  const web = join(dir, 'web');
  const b = spawnSync(process.execPath, ['scripts/build-web.mjs', '--outdir', web], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  assert.equal(b.status, 0, b.stderr);
  const train = loadMnist('train', { limit: 2000 });
  const model = AutoencoderModel.create(stackSpec(784, [128, 64, 3]), {
    scaling: { kind: 'divide255' },
    seed: 1,
  });
  await fit(model, train.x, {
    epochs: 2,
    batchSize: 32,
    testData: loadMnist('test', { limit: 500 }).x,
    dataName: 'mnist',
  });
  saveModel(model, join(dir, 'model'));
  await model.dispose();
  explorer = await prepareExplorerData(join(dir, 'model'), loadMnist('test', { limit: POINTS }));
  running = await startExplorer(explorer, { port: 0, assetsDir: web });
  context = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    viewport: { width: 1440, height: 1000 },
  });
});

after(async () => {
  if (skip) return;
  await context?.close();
  await running?.close();
  await explorer?.model.dispose();
  if (!process.env.AEDR_SCREENSHOTS) rmSync(dir, { recursive: true, force: true });
});

async function open(query = ''): Promise<Page> {
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  page.on('request', (r) => {
    if (!r.url().startsWith(running.url)) foreign.push(r.url());
  });
  await page.goto(`${running.url}${query}`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 20_000 });
  // The first scatter draw happens on the next animation frame after ready.
  await page.waitForSelector('.scatter-points[data-point-count]', { timeout: 20_000 });
  return page;
}

/** The grey level (red channel) of every pixel of canvas `id`. */
const pixels = (page: Page, id: string): Promise<number[]> =>
  page.evaluate((cid) => {
    const c = document.getElementById(cid) as HTMLCanvasElement;
    const d =
      c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? new Uint8ClampedArray();
    return Array.from(d.filter((_, k) => k % 4 === 0));
  }, id);

/** Moves the first slider `n` times; per move, ms from the input event to drawn pixels and to the next frame. */
const sliderLatency = (page: Page, n: number): Promise<{ drawn: number[]; frame: number[] }> =>
  page.evaluate(async (count) => {
    const s = document.querySelector<HTMLInputElement>('input[type=range]');
    const img = document.getElementById('generated');
    if (!s || !img) throw new Error('slider or image missing');
    const drawn: number[] = [];
    const frame: number[] = [];
    const lo = Number(s.min);
    const hi = Number(s.max);
    for (let k = 0; k < count; k++) {
      const done = new Promise<void>((r) =>
        img.addEventListener('decoded', () => r(), { once: true }),
      );
      const t0 = performance.now();
      s.value = String(lo + ((hi - lo) * ((k % 10) + 0.5)) / 10);
      s.dispatchEvent(new Event('input', { bubbles: true }));
      await done;
      drawn.push(performance.now() - t0);
      await new Promise((r) => requestAnimationFrame(r));
      frame.push(performance.now() - t0);
    }
    return { drawn, frame };
  }, n);

const stats = (v: number[]): string => {
  const s = [...v].sort((a, b) => a - b);
  const q = (p: number): string => s[Math.min(s.length - 1, Math.floor(p * s.length))].toFixed(1);
  return `median ${q(0.5)} ms, p95 ${q(0.95)} ms, max ${s[s.length - 1].toFixed(1)} ms`;
};

test('the explorer page works in headless Chromium', { skip, timeout: 120_000 }, async (t) => {
  const page = await open();
  assert.equal(await page.evaluate(() => window.aedrExplorer?.decoderKind), 'browser');
  assert.equal(await page.getAttribute('.scatter-points', 'data-point-count'), String(POINTS));
  assert.equal(await page.locator('.legend-item').count(), 10);
  assert.equal(await page.locator('input[type=range]').count(), 3);

  // Hover shows the original.
  const p0 = await page.evaluate(() => window.aedrExplorer?.clientPoint(3));
  assert.ok(p0, 'point 3 is on the plot');
  await page.mouse.move(p0.x, p0.y);
  await page.waitForSelector('.tooltip:not([hidden])[data-index]');

  // Click shows the reconstruction, equal to onnxruntime-node's decode of the point's code.
  await page.mouse.click(p0.x, p0.y);
  await page.waitForSelector('#inspect-reconstruction');
  const chosen = Number(await page.getAttribute('#inspect-reconstruction', 'data-index'));
  const code = explorer.codes.data.slice(chosen * 3, chosen * 3 + 3);
  const expected = await explorer.model.decode(matrix(1, 3, code));
  // Grey = value (data range 0..255) rounded into a Uint8ClampedArray; wasm vs native float
  // kernels differ by far less than one grey level, so 1 level of tolerance.
  assertClose(
    await pixels(page, 'inspect-reconstruction'),
    Array.from(expected.data, (v) => Math.min(255, Math.max(0, v))),
    {
      atol: 1,
      what: `reconstruction of point ${chosen}`,
    },
  );
  assertClose(
    await pixels(page, 'inspect-original'),
    Array.from(explorer.samples.data.subarray(chosen * 784, (chosen + 1) * 784)),
    {
      atol: 0,
      what: `original of point ${chosen}`,
    },
  );

  // The slider changes the decoded image.
  const before = await pixels(page, 'generated');
  const slider = page.locator('input[type=range]').first();
  const box = await slider.boundingBox();
  assert.ok(box);
  const count = Number(await page.getAttribute('#generated', 'data-decode-count'));
  // A real click near the track's right end, as a user would drag it there.
  await page.mouse.click(box.x + box.width - 3, box.y + box.height / 2);
  await page.waitForFunction(
    (c) => Number(document.getElementById('generated')?.dataset.decodeCount) > c,
    count,
  );
  const after = await pixels(page, 'generated');
  const changed = after.filter((v, k) => v !== before[k]).length;
  assert.ok(changed > 20, `only ${changed} of 784 pixels changed`);

  // A second click gives the interpolation strip: A, 10 steps, B.
  const p1 = await page.evaluate(() => window.aedrExplorer?.clientPoint(500));
  assert.ok(p1, 'point 500 is on the plot');
  await page.mouse.click(p1.x, p1.y);
  await page.waitForSelector('#interpolation-strip[data-steps="10"]');
  assert.equal(await page.locator('#interpolation-strip canvas').count(), 12);
  await page.mouse.move(p1.x + 4, p1.y + 4);
  await page.screenshot({ path: join(shots, 'explorer.png'), fullPage: true });

  const browser = await sliderLatency(page, 40);
  t.diagnostic(
    `slider to image, decoder in the browser (onnxruntime-web wasm, 1 thread): drawn ${stats(browser.drawn)}; next frame ${stats(browser.frame)}`,
  );
  const server = await open('?decoder=server');
  assert.equal(await server.evaluate(() => window.aedrExplorer?.decoderKind), 'server');
  const remote = await sliderLatency(server, 40);
  t.diagnostic(
    `slider to image, decoder on the server (POST /api/decode): drawn ${stats(remote.drawn)}; next frame ${stats(remote.frame)}`,
  );
  t.diagnostic(`screenshots in ${shots}`);

  // Another view of the same data: two coordinates, flat.
  await page.selectOption('select[aria-label="view"]', { label: 'two coordinates…' });
  assert.equal(await page.getAttribute('.scatter-points', 'data-point-count'), String(POINTS));
  await page.screenshot({ path: join(shots, 'explorer-axes.png') });

  // The same samples mapped by UMAP on the server (GET /api/map/umap, fitted on first use).
  await page.selectOption('select[aria-label="view"]', { label: 'UMAP of the data (2-d)' });
  await page.waitForSelector('.scatter-points[data-view="map-umap"]', { timeout: 40_000 });
  assert.equal(await page.getAttribute('.scatter-points', 'data-point-count'), String(POINTS));
  await page.screenshot({ path: join(shots, 'explorer-umap.png') });

  assert.deepEqual(consoleErrors, []);
  assert.deepEqual(foreign, [], 'every request stays on the explorer server');
});
