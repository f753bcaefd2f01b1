/**
 * The scatter's views of the codes. Every view is linear, `coords = rows · (code - center)`, so
 * the points and the generator's current code (the marker) go through the same map: a 2-d or
 * 3-d code directly, the top principal axes of the codes (server-computed PCA) for wider codes,
 * or any two chosen coordinates. Besides these, maps of the same samples by PCA, UMAP, parametric
 * UMAP and t-SNE
 * (GET /api/map/:method, computed by the server): those place the samples, not codes, so they
 * have no linear map and the generator's marker is not shown on them.
 */
import { MAP_METHODS, type ExplorerMeta, type MapMethod } from '../cli/serve/protocol.js';

/** One way to place codes in the plot. */
export interface View {
  id: string;
  label: string;
  /** 2: flat, pan and zoom; 3: rotatable. */
  dims: 2 | 3;
  rows: number[][];
  center: number[];
  axisNames: string[];
  /** Set on a server-computed map of the samples: the coordinates come from GET /api/map/:method. */
  map?: MapMethod;
}

const MAP_LABELS: Readonly<Record<MapMethod, [string, string]>> = {
  pca: ['PCA of the data (2-d)', 'PC'],
  umap: ['UMAP of the data (2-d)', 'UMAP '],
  pumap: ['parametric UMAP of the data (2-d)', 'pUMAP '],
  tsne: ['t-SNE of the data (2-d)', 't-SNE '],
};

const unit = (d: number, i: number): number[] =>
  Array.from({ length: d }, (_, j) => (j === i ? 1 : 0));

/** The views offered for `meta`'s model, the default first. */
export function viewsFor(meta: ExplorerMeta): View[] {
  const d = meta.model.latentDim;
  const zero = new Array<number>(d).fill(0);
  const out: View[] = [];
  if (d === 2 || d === 3) {
    out.push({
      id: 'direct',
      label: d === 2 ? 'code (2-d)' : 'code (3-d, drag to rotate)',
      dims: d,
      rows: Array.from({ length: d }, (_, i) => unit(d, i)),
      center: zero,
      axisNames: Array.from({ length: d }, (_, i) => `z${i + 1}`),
    });
  }
  const pca = meta.pca;
  if (pca && d > 3 && pca.components.length >= 3) {
    out.push({
      id: 'pca3',
      label: 'PCA of codes (3-d, drag to rotate)',
      dims: 3,
      rows: pca.components.slice(0, 3),
      center: pca.mean,
      axisNames: pca.explained.slice(0, 3).map((e, i) => `PC${i + 1} ${(100 * e).toFixed(0)}%`),
    });
  }
  if (pca && d > 2) {
    out.push({
      id: 'pca2',
      label: 'PCA of codes (2-d)',
      dims: 2,
      rows: pca.components.slice(0, 2),
      center: pca.mean,
      axisNames: pca.explained.slice(0, 2).map((e, i) => `PC${i + 1} ${(100 * e).toFixed(0)}%`),
    });
  }
  if (d > 2) {
    out.push({ ...axesView(d, 0, 1), id: 'axes', label: 'two coordinates…' });
  }
  for (const m of MAP_METHODS) {
    const [label, axis] = MAP_LABELS[m];
    out.push({
      id: `map-${m}`,
      label,
      dims: 2,
      rows: [],
      center: [],
      axisNames: [`${axis}1`, `${axis}2`],
      map: m,
    });
  }
  return out;
}

/** The flat view of coordinates `i` (x) and `j` (y). */
export function axesView(d: number, i: number, j: number): View {
  return {
    id: 'axes',
    label: `z${i + 1} vs z${j + 1}`,
    dims: 2,
    rows: [unit(d, i), unit(d, j)],
    center: new Array<number>(d).fill(0),
    axisNames: [`z${i + 1}`, `z${j + 1}`],
  };
}

/** Projects `n` codes of width `d` through `view`: Float32 [n, view.dims]. */
export function project(view: View, codes: Float32Array, n: number, d: number): Float32Array {
  const k = view.dims;
  const out = new Float32Array(n * k);
  for (let r = 0; r < n; r++) {
    for (let a = 0; a < k; a++) {
      const row = view.rows[a];
      let s = 0;
      for (let c = 0; c < d; c++) {
        const w = row[c];
        if (w !== 0) s += w * (codes[r * d + c] - view.center[c]);
      }
      out[r * k + a] = s;
    }
  }
  return out;
}

/** About `count` round tick values covering [lo, hi] (1, 2, 5 × 10^k steps). */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  const span = hi - lo;
  if (!(span > 0)) return [lo];
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) {
    out.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  }
  return out;
}

/** A tick value as short text. */
export function tickText(v: number): string {
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 1e4 || a < 1e-3) return v.toExponential(0);
  return String(Number(v.toPrecision(3)));
}
