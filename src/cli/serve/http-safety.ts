/**
 * Request hygiene for the explorer's server: a request path is accepted only in a canonical,
 * once-decoded form (no `.`/`..` segments, backslashes, NUL or control characters, empty
 * segments, or percent signs left after one decoding, which refuses double encoding), bodies
 * are read up to a byte limit (413 beyond it), loopback servers accept only loopback Host
 * headers (DNS-rebinding defence), and every error reply is JSON `{ "error": "..." }`.
 * References: RFC 9110 (HTTP semantics, status codes), RFC 3986 §2.1 and §3.3 (percent-encoding,
 * dot segments), OWASP "Path Traversal".
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AedrError } from '../../errors.js';

/** A request the server refuses with `status`; the message becomes the JSON error. */
export class HttpError extends AedrError {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Longest request target accepted (characters). */
export const MAX_URL_LENGTH = 2048;

/** Backslashes and control characters (C0 and DEL) never belong in a served path. */
function hasForbiddenChar(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f || c === 0x5c) return true;
  }
  return false;
}

/**
 * The decoded path of a request target, or an HttpError: 400 for anything that is not a plain
 * absolute path (traversal, encoded separators, double encoding, bad escapes), 414 if too long.
 * @throws HttpError
 */
export function requestPath(target: string | undefined): string {
  if (target === undefined || !target.startsWith('/'))
    throw new HttpError(
      400,
      `request target must be an absolute path, got ${JSON.stringify(target ?? '')}`,
    );
  if (target.length > MAX_URL_LENGTH)
    throw new HttpError(
      414,
      `request target is ${target.length} characters; at most ${MAX_URL_LENGTH} are accepted`,
    );
  const raw = target.split('?', 1)[0].split('#', 1)[0];
  if (hasForbiddenChar(raw))
    throw new HttpError(400, 'path contains a backslash or control character');
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    throw new HttpError(400, 'path has a malformed percent-escape');
  }
  if (hasForbiddenChar(path))
    throw new HttpError(400, 'path contains an encoded backslash or control character');
  if (path.includes('%')) throw new HttpError(400, 'path is encoded more than once');
  const segments = path.split('/').slice(1);
  if (segments.some((s, i) => s === '.' || s === '..' || (s === '' && i < segments.length - 1)))
    throw new HttpError(400, 'path has dot or empty segments (path traversal is refused)');
  return path;
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** Whether `host` names this machine only. */
export function isLoopback(host: string): boolean {
  return LOOPBACK_NAMES.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Refuses Host headers other than loopback names when the server listens on loopback. @throws HttpError */
export function checkHost(req: IncomingMessage, boundHost: string): void {
  const host = req.headers.host;
  if (!host) throw new HttpError(400, 'the Host header is missing');
  if (!isLoopback(boundHost)) return;
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0];
  if (!isLoopback(name.toLowerCase()))
    throw new HttpError(
      403,
      `Host ${JSON.stringify(host)} is not this machine; open the explorer through 127.0.0.1 or localhost`,
    );
}

/** The request body, at most `limit` bytes. @throws HttpError 413 beyond the limit, 400 on an aborted upload */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limit)
    return Promise.reject(
      new HttpError(413, `request body of ${declared} bytes exceeds the ${limit}-byte limit`, {
        Connection: 'close',
      }),
    );
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (c: Buffer) => {
      if (done) return;
      size += c.length;
      if (size > limit) {
        done = true;
        req.pause();
        reject(
          new HttpError(413, `request body exceeds the ${limit}-byte limit`, {
            Connection: 'close',
          }),
        );
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!done) {
        done = true;
        resolve(Buffer.concat(chunks));
      }
    });
    req.on('error', (err) => {
      if (!done) {
        done = true;
        reject(new HttpError(400, `request body could not be read (${err.message})`));
      }
    });
  });
}

/** Headers every response carries. */
export const BASE_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
};

/** Sends `body` with `status`, the base headers and `headers`; HEAD requests get headers only. */
export function send(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  body: Buffer | Uint8Array | string,
  headers: Record<string, string>,
): void {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(status, {
    ...BASE_HEADERS,
    ...headers,
    'Content-Length': String(bytes.byteLength),
  });
  if (req.method === 'HEAD') res.end();
  else res.end(bytes);
}

/** Sends a JSON value. */
export function sendJson(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  send(req, res, status, JSON.stringify(value), {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    ...headers,
  });
}

/** Sends `{ "error": message }`. */
export function sendError(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  sendJson(req, res, status, { error: message }, headers);
}
