/**
 * The Barnes-Hut space-partitioning tree of t-SNE (van der Maaten 2014, JMLR 15:3221, §4.2;
 * Barnes & Hut 1986, doi:10.1038/324446a0), after scikit-learn 1.2's `_QuadTree`: a quadtree in
 * two dimensions, an octree in three (a binary tree in one), each cell split at its middle until
 * it holds one point or only copies of one point, and holding its points' count and barycentre.
 * `repulsion` sums, for one point, the Student-t kernel q = (dof/(dof + d²))^((dof+1)/2) over
 * all other points, a cell counted as one body at its barycentre when it is a leaf or when
 * its squared width / d² < θ², and returns Σq (the normaliser Z's part) while adding
 * Σ size·q·u·(y − barycentre), u = dof/(dof + d²), to the force: scikit-learn's
 * `compute_gradient_negative`, which has q² there (equal for dof = 1; q·u is the KL gradient's
 * term for any dof). Leaves
 * within 1e-6 of the point in every coordinate (the point itself, or its copies) are skipped.
 * The arrays are reused from one build to the next.
 */
import { ConfigError } from '../errors.js';

/** Depth at which a cell stops splitting (its points then share one leaf). */
const MAX_DEPTH = 64;
const DUPLICATE_EPSILON = 1e-6;

/** A Barnes-Hut tree over the rows of an n x dim point array (dim 1, 2 or 3). */
export class BarnesHutTree {
  readonly dim: number;
  private readonly nChildren: number;
  private cap = 0;
  private count = 0;
  private bary = new Float64Array(0);
  private size = new Int32Array(0);
  private width2 = new Float64Array(0);
  private firstChild = new Int32Array(0);
  private perm = new Int32Array(0);
  private scratch = new Int32Array(0);
  private sorted = new Int32Array(0);
  private readonly counts: Int32Array;
  private readonly fill: Int32Array;
  private readonly stack: Int32Array;
  private readonly lo: Float64Array;
  private readonly hi: Float64Array;

  /** @throws ConfigError unless dim is 1, 2 or 3. */
  constructor(dim: number) {
    if (!(dim === 1 || dim === 2 || dim === 3))
      throw new ConfigError(`BarnesHutTree dim must be 1, 2 or 3, got ${String(dim)}`);
    this.dim = dim;
    this.nChildren = 1 << dim;
    this.stack = new Int32Array(MAX_DEPTH * this.nChildren + 1);
    this.lo = new Float64Array(dim * (MAX_DEPTH + 1));
    this.hi = new Float64Array(dim * (MAX_DEPTH + 1));
    this.counts = new Int32Array((MAX_DEPTH + 1) * (this.nChildren + 1));
    this.fill = new Int32Array(this.nChildren);
  }

  /** Number of cells of the last build. */
  get cells(): number {
    return this.count;
  }

  /** Builds the tree over `points` (n x dim, row-major). */
  build(points: Float64Array, n: number): void {
    const d = this.dim;
    if (this.perm.length < n) {
      this.perm = new Int32Array(n);
      this.scratch = new Int32Array(n);
      this.sorted = new Int32Array(n);
    }
    for (let i = 0; i < n; i++) this.perm[i] = i;
    this.count = 0;
    this.ensure(1);
    this.count = 1;
    for (let c = 0; c < d; c++) {
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < n; i++) {
        lo = Math.min(lo, points[i * d + c]);
        hi = Math.max(hi, points[i * d + c]);
      }
      const pad = 1e-3 * Math.max(hi - lo, Math.abs(hi), Math.abs(lo), 1e-12);
      this.lo[c] = lo - pad;
      this.hi[c] = hi + pad;
    }
    this.split(points, 0, 0, n, 0);
  }

  /** Cell `node` holds perm[from..to); its box is lo/hi at `depth`. */
  private split(points: Float64Array, node: number, from: number, to: number, depth: number): void {
    const d = this.dim;
    const perm = this.perm;
    const bo = depth * d;
    let w2 = 0;
    for (let c = 0; c < d; c++) w2 = Math.max(w2, (this.hi[bo + c] - this.lo[bo + c]) ** 2);
    this.width2[node] = w2;
    this.size[node] = to - from;
    let same = true;
    for (let c = 0; c < d; c++) {
      let s = 0;
      const first = points[perm[from] * d + c];
      for (let t = from; t < to; t++) {
        const v = points[perm[t] * d + c];
        s += v;
        if (v !== first) same = false;
      }
      this.bary[node * d + c] = s / (to - from);
    }
    this.firstChild[node] = -1;
    if (to - from <= 1 || same || depth + 1 >= MAX_DEPTH) return;
    // Counting sort of the cell's points by child: bit c set when coordinate c is above the middle.
    // counts[co + k] = the first position of child k (relative to from); co: this depth's row.
    const nc = this.nChildren;
    const counts = this.counts;
    const co = depth * (nc + 1);
    counts.fill(0, co, co + nc + 1);
    const code = this.scratch;
    for (let t = from; t < to; t++) {
      let k = 0;
      for (let c = 0; c < d; c++) {
        if (points[perm[t] * d + c] > (this.lo[bo + c] + this.hi[bo + c]) / 2) k |= 1 << c;
      }
      code[t] = k;
      counts[co + k + 1]++;
    }
    for (let k = 0; k < nc; k++) counts[co + k + 1] += counts[co + k];
    const sorted = this.sorted;
    const fill = this.fill;
    for (let k = 0; k < nc; k++) fill[k] = from + counts[co + k];
    for (let t = from; t < to; t++) sorted[fill[code[t]]++] = perm[t];
    for (let t = from; t < to; t++) perm[t] = sorted[t];
    const first = this.count;
    this.ensure(first + nc);
    this.count = first + nc;
    this.firstChild[node] = first;
    const cb = (depth + 1) * d;
    for (let k = 0; k < nc; k++) {
      const child = first + k;
      const a = from + counts[co + k];
      const b = from + counts[co + k + 1];
      for (let c = 0; c < d; c++) {
        const mid = (this.lo[bo + c] + this.hi[bo + c]) / 2;
        this.lo[cb + c] = k & (1 << c) ? mid : this.lo[bo + c];
        this.hi[cb + c] = k & (1 << c) ? this.hi[bo + c] : mid;
      }
      if (a === b) {
        this.size[child] = 0;
        this.firstChild[child] = -1;
      } else this.split(points, child, a, b, depth + 1);
    }
  }

  private ensure(cells: number): void {
    if (cells <= this.cap) return;
    const cap = Math.max(cells, 2 * this.cap, 64);
    const grow = <T extends Float64Array | Int32Array>(a: T, per: number): T => {
      const b = new (a.constructor as new (n: number) => T)(cap * per);
      b.set(a);
      return b;
    };
    this.bary = grow(this.bary, this.dim);
    this.size = grow(this.size, 1);
    this.width2 = grow(this.width2, 1);
    this.firstChild = grow(this.firstChild, 1);
    this.cap = cap;
  }

  /**
   * Barnes-Hut repulsion on point `i` of `points` (the array the tree was built from, or a
   * query point at the same offset): adds Σ size·q·u·(y − barycentre) to `force` (dim values at
   * `forceOffset`) and returns Σ size·q, with u = dof/(dof + d²), q = u^((dof+1)/2).
   */
  repulsion(
    points: Float64Array,
    i: number,
    theta2: number,
    dof: number,
    force: Float64Array,
    forceOffset: number,
  ): number {
    const d = this.dim;
    const nc = this.nChildren;
    const stack = this.stack;
    const bary = this.bary;
    const size = this.size;
    const width2 = this.width2;
    const firstChild = this.firstChild;
    const exponent = (dof + 1) / 2;
    const o = i * d;
    let sumQ = 0;
    let top = 0;
    stack[top++] = 0;
    if (d === 2) {
      // The common case, unrolled: the same arithmetic as below.
      const px = points[o];
      const py = points[o + 1];
      let fx = 0;
      let fy = 0;
      while (top > 0) {
        const node = stack[--top];
        const s = size[node];
        if (s === 0) continue;
        const dx = px - bary[2 * node];
        const dy = py - bary[2 * node + 1];
        const dist2 = dx * dx + dy * dy;
        const fc = firstChild[node];
        if (fc < 0) {
          if (Math.abs(dx) <= DUPLICATE_EPSILON && Math.abs(dy) <= DUPLICATE_EPSILON) continue;
        } else if (!(width2[node] < theta2 * dist2)) {
          for (let k = 0; k < 4; k++) stack[top++] = fc + k;
          continue;
        }
        const u = dof / (dof + dist2);
        const q = dof === 1 ? u : Math.pow(u, exponent);
        sumQ += s * q;
        const mult = s * q * u;
        fx += mult * dx;
        fy += mult * dy;
      }
      force[forceOffset] += fx;
      force[forceOffset + 1] += fy;
      return sumQ;
    }
    const delta = new Float64Array(d);
    while (top > 0) {
      const node = stack[--top];
      const s = size[node];
      if (s === 0) continue;
      let dist2 = 0;
      let dup = true;
      for (let c = 0; c < d; c++) {
        const t = points[o + c] - bary[node * d + c];
        delta[c] = t;
        dist2 += t * t;
        if (Math.abs(t) > DUPLICATE_EPSILON) dup = false;
      }
      const fc = firstChild[node];
      if (fc < 0) {
        if (dup) continue;
      } else if (!(width2[node] < theta2 * dist2)) {
        for (let k = 0; k < nc; k++) stack[top++] = fc + k;
        continue;
      }
      const u = dof / (dof + dist2);
      const q = dof === 1 ? u : Math.pow(u, exponent);
      sumQ += s * q;
      const mult = s * q * u;
      for (let c = 0; c < d; c++) force[forceOffset + c] += mult * delta[c];
    }
    return sumQ;
  }
}
