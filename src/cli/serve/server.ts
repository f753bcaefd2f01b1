/**
 * The explorer's HTTP server (node:http, no framework): the built page from memory, the served
 * model's decoder.onnx and model.json, and the small API of protocol.ts (maps by other methods
 * through maps.ts, fitted on first request). GET and HEAD everywhere,
 * POST only on /api/decode; every refusal is a 4xx with a JSON `{ "error" }` body, including
 * requests Node's parser rejects before routing (`clientError`). It listens on 127.0.0.1 unless
 * told otherwise. `close()` stops accepting, ends idle keep-alive sockets at once and any busy
 * ones after a grace period.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { AedrError, ConfigError } from '../../errors.js';
import { matrix } from '../../util/matrix.js';
import type { ExplorerData } from './explorer-data.js';
import { checkHost, HttpError, readBody, requestPath, send, sendError } from './http-safety.js';
import { ExplorerMaps } from './maps.js';
import {
  MAP_METHODS,
  MAX_BODY_BYTES,
  MAX_DECODE_ROWS,
  ROUTES,
  type MapMethod,
} from './protocol.js';
import { defaultAssetsDir, loadAssets, type Asset } from './static-assets.js';

/** Options of `startExplorer`. */
export interface ExplorerServerOptions {
  /** Interface to bind (default 127.0.0.1, loopback only). */
  host?: string;
  /** Port (default 8080; 0 picks a free one). */
  port?: number;
  /** The built page (default dist/web of this package); ignored when `assets` is given. */
  assetsDir?: string;
  /** The page's files, already read by `loadAssets`. */
  assets?: Map<string, Asset>;
  /** Milliseconds busy connections get to finish on close (default 2000). */
  graceMs?: number;
}

/** A listening explorer. */
export interface RunningExplorer {
  /** Base URL, e.g. http://127.0.0.1:8080/ */
  url: string;
  server: Server;
  /** Stops the server; resolves when every connection is closed. */
  close(): Promise<void>;
}

/** Content-Security-Policy of the page: own origin only; wasm compilation for onnxruntime-web. */
const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

const binary = (a: Float32Array | Int32Array): Buffer =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** The request handler of an explorer over `data` and the page files `assets`. */
export function explorerHandler(
  data: ExplorerData,
  assets: Map<string, Asset>,
  boundHost: string,
): (req: IncomingMessage, res: ServerResponse) => void {
  const metaJson = Buffer.from(JSON.stringify(data.meta));
  const fixed = new Map<string, { body: Buffer; type: string }>([
    [ROUTES.meta, { body: metaJson, type: 'application/json; charset=utf-8' }],
    [ROUTES.codes, { body: binary(data.codes.data), type: 'application/octet-stream' }],
    [ROUTES.labels, { body: binary(data.labels), type: 'application/octet-stream' }],
    [ROUTES.decoderOnnx, { body: data.files.decoderOnnx, type: 'application/octet-stream' }],
    [ROUTES.modelJson, { body: data.files.modelJson, type: 'application/json; charset=utf-8' }],
  ]);
  const { rows: count, cols: width } = data.samples;
  const maps = new ExplorerMaps(data.samples, { seed: 0 });

  const map = async (req: IncomingMessage, res: ServerResponse, name: string): Promise<void> => {
    if (!(MAP_METHODS as readonly string[]).includes(name))
      throw new HttpError(
        404,
        `no map ${JSON.stringify(name)}; maps are ${MAP_METHODS.join(', ')} (the model's own is ${ROUTES.codes})`,
      );
    let z: Float32Array;
    try {
      z = await maps.get(name as MapMethod);
    } catch (err) {
      if (err instanceof AedrError) throw new HttpError(422, `${name} map: ${err.message}`);
      throw err;
    }
    send(req, res, 200, binary(z), {
      'Content-Type': 'application/octet-stream',
      'Cache-Control': 'no-store',
    });
  };

  const getRoute = (req: IncomingMessage, res: ServerResponse, path: string): void => {
    const asset = assets.get(path === '/' ? '/index.html' : path);
    if (asset) {
      if (req.headers['if-none-match'] === asset.etag) {
        res.writeHead(304, { ETag: asset.etag });
        res.end();
        return;
      }
      const extra: Record<string, string> = asset.type.startsWith('text/html')
        ? { 'Content-Security-Policy': CSP }
        : {};
      send(req, res, 200, asset.body, {
        'Content-Type': asset.type,
        'Cache-Control': 'no-cache',
        ETag: asset.etag,
        ...extra,
      });
      return;
    }
    const f = fixed.get(path);
    if (f) {
      send(req, res, 200, f.body, { 'Content-Type': f.type, 'Cache-Control': 'no-store' });
      return;
    }
    if (path.startsWith(ROUTES.image)) {
      const tail = path.slice(ROUTES.image.length);
      const i = /^\d{1,9}$/.test(tail) ? Number(tail) : NaN;
      if (!(i < count))
        throw new HttpError(404, `no sample ${JSON.stringify(tail)}; samples are 0..${count - 1}`);
      send(req, res, 200, binary(data.samples.data.subarray(i * width, (i + 1) * width)), {
        'Content-Type': 'application/octet-stream',
        'Cache-Control': 'no-store',
      });
      return;
    }
    throw new HttpError(404, `nothing is served at ${path}`);
  };

  const decode = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const type = req.headers['content-type'] ?? '';
    if (!/^application\/json\s*(;|$)/i.test(type))
      throw new HttpError(
        415,
        `POST ${ROUTES.decode} takes application/json, got ${JSON.stringify(type)}`,
      );
    const body = await readBody(req, MAX_BODY_BYTES);
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      throw new HttpError(400, 'request body is not valid JSON');
    }
    const codes = parseCodes(json, data.model.latentDim);
    const out = await data.model.decode(
      matrix(codes.length / data.model.latentDim, data.model.latentDim, codes),
    );
    send(req, res, 200, binary(out.data), {
      'Content-Type': 'application/octet-stream',
      'Cache-Control': 'no-store',
    });
  };

  return (req, res) => {
    const fail = (err: unknown): void => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (err instanceof HttpError) sendError(req, res, err.status, err.message, err.headers);
      else sendError(req, res, 500, `internal error: ${(err as Error).message}`);
    };
    try {
      const method = req.method ?? '';
      if (!['GET', 'HEAD', 'POST'].includes(method))
        throw new HttpError(405, `method ${method} is not allowed`, { Allow: 'GET, HEAD, POST' });
      checkHost(req, boundHost);
      const path = requestPath(req.url);
      if (path === ROUTES.decode) {
        if (method !== 'POST')
          throw new HttpError(405, `${ROUTES.decode} takes POST, got ${method}`, { Allow: 'POST' });
        decode(req, res).catch(fail);
        return;
      }
      if (method === 'POST')
        throw new HttpError(405, `${path} takes GET or HEAD, got POST`, { Allow: 'GET, HEAD' });
      if (Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'])
        throw new HttpError(400, `${method} requests carry no body`, { Connection: 'close' });
      if (path.startsWith(ROUTES.map)) {
        map(req, res, path.slice(ROUTES.map.length)).catch(fail);
        return;
      }
      getRoute(req, res, path);
    } catch (err) {
      fail(err);
    }
  };
}

/** `{"codes": number[][]}` with 1..MAX_DECODE_ROWS finite rows of `dim` numbers, flattened. @throws HttpError 400 */
export function parseCodes(json: unknown, dim: number): Float32Array {
  const rows = (json as { codes?: unknown } | null)?.codes;
  if (!Array.isArray(rows) || rows.length < 1 || rows.length > MAX_DECODE_ROWS)
    throw new HttpError(
      400,
      `body must be {"codes": [[...], ...]} with 1..${MAX_DECODE_ROWS} rows`,
    );
  const out = new Float32Array(rows.length * dim);
  rows.forEach((r: unknown, i) => {
    if (!Array.isArray(r) || r.length !== dim)
      throw new HttpError(400, `codes[${i}] must be an array of ${dim} numbers`);
    r.forEach((v: unknown, j) => {
      if (typeof v !== 'number' || !Number.isFinite(v) || Math.abs(v) > 1e6)
        throw new HttpError(
          400,
          `codes[${i}][${j}] must be a finite number within ±1e6, got ${JSON.stringify(v)}`,
        );
      out[i * dim + j] = v;
    });
  });
  return out;
}

const CLIENT_ERROR_STATUS: Readonly<Record<string, [number, string]>> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large'],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [413, 'Payload Too Large'],
};

/** Answers requests the parser rejects with a JSON 4xx instead of Node's bare reply. */
function onClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, text] = CLIENT_ERROR_STATUS[err.code ?? ''] ?? [400, 'Bad Request'];
  const body = JSON.stringify({ error: `malformed request (${err.code ?? err.message})` });
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * Serves `data` and the built page until `close()`.
 * @throws ConfigError when the page is not built or the port is taken; other listen errors as is
 */
export async function startExplorer(
  data: ExplorerData,
  opts: ExplorerServerOptions = {},
): Promise<RunningExplorer> {
  const host = opts.host ?? '127.0.0.1';
  const assets = opts.assets ?? loadAssets(opts.assetsDir ?? defaultAssetsDir());
  const server = createServer({ maxHeaderSize: 16 * 1024 }, explorerHandler(data, assets, host));
  server.on('clientError', onClientError);
  server.keepAliveTimeout = 5000;
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new ConfigError(
              `port ${opts.port ?? 8080} on ${host} is in use; pick another with --port (0 picks a free one)`,
              { cause: err },
            )
          : err,
      ),
    );
    // A backlog above Node's 511 lets a burst of page loads queue instead of waiting on SYN retries.
    server.listen({ port: opts.port ?? 8080, host, backlog: 2048 }, () => {
      server.removeAllListeners('error');
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const shown = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      const timer = setTimeout(() => server.closeAllConnections(), opts.graceMs ?? 2000);
      timer.unref();
      server.close(() => {
        clearTimeout(timer);
        resolve();
      });
      server.closeIdleConnections();
    });
    return closing;
  };
  return { url: `http://${shown}:${addr.port}/`, server, close };
}
