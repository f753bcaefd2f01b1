/**
 * The scatter of codes on two stacked canvases: the points below (redrawn on view changes),
 * highlights and the generator's marker above (redrawn on every hover or slider move, so those
 * stay cheap with 10,000 points). Points are anti-aliased discs blended into the pixels by hand (splat.ts); a 3-d
 * view is drawn far to near after rotation (yaw, then pitch) with a mild perspective, as the
 * static report's 3-d widget does. 2-d views pan by dragging and zoom with the wheel; 3-d views
 * rotate by dragging. Double-click resets.
 */
import { HitGrid } from './hit-grid.js';
import { attachPointer } from './pointer.js';
import { drawAxes2d, drawAxes3d, MARGIN, type PlotFrame } from './scatter-axes.js';
import { disc, hexRgb, orderByDepth, splat } from './splat.js';
import type { View } from './views.js';

/** What the plot reports back. */
export interface ScatterEvents {
  onHover(i: number, clientX: number, clientY: number): void;
  onClick(i: number): void;
}

/** Points to ring on the overlay. */
export interface Highlights {
  hover: number;
  selected: number;
  a: number;
  b: number;
}

/** A zoomable, rotatable scatter of labelled points. */
export class ScatterPlot {
  readonly element: HTMLDivElement;
  private readonly base: HTMLCanvasElement;
  private readonly overlay: HTMLCanvasElement;
  private coords: Float32Array = new Float32Array(0);
  private view: View | undefined;
  private center: number[] = [];
  private half: number[] = [];
  private readonly sx: Float32Array;
  private readonly sy: Float32Array;
  private readonly depth: Float32Array;
  private grid: HitGrid | undefined;
  private hidden = new Set<number>();
  private marker: number[] | null = null;
  private marks: Highlights = { hover: -1, selected: -1, a: -1, b: -1 };
  private zoom = 1;
  private pan = [0, 0];
  private yaw = -0.65;
  private pitch = 0.35;
  private width = 0;
  private height = 0;
  private readonly colors = new Map<number, [number, number, number]>();

  constructor(
    private readonly labels: Int32Array,
    private readonly colorOf: (label: number) => string,
    private readonly events: ScatterEvents,
  ) {
    const n = labels.length;
    this.sx = new Float32Array(n);
    this.sy = new Float32Array(n);
    this.depth = new Float32Array(n);
    this.element = document.createElement('div');
    this.element.className = 'scatter';
    this.base = document.createElement('canvas');
    this.base.className = 'scatter-points';
    this.base.setAttribute('role', 'img');
    this.base.setAttribute('aria-label', `scatter of ${n} codes coloured by label`);
    this.overlay = document.createElement('canvas');
    this.overlay.className = 'scatter-overlay';
    this.element.append(this.base, this.overlay);
    this.listen();
    new ResizeObserver(() => this.resize()).observe(this.element);
  }

  /** Shows `coords` (Float32 [n, view.dims]) placed by `view`; resets zoom and pan. */
  setView(view: View, coords: Float32Array): void {
    this.view = view;
    this.coords = coords;
    this.base.dataset.view = view.id;
    const k = view.dims;
    this.center = [];
    this.half = [];
    for (let a = 0; a < k; a++) {
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < this.labels.length; i++) {
        const v = coords[i * k + a];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      this.center.push((lo + hi) / 2);
      this.half.push(Math.max(1e-9, ((hi - lo) / 2) * 1.06));
    }
    this.zoom = 1;
    this.pan = [0, 0];
    this.render();
  }

  /** Hides the points whose label is in `hidden`. */
  setHidden(hidden: Set<number>): void {
    this.hidden = hidden;
    this.render();
  }

  /** Places the generator's marker at view coordinates `p` (null hides it). */
  setMarker(p: number[] | null): void {
    this.marker = p;
    this.renderOverlay();
  }

  /** Rings the given points. */
  setHighlights(h: Partial<Highlights>): void {
    this.marks = { ...this.marks, ...h };
    this.renderOverlay();
  }

  /** Client (page) coordinates of point i, or null when hidden or off-plot. */
  clientPoint(i: number): { x: number; y: number } | null {
    if (this.hidden.has(this.labels[i])) return null;
    const r = this.base.getBoundingClientRect();
    const x = this.sx[i];
    const y = this.sy[i];
    if (!(x >= 0 && y >= 0 && x <= this.width && y <= this.height)) return null;
    return { x: r.left + x, y: r.top + y };
  }

  private resize(): void {
    const r = this.element.getBoundingClientRect();
    const dpr = window.devicePixelRatio || 1;
    this.width = Math.max(1, Math.round(r.width));
    this.height = Math.max(1, Math.round(r.height));
    for (const c of [this.base, this.overlay]) {
      c.width = Math.round(this.width * dpr);
      c.height = Math.round(this.height * dpr);
    }
    this.render();
  }

  /** Maps view coordinates to screen; the third output is depth (larger is nearer). */
  private toScreen(p: ArrayLike<number>, out: number[]): void {
    const v = this.view;
    if (!v) return;
    const u = (p[0] - this.center[0]) / this.half[0];
    const w = (p[1] - this.center[1]) / this.half[1];
    if (v.dims === 2) {
      const pw = this.width - MARGIN.left - MARGIN.right;
      const ph = this.height - MARGIN.top - MARGIN.bottom;
      out[0] = MARGIN.left + pw / 2 + (u - this.pan[0]) * this.zoom * (pw / 2);
      out[1] = MARGIN.top + ph / 2 - (w - this.pan[1]) * this.zoom * (ph / 2);
      out[2] = 0;
      return;
    }
    const t = (p[2] - this.center[2]) / this.half[2];
    const cy = Math.cos(this.yaw);
    const sy = Math.sin(this.yaw);
    const cp = Math.cos(this.pitch);
    const sp = Math.sin(this.pitch);
    const x = u * cy + t * sy;
    const z = -u * sy + t * cy;
    const y = w * cp - z * sp;
    const depth = w * sp + z * cp;
    // Camera 6 half-widths away: enough perspective to read depth, little distortion.
    const s = (6 / (6 - depth)) * Math.min(this.width, this.height) * 0.3 * this.zoom;
    out[0] = this.width / 2 + x * s;
    out[1] = this.height / 2 - y * s;
    out[2] = depth;
  }

  /** Redraws the points, axes and overlay. */
  render(): void {
    const ctx = this.base.getContext('2d', { willReadFrequently: true });
    const v = this.view;
    if (!ctx || !v || this.width < 2) return;
    const dpr = window.devicePixelRatio || 1;
    const W = this.base.width;
    const H = this.base.height;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, W, H);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const n = this.labels.length;
    const k = v.dims;
    const p = [0, 0, 0];
    const q = [0, 0, 0];
    for (let i = 0; i < n; i++) {
      for (let a = 0; a < k; a++) p[a] = this.coords[i * k + a];
      this.toScreen(p, q);
      this.sx[i] = q[0];
      this.sy[i] = q[1];
      this.depth[i] = q[2];
    }
    if (k === 2) drawAxes2d(ctx, this.frame(), v);
    else drawAxes3d(ctx, this.frame(), v);
    const img = ctx.getImageData(0, 0, W, H);
    const clip =
      k === 2
        ? {
            x0: Math.round(MARGIN.left * dpr),
            y0: Math.round(MARGIN.top * dpr),
            x1: Math.round((this.width - MARGIN.right) * dpr),
            y1: Math.round((this.height - MARGIN.bottom) * dpr),
          }
        : { x0: 0, y0: 0, x1: W, y1: H };
    const order = k === 3 ? orderByDepth(this.depth) : null;
    const r = (n > 5000 ? 2.2 : n > 1500 ? 2.8 : 3.6) * dpr;
    let drawn = 0;
    for (let t = 0; t < n; t++) {
      const i = order ? order[t] : t;
      const label = this.labels[i];
      if (this.hidden.has(label)) continue;
      const d = disc(k === 3 ? r * (1 + 0.15 * this.depth[i]) : r);
      splat(img.data, W, this.sx[i] * dpr, this.sy[i] * dpr, d, this.rgb(label), 0.8, clip);
      drawn++;
    }
    ctx.putImageData(img, 0, 0);
    this.base.dataset.pointCount = String(drawn);
    this.grid = new HitGrid(this.sx, this.sy, this.width, this.height, (i) =>
      this.hidden.has(this.labels[i]),
    );
    this.renderOverlay();
  }

  private rgb(label: number): [number, number, number] {
    let c = this.colors.get(label);
    if (!c) {
      c = hexRgb(this.colorOf(label));
      this.colors.set(label, c);
    }
    return c;
  }

  private frame(): PlotFrame {
    return {
      width: this.width,
      height: this.height,
      center: this.center,
      half: this.half,
      zoom: this.zoom,
      pan: this.pan,
      toScreen: (p, out) => this.toScreen(p, out),
    };
  }

  /** Redraws the rings and the marker only. */
  renderOverlay(): void {
    const ctx = this.overlay.getContext('2d');
    if (!ctx || !this.view) return;
    const dpr = window.devicePixelRatio || 1;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, this.width, this.height);
    const ring = (i: number, color: string, r: number, width: number, tag?: string): void => {
      if (i < 0 || this.hidden.has(this.labels[i])) return;
      ctx.strokeStyle = color;
      ctx.lineWidth = width;
      ctx.beginPath();
      ctx.arc(this.sx[i], this.sy[i], r, 0, 2 * Math.PI);
      ctx.stroke();
      if (tag) {
        ctx.font = 'bold 12px system-ui, sans-serif';
        ctx.textAlign = 'left';
        ctx.lineWidth = 3;
        ctx.strokeStyle = '#fff';
        ctx.strokeText(tag, this.sx[i] + r + 2, this.sy[i] - r);
        ctx.fillStyle = color;
        ctx.fillText(tag, this.sx[i] + r + 2, this.sy[i] - r);
      }
    };
    ring(this.marks.a, '#111827', 6, 2, 'A');
    ring(this.marks.b, '#111827', 6, 2, 'B');
    ring(this.marks.selected, '#111827', 8, 2.5);
    ring(this.marks.hover, '#111827', 5, 1.5);
    if (this.marker) {
      const q = [0, 0, 0];
      this.toScreen(this.marker, q);
      if (this.view.dims === 2) {
        // A code outside the zoomed window is pinned to the plot's edge, pointing the way.
        q[0] = Math.max(MARGIN.left, Math.min(this.width - MARGIN.right, q[0]));
        q[1] = Math.max(MARGIN.top, Math.min(this.height - MARGIN.bottom, q[1]));
      }
      ctx.lineWidth = 2;
      ctx.strokeStyle = '#fff';
      ctx.fillStyle = '#111827';
      ctx.beginPath();
      ctx.moveTo(q[0], q[1] - 8);
      ctx.lineTo(q[0] + 8, q[1]);
      ctx.lineTo(q[0], q[1] + 8);
      ctx.lineTo(q[0] - 8, q[1]);
      ctx.closePath();
      ctx.fill();
      ctx.stroke();
    }
  }

  private listen(): void {
    attachPointer(this.overlay, {
      hover: (x, y, cx, cy) => this.events.onHover(this.grid?.nearest(x, y, 9) ?? -1, cx, cy),
      leave: (cx, cy) => this.events.onHover(-1, cx, cy),
      click: (x, y) => {
        const i = this.grid?.nearest(x, y, 9) ?? -1;
        if (i >= 0) this.events.onClick(i);
      },
      drag: (dx, dy) => this.drag(dx, dy),
      zoom: (x, y, factor) => this.zoomAt([x, y], factor),
      reset: () => {
        this.zoom = 1;
        this.pan = [0, 0];
        this.yaw = -0.65;
        this.pitch = 0.35;
        this.render();
      },
    });
  }

  private drag(dx: number, dy: number): void {
    if (this.view?.dims === 3) {
      this.yaw += dx * 0.008;
      this.pitch = Math.max(-1.5, Math.min(1.5, this.pitch + dy * 0.008));
    } else {
      const pw = this.width - MARGIN.left - MARGIN.right;
      const ph = this.height - MARGIN.top - MARGIN.bottom;
      this.pan = [
        this.pan[0] - dx / (this.zoom * (pw / 2)),
        this.pan[1] + dy / (this.zoom * (ph / 2)),
      ];
    }
    this.render();
  }

  private zoomAt([x, y]: [number, number], factor: number): void {
    const next = Math.max(0.5, Math.min(60, this.zoom * factor));
    if (this.view?.dims === 2) {
      const pw = this.width - MARGIN.left - MARGIN.right;
      const ph = this.height - MARGIN.top - MARGIN.bottom;
      const ox = (x - MARGIN.left - pw / 2) / (pw / 2);
      const oy = -(y - MARGIN.top - ph / 2) / (ph / 2);
      // Keep the data point under the cursor in place.
      this.pan = [
        this.pan[0] + ox / this.zoom - ox / next,
        this.pan[1] + oy / this.zoom - oy / next,
      ];
    }
    this.zoom = next;
    this.render();
  }
}
