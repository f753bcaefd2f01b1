/**
 * The scatter's frame: grid lines, ticks and axis names of a flat view (ticks follow pan and
 * zoom), or three axis lines from the data box's low corner of a rotated 3-d view.
 */
import { niceTicks, tickText, type View } from './views.js';

/** Space around a flat plot for ticks and axis names, in CSS pixels. */
export const MARGIN = { left: 48, right: 14, top: 14, bottom: 34 } as const;

/** What the axes need from the plot. */
export interface PlotFrame {
  width: number;
  height: number;
  /** Middle and half-extent of the data along each view axis. */
  center: number[];
  half: number[];
  zoom: number;
  pan: number[];
  /** View coordinates to screen (out[0], out[1]) and depth (out[2]). */
  toScreen(p: ArrayLike<number>, out: number[]): void;
}

/** Grid, ticks and axis names of a flat view. */
export function drawAxes2d(ctx: CanvasRenderingContext2D, f: PlotFrame, v: View): void {
  const pw = f.width - MARGIN.left - MARGIN.right;
  const ph = f.height - MARGIN.top - MARGIN.bottom;
  ctx.font = '11px system-ui, sans-serif';
  ctx.lineWidth = 1;
  const q = [0, 0, 0];
  for (let a = 0; a < 2; a++) {
    const span = 1 / f.zoom;
    const lo = f.center[a] + (f.pan[a] - span) * f.half[a];
    const hi = f.center[a] + (f.pan[a] + span) * f.half[a];
    const count = a === 0 ? Math.max(3, Math.round(pw / 90)) : Math.max(3, Math.round(ph / 70));
    for (const t of niceTicks(lo, hi, count)) {
      f.toScreen(a === 0 ? [t, f.center[1]] : [f.center[0], t], q);
      ctx.strokeStyle = t === 0 ? '#c9ced6' : '#eceef1';
      ctx.fillStyle = '#6b7280';
      ctx.beginPath();
      if (a === 0) {
        ctx.moveTo(q[0], MARGIN.top);
        ctx.lineTo(q[0], MARGIN.top + ph);
        ctx.stroke();
        ctx.textAlign = 'center';
        ctx.fillText(tickText(t), q[0], MARGIN.top + ph + 14);
      } else {
        ctx.moveTo(MARGIN.left, q[1]);
        ctx.lineTo(MARGIN.left + pw, q[1]);
        ctx.stroke();
        ctx.textAlign = 'right';
        ctx.fillText(tickText(t), MARGIN.left - 6, q[1] + 4);
      }
    }
  }
  ctx.fillStyle = '#374151';
  ctx.font = '12px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.fillText(v.axisNames[0], MARGIN.left + pw / 2, f.height - 4);
  ctx.save();
  ctx.translate(12, MARGIN.top + ph / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText(v.axisNames[1], 0, 0);
  ctx.restore();
}

/** Three axis lines of a 3-d view, from the data box's low corner, with their names. */
export function drawAxes3d(ctx: CanvasRenderingContext2D, f: PlotFrame, v: View): void {
  const corner = v.axisNames.map((_, a) => f.center[a] - f.half[a]);
  const o = [0, 0, 0];
  const e = [0, 0, 0];
  f.toScreen(corner, o);
  ctx.font = '12px system-ui, sans-serif';
  ctx.lineWidth = 1.2;
  for (let a = 0; a < 3; a++) {
    const end = corner.slice();
    end[a] = f.center[a] + f.half[a];
    f.toScreen(end, e);
    ctx.strokeStyle = '#9aa1ab';
    ctx.beginPath();
    ctx.moveTo(o[0], o[1]);
    ctx.lineTo(e[0], e[1]);
    ctx.stroke();
    ctx.fillStyle = '#374151';
    ctx.textAlign = 'center';
    // Labels stay inside the canvas however the axes are turned.
    const lx = Math.max(30, Math.min(f.width - 30, e[0] + (e[0] - o[0]) * 0.06));
    const ly = Math.max(14, Math.min(f.height - 6, e[1] + (e[1] - o[1]) * 0.06 + 4));
    ctx.fillText(v.axisNames[a], lx, ly);
  }
}
