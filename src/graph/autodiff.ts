/**
 * Reverse-mode automatic differentiation over a `Graph`: walks the nodes between the
 * parameters and the loss backwards, applying GRAD_RULES and summing gradients where a tensor
 * feeds several nodes. The gradient nodes are appended to the same graph, so forward, backward
 * and optimiser update become one ONNX graph.
 */
import { GraphError } from '../errors.js';
import type { Graph } from './graph.js';
import { GRAD_RULES, NON_DIFFERENTIABLE } from './grad-rules.js';
import { formatShape, type Tensor } from './tensor.js';

/** Gradients of the scalar `loss` with respect to each tensor of `wrt`. @throws GraphError */
export function gradients(g: Graph, loss: Tensor, wrt: readonly Tensor[]): Tensor[] {
  if (!loss.shape.every((d) => d === 1)) {
    throw new GraphError(`gradients: loss must be a scalar, got shape ${formatShape(loss.shape)}`);
  }
  const nodes = g.nodes.slice();
  // Tensors that depend on some wrt tensor: only their producers need rules.
  const depends = new Set<number>(wrt.map((t) => t.id));
  for (const n of nodes) {
    if (n.inputs.some((t) => depends.has(t.id))) for (const o of n.outputs) depends.add(o.id);
  }
  const grads = new Map<number, Tensor>();
  grads.set(loss.id, g.constant(new Array<number>(1).fill(1), loss.shape as number[]));
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i];
    const gy = grads.get(n.outputs[0].id);
    if (!gy || !n.inputs.some((t) => depends.has(t.id))) continue;
    const rule = GRAD_RULES[n.op];
    if (!rule) {
      if (NON_DIFFERENTIABLE.has(n.op)) continue;
      throw new GraphError(`gradients: op ${n.op} has no gradient rule`);
    }
    const gin = rule(g, n, gy);
    n.inputs.forEach((x, k) => {
      const gx = gin[k];
      if (!gx || !depends.has(x.id)) return;
      const prev = grads.get(x.id);
      grads.set(x.id, prev ? g.add(prev, gx) : gx);
    });
  }
  return wrt.map((t) => {
    const gt = grads.get(t.id);
    if (!gt) throw new GraphError(`gradients: the loss does not depend on '${t.name}'`);
    return gt;
  });
}
