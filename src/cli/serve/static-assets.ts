/**
 * The page's files (dist/web, written by scripts/build-web.mjs) read into memory once at start.
 * Requests are answered by exact lookup in this table, never by joining a request path onto the
 * file system, so no request can reach a file outside it whatever its encoding.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../../errors.js';

/** One servable file. */
export interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

/** Content types of the extensions the build writes; other files are not served. */
const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.map': 'application/json; charset=utf-8',
};

/** dist/web of the aedr package this module belongs to (from src/ under tsx or from dist/). */
export function defaultAssetsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'dist', 'web');
    dir = dirname(dir);
  }
  return resolve('dist', 'web');
}

/**
 * Reads the servable files under `dir`, keyed by URL path (`/index.html`, `/ort/x.wasm`).
 * @throws ConfigError when the folder or its index.html is missing (the page was not built)
 */
export function loadAssets(dir: string): Map<string, Asset> {
  if (!existsSync(join(dir, 'index.html'))) {
    throw new ConfigError(
      `the explorer's web files are missing: no index.html in ${dir}; build them with \`node scripts/build-web.mjs\` (part of \`npm run build\`)`,
    );
  }
  const out = new Map<string, Asset>();
  const walk = (d: string, prefix: string, depth: number): void => {
    if (depth > 4) return;
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p, `${prefix}${name}/`, depth + 1);
      else {
        const type = TYPES[extname(name)];
        if (!type) continue;
        const body = readFileSync(p);
        const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
        out.set(`${prefix}${name}`, { body, type, etag });
      }
    }
  };
  walk(dir, '/', 0);
  return out;
}
