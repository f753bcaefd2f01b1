// The latent-space explorer with a variational autoencoder, end to end in headless Chromium: a
// VAE 784-64-4 (BCE + KL) trained through the library on 300 MNIST images for 1 epoch, 300 test
// images served. Checks that the served codes are the means μ (encoder.onnx's `code`), that a
// clicked point's reconstruction and the interpolation strip decode μ codes, and that the
// "sample" button draws z ~ N(0, I) with the seed in its box and decodes it in the browser: the
// images equal `sampleFromPrior` (train/vae.ts, what `aedr sample` runs) of the same seed
// decoded by onnxruntime-node, to 1 grey level (wasm and native float kernels differ by far
// less; the canvas rounds to whole levels); a clicked sample's code goes to the sliders.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { loadMnist } from '../../src/data/mnist.js';
import { saveModel } from '../../src/train/persist.js';
import { prepareAutoencoder } from '../../src/train/setup.js';
import { fit } from '../../src/train/trainer.js';
import { sampleFromPrior } from '../../src/train/vae.js';
import { matrix } from '../../src/util/matrix.js';
import { prepareExplorerData, type ExplorerData } from '../../src/cli/serve/explorer-data.js';
import { startExplorer, type RunningExplorer } from '../../src/cli/serve/server.js';
import { assertClose } from '../helpers/close.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../helpers/chromium.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const POINTS = 300;
const CODE = 4;
const skip = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM}`;

let dir: string;
let explorer: ExplorerData;
let running: RunningExplorer;
let context: BrowserContext;
const consoleErrors: string[] = [];
const foreign: string[] = [];
const test_ = loadMnist('test', { limit: POINTS });

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'aedr-e2e-vae-'));
  const web = join(dir, 'web');
  const b = spawnSync(process.execPath, ['scripts/build-web.mjs', '--outdir', web], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  assert.equal(b.status, 0, b.stderr);
  const train = loadMnist('train', { limit: 300 });
  const { model, optimizer, loss } = prepareAutoencoder(train.x, {
    layers: [64, CODE],
    variational: true,
    loss: 'bce',
    scaling: 'divide255',
    seed: 1,
    threads: 1,
  });
  await fit(model, train.x, {
    epochs: 1,
    batchSize: 8,
    optimizer,
    loss,
    beta: 1,
    threads: 1,
    spin: false,
  });
  saveModel(model, join(dir, 'model'));
  await model.dispose();
  explorer = await prepareExplorerData(join(dir, 'model'), test_, { threads: 1, spin: false });
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

/** The grey level (red channel) of every pixel of each canvas matching `selector`, concatenated. */
const pixels = (page: Page, selector: string): Promise<number[]> =>
  page.evaluate((sel) => {
    const out: number[] = [];
    for (const c of Array.from(document.querySelectorAll<HTMLCanvasElement>(sel))) {
      const d = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data;
      if (d) for (let k = 0; k < d.length; k += 4) out.push(d[k]);
    }
    return out;
  }, selector);

/** onnxruntime-node's decode of `codes` (rows of CODE values), clipped to grey levels. */
async function nodeImages(codes: Float32Array, rows: number): Promise<number[]> {
  const out = await explorer.model.decode(matrix(rows, CODE, codes));
  return Array.from(out.data, (v) => Math.min(255, Math.max(0, v)));
}

test(
  'the explorer works on a VAE: μ codes, and samples from the prior decoded in the browser',
  { skip, timeout: 180_000 },
  async () => {
    assert.equal(explorer.meta.model.variational, true);
    // The served codes are the means μ: encoder.onnx's `code` output, no noise.
    assert.deepEqual(explorer.codes.data, (await explorer.model.encode(test_.x)).data);
    const page = await open();
    assert.equal(await page.evaluate(() => window.aedrExplorer?.decoderKind), 'browser');
    assert.equal(await page.locator('input[type=range]').count(), CODE);
    assert.ok(await page.isVisible('#samples-card'), 'a VAE gets the samples card');

    // A point's reconstruction decodes its μ.
    const p0 = await page.evaluate(() => window.aedrExplorer?.clientPoint(5));
    assert.ok(p0, 'point 5 is on the plot');
    await page.mouse.click(p0.x, p0.y);
    await page.waitForSelector('#inspect-reconstruction');
    const a = Number(await page.getAttribute('#inspect-reconstruction', 'data-index'));
    const muA = explorer.codes.data.slice(a * CODE, (a + 1) * CODE);
    assertClose(await pixels(page, '#inspect-reconstruction'), await nodeImages(muA, 1), {
      atol: 1,
      what: `reconstruction of μ of point ${a}`,
    });
    // Interpolation between two points runs on μ: step t = 4/9 of 10.
    const p1 = await page.evaluate(() => window.aedrExplorer?.clientPoint(200));
    assert.ok(p1, 'point 200 is on the plot');
    await page.mouse.click(p1.x, p1.y);
    await page.waitForSelector('#interpolation-strip[data-steps="10"]');
    const b = Number(await page.getAttribute('#inspect-reconstruction', 'data-index'));
    const muB = explorer.codes.data.slice(b * CODE, (b + 1) * CODE);
    const t = 4 / 9;
    const mid = Float32Array.from(muA, (v, j) => (1 - t) * v + t * muB[j]);
    assertClose(
      await pixels(page, '#interpolation-strip .strip-cell.step:nth-child(6) canvas'),
      await nodeImages(mid, 1),
      { atol: 1, what: 'interpolation step t = 4/9 between μ codes' },
    );

    // "sample": seed 0, then seed 1; each the decoded sampleFromPrior draws of that seed.
    for (const seed of [0, 1]) {
      await page.click('#sample-button');
      await page.waitForSelector(`#prior-samples[data-seed="${seed}"]`);
      assert.equal(await page.locator('#prior-samples canvas').count(), 16);
      const { samples } = await sampleFromPrior(explorer.model, { n: 16, seed });
      const expected = Array.from(samples.data, (v) => Math.min(255, Math.max(0, v)));
      assertClose(await pixels(page, '#prior-samples canvas'), expected, {
        atol: 1,
        what: `16 samples of seed ${seed}`,
      });
      assert.equal(await page.inputValue('#sample-seed'), String(seed + 1));
    }
    // Clicking a sample loads its code: the generated image is that sample.
    const { codes } = await sampleFromPrior(explorer.model, { n: 16, seed: 1 });
    const count = Number(await page.getAttribute('#generated', 'data-decode-count'));
    await page.click('#prior-samples .strip-cell:nth-child(4) canvas');
    await page.waitForFunction(
      (c) => Number(document.getElementById('generated')?.dataset.decodeCount) > c,
      count,
    );
    assertClose(
      await pixels(page, '#generated'),
      await nodeImages(codes.data.slice(3 * CODE, 4 * CODE), 1),
      { atol: 1, what: 'the generator after clicking sample 4 of seed 1' },
    );

    if (process.env.AEDR_SCREENSHOTS)
      await page.screenshot({
        path: join(process.env.AEDR_SCREENSHOTS, 'explorer-vae.png'),
        fullPage: true,
      });
    assert.deepEqual(consoleErrors, []);
    assert.deepEqual(foreign, [], 'every request stays on the explorer server');
  },
);
