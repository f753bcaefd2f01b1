// Load and traversal test of the explorer's server on loopback: 1,000 requests in flight at
// once over every kind of route (page, assets, model files, API, POST decode), each on its own
// connection, with zero errors and every body complete; then a fixed list of path-traversal
// forms sent byte-for-byte (no client normalisation), all refused with a JSON 4xx and none
// leaking a file. Bounded loops only; the numbers are printed as test diagnostics.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stackSpec } from '../src/nn/autoencoder-spec.js';
import { AutoencoderModel } from '../src/train/model.js';
import { saveModel } from '../src/train/persist.js';
import { matrix } from '../src/util/matrix.js';
import { Rng } from '../src/util/rng.js';
import { prepareExplorerData, type ExplorerData } from '../src/cli/serve/explorer-data.js';
import { startExplorer, type RunningExplorer } from '../src/cli/serve/server.js';

const CONCURRENT = 1000;
let dir: string;
let explorer: ExplorerData;
let running: RunningExplorer;
let port: number;
const sizes = new Map<string, number>();

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aedr-load-'));
  const web = join(dir, 'web');
  mkdirSync(join(web, 'ort'), { recursive: true });
  const rng = new Rng(5);
  const files: [string, number][] = [
    ['index.html', 1700],
    ['app.js', 75_000],
    ['style.css', 6000],
    ['ort/ort.wasm', 1_000_000],
  ];
  for (const [name, n] of files) {
    writeFileSync(
      join(web, name),
      Buffer.from(Array.from({ length: n }, () => 97 + Math.floor(26 * rng.random()))),
    );
    sizes.set(`/${name}`, n);
  }
  sizes.set('/', 1700);
  const n = 500;
  const x = new Float32Array(n * 16).map(() => Math.floor(256 * rng.random()));
  const model = AutoencoderModel.create(stackSpec(16, [8, 3]), { scaling: { kind: 'divide255' } });
  saveModel(model, join(dir, 'model'));
  explorer = await prepareExplorerData(
    join(dir, 'model'),
    { x: matrix(n, 16, x), labels: new Int32Array(n).map((_, i) => i % 4), source: 'random' },
    { threads: 1 },
  );
  running = await startExplorer(explorer, { port: 0, assetsDir: web });
  port = Number(new URL(running.url).port);
  sizes.set('/model/decoder.onnx', readFileSync(join(dir, 'model', 'decoder.onnx')).length);
  sizes.set('/model/model.json', readFileSync(join(dir, 'model', 'model.json')).length);
  sizes.set('/api/codes', n * 3 * 4);
  sizes.set('/api/labels', n * 4);
});

after(async () => {
  await running.close();
  await explorer.model.dispose();
  rmSync(dir, { recursive: true, force: true });
});

interface Result {
  status: number;
  bytes: number;
  ms: number;
}

function one(method: string, path: string, body?: string): Promise<Result> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = body
      ? { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) }
      : {};
    const req = request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, bytes, ms: performance.now() - t0 }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const pct = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

test(
  `${CONCURRENT} concurrent requests over every route: zero errors, complete bodies`,
  { timeout: 60_000 },
  async (t) => {
    const routes: { method: string; path: string; body?: string; size?: number }[] = [
      ...[
        '/',
        '/index.html',
        '/app.js',
        '/style.css',
        '/ort/ort.wasm',
        '/model/decoder.onnx',
        '/model/model.json',
        '/api/codes',
        '/api/labels',
      ].map((path) => ({ method: 'GET', path, size: sizes.get(path) })),
      { method: 'GET', path: '/api/meta' },
      { method: 'GET', path: '/api/image/IDX', size: 16 * 4 },
      {
        method: 'POST',
        path: '/api/decode',
        body: JSON.stringify({
          codes: [
            [0.1, 0.2, 0.3],
            [1, -1, 0],
          ],
        }),
        size: 2 * 16 * 4,
      },
    ];
    const t0 = performance.now();
    const settled = await Promise.allSettled(
      Array.from({ length: CONCURRENT }, (_, i) => {
        const r = routes[i % routes.length];
        return one(r.method, r.path.replace('IDX', String(i % 500)), r.body).then((res) => ({
          ...res,
          route: r,
        }));
      }),
    );
    const wall = performance.now() - t0;
    const failures = settled
      .filter((s) => s.status === 'rejected')
      .map((s) => String((s as PromiseRejectedResult).reason));
    assert.deepEqual(failures.slice(0, 5), [], `${failures.length} requests failed`);
    const ok = settled.map(
      (s) => (s as PromiseFulfilledResult<Result & { route: (typeof routes)[number] }>).value,
    );
    const bad = ok.filter(
      (r) => r.status !== 200 || (r.route.size !== undefined && r.bytes !== r.route.size),
    );
    assert.deepEqual(
      bad.slice(0, 5).map((r) => `${r.route.path}: ${r.status}, ${r.bytes} bytes`),
      [],
    );
    const ms = ok.map((r) => r.ms).sort((a, b) => a - b);
    const mb = ok.reduce((s, r) => s + r.bytes, 0) / 1e6;
    t.diagnostic(
      `${CONCURRENT} concurrent requests, 0 errors: ${wall.toFixed(0)} ms wall, ${((CONCURRENT / wall) * 1000).toFixed(0)} req/s, ${mb.toFixed(1)} MB; latency p50 ${pct(ms, 0.5).toFixed(1)} ms, p95 ${pct(ms, 0.95).toFixed(1)} ms, max ${ms[ms.length - 1].toFixed(1)} ms`,
    );
    assert.equal((await one('GET', '/api/meta')).status, 200, 'still serving afterwards');
  },
);

/** Request targets that try to leave the served set, sent verbatim. */
const TRAVERSALS = [
  '/../package.json',
  '/../../../../etc/passwd',
  '/ort/../../package.json',
  '/model/../model.json',
  '/..%2fpackage.json',
  '/%2e%2e/package.json',
  '/%2E%2E/%2E%2E/etc/passwd',
  '/%2e%2e%2fpackage.json',
  '/.%2e/package.json',
  '/%2e./package.json',
  '/%252e%252e/package.json',
  '/%252e%252e%252fpackage.json',
  '/%25252e%25252e/package.json',
  '/ort/..%5c..%5cpackage.json',
  '/..\\package.json',
  '/ort\\..\\..\\package.json',
  '/%5c..%5cpackage.json',
  '/%c0%ae%c0%ae/package.json',
  '/%e0%80%ae%e0%80%ae/etc/passwd',
  '/%c0%af../package.json',
  '/index.html%00',
  '/index.html%00.js',
  '/index.html%2500',
  '/%00/../package.json',
  '//etc/passwd',
  '/./package.json',
  '/ort/./ort.wasm',
  '/ort/....//....//package.json',
  '/..;/package.json',
  '/etc/passwd',
  '/%2fetc%2fpasswd',
  '/C:%5cWindows%5cwin.ini',
  '/api/image/..%2f..%2fpackage.json',
  '/api/image/1/../../package.json',
  '/api/image/%2e%2e',
  '/model/%2e%2e/%2e%2e/package.json',
  '/src/cli/serve/server.ts',
  '/package.json',
  '/.git/config',
  '/%2e%67%69%74/config',
];

function raw(target: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    s.on('data', (c: Buffer) => chunks.push(c));
    s.on('end', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      resolve({
        status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0),
        body: text.slice(text.indexOf('\r\n\r\n') + 4),
      });
    });
    s.on('error', reject);
    s.end(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
  });
}

test(
  `${TRAVERSALS.length} traversal forms are all refused with a JSON 4xx and leak nothing`,
  { timeout: 30_000 },
  async (t) => {
    const replies = await Promise.all(TRAVERSALS.map(async (p) => ({ p, ...(await raw(p)) })));
    const counts = new Map<number, number>();
    for (const r of replies) {
      counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
      assert.ok([400, 403, 404].includes(r.status), `${r.p} answered ${r.status}`);
      const j = JSON.parse(r.body) as { error?: unknown };
      assert.equal(typeof j.error, 'string', r.p);
      assert.doesNotMatch(r.body, /root:|"name": *"aedr"|compilerOptions|\[core\]|import /, r.p);
    }
    t.diagnostic(
      `traversal attempts refused: ${[...counts].map(([s, c]) => `${c} x ${s}`).join(', ')}`,
    );
  },
);
