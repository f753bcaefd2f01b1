/**
 * Compressed sparse row (CSR) matrices, as scipy.sparse.csr_matrix stores them: `indptr`
 * (rows + 1 offsets), `indices` (sorted column numbers per row) and `values`. Enough for LLE's
 * M = (I − W)ᵀ(I − W): assembly from triplets with duplicates summed, the product y = A·x, and
 * the reverse Cuthill-McKee ordering that keeps sparse-cholesky.ts's envelope small.
 */
import { ShapeError } from '../errors.js';

/** A rows x cols CSR matrix. */
export interface Csr {
  readonly rows: number;
  readonly cols: number;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly values: Float64Array;
}

/**
 * CSR from (row, col, value) triplets; duplicates are summed, columns sorted within rows.
 * @throws ShapeError on unequal triplet lengths or an index out of range.
 */
export function csrFromTriplets(
  rows: number,
  cols: number,
  r: ArrayLike<number>,
  c: ArrayLike<number>,
  v: ArrayLike<number>,
): Csr {
  const nnz = r.length;
  if (c.length !== nnz || v.length !== nnz) {
    throw new ShapeError(`csrFromTriplets: ${nnz} rows, ${c.length} cols, ${v.length} values`);
  }
  const count = new Int32Array(rows + 1);
  for (let t = 0; t < nnz; t++) {
    if (!(r[t] >= 0 && r[t] < rows && c[t] >= 0 && c[t] < cols)) {
      throw new ShapeError(
        `csrFromTriplets: entry ${t} at (${r[t]}, ${c[t]}) outside ${rows} x ${cols}`,
      );
    }
    count[r[t] + 1]++;
  }
  for (let i = 0; i < rows; i++) count[i + 1] += count[i];
  const pos = count.slice(0, rows);
  const ci = new Int32Array(nnz);
  const cv = new Float64Array(nnz);
  for (let t = 0; t < nnz; t++) {
    const p = pos[r[t]]++;
    ci[p] = c[t];
    cv[p] = v[t];
  }
  // Sort each row by column and merge duplicates.
  const indptr = new Int32Array(rows + 1);
  const outI = new Int32Array(nnz);
  const outV = new Float64Array(nnz);
  let w = 0;
  const order: number[] = [];
  for (let i = 0; i < rows; i++) {
    order.length = 0;
    for (let p = count[i]; p < count[i + 1]; p++) order.push(p);
    order.sort((a, b) => ci[a] - ci[b]);
    let last = -1;
    for (const p of order) {
      if (ci[p] === last) outV[w - 1] += cv[p];
      else {
        outI[w] = ci[p];
        outV[w++] = cv[p];
        last = ci[p];
      }
    }
    indptr[i + 1] = w;
  }
  return { rows, cols, indptr, indices: outI.slice(0, w), values: outV.slice(0, w) };
}

/** y = A·x. @throws ShapeError on length mismatch. */
export function csrMatvec(a: Csr, x: ArrayLike<number>, y: Float64Array): void {
  if (x.length !== a.cols || y.length !== a.rows) {
    throw new ShapeError(
      `csrMatvec: A is ${a.rows} x ${a.cols}, x has ${x.length}, y has ${y.length}`,
    );
  }
  for (let i = 0; i < a.rows; i++) {
    let s = 0;
    for (let p = a.indptr[i]; p < a.indptr[i + 1]; p++) s += a.values[p] * x[a.indices[p]];
    y[i] = s;
  }
}

/**
 * Reverse Cuthill-McKee ordering of a structurally symmetric matrix (Cuthill & McKee 1969;
 * George & Liu, Computer Solution of Large Sparse Positive Definite Systems, 1981, §4.3): each
 * component is searched breadth-first from a pseudo-peripheral node, neighbours by increasing
 * degree, and the whole order reversed. Returns perm with perm[new] = old.
 */
export function reverseCuthillMcKee(a: Csr): Int32Array {
  const n = a.rows;
  const degree = new Int32Array(n);
  for (let i = 0; i < n; i++) degree[i] = a.indptr[i + 1] - a.indptr[i];
  const order = new Int32Array(n);
  const placed = new Uint8Array(n);
  let filled = 0;
  const byDegree = Array.from({ length: n }, (_, i) => i).sort(
    (x, y) => degree[x] - degree[y] || x - y,
  );
  for (const seed of byDegree) {
    if (placed[seed]) continue;
    const start = peripheral(a, seed, degree);
    placed[start] = 1;
    order[filled++] = start;
    for (let head = filled - 1; head < filled; head++) {
      const u = order[head];
      const from = filled;
      for (let p = a.indptr[u]; p < a.indptr[u + 1]; p++) {
        const v = a.indices[p];
        if (!placed[v]) {
          placed[v] = 1;
          order[filled++] = v;
        }
      }
      order.subarray(from, filled).sort((x, y) => degree[x] - degree[y] || x - y);
    }
  }
  return order.reverse();
}

/** A pseudo-peripheral node of seed's component: repeated BFS to the farthest low-degree node. */
function peripheral(a: Csr, seed: number, degree: Int32Array): number {
  let node = seed;
  let eccentricity = -1;
  const level = new Int32Array(a.rows);
  for (let round = 0; round < 8; round++) {
    level.fill(-1);
    level[node] = 0;
    const queue = [node];
    let far = node;
    for (let h = 0; h < queue.length; h++) {
      const u = queue[h];
      for (let p = a.indptr[u]; p < a.indptr[u + 1]; p++) {
        const v = a.indices[p];
        if (level[v] < 0) {
          level[v] = level[u] + 1;
          queue.push(v);
          if (level[v] > level[far] || (level[v] === level[far] && degree[v] < degree[far]))
            far = v;
        }
      }
    }
    if (level[far] <= eccentricity) break;
    eccentricity = level[far];
    node = far;
  }
  return node;
}
