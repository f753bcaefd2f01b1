/**
 * Decoder-only generation for the page, two ways over the same decoder.onnx: in the browser
 * with onnxruntime-web's single-threaded wasm backend (the default: no round trip, works with
 * the server gone, and a 3-layer decoder runs in well under a millisecond), or on the server
 * through POST /api/decode (`?decoder=server`, kept to compare latencies and as a fallback when
 * WebAssembly is unavailable). One thread needs no cross-origin isolation headers.
 */
import * as ort from 'onnxruntime-web/wasm';
import { ROUTES, type ExplorerMeta } from '../cli/serve/protocol.js';

/** Decodes rows of codes to samples in data units. */
export interface Decoder {
  readonly kind: 'browser' | 'server';
  /** `codes` holds `rows` codes; resolves to `rows` samples, row-major. */
  decode(codes: Float32Array, rows: number): Promise<Float32Array>;
}

/** A decoder running decoder.onnx with onnxruntime-web (wasm) in this page. */
export async function browserDecoder(meta: ExplorerMeta): Promise<Decoder> {
  ort.env.wasm.wasmPaths = new URL('ort/', document.baseURI).href;
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  ort.env.logLevel = 'error';
  const res = await fetch(meta.decoder.url);
  if (!res.ok) throw new Error(`decoder.onnx: HTTP ${res.status}`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  const session = await ort.InferenceSession.create(bytes, {
    executionProviders: ['wasm'],
    graphOptimizationLevel: 'all',
  });
  const d = meta.model.latentDim;
  let queue: Promise<unknown> = Promise.resolve();
  return {
    kind: 'browser',
    decode(codes, rows) {
      // One run at a time: a wasm session is not re-entrant.
      const run = queue.then(async () => {
        const feeds = { [meta.decoder.input]: new ort.Tensor('float32', codes, [rows, d]) };
        const out = await session.run(feeds);
        return out[meta.decoder.output].data as Float32Array;
      });
      queue = run.catch(() => undefined);
      return run;
    },
  };
}

/** A decoder asking the server (POST /api/decode), chunked by the server's row limit. */
export function serverDecoder(meta: ExplorerMeta): Decoder {
  const d = meta.model.latentDim;
  const w = meta.model.inputDim;
  return {
    kind: 'server',
    async decode(codes, rows) {
      const out = new Float32Array(rows * w);
      for (let r0 = 0; r0 < rows; r0 += meta.decoder.maxRows) {
        const r1 = Math.min(rows, r0 + meta.decoder.maxRows);
        const list: number[][] = [];
        for (let r = r0; r < r1; r++) list.push(Array.from(codes.subarray(r * d, (r + 1) * d)));
        const res = await fetch(ROUTES.decode, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ codes: list }),
        });
        if (!res.ok) throw new Error(`decode: HTTP ${res.status}`);
        out.set(new Float32Array(await res.arrayBuffer()), r0 * w);
      }
      return out;
    },
  };
}
