/**
 * Nearest-point lookup on screen positions: a uniform grid of square cells built by counting
 * sort (two passes, no per-cell arrays), queried over the cells a search radius touches. Rebuilt
 * after every redraw of the points; 10,000 points take well under a millisecond.
 */

/** A grid over screen positions of points; skipped points are not indexed. */
export class HitGrid {
  private readonly cols: number;
  private readonly rows: number;
  private readonly start: Int32Array;
  private readonly items: Int32Array;

  /** Indexes point i at (xs[i], ys[i]) unless `skip(i)`; `width` x `height` is the screen area. */
  constructor(
    private readonly xs: Float32Array,
    private readonly ys: Float32Array,
    width: number,
    height: number,
    skip: (i: number) => boolean,
    private readonly cell = 12,
  ) {
    this.cols = Math.max(1, Math.ceil(width / cell));
    this.rows = Math.max(1, Math.ceil(height / cell));
    const n = xs.length;
    const cellOf = new Int32Array(n).fill(-1);
    const count = new Int32Array(this.cols * this.rows + 1);
    for (let i = 0; i < n; i++) {
      if (skip(i)) continue;
      const c = this.cellAt(xs[i], ys[i]);
      if (c < 0) continue;
      cellOf[i] = c;
      count[c + 1]++;
    }
    for (let c = 1; c < count.length; c++) count[c] += count[c - 1];
    this.start = count.slice();
    this.items = new Int32Array(count[count.length - 1]);
    const fill = count.slice(0, -1);
    for (let i = 0; i < n; i++) if (cellOf[i] >= 0) this.items[fill[cellOf[i]]++] = i;
  }

  private cellAt(x: number, y: number): number {
    const cx = Math.floor(x / this.cell);
    const cy = Math.floor(y / this.cell);
    if (!(cx >= 0 && cy >= 0 && cx < this.cols && cy < this.rows)) return -1;
    return cy * this.cols + cx;
  }

  /** The indexed point nearest (x, y) within `radius`, or -1. */
  nearest(x: number, y: number, radius: number): number {
    let best = -1;
    let bestD = radius * radius;
    const c0 = Math.max(0, Math.floor((x - radius) / this.cell));
    const c1 = Math.min(this.cols - 1, Math.floor((x + radius) / this.cell));
    const r0 = Math.max(0, Math.floor((y - radius) / this.cell));
    const r1 = Math.min(this.rows - 1, Math.floor((y + radius) / this.cell));
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        const cell = r * this.cols + c;
        for (let k = this.start[cell]; k < this.start[cell + 1]; k++) {
          const i = this.items[k];
          const dx = this.xs[i] - x;
          const dy = this.ys[i] - y;
          const d = dx * dx + dy * dy;
          if (d <= bestD) {
            bestD = d;
            best = i;
          }
        }
      }
    }
    return best;
  }
}
