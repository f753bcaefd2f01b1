/**
 * Shape rules: numpy-style broadcasting (as ONNX's multidirectional broadcasting, ONNX
 * docs/Broadcasting.md at v1.14) and the checks each op makes when it is built.
 */
import { ShapeError } from '../errors.js';
import { formatShape, type Dim, type Shape } from './tensor.js';

/** The broadcast shape of `a` and `b`. @throws ShapeError when they do not broadcast */
export function broadcastShapes(a: Shape, b: Shape, op: string): Dim[] {
  const n = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : a[i - (n - a.length)];
    const db = i < n - b.length ? 1 : b[i - (n - b.length)];
    if (da === db || db === 1) out.push(da);
    else if (da === 1) out.push(db);
    else {
      throw new ShapeError(
        `${op}: shapes ${formatShape(a)} and ${formatShape(b)} do not broadcast (dimension ${i}: ${da} vs ${db})`,
      );
    }
  }
  return out;
}

/**
 * The axes of `out` that were broadcast from `inp`: leading axes `inp` lacks, and axes where
 * `inp` has 1 and `out` does not. Their sum restores a gradient to `inp`'s shape.
 */
export function broadcastAxes(inp: Shape, out: Shape): number[] {
  const lead = out.length - inp.length;
  const axes: number[] = [];
  for (let i = 0; i < out.length; i++) {
    if (i < lead) axes.push(i);
    else if (inp[i - lead] === 1 && out[i] !== 1) axes.push(i);
  }
  return axes;
}

/** Normalises negative axes and checks range. @throws ShapeError */
export function normalizeAxes(axes: readonly number[], rank: number, op: string): number[] {
  return axes.map((a) => {
    const x = a < 0 ? a + rank : a;
    if (x < 0 || x >= rank) throw new ShapeError(`${op}: axis ${a} out of range for rank ${rank}`);
    return x;
  });
}

/** Whether two dimensions are known to be equal. */
export function sameDim(a: Dim, b: Dim): boolean {
  return a === b;
}
