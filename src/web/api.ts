/**
 * The page's side of the explorer's HTTP API (src/cli/serve/protocol.ts): the metadata, the
 * codes and labels as typed arrays over the response bytes, and original samples on demand
 * with a small cache so hovering back and forth does not refetch.
 */
import { ROUTES, type ExplorerMeta, type MapMethod } from '../cli/serve/protocol.js';

/** What the page starts from. */
export interface ExplorerState {
  meta: ExplorerMeta;
  /** Float32 [count, latentDim], row-major. */
  codes: Float32Array;
  /** One label per point; -1 when unlabelled. */
  labels: Int32Array;
}

async function ok(res: Response, what: string): Promise<Response> {
  if (res.ok) return res;
  let detail = res.statusText;
  try {
    detail = ((await res.json()) as { error?: string }).error ?? detail;
  } catch {
    // the body was not JSON; the status text stands
  }
  throw new Error(`${what}: HTTP ${res.status} ${detail}`);
}

/** Fetches the metadata, codes and labels; checks their sizes agree. */
export async function loadState(): Promise<ExplorerState> {
  const [meta, codesBuf, labelsBuf] = await Promise.all([
    fetch(ROUTES.meta)
      .then((r) => ok(r, 'metadata'))
      .then((r) => r.json() as Promise<ExplorerMeta>),
    fetch(ROUTES.codes)
      .then((r) => ok(r, 'codes'))
      .then((r) => r.arrayBuffer()),
    fetch(ROUTES.labels)
      .then((r) => ok(r, 'labels'))
      .then((r) => r.arrayBuffer()),
  ]);
  const codes = new Float32Array(codesBuf);
  const labels = new Int32Array(labelsBuf);
  const n = meta.data.count;
  if (codes.length !== n * meta.model.latentDim || labels.length !== n) {
    throw new Error(
      `server sent ${codes.length} code values and ${labels.length} labels for ${n} points of dimension ${meta.model.latentDim}`,
    );
  }
  return { meta, codes, labels };
}

const CACHE_SIZE = 256;
const cache = new Map<number, Promise<Float32Array>>();

/** Original sample `i` in data units (cached, least recently used dropped first). */
export function fetchSample(i: number): Promise<Float32Array> {
  const hit = cache.get(i);
  if (hit) {
    cache.delete(i);
    cache.set(i, hit);
    return hit;
  }
  const p = fetch(`${ROUTES.image}${i}`)
    .then((r) => ok(r, `sample ${i}`))
    .then(async (r) => new Float32Array(await r.arrayBuffer()));
  p.catch(() => cache.delete(i));
  cache.set(i, p);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as number);
  return p;
}

const maps = new Map<MapMethod, Promise<Float32Array>>();

/** The samples' 2-D map by `method` (Float32 [count, 2]); fetched once, a failure not kept. */
export function fetchMap(method: MapMethod): Promise<Float32Array> {
  let p = maps.get(method);
  if (p === undefined) {
    p = fetch(`${ROUTES.map}${method}`)
      .then((r) => ok(r, `${method} map`))
      .then(async (r) => new Float32Array(await r.arrayBuffer()));
    p.catch(() => maps.delete(method));
    maps.set(method, p);
  }
  return p;
}
