// The latent-space explorer with a convolutional model, end to end in headless Chromium: a tiny
// model of the TensorFlow tutorial's family (Conv2D 16, 8; code 7x7x8 = 392 values) trained
// through the library on 300 MNIST images for 1 epoch (batch 8), 300 test images served. Checks that the
// page starts with the decoder in the browser (onnxruntime-web's wasm runs decoder.onnx's
// ConvTranspose/Conv graph), that a clicked point's reconstruction, a slider-moved code and the
// interpolation strip's middle step are the images onnxruntime-node's decoder gives for the same
// codes (1 grey level of tolerance: wasm and native float kernels differ by far less, and the
// canvas rounds to whole grey levels), and that nothing errs or leaves the server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { loadMnist } from '../../src/data/mnist.js';
import { convShorthand } from '../../src/nn/layer-spec.js';
import { saveModel } from '../../src/train/persist.js';
import { prepareAutoencoder } from '../../src/train/setup.js';
import { fit } from '../../src/train/trainer.js';
import { matrix } from '../../src/util/matrix.js';
import { prepareExplorerData, type ExplorerData } from '../../src/cli/serve/explorer-data.js';
import { startExplorer, type RunningExplorer } from '../../src/cli/serve/server.js';
import { assertClose } from '../helpers/close.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../helpers/chromium.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const POINTS = 300;
const CODE = 7 * 7 * 8;
const skip = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM}`;

let dir: string;
let explorer: ExplorerData;
let running: RunningExplorer;
let context: BrowserContext;
const consoleErrors: string[] = [];
const foreign: string[] = [];

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'aedr-e2e-conv-'));
  const web = join(dir, 'web');
  const b = spawnSync(process.execPath, ['scripts/build-web.mjs', '--outdir', web], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  assert.equal(b.status, 0, b.stderr);
  const train = loadMnist('train', { limit: 300 });
  const { model, optimizer, loss } = prepareAutoencoder(train.x, {
    spec: convShorthand('16,8', [28, 28, 1]),
    scaling: 'divide255',
    seed: 1,
    threads: 1,
  });
  await fit(model, train.x, { epochs: 1, batchSize: 8, optimizer, loss, threads: 1, spin: false });
  saveModel(model, join(dir, 'model'));
  await model.dispose();
  explorer = await prepareExplorerData(join(dir, 'model'), loadMnist('test', { limit: POINTS }), {
    threads: 1,
    spin: false,
  });
  running = await startExplorer(explorer, { port: 0, assetsDir: web });
  context = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
  });
});

after(async () => {
  if (skip) return;
  await context?.close();
  await running?.close();
  await explorer?.model.dispose();
  rmSync(dir, { recursive: true, force: true });
});

async function open(): Promise<Page> {
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  page.on('request', (r) => {
    if (!r.url().startsWith(running.url)) foreign.push(r.url());
  });
  await page.goto(running.url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  await page.waitForSelector('.scatter-points[data-point-count]', { timeout: 30_000 });
  return page;
}

/** The grey level (red channel) of every pixel of a canvas. */
const pixels = (page: Page, selector: string): Promise<number[]> =>
  page.evaluate((sel) => {
    const c = document.querySelector(sel) as HTMLCanvasElement;
    const d =
      c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? new Uint8ClampedArray();
    return Array.from(d.filter((_, k) => k % 4 === 0));
  }, selector);

/** onnxruntime-node's decode of `codes` (rows of CODE values), clipped to grey levels. */
async function nodeImages(codes: Float32Array, rows: number): Promise<number[]> {
  const out = await explorer.model.decode(matrix(rows, CODE, codes));
  return Array.from(out.data, (v) => Math.min(255, Math.max(0, v)));
}

test(
  'the explorer decodes a convolutional model in the browser as onnxruntime-node does',
  { skip, timeout: 180_000 },
  async () => {
    assert.equal(explorer.meta.model.latentDim, CODE);
    assert.deepEqual(explorer.meta.data.imageShape, [28, 28]);
    const page = await open();
    assert.equal(await page.evaluate(() => window.aedrExplorer?.decoderKind), 'browser');
    assert.equal(await page.getAttribute('.scatter-points', 'data-point-count'), String(POINTS));
    // The model card and summary give the layers' image shapes.
    assert.match((await page.textContent('#summary')) ?? '', /28×28×1→14×14×16→7×7×8 code/);
    assert.match((await page.textContent('.model-info')) ?? '', /7×7×8code/);
    // No samples from a prior for a plain AE.
    assert.ok(await page.isHidden('#samples-card'), 'a plain AE has no samples card');
    // 16 sliders for the first of 392 coordinates.
    assert.equal(await page.locator('input[type=range]').count(), 16);

    // Click a point: its reconstruction, decoded in the page, against the Node decoder.
    const p0 = await page.evaluate(() => window.aedrExplorer?.clientPoint(7));
    assert.ok(p0, 'point 7 is on the plot');
    await page.mouse.click(p0.x, p0.y);
    await page.waitForSelector('#inspect-reconstruction');
    const a = Number(await page.getAttribute('#inspect-reconstruction', 'data-index'));
    const codeA = explorer.codes.data.slice(a * CODE, (a + 1) * CODE);
    assertClose(await pixels(page, '#inspect-reconstruction'), await nodeImages(codeA, 1), {
      atol: 1,
      what: `browser reconstruction of point ${a}`,
    });

    // Move the first slider: the generated image is the decode of the point's code with z1 set.
    const count = Number(await page.getAttribute('#generated', 'data-decode-count'));
    const slider = page.locator('input[type=range]').first();
    const box = await slider.boundingBox();
    assert.ok(box);
    await page.mouse.click(box.x + box.width - 3, box.y + box.height / 2);
    await page.waitForFunction(
      (c) => Number(document.getElementById('generated')?.dataset.decodeCount) > c,
      count,
    );
    const z1 = Number(await slider.inputValue());
    const moved = codeA.slice();
    moved[0] = z1;
    assertClose(await pixels(page, '#generated'), await nodeImages(moved, 1), {
      atol: 1,
      what: `browser decode with z1 = ${z1}`,
    });

    // A second point: the interpolation strip's middle steps against the Node decoder.
    const p1 = await page.evaluate(() => window.aedrExplorer?.clientPoint(150));
    assert.ok(p1, 'point 150 is on the plot');
    await page.mouse.click(p1.x, p1.y);
    await page.waitForSelector('#interpolation-strip[data-steps="10"]');
    const b = Number(await page.getAttribute('#inspect-reconstruction', 'data-index'));
    assert.notEqual(a, b);
    const codeB = explorer.codes.data.slice(b * CODE, (b + 1) * CODE);
    // Step s of 10 is (1 - t) a + t b with t = s / 9, as the page computes it in float32.
    const t = 4 / 9;
    const mid = Float32Array.from(codeA, (v, j) => (1 - t) * v + t * codeB[j]);
    assertClose(
      await pixels(page, '#interpolation-strip .strip-cell.step:nth-child(6) canvas'),
      await nodeImages(mid, 1),
      { atol: 1, what: 'interpolation step t = 4/9' },
    );

    if (process.env.AEDR_SCREENSHOTS)
      await page.screenshot({
        path: join(process.env.AEDR_SCREENSHOTS, 'explorer-conv.png'),
        fullPage: true,
      });
    assert.deepEqual(consoleErrors, []);
    assert.deepEqual(foreign, [], 'every request stays on the explorer server');
  },
);
