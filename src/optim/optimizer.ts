/**
 * The optimiser interface: each optimiser emits its update as graph nodes, so forward,
 * backward and update run as one ONNX graph. Per-step scalars (the bias-corrected learning
 * rate) are fed as inputs, which keeps one graph valid for every step and any schedule: the
 * trainer passes each epoch's learning rate to `scalarValues`, and the graph is never rebuilt.
 */
import type { Graph } from '../graph/graph.js';
import type { Tensor } from '../graph/tensor.js';

/** Optimiser settings as recorded in model.json. */
export type OptimizerConfig =
  | { name: 'adam'; learningRate: number; beta1: number; beta2: number; epsilon: number }
  | { name: 'sgd'; learningRate: number; momentum: number; nesterov: boolean };

/** An optimiser that can emit its update subgraph. */
export interface Optimizer {
  readonly config: OptimizerConfig;
  /** Names of per-parameter state slots (e.g. ['m', 'v']); each has the parameter's shape. */
  readonly slots: readonly string[];
  /** Names of the scalar inputs fed each step. */
  readonly scalars: readonly string[];
  /** Emits the update of one parameter; returns the new value and new slot values. */
  update(
    g: Graph,
    p: Tensor,
    grad: Tensor,
    state: Tensor[],
    scalars: Record<string, Tensor>,
  ): { p: Tensor; state: Tensor[] };
  /** Values of the scalar inputs at (1-based) step t with base rate `learningRate` (default: the config's). */
  scalarValues(t: number, learningRate?: number): Record<string, number>;
}
