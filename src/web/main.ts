/**
 * The latent-space explorer page (served by `aedr serve`): loads the codes, builds the scatter,
 * the point inspector, the slider generator, the interpolation strip and the model card, and
 * wires them together. A click selects a point: its original beside its reconstruction, its
 * code into the sliders, and it becomes the newer end of the interpolation strip. Anything
 * that fails to load shows as a message on the page, never as a blank page.
 */
import { fetchMap, fetchSample, loadState, type ExplorerState } from './api.js';
import { browserDecoder, serverDecoder, type Decoder } from './decoder.js';
import { Generator } from './generator.js';
import { drawSample, sampleCanvas, type SampleShape } from './image.js';
import { InterpolationStrip, type Endpoint } from './interpolation.js';
import { modelInfo } from './model-info.js';
import { PriorSamples } from './prior-samples.js';
import { labelColor, labelName } from '../report/palette.js';
import { ScatterPlot } from './scatter.js';
import { Tooltip } from './tooltip.js';
import { axesView, project, viewsFor, type View } from './views.js';

/** The hook tests and the console use. */
export interface ExplorerHandle {
  decoderKind: 'browser' | 'server';
  pointCount: number;
  clientPoint(i: number): { x: number; y: number } | null;
}

declare global {
  interface Window {
    aedrExplorer?: ExplorerHandle;
  }
}

const $ = <T extends HTMLElement>(id: string): T => {
  const e = document.getElementById(id);
  if (!e) throw new Error(`page element #${id} is missing`);
  return e as T;
};

function showError(err: unknown): void {
  const box = $('error');
  box.textContent = `Something went wrong: ${err instanceof Error ? err.message : String(err)}`;
  box.hidden = false;
}

async function chooseDecoder(state: ExplorerState): Promise<Decoder> {
  if (new URLSearchParams(location.search).get('decoder') === 'server')
    return serverDecoder(state.meta);
  try {
    return await browserDecoder(state.meta);
  } catch (err) {
    console.warn('onnxruntime-web could not start; decoding on the server instead', err);
    return serverDecoder(state.meta);
  }
}

async function start(): Promise<void> {
  const state = await loadState();
  const { meta, codes, labels } = state;
  const d = meta.model.latentDim;
  const n = meta.data.count;
  const shape: SampleShape = { imageShape: meta.data.imageShape, range: meta.data.range };
  const decoder = await chooseDecoder(state);
  const name = (l: number): string => labelName(l, meta.data.labelNames);
  const codeOf = (i: number): Float32Array => codes.slice(i * d, (i + 1) * d);

  $('summary').textContent = [
    `model ${meta.model.dir}`,
    `${[meta.model.inputShape ?? [meta.model.inputDim], ...meta.model.encoder.map((l) => l.shape ?? [l.units])].map((sh) => sh.join('×')).join('→')} code`,
    `${n.toLocaleString('en')} points of ${meta.data.source}`,
    decoder.kind === 'browser'
      ? 'decoding in the browser (onnxruntime-web, wasm)'
      : 'decoding on the server',
  ].join(' · ');

  // Scatter, its views and legend.
  const tooltip = new Tooltip(shape);
  let view: View;
  const plot = new ScatterPlot(labels, labelColor, {
    onHover: (i, x, y) => {
      plot.setHighlights({ hover: i });
      if (i < 0) tooltip.hide();
      else
        tooltip.show(
          i,
          `#${i} · ${meta.data.hasLabels ? `label ${name(labels[i])}` : 'no label'}`,
          x,
          y,
        );
    },
    onClick: (i) => void select(i),
  });
  $('scatter-host').append(plot.element);
  const views = viewsFor(meta);
  view = views[0];
  let viewSeq = 0;
  const setView = async (v: View): Promise<void> => {
    const seq = ++viewSeq;
    if (v.map !== undefined) {
      $('plot-hint').textContent = `Computing the ${v.label} on the server…`;
      const coords = await fetchMap(v.map);
      if (seq !== viewSeq) return;
      view = v;
      plot.setView(v, coords);
      plot.setMarker(null);
    } else {
      view = v;
      plot.setView(v, project(v, codes, n, d));
      plot.setMarker(Array.from(project(v, generator.current(), 1, d)));
    }
    $('plot-hint').textContent =
      v.dims === 3
        ? 'Drag to rotate · wheel to zoom · double-click to reset · hover for the original · click to inspect'
        : 'Drag to pan · wheel to zoom · double-click to reset · hover for the original · click to inspect';
  };
  buildViewControls(views, d, (v) => {
    setView(v).catch(showError);
  });
  buildLegend(meta.data.classes, labels, name, (hidden) => plot.setHidden(hidden));

  // Generator.
  const generator = new Generator(
    meta,
    decoder,
    shape,
    (code) => plot.setMarker(view.map ? null : Array.from(project(view, code, 1, d))),
    showError,
  );
  $('generator-host').append(generator.element);

  // Point inspector and interpolation.
  const inspect = $('inspect');
  const strip = new InterpolationStrip(decoder, shape, showError);
  $('interp-host').append(strip.element);
  let previous: Endpoint | null = null;
  let current: Endpoint | null = null;
  let selectSeq = 0;
  const select = async (i: number): Promise<void> => {
    const seq = ++selectSeq;
    const code = codeOf(i);
    generator.setCode(code);
    const [original, recon] = await Promise.all([fetchSample(i), decoder.decode(code, 1)]);
    if (seq !== selectSeq) return;
    renderInspect(inspect, i, meta.data.hasLabels ? name(labels[i]) : '', original, recon, shape);
    if (current?.index !== i) previous = current;
    current = { index: i, label: meta.data.hasLabels ? name(labels[i]) : '', code, original };
    plot.setHighlights({ selected: i, a: previous?.index ?? -1, b: previous ? i : -1 });
    if (previous) await strip.show(previous, current);
  };

  // A VAE's prior N(0, I) is what its codes are pulled towards: samples from it are meaningful.
  if (meta.model.variational) {
    const prior = new PriorSamples(d, decoder, shape, (code) => generator.setCode(code), showError);
    $('samples-host').append(prior.element);
    $('samples-card').hidden = false;
  }

  void setView(view);
  generator.setCode(Float32Array.from(meta.codes.mean));
  $('model-host').append(modelInfo(meta));
  window.aedrExplorer = {
    decoderKind: decoder.kind,
    pointCount: n,
    clientPoint: (i) => plot.clientPoint(i),
  };
  document.body.dataset.ready = 'true';
}

function buildViewControls(views: View[], d: number, onChange: (v: View) => void): void {
  const host = $('view-controls');
  if (views.length < 2) return;
  const sel = document.createElement('select');
  sel.setAttribute('aria-label', 'view');
  views.forEach((v, k) => sel.append(new Option(v.label, String(k))));
  const axes = document.createElement('span');
  axes.className = 'axes-pick';
  axes.hidden = true;
  const pick = (which: string, init: number): HTMLSelectElement => {
    const s = document.createElement('select');
    s.setAttribute('aria-label', `${which} coordinate`);
    for (let j = 0; j < d; j++) s.append(new Option(`z${j + 1}`, String(j)));
    s.value = String(init);
    return s;
  };
  const xs = pick('x', 0);
  const ys = pick('y', 1);
  axes.append(' x ', xs, ' y ', ys);
  const update = (): void => {
    const v = views[Number(sel.value)];
    axes.hidden = v.id !== 'axes';
    onChange(v.id === 'axes' ? axesView(d, Number(xs.value), Number(ys.value)) : v);
  };
  for (const s of [sel, xs, ys]) s.addEventListener('change', update);
  host.append(sel, axes);
}

function buildLegend(
  classes: number[],
  labels: Int32Array,
  name: (l: number) => string,
  onChange: (hidden: Set<number>) => void,
): void {
  const host = $('legend');
  const counts = new Map<number, number>();
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  const hidden = new Set<number>();
  const keys = classes.length > 0 ? classes : [-1];
  for (const l of keys) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'legend-item';
    b.title = 'click to hide or show';
    b.setAttribute('aria-pressed', 'true');
    const sw = document.createElement('i');
    sw.style.background = labelColor(l);
    const count = document.createElement('small');
    count.textContent = String(counts.get(l) ?? 0);
    b.append(sw, name(l), count);
    b.addEventListener('click', () => {
      if (hidden.has(l)) hidden.delete(l);
      else hidden.add(l);
      b.setAttribute('aria-pressed', String(!hidden.has(l)));
      onChange(hidden);
    });
    host.append(b);
  }
}

function renderInspect(
  host: HTMLElement,
  i: number,
  label: string,
  original: Float32Array,
  recon: Float32Array,
  shape: SampleShape,
): void {
  const [lo, hi] = shape.range;
  let se = 0;
  for (let k = 0; k < original.length; k++) se += ((original[k] - recon[k]) / (hi - lo)) ** 2;
  const pair = document.createElement('div');
  pair.className = 'pair';
  for (const [values, caption, id] of [
    [original, 'original', 'inspect-original'],
    [recon, 'reconstruction', 'inspect-reconstruction'],
  ] as const) {
    const f = document.createElement('figure');
    const c = sampleCanvas('medium', `${caption} of point ${i}`);
    c.id = id;
    c.dataset.index = String(i);
    drawSample(c, values, shape);
    const cap = document.createElement('figcaption');
    cap.textContent = caption;
    f.append(c, cap);
    pair.append(f);
  }
  const facts = document.createElement('p');
  facts.className = 'point-facts';
  facts.append(
    Object.assign(document.createElement('b'), { textContent: `#${i}` }),
    `${label ? ` · label ${label}` : ''} · MSE ${(se / original.length).toPrecision(3)} on a 0–1 scale`,
  );
  host.replaceChildren(pair, facts);
}

start().catch(showError);
