// The explorer's server without a browser: every route's bytes against the library's own
// encode/decode, the PCA of the codes against a hand-computed case, and every refusal (method,
// body size, content type, malformed JSON or HTTP, traversal, foreign Host) as a 4xx with a JSON
// error. A tiny 16-input model (4x4 "images") trained for 2 epochs keeps it fast.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, ModelFormatError } from '../src/errors.js';
import type { Dataset } from '../src/data/dataset.js';
import { stackSpec } from '../src/nn/autoencoder-spec.js';
import { AutoencoderModel } from '../src/train/model.js';
import { loadModel, saveModel } from '../src/train/persist.js';
import { fit } from '../src/train/trainer.js';
import { matrix } from '../src/util/matrix.js';
import { Rng } from '../src/util/rng.js';
import { serve } from '../src/cli/commands/serve.js';
import { runCli } from '../src/cli/run.js';
import { ensureDefaultModel } from '../src/cli/serve/default-model.js';
import { codePca, prepareExplorerData, type ExplorerData } from '../src/cli/serve/explorer-data.js';
import { HttpError, requestPath } from '../src/cli/serve/http-safety.js';
import { MAX_BODY_BYTES, MAX_DECODE_ROWS, type ExplorerMeta } from '../src/cli/serve/protocol.js';
import { parseCodes, startExplorer, type RunningExplorer } from '../src/cli/serve/server.js';
import { loadAssets } from '../src/cli/serve/static-assets.js';
import { assertClose } from './helpers/close.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
let dir: string;
let modelDir: string;
let webDir: string;
let data: Dataset;
let explorer: ExplorerData;
let running: RunningExplorer;
let port: number;

function tinyData(n: number, seed: number): Dataset {
  const rng = new Rng(seed);
  const x = new Float32Array(n * 16);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % 3;
    for (let j = 0; j < 16; j++)
      x[i * 16 + j] = Math.round(255 * ((j % (labels[i] + 2)) / 4 + 0.2 * rng.random())) % 256;
  }
  return { x: matrix(n, 16, x), labels, source: 'tiny' };
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aedr-serve-'));
  modelDir = join(dir, 'model');
  webDir = join(dir, 'web');
  mkdirSync(join(webDir, 'ort'), { recursive: true });
  writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(webDir, 'app.js'), 'console.log(1)');
  writeFileSync(join(webDir, 'ort', 'x.wasm'), Buffer.alloc(1000, 7));
  writeFileSync(join(webDir, 'notes.txt'), 'not served');
  data = tinyData(60, 1);
  const model = AutoencoderModel.create(stackSpec(16, [8, 2]), {
    scaling: { kind: 'divide255' },
    seed: 3,
  });
  await fit(model, data.x, { epochs: 2, batchSize: 16, threads: 1 });
  saveModel(model, modelDir);
  await model.dispose();
  explorer = await prepareExplorerData(modelDir, data, { threads: 1 });
  running = await startExplorer(explorer, { port: 0, assetsDir: webDir });
  port = Number(new URL(running.url).port);
});

after(async () => {
  await running.close();
  await explorer.model.dispose();
  rmSync(dir, { recursive: true, force: true });
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function http(
  method: string,
  path: string,
  body?: string | Buffer,
  headers: Record<string, string> = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Sends `text` verbatim (no client-side normalisation) and returns the status and body. */
function raw(text: string | Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    s.on('data', (c: Buffer) => chunks.push(c));
    s.on('end', () => {
      const t = Buffer.concat(chunks).toString('latin1');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(t)?.[1] ?? 0);
      resolve({ status, body: t.slice(t.indexOf('\r\n\r\n') + 4) });
    });
    s.on('error', reject);
    s.end(text);
  });
}

const get = (path: string): string =>
  `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`;
const f32 = (b: Buffer): Float32Array =>
  new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));

function assertJsonError(
  r: { status: number; body: Buffer | string },
  status: number,
  re: RegExp,
): void {
  assert.equal(r.status, status, String(r.body));
  const j = JSON.parse(String(r.body)) as { error?: unknown };
  assert.equal(typeof j.error, 'string');
  assert.match(j.error as string, re);
}

test('the page, its assets and HEAD/ETag handling', async () => {
  const page = await http('GET', '/');
  assert.equal(page.status, 200);
  assert.equal(page.body.toString(), '<!doctype html><title>t</title>');
  assert.match(String(page.headers['content-security-policy']), /default-src 'self'/);
  assert.equal(page.headers['x-content-type-options'], 'nosniff');
  const wasm = await http('GET', '/ort/x.wasm');
  assert.equal(wasm.headers['content-type'], 'application/wasm');
  assert.equal(wasm.body.length, 1000);
  const head = await http('HEAD', '/app.js');
  assert.equal(head.status, 200);
  assert.equal(head.headers['content-length'], '14');
  assert.equal(head.body.length, 0);
  const again = await http('GET', '/app.js', undefined, {
    'If-None-Match': String(head.headers.etag),
  });
  assert.equal(again.status, 304);
  assertJsonError(await http('GET', '/notes.txt'), 404, /nothing is served at \/notes\.txt/);
});

test('the API serves the codes, labels and samples the library computes', async () => {
  const meta = JSON.parse((await http('GET', '/api/meta')).body.toString()) as ExplorerMeta;
  assert.equal(meta.data.count, 60);
  assert.equal(meta.model.latentDim, 2);
  assert.deepEqual(meta.data.imageShape, [4, 4]);
  assert.deepEqual(meta.data.classes, [0, 1, 2]);
  assert.equal(meta.pca, null);
  assert.equal(meta.model.history.length, 2);
  const reference = loadModel(modelDir, { threads: 1 });
  try {
    // Same ONNX graph on the same runtime: bit-identical codes expected (tolerance 0).
    const codes = f32((await http('GET', '/api/codes')).body);
    assertClose(codes, (await reference.encode(data.x)).data, { atol: 0, rtol: 0, what: 'codes' });
    const labels = (await http('GET', '/api/labels')).body;
    assert.deepEqual(
      Array.from(
        new Int32Array(
          labels.buffer.slice(labels.byteOffset, labels.byteOffset + labels.byteLength),
        ),
      ),
      Array.from(data.labels ?? []),
    );
    const s7 = f32((await http('GET', '/api/image/7')).body);
    assertClose(s7, data.x.data.subarray(7 * 16, 8 * 16), { atol: 0, rtol: 0, what: 'sample 7' });
    const z = [
      [0.5, -1],
      [2, 0.25],
    ];
    const dec = await http('POST', '/api/decode', JSON.stringify({ codes: z }), {
      'Content-Type': 'application/json',
    });
    assert.equal(dec.status, 200);
    const want = await reference.decode(matrix(2, 2, Float32Array.from(z.flat())));
    assertClose(f32(dec.body), want.data, { atol: 0, rtol: 0, what: 'decoded' });
  } finally {
    await reference.dispose();
  }
  const onnx = (await http('GET', '/model/decoder.onnx')).body;
  const manifest = JSON.parse((await http('GET', '/model/model.json')).body.toString()) as {
    files: { decoder: { sha256: string } };
  };
  assert.equal(createHash('sha256').update(onnx).digest('hex'), manifest.files.decoder.sha256);
  assertJsonError(await http('GET', '/api/image/60'), 404, /no sample "60"; samples are 0\.\.59/);
  assertJsonError(await http('GET', '/api/image/-1'), 404, /no sample/);
  assertJsonError(await http('GET', '/api/image/1e1'), 404, /no sample/);
});

test('methods, bodies and content types are refused with 4xx JSON errors', async () => {
  for (const m of ['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE']) {
    const r = await http(m, '/');
    assertJsonError(r, 405, new RegExp(`method ${m} is not allowed`));
    assert.equal(r.headers.allow, 'GET, HEAD, POST');
  }
  assertJsonError(
    await http('POST', '/api/meta', '{}', { 'Content-Type': 'application/json' }),
    405,
    /takes GET or HEAD/,
  );
  assertJsonError(await http('GET', '/api/decode'), 405, /takes POST, got GET/);
  const json = { 'Content-Type': 'application/json' };
  const big = JSON.stringify({ codes: [[1, 2]], pad: 'x'.repeat(MAX_BODY_BYTES) });
  assertJsonError(
    await http('POST', '/api/decode', big, json),
    413,
    /exceeds the 65536-byte limit/,
  );
  // Chunked, so no Content-Length to refuse early: the limit is counted while reading.
  const chunked = await new Promise<Reply>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: 'POST', path: '/api/decode', headers: json, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
      },
    );
    req.on('error', reject);
    for (let i = 0; i < 20; i++) req.write('x'.repeat(8192));
    req.end();
  });
  assertJsonError(chunked, 413, /exceeds the 65536-byte limit/);
  assertJsonError(
    await http('POST', '/api/decode', '{"codes":[[1,2]]}', { 'Content-Type': 'text/plain' }),
    415,
    /takes application\/json/,
  );
  assertJsonError(await http('POST', '/api/decode', '{"codes": [[1,', json), 400, /not valid JSON/);
  assertJsonError(
    await http('POST', '/api/decode', '{"codes": [[1, 2, 3]]}', json),
    400,
    /codes\[0\] must be an array of 2 numbers/,
  );
  assertJsonError(
    await http('POST', '/api/decode', '{"codes": [[1, "2"]]}', json),
    400,
    /codes\[0\]\[1\] must be a finite number/,
  );
  assertJsonError(
    await http('GET', '/api/meta', 'body', { 'Content-Type': 'text/plain', 'Content-Length': '4' }),
    400,
    /carry no body/,
  );
});

test('malformed HTTP, foreign Host headers and traversal get JSON 4xx', async () => {
  assertJsonError(await raw('NONSENSE\r\n\r\n'), 400, /malformed request/);
  assertJsonError(
    await raw(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20000)}\r\n\r\n`),
    431,
    /HPE_HEADER_OVERFLOW/,
  );
  assertJsonError(
    await raw('GET / HTTP/1.1\r\nHost: evil.example:80\r\nConnection: close\r\n\r\n'),
    403,
    /is not this machine/,
  );
  assertJsonError(await raw('GET / HTTP/1.0\r\n\r\n'), 400, /Host header is missing/);
  assertJsonError(await raw(get('/../package.json')), 400, /dot or empty segments/);
  assertJsonError(await raw(get('/%2e%2e/package.json')), 400, /dot or empty segments/);
  assertJsonError(await raw(get('/%252e%252e/package.json')), 400, /encoded more than once/);
  assertJsonError(await raw(get('/ort/..%5c..%5cpackage.json')), 400, /encoded backslash/);
  assertJsonError(await raw(get('/index.html%00.js')), 400, /control character/);
  assertJsonError(await raw(get('/%zz')), 400, /malformed percent-escape/);
  assertJsonError(await raw(get('http://127.0.0.1/')), 400, /must be an absolute path/);
});

test('requestPath accepts plain paths and refuses every traversal form', () => {
  assert.equal(requestPath('/'), '/');
  assert.equal(requestPath('/ort/a.wasm?v=1'), '/ort/a.wasm');
  assert.equal(requestPath('/api/image/3'), '/api/image/3');
  assert.equal(requestPath('/a%20b'), '/a b');
  for (const bad of [
    '/..',
    '/a/../b',
    '/./a',
    '//etc/passwd',
    '/a//b',
    '/%2E%2E/x',
    '/..%2f..%2fx',
    '/%2e%2e%2fx',
    '/a\\..\\b',
    '/%5c',
    '/%00',
    '/%25%32%65',
    '/%c0%ae%c0%ae/x',
    '*',
    '',
  ]) {
    assert.throws(
      () => requestPath(bad),
      (e: unknown) => e instanceof HttpError && e.status === 400,
      bad,
    );
  }
  assert.throws(
    () => requestPath('/' + 'a'.repeat(3000)),
    (e: unknown) => e instanceof HttpError && e.status === 414,
  );
});

test('parseCodes misuse: shape, count and values', () => {
  assert.deepEqual(Array.from(parseCodes({ codes: [[1, 2]] }, 2)), [1, 2]);
  const refuse = (v: unknown, re: RegExp): void =>
    assert.throws(
      () => parseCodes(v, 2),
      (e: unknown) => e instanceof HttpError && e.status === 400 && re.test(e.message),
    );
  refuse(null, /body must be \{"codes"/);
  refuse({ codes: [] }, /1\.\.64 rows/);
  refuse({ codes: Array.from({ length: MAX_DECODE_ROWS + 1 }, () => [0, 0]) }, /1\.\.64 rows/);
  refuse({ codes: [[1]] }, /codes\[0\] must be an array of 2 numbers/);
  refuse({ codes: [[1, null]] }, /codes\[0\]\[1\] must be a finite number within ±1e6, got null/);
  refuse({ codes: [[1, 1e7]] }, /got 10000000/);
});

test('codePca finds the axes of an axis-aligned cloud (hand-computed)', () => {
  // Points ±3e1, ±2e2, ±1e3 (mean 0): variances 18/5, 8/5, 2/5, so explained 9/14, 4/14, 1/14.
  const pts = [3, 0, 0, -3, 0, 0, 0, 2, 0, 0, -2, 0, 0, 0, 1, 0, 0, -1];
  const p = codePca(matrix(6, 3, Float32Array.from(pts)));
  assertClose(p.explained, [9 / 14, 4 / 14, 1 / 14], { atol: 1e-12, what: 'explained' });
  assertClose(p.components.flat(), [1, 0, 0, 0, 1, 0, 0, 0, 1], {
    atol: 1e-12,
    what: 'components',
  });
  assertClose(p.mean, [0, 0, 0], { atol: 1e-12, what: 'mean' });
});

test('missing, corrupt or mismatched models fail at start with a clear error', async () => {
  await assert.rejects(
    prepareExplorerData(join(dir, 'nope'), data),
    (e: unknown) => e instanceof ModelFormatError && /model folder not found/.test(e.message),
  );
  const bad = join(dir, 'bad');
  mkdirSync(bad);
  writeFileSync(join(bad, 'model.json'), '{ not json');
  await assert.rejects(
    prepareExplorerData(bad, data),
    (e: unknown) => e instanceof ModelFormatError && /model\.json: not valid JSON/.test(e.message),
  );
  const tampered = join(dir, 'tampered');
  saveModel(AutoencoderModel.create(stackSpec(16, [8, 2])), tampered);
  const onnx = readFileSync(join(tampered, 'decoder.onnx'));
  onnx[onnx.length - 1] ^= 1;
  writeFileSync(join(tampered, 'decoder.onnx'), onnx);
  await assert.rejects(
    prepareExplorerData(tampered, data),
    (e: unknown) => e instanceof ModelFormatError && /sha256 does not match/.test(e.message),
  );
  const wide = { x: matrix(2, 9, new Float32Array(18)), source: 'wide.csv' };
  await assert.rejects(
    prepareExplorerData(modelDir, wide),
    (e: unknown) =>
      e instanceof ConfigError &&
      /wide\.csv has 9 columns but the model .* takes 16/.test(e.message),
  );
  assert.throws(
    () => loadAssets(join(dir, 'nope')),
    (e: unknown) =>
      e instanceof ConfigError && /no index\.html .*scripts\/build-web\.mjs/.test(e.message),
  );
});

test('`aedr serve` serves until stopped; a bad --model exits 1 with one line', async () => {
  const out: string[] = [];
  const err: string[] = [];
  const io = {
    out: (t: string) => void out.push(t),
    err: (t: string) => void err.push(t),
    errIsTty: false,
  };
  let stop: () => void = () => undefined;
  const csv = join(dir, 'tiny.csv');
  const header = [...Array.from({ length: 16 }, (_, j) => `f${j}`), 'label'].join(',');
  const rows = Array.from({ length: 5 }, (_, i) =>
    [...Array.from(data.x.data.subarray(i * 16, i * 16 + 16)), i % 2 === 0 ? 'even' : 'odd'].join(
      ',',
    ),
  );
  writeFileSync(csv, [header, ...rows].join('\n') + '\n');
  let meta: ExplorerMeta | undefined;
  const flags = {
    model: modelDir,
    data: csv,
    port: 0,
    host: '127.0.0.1',
    limit: 4,
    labelColumn: 'label',
  };
  await serve(flags, io, {
    assetsDir: webDir,
    stop: new Promise<void>((r) => (stop = r)),
    onReady: (r) => {
      fetch(`${r.url}api/meta`)
        .then((res) => res.json() as Promise<ExplorerMeta>)
        .then((m) => (meta = m))
        .finally(stop)
        .catch(() => undefined);
    },
  });
  assert.equal(meta?.data.count, 4);
  assert.equal(meta?.data.hasLabels, true);
  assert.deepEqual(meta?.data.labelNames, ['even', 'odd']);
  assert.deepEqual(meta?.data.classes, [0, 1]);
  assert.match(
    out.join(''),
    /^explorer ready at http:\/\/127\.0\.0\.1:\d+\/ {2}\(model .*, 4 samples of .*tiny\.csv; Ctrl-C stops it\)\n$/,
  );
  assert.match(err.join(''), /aedr serve: stopped/);
  const lines: string[] = [];
  const code = await runCli(['serve', '--model', join(dir, 'nope'), '--port', '0'], {
    out: () => undefined,
    err: (t) => void lines.push(t),
    errIsTty: false,
  });
  assert.equal(code, 1);
  assert.match(lines.join(''), /^aedr: error: .*nope: model folder not found/);
  assert.equal(
    await runCli(['serve', '--port', '70000'], {
      out: () => undefined,
      err: () => undefined,
      errIsTty: false,
    }),
    2,
  );
});

test(
  'close() ends idle keep-alive connections without waiting for the grace period',
  { timeout: 20_000 },
  async () => {
    // A 10-minute grace: only closing idle sockets at once lets close() finish within the timeout.
    const extra = await startExplorer(explorer, { port: 0, assetsDir: webDir, graceMs: 600_000 });
    const agent = new Agent({ keepAlive: true });
    await new Promise<void>((resolve, reject) => {
      request(`${extra.url}api/meta`, { agent }, (res) => {
        res.resume();
        res.on('end', resolve);
      })
        .on('error', reject)
        .end();
    });
    await extra.close();
    assert.equal(extra.server.listening, false);
    agent.destroy();
  },
);

test('the page code imports only its own modules, onnxruntime-web, the protocol, the palette and the seeded rng', () => {
  const web = join(ROOT, 'src', 'web');
  const found: string[] = [];
  for (const name of readdirSync(web).filter((n) => n.endsWith('.ts'))) {
    const text = readFileSync(join(web, name), 'utf8');
    for (const m of text.matchAll(
      /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g,
    )) {
      const spec = m[1] ?? m[2];
      if (
        !/^\.\/[a-z0-9-]+\.js$/.test(spec) &&
        spec !== 'onnxruntime-web/wasm' &&
        spec !== '../cli/serve/protocol.js' &&
        spec !== '../report/palette.js' &&
        spec !== '../util/rng.js'
      )
        found.push(`${name}: ${spec}`);
    }
  }
  assert.deepEqual(found, []);
  // Type imports are erased by the bundler; anything else would pull Node code into the page.
  for (const shared of [
    join(ROOT, 'src', 'cli', 'serve', 'protocol.ts'),
    join(ROOT, 'src', 'report', 'palette.ts'),
    join(ROOT, 'src', 'util', 'rng.ts'),
  ]) {
    assert.doesNotMatch(
      readFileSync(shared, 'utf8'),
      /^import (?!type )/m,
      `${shared} imports only types, so the page can bundle it`,
    );
  }
});

test(
  'ensureDefaultModel trains once into its cache, then reuses it; a broken cache is replaced',
  { timeout: 60_000 },
  async () => {
    const cache = join(dir, 'default');
    const log: string[] = [];
    await ensureDefaultModel(cache, { epochs: 1, limit: 256, log: (l) => void log.push(l) });
    assert.match(log[0], /^no default model in .*default yet; training one/);
    assert.match(
      log.join('\n'),
      /training 784-128-64-3-64-128-784 on 256 MNIST images for 1 epochs/,
    );
    assert.match(
      log.join('\n'),
      /^epoch 1\/1 {2}loss \d\.\d{4} {2}test mse \d\.\d{4} {2}\d+\.\d s$/m,
    );
    const m = loadModel(cache);
    assert.equal(m.latentDim, 3);
    assert.equal(m.history.length, 1);
    await m.dispose();
    log.length = 0;
    await ensureDefaultModel(cache, { log: (l) => void log.push(l) });
    assert.deepEqual(log, [`using the cached default model in ${cache}`]);
    writeFileSync(join(cache, 'model.json'), '{}');
    log.length = 0;
    await ensureDefaultModel(cache, { epochs: 1, limit: 128, log: (l) => void log.push(l) });
    assert.match(log[0], /no usable default model .*format: expected "aedr-autoencoder"/);
    assert.equal(loadModel(cache).history.length, 1);
  },
);

test('a port in use is a ConfigError naming it', async () => {
  await assert.rejects(
    startExplorer(explorer, { port, assetsDir: webDir }),
    (e: unknown) =>
      e instanceof ConfigError &&
      new RegExp(`^port ${port} on 127\\.0\\.0\\.1 is in use; pick another with --port`).test(
        e.message,
      ),
  );
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(
    `a real \`serve\` process shuts down cleanly on ${signal}`,
    { timeout: 30_000 },
    async () => {
      const csv = join(dir, 'signal.csv');
      writeFileSync(csv, '1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16\n');
      const script = [
        "import { serve } from './src/cli/commands/serve.ts';",
        "import { processIo } from './src/cli/context.ts';",
        `await serve({ model: ${JSON.stringify(modelDir)}, data: ${JSON.stringify(csv)}, port: 0, host: '127.0.0.1', limit: 10 }, processIo(), { assetsDir: ${JSON.stringify(webDir)} });`,
      ].join('\n');
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', script],
        {
          cwd: ROOT,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let out = '';
      let err = '';
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /explorer ready at (\S+)/.exec(out);
          if (m) resolve(m[1]);
        });
        child.on('exit', () => reject(new Error(`exited before ready: ${err}`)));
      });
      assert.equal((await fetch(`${url}api/meta`)).status, 200);
      const exited = new Promise<number | null>((resolve) =>
        child.on('exit', (code) => resolve(code)),
      );
      child.kill(signal);
      assert.equal(await exited, 0, err);
      assert.match(err, /aedr serve: stopped\n$/);
    },
  );
}
