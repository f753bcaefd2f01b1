/**
 * Plain-text descriptions of a model shared by `train` (its summary) and `info`: the layer
 * sizes, each layer with its activation, and the parameter count.
 */
import { isLayerSpec, type AutoencoderSpec, type NetSpec } from '../nn/autoencoder-spec.js';

/**
 * Layer sizes joined by dashes, e.g. `784-128-64-12-3-12-64-128-784`; a layer spec's shapes
 * H x W x C, e.g. `28x28x1-14x14x16-7x7x8-14x14x8-28x28x16-28x28x1`.
 */
export function sizesText(spec: NetSpec): string {
  if (isLayerSpec(spec)) {
    return [spec.inputShape, ...[...spec.encoder, ...spec.decoder].map((l) => l.output)]
      .map((s) => s.join('x'))
      .join('-');
  }
  return [spec.inputDim, ...spec.encoder.map((l) => l.units), ...spec.decoder.map((l) => l.units)]
    .map(String)
    .join('-');
}

/** One part of the network as `784 -> 128 relu -> 3 linear`. */
export function layersText(inputDim: number, layers: AutoencoderSpec['encoder']): string {
  return [String(inputDim), ...layers.map((l) => `${l.units} ${l.activation}`)].join(' -> ');
}

/** Number of weights and biases. */
export function parameterCount(spec: NetSpec): number {
  if (isLayerSpec(spec)) return spec.params;
  let n = 0;
  let d = spec.inputDim;
  for (const l of [...spec.encoder, ...spec.decoder]) {
    n += d * l.units + l.units;
    d = l.units;
  }
  return n;
}

/** An integer with thousands separators (`78,434`), independent of the locale. */
export function groupDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `1 epoch`, `2 epochs`. */
export function plural(n: number, word: string): string {
  return `${groupDigits(n)} ${word}${n === 1 ? '' : 's'}`;
}

/** Seconds as `0.84s`, `12.3s` or `3m 05s`. */
export function secondsText(s: number): string {
  if (s < 10) return `${s.toFixed(2)}s`;
  if (s < 60) return `${s.toFixed(1)}s`;
  const t = Math.round(s);
  const m = Math.floor(t / 60);
  return `${m}m ${String(t - 60 * m).padStart(2, '0')}s`;
}

/** Rows of cells as aligned text columns (columns of numbers right-aligned; empty cells ignored), two spaces apart, indented. */
export function textTable(header: string[], rows: string[][], indent = '  '): string {
  const all = [header, ...rows];
  const widths = header.map((_, j) => Math.max(...all.map((r) => (r[j] ?? '').length)));
  const isNumber = (c: string): boolean => /^-?\d[\d,]*(\.\d+)?(e[+-]?\d+)?$/.test(c);
  const numeric = header.map((_, j) => {
    const cells = rows.map((r) => r[j] ?? '').filter((c) => c !== '');
    return cells.length > 0 && cells.every(isNumber);
  });
  return all
    .map(
      (r) =>
        indent +
        r
          .map((c, j) => (numeric[j] ? c.padStart(widths[j]) : c.padEnd(widths[j])))
          .join('  ')
          .trimEnd(),
    )
    .join('\n');
}
