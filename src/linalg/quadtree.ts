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

/**
 * A Barnes-Hut tree over the rows of an n x dim point array (dim 1, 2 or 3). Each cell is one
 * record of dim + 4 float64 values (barycentre, point count, squared width, first child, child
 * count), the non-empty children of a cell stored next to each other: a visit reads one record.
 */
export class BarnesHutTree {
  readonly dim: number;
  private readonly nChildren: number;
  private readonly stride: number;
  private cap = 0;
  private count = 0;
  private built = 0;
  private nodes = new Float64Array(0);
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
    this.stride = dim + 4;
    this.stack = new Int32Array(MAX_DEPTH * this.nChildren + 1);
    this.lo = new Float64Array(dim * (MAX_DEPTH + 1));
    this.hi = new Float64Array(dim * (MAX_DEPTH + 1));
    this.counts = new Int32Array((MAX_DEPTH + 1) * (this.nChildren + 1));
    this.fill = new Int32Array(this.nChildren);
  }

  /**
   * The points of the last build in tree order (each cell's points consecutive): repulsion runs
   * markedly faster over points in this order than in a random one (nearby points walk the same
   * cells).
   */
  get order(): Int32Array {
    return this.perm.subarray(0, this.built);
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
    this.built = n;
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

  /** Cell `node` holds perm[from..to) (non-empty); its box is lo/hi at `depth`. */
  private split(points: Float64Array, node: number, from: number, to: number, depth: number): void {
    const d = this.dim;
    const perm = this.perm;
    const bo = depth * d;
    const rec = node * this.stride;
    let w2 = 0;
    for (let c = 0; c < d; c++) w2 = Math.max(w2, (this.hi[bo + c] - this.lo[bo + c]) ** 2);
    let same = true;
    for (let c = 0; c < d; c++) {
      let s = 0;
      const first = points[perm[from] * d + c];
      for (let t = from; t < to; t++) {
        const v = points[perm[t] * d + c];
        s += v;
        if (v !== first) same = false;
      }
      this.nodes[rec + c] = s / (to - from);
    }
    this.nodes[rec + d] = to - from;
    this.nodes[rec + d + 1] = w2;
    this.nodes[rec + d + 2] = -1;
    this.nodes[rec + d + 3] = 0;
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
    let nonEmpty = 0;
    for (let k = 0; k < nc; k++) {
      if (counts[co + k + 1] > 0) nonEmpty++;
      counts[co + k + 1] += counts[co + k];
    }
    const sorted = this.sorted;
    const fill = this.fill;
    for (let k = 0; k < nc; k++) fill[k] = from + counts[co + k];
    for (let t = from; t < to; t++) sorted[fill[code[t]]++] = perm[t];
    for (let t = from; t < to; t++) perm[t] = sorted[t];
    const first = this.count;
    this.ensure(first + nonEmpty);
    this.count = first + nonEmpty;
    this.nodes[rec + d + 2] = first;
    this.nodes[rec + d + 3] = nonEmpty;
    const cb = (depth + 1) * d;
    let child = first;
    for (let k = 0; k < nc; k++) {
      const a = from + counts[co + k];
      const b = from + counts[co + k + 1];
      if (a === b) continue;
      for (let c = 0; c < d; c++) {
        const mid = (this.lo[bo + c] + this.hi[bo + c]) / 2;
        this.lo[cb + c] = k & (1 << c) ? mid : this.lo[bo + c];
        this.hi[cb + c] = k & (1 << c) ? this.hi[bo + c] : mid;
      }
      this.split(points, child++, a, b, depth + 1);
    }
  }

  private ensure(cells: number): void {
    if (cells <= this.cap) return;
    const cap = Math.max(cells, 2 * this.cap, 64);
    const nodes = new Float64Array(cap * this.stride);
    nodes.set(this.nodes);
    this.nodes = nodes;
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
    const stack = this.stack;
    const nodes = this.nodes;
    const exponent = (dof + 1) / 2;
    const o = i * d;
    let sumQ = 0;
    let top = 0;
    stack[top++] = 0;
    if (d === 2) {
      // The common case, unrolled: the same arithmetic as below (records of 6 values).
      const px = points[o];
      const py = points[o + 1];
      let fx = 0;
      let fy = 0;
      while (top > 0) {
        const r = 6 * stack[--top];
        const dx = px - nodes[r];
        const dy = py - nodes[r + 1];
        const dist2 = dx * dx + dy * dy;
        const fc = nodes[r + 4];
        if (fc < 0) {
          if (Math.abs(dx) <= DUPLICATE_EPSILON && Math.abs(dy) <= DUPLICATE_EPSILON) continue;
        } else if (!(nodes[r + 3] < theta2 * dist2)) {
          const end = fc + nodes[r + 5];
          for (let k = fc; k < end; k++) stack[top++] = k;
          continue;
        }
        const s = nodes[r + 2];
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
    const stride = this.stride;
    const delta = new Float64Array(d);
    while (top > 0) {
      const r = stride * stack[--top];
      let dist2 = 0;
      let dup = true;
      for (let c = 0; c < d; c++) {
        const t = points[o + c] - nodes[r + c];
        delta[c] = t;
        dist2 += t * t;
        if (Math.abs(t) > DUPLICATE_EPSILON) dup = false;
      }
      const fc = nodes[r + d + 2];
      if (fc < 0) {
        if (dup) continue;
      } else if (!(nodes[r + d + 1] < theta2 * dist2)) {
        const end = fc + nodes[r + d + 3];
        for (let k = fc; k < end; k++) stack[top++] = k;
        continue;
      }
      const s = nodes[r + d];
      const u = dof / (dof + dist2);
      const q = dof === 1 ? u : Math.pow(u, exponent);
      sumQ += s * q;
      const mult = s * q * u;
      for (let c = 0; c < d; c++) force[forceOffset + c] += mult * delta[c];
    }
    return sumQ;
  }
}
