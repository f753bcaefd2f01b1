/**
 * The report's one interactive widget: a rotatable 3-d scatter plot drawn on a canvas by a small
 * inline script (no library, works from file://). Drag rotates, the wheel zooms, legend entries
 * toggle their label. Points are centred and scaled into [-1, 1]³ on the Node side and drawn far
 * to near (painter's algorithm) with a mild perspective; colours are Vega's tableau10, as in the
 * static charts.
 */
import { DataError, ShapeError } from '../errors.js';
import { checkInt, checkNumber } from '../util/check.js';
import { escapeXml } from './escape.js';
import { TABLEAU10 } from './palette.js';

/** Options of a 3-d scatter widget. */
export interface Scatter3dOptions {
  /** Display name per label value (`labelNames[label]`); defaults to the number. */
  labelNames?: string[];
  /** Axis names drawn at the axis ends (default z1, z2, z3). */
  axisNames?: [string, string, string];
  /** Canvas height in CSS pixels (default 480). */
  height?: number;
  /** Point radius in CSS pixels (default 2). */
  pointRadius?: number;
  /** At most this many points are embedded, taken at an even stride (default 20,000). */
  maxPoints?: number;
}

/** The data one widget hands its script, as embedded JSON. */
export interface Scatter3dData {
  xyz: number[];
  /** Index into `names`/`colors` per point. */
  cls: number[];
  names: string[];
  colors: string[];
  axes: [string, string, string];
  radius: number;
}

/**
 * Packs points (n x 3, row-major) and integer labels into the widget's data: centred, scaled
 * into [-1, 1]^3, rounded to 4 decimals, subsampled to `maxPoints`.
 * @throws ShapeError when the lengths disagree; ConfigError on bad options; DataError on a non-finite point
 */
export function packScatter3d(
  points: Float32Array | Float64Array,
  labels: Int32Array,
  o: Scatter3dOptions = {},
): Scatter3dData {
  if (points.length % 3 !== 0 || points.length / 3 !== labels.length) {
    throw new ShapeError(
      `scatter3d: points must hold 3 values per label (${labels.length} labels -> ${3 * labels.length}), got ${points.length}`,
    );
  }
  const n = labels.length;
  if (n === 0) throw new ShapeError('scatter3d: points is empty; expected at least one point');
  const maxPoints = checkInt('scatter3d: maxPoints', o.maxPoints ?? 20000, 1);
  const radius = checkNumber('scatter3d: pointRadius', o.pointRadius ?? 2, 0, 50, {
    exclusiveMin: true,
  });
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < points.length; i++) {
    const v = points[i];
    if (!Number.isFinite(v))
      throw new DataError(
        `scatter3d: point ${Math.floor(i / 3)}, coordinate ${i % 3} is ${v}; expected a finite number`,
      );
    lo[i % 3] = Math.min(lo[i % 3], v);
    hi[i % 3] = Math.max(hi[i % 3], v);
  }
  const mid = lo.map((l, k) => (l + hi[k]) / 2);
  const half = Math.max(...lo.map((l, k) => (hi[k] - l) / 2)) || 1;
  const values = [...new Set(labels)].sort((a, b) => a - b);
  const index = new Map(values.map((v, i) => [v, i]));
  const stride = Math.ceil(n / maxPoints);
  const xyz: number[] = [];
  const cls: number[] = [];
  for (let i = 0; i < n; i += stride) {
    for (let k = 0; k < 3; k++)
      xyz.push(Math.round(((points[3 * i + k] - mid[k]) / half) * 1e4) / 1e4);
    cls.push(index.get(labels[i]) ?? 0);
  }
  return {
    xyz,
    cls,
    names: values.map((v) => o.labelNames?.[v] ?? String(v)),
    colors: values.map((_, i) => TABLEAU10[i % TABLEAU10.length]),
    axes: o.axisNames ?? ['z1', 'z2', 'z3'],
    radius,
  };
}

/** The figure markup of one widget: canvas, legend, caption, and its data as inert JSON. */
export function scatter3dFigure(
  id: string,
  data: Scatter3dData,
  caption: string,
  height: number,
): string {
  // '<' escaped so no label text can close the <script> element early.
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  const legend = data.names
    .map(
      (name, i) =>
        `<button type="button" aria-pressed="true" data-cls="${i}"><i style="background:${data.colors[i]}"></i>${escapeXml(name)}</button>`,
    )
    .join('');
  return (
    `<figure class="scatter3d" id="${escapeXml(id)}">` +
    `<canvas style="height:${height}px" aria-label="${escapeXml(caption)}"></canvas>` +
    `<div class="s3d-legend">${legend}</div>` +
    `<figcaption>${escapeXml(caption)} <em>(drag to rotate, scroll to zoom, click a legend entry to hide it)</em></figcaption>` +
    `<script type="application/json" class="s3d-data">${json}</script></figure>`
  );
}

/** The widget script, included once per page: draws every `figure.scatter3d` from its JSON. */
export const SCATTER3D_SCRIPT = `
(function () {
  function scatter3d(fig, d) {
    var canvas = fig.querySelector('canvas'), ctx = canvas.getContext('2d');
    var n = d.cls.length, P = d.xyz, yaw = 0.7, pitch = 0.35, zoom = 1, hidden = {};
    var sx = new Float32Array(n), sy = new Float32Array(n), sz = new Float32Array(n), order = [];
    for (var i = 0; i < n; i++) order.push(i);
    var pending = false;
    function project(x, y, z, c) {
      var x1 = c.cy * x + c.sy * z, z1 = -c.sy * x + c.cy * z;
      var y2 = c.cp * y - c.sp * z1, z2 = c.sp * y + c.cp * z1, p = 6 / (6 + z2);
      return [c.w / 2 + x1 * c.s * p, c.h / 2 - y2 * c.s * p, z2];
    }
    function draw() {
      pending = false;
      var dpr = window.devicePixelRatio || 1, w = canvas.clientWidth || 600, h = canvas.clientHeight || 480;
      if (canvas.width !== Math.round(w * dpr)) { canvas.width = Math.round(w * dpr); canvas.height = Math.round(h * dpr); }
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, w, h);
      var c = { cy: Math.cos(yaw), sy: Math.sin(yaw), cp: Math.cos(pitch), sp: Math.sin(pitch), w: w, h: h, s: 0.3 * Math.min(w, h) * zoom };
      ctx.lineWidth = 1; ctx.strokeStyle = '#999'; ctx.fillStyle = '#555'; ctx.font = '12px system-ui, sans-serif';
      // A faint unit cube gives depth cues; the axes run from the centre to the positive faces.
      ctx.beginPath();
      for (var a = 0; a < 8; a++) for (var b = 0; b < 3; b++) {
        if (a & (1 << b)) continue;
        var p0 = project(a & 1 ? 1 : -1, a & 2 ? 1 : -1, a & 4 ? 1 : -1, c), a2 = a | (1 << b);
        var p1 = project(a2 & 1 ? 1 : -1, a2 & 2 ? 1 : -1, a2 & 4 ? 1 : -1, c);
        ctx.moveTo(p0[0], p0[1]); ctx.lineTo(p1[0], p1[1]);
      }
      ctx.strokeStyle = 'rgba(0,0,0,0.12)'; ctx.stroke();
      var o = project(0, 0, 0, c);
      ctx.strokeStyle = '#888';
      for (var k = 0; k < 3; k++) {
        var e = [0, 0, 0]; e[k] = 1.15;
        var q = project(e[0], e[1], e[2], c);
        ctx.beginPath(); ctx.moveTo(o[0], o[1]); ctx.lineTo(q[0], q[1]); ctx.stroke();
        ctx.fillText(d.axes[k], q[0] + 3, q[1] - 3);
      }
      for (var i = 0; i < n; i++) {
        var r = project(P[3 * i], P[3 * i + 1], P[3 * i + 2], c);
        sx[i] = r[0]; sy[i] = r[1]; sz[i] = r[2];
      }
      order.sort(function (a, b) { return sz[b] - sz[a]; });
      ctx.globalAlpha = 0.8;
      for (var j = 0; j < n; j++) {
        var i2 = order[j], cl = d.cls[i2];
        if (hidden[cl]) continue;
        ctx.fillStyle = d.colors[cl];
        ctx.beginPath(); ctx.arc(sx[i2], sy[i2], d.radius * 6 / (6 + sz[i2]), 0, 6.2832); ctx.fill();
      }
      ctx.globalAlpha = 1;
    }
    function redraw() { if (!pending) { pending = true; window.requestAnimationFrame(draw); } }
    var last = null;
    canvas.addEventListener('pointerdown', function (ev) { last = [ev.clientX, ev.clientY]; canvas.setPointerCapture(ev.pointerId); });
    canvas.addEventListener('pointerup', function () { last = null; });
    canvas.addEventListener('pointermove', function (ev) {
      if (!last) return;
      yaw += (ev.clientX - last[0]) * 0.01;
      pitch = Math.max(-1.5, Math.min(1.5, pitch + (ev.clientY - last[1]) * 0.01));
      last = [ev.clientX, ev.clientY]; redraw();
    });
    canvas.addEventListener('wheel', function (ev) {
      ev.preventDefault(); zoom = Math.max(0.3, Math.min(8, zoom * Math.exp(-ev.deltaY * 0.001))); redraw();
    }, { passive: false });
    fig.querySelectorAll('.s3d-legend button').forEach(function (b) {
      b.addEventListener('click', function () {
        var cl = Number(b.getAttribute('data-cls')); hidden[cl] = !hidden[cl];
        b.setAttribute('aria-pressed', String(!hidden[cl])); redraw();
      });
    });
    window.addEventListener('resize', redraw);
    draw();
  }
  document.querySelectorAll('figure.scatter3d').forEach(function (fig) {
    scatter3d(fig, JSON.parse(fig.querySelector('script.s3d-data').textContent));
  });
})();
`;
