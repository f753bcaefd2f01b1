/**
 * The model card: the architecture layer by layer, how it was trained, the last epoch's losses,
 * the total training time, and a small chart of the loss per epoch, all from model.json.
 */
import type { ExplorerMeta, MetaEpoch, MetaLayer } from '../cli/serve/protocol.js';

const el = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  cls = '',
  text = '',
): HTMLElementTagNameMap[K] => {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text) e.textContent = text;
  return e;
};

/** Seconds as "42 s" or "3 min 5 s". */
export function duration(s: number): string {
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - 60 * m)} s`;
}

/** The model card's content. */
export function modelInfo(meta: ExplorerMeta): HTMLElement {
  const m = meta.model;
  const root = el('div', 'model-info');
  const arch = el('div', 'arch');
  const layer = (
    units: number,
    act?: string,
    code = false,
    shape?: number[],
    type?: string,
  ): HTMLElement => {
    const chip = el('span', code ? 'layer code' : 'layer');
    // An image-shaped layer shows H×W×C, with its values and type in the tooltip.
    const text = shape && shape.length > 1 ? shape.join('×') : String(units);
    chip.append(el('b', '', text));
    if (act) chip.append(el('small', '', act));
    if (type) chip.title = `${type}, ${units} values`;
    return chip;
  };
  const half = (name: string, first: HTMLElement, layers: MetaLayer[], codeLast: boolean): void => {
    const row = el('div', 'arch-row');
    row.append(el('span', 'arch-name', name), first);
    layers.forEach((l, i) =>
      row.append(
        el('span', 'arrow', '→'),
        layer(l.units, l.activation, codeLast && i === layers.length - 1, l.shape, l.type),
      ),
    );
    arch.append(row);
  };
  const codeShape = m.encoder[m.encoder.length - 1]?.shape;
  half('encoder', layer(m.inputDim, 'input', false, m.inputShape), m.encoder, true);
  half('decoder', layer(m.latentDim, 'code', true, codeShape), m.decoder, false);
  root.append(arch);

  const rows: [string, string][] = [];
  const last: MetaEpoch | undefined = m.history[m.history.length - 1];
  const t = m.training;
  if (t) {
    rows.push([
      'training',
      `${t.epochs} epochs · batch ${t.batchSize} · ${t.loss.toUpperCase()} loss · ${optimizerName(t.optimizer)}`,
    ]);
    rows.push([
      'data',
      `${t.trainSize.toLocaleString('en')} samples${t.data ? ` of ${t.data}` : ''}, scaling ${m.scaling}`,
    ]);
  }
  if (last) {
    rows.push(['final train loss', last.trainLoss.toPrecision(4)]);
    rows.push(['final train MSE', last.trainMse.toPrecision(4)]);
    if (last.testMse !== undefined) rows.push(['final test MSE', last.testMse.toPrecision(4)]);
    const train = m.history.reduce((s, h) => s + h.seconds, 0);
    const evals = m.history.reduce((s, h) => s + h.evalSeconds, 0);
    rows.push(['training time', `${duration(train)} (+ ${duration(evals)} evaluating)`]);
  } else {
    rows.push(['history', 'none recorded (an untrained model?)']);
  }
  const dl = el('dl', 'facts');
  for (const [k, v] of rows) dl.append(el('dt', '', k), el('dd', '', v));
  root.append(dl);
  if (m.history.length > 0) root.append(lossChart(m.history));
  return root;
}

function optimizerName(o: unknown): string {
  const c = o as { kind?: unknown; name?: unknown; learningRate?: unknown } | null;
  const raw = String(c?.kind ?? c?.name ?? 'optimizer');
  const name = raw === 'adam' ? 'Adam' : raw === 'sgd' ? 'SGD' : raw;
  return typeof c?.learningRate === 'number' ? `${name} (lr ${c.learningRate})` : name;
}

/** Train loss and test MSE per epoch, log-scaled y. */
function lossChart(h: MetaEpoch[]): HTMLElement {
  const wrap = el('figure', 'loss-chart');
  const c = el('canvas');
  const W = 290;
  const H = 150;
  const dpr = window.devicePixelRatio || 1;
  c.width = W * dpr;
  c.height = H * dpr;
  c.style.width = `${W}px`;
  c.style.height = `${H}px`;
  const ctx = c.getContext('2d');
  const series: [string, string, number[]][] = [
    ['train loss', '#4c78a8', h.map((e) => e.trainLoss)],
  ];
  if (h.some((e) => e.testMse !== undefined))
    series.push(['test MSE', '#f58518', h.map((e) => e.testMse ?? NaN)]);
  if (ctx) {
    ctx.scale(dpr, dpr);
    const all = series.flatMap((s) => s[2]).filter((v) => v > 0 && Number.isFinite(v));
    const lo = Math.log10(Math.min(...all)) - 0.05;
    const hi = Math.log10(Math.max(...all)) + 0.05;
    const L = 46;
    const R = 10;
    const T = 10;
    const B = 24;
    const x = (i: number): number => L + (h.length === 1 ? 0.5 : i / (h.length - 1)) * (W - L - R);
    const y = (v: number): number => T + (1 - (Math.log10(v) - lo) / (hi - lo || 1)) * (H - T - B);
    ctx.font = '10px system-ui, sans-serif';
    ctx.fillStyle = '#6b7280';
    ctx.strokeStyle = '#eceef1';
    for (const v of [10 ** lo, 10 ** ((lo + hi) / 2), 10 ** hi]) {
      ctx.beginPath();
      ctx.moveTo(L, y(v));
      ctx.lineTo(W - R, y(v));
      ctx.stroke();
      ctx.textAlign = 'right';
      ctx.fillText(v.toPrecision(2), L - 4, y(v) + 3);
    }
    ctx.textAlign = 'center';
    ctx.fillText('epoch', (L + W - R) / 2, H - 4);
    for (const i of [0, h.length - 1]) ctx.fillText(String(h[i].epoch), x(i), H - 12);
    for (const [, color, vals] of series) {
      ctx.strokeStyle = color;
      ctx.fillStyle = color;
      ctx.lineWidth = 2;
      ctx.beginPath();
      vals.forEach((v, i) => (i === 0 ? ctx.moveTo(x(i), y(v)) : ctx.lineTo(x(i), y(v))));
      ctx.stroke();
      vals.forEach((v, i) => {
        ctx.beginPath();
        ctx.arc(x(i), y(v), 2.5, 0, 2 * Math.PI);
        ctx.fill();
      });
    }
  }
  const legend = el('figcaption');
  for (const [name, color] of series) {
    const k = el('span', 'key');
    const sw = el('i');
    sw.style.background = color;
    k.append(sw, name);
    legend.append(k);
  }
  wrap.append(c, legend);
  return wrap;
}
