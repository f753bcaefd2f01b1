// Builds the latent-space explorer's page into dist/web (or --outdir DIR): src/web/main.ts
// bundled by esbuild into app.js, the static files of src/web (index.html, style.css,
// favicon.svg), and onnxruntime-web's plain single-threaded-capable wasm runtime (the .wasm and
// its .mjs loader only, ~14 MB) under ort/. The bundle resolves onnxruntime-web with its
// `onnxruntime-web-use-extern-wasm` condition so the loader comes from ort/, not inlined.
// Usage: node scripts/build-web.mjs [--outdir DIR] [--dev]   (--dev: no minification)
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const at = args.indexOf('--outdir');
const outdir = resolve(at >= 0 && args[at + 1] ? args[at + 1] : join(root, 'dist', 'web'));
const dev = args.includes('--dev');

const ORT_FILES = ['ort-wasm-simd-threaded.wasm', 'ort-wasm-simd-threaded.mjs'];
const STATIC_FILES = ['index.html', 'style.css', 'favicon.svg'];

const t0 = performance.now();
rmSync(outdir, { recursive: true, force: true });
mkdirSync(join(outdir, 'ort'), { recursive: true });

await build({
  entryPoints: [join(root, 'src', 'web', 'main.ts')],
  outfile: join(outdir, 'app.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome109', 'firefox115', 'safari16'],
  conditions: ['onnxruntime-web-use-extern-wasm'],
  minify: !dev,
  sourcemap: true,
  legalComments: 'eof',
  logLevel: 'warning',
});

for (const f of STATIC_FILES) copyFileSync(join(root, 'src', 'web', f), join(outdir, f));
const ortDist = dirname(
  createRequire(import.meta.url).resolve('onnxruntime-web/wasm', { paths: [root] }),
);
for (const f of ORT_FILES) copyFileSync(join(ortDist, f), join(outdir, 'ort', f));

const kb = (p) => (statSync(join(outdir, p)).size / 1024).toFixed(0);
console.log(
  `web explorer built in ${outdir} (app.js ${kb('app.js')} KB, ort wasm ${kb('ort/' + ORT_FILES[0])} KB) in ${((performance.now() - t0) / 1000).toFixed(2)} s`,
);
