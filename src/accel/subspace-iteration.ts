/**
 * onnxruntime as the backend's subspace iteration (linalg/subspace-iteration.ts): every step in
 * one call. The graph, unrolled when it is built, repeats Y = Q·C (C is symmetric, so a MatMul),
 * Y / max|Y| (so that Y·Yᵀ cannot overflow float32), and a Newton–Schulz polar iteration (Higham,
 * Functions of Matrices, SIAM 2008, ch. 8) that makes the rows of Y orthonormal: Q = M·Y with
 * M ≈ (Y·Yᵀ)^(-1/2). Left-multiplication by an l x l matrix keeps the row space, so the
 * subspace is that of the exact power iteration, whatever M's accuracy; M only conditions the
 * basis. M is found on the l x l Gram A = Y·Yᵀ/‖Y·Yᵀ‖_F: each polar step P = p(A) updates
 * M ← P·M and A ← P·A·P (P commutes with A), l x l products only, so one Y·Yᵀ and one M·Y
 * remain per power step. The polynomials: six of Muon's quintic (Jordan 2024,
 * https://kellerjordan.github.io/posts/muon/; slope 3.4 at 0, so small singular values grow
 * fast), then two of the classical (15σ − 10σ³ + 3σ⁵)/8 (third-order convergence to 1).
 *
 * A certificate guards it: the graph returns the largest ‖Q·Qᵀ − I‖²_F over the power steps.
 * At most 0.25, every step's basis had singular values in [0.7, 1.2] and no direction was lost
 * to float32 rounding; otherwise (the top l eigenvalues spanning more than the polynomials make
 * up in a step, rank below l, NaN) the call is repeated with the JS kernel on the same backend's
 * product. What M·Y costs: its rounding is amplified by about λ₁/λ_l in every row, where
 * Gram-Schmidt's triangular factor leaves the leading rows clean, so the top Ritz vectors carry
 * about 2⁻²⁴·λ₁/λ_l of error (bench/README.md has the measured figures). Written with
 * onnx-proto (onnx/proto-model.ts) like centred-gram.ts.
 */
import onnxProto from 'onnx-proto';
import type { ComputeBackend, SubspaceIteration } from '../linalg/backend.js';
import { jsSubspaceIteration, symmetrised } from '../linalg/subspace-iteration.js';
import { encodeModel, floatAttr, intAttr, valueInfo, type ProtoNode } from '../onnx/proto-model.js';
import { RtTensor } from '../runtime/session.js';
import { matrix, type Matrix32 } from '../util/matrix.js';
import type { SessionPool } from './session-pool.js';

const { onnx } = onnxProto;
const T = onnx.AttributeProto.AttributeType;
const F = onnx.TensorProto.DataType.FLOAT;

/** One polar step P = a·I + b·A + c·A² (a singular value σ of the basis maps to aσ + bσ³ + cσ⁵). */
export interface PolarStep {
  a: number;
  b: number;
  c: number;
}

const MUON: PolarStep = { a: 3.4445, b: -4.775, c: 2.0315 };
const NS5: PolarStep = { a: 1.875, b: -1.25, c: 0.375 };
/** @internal The polar steps after each power step (see the module doc). */
export const DEFAULT_POLAR: readonly PolarStep[] = [MUON, MUON, MUON, MUON, MUON, MUON, NS5, NS5];

/** The largest ‖Q·Qᵀ − I‖²_F over the steps that the result is accepted with (see the module doc). */
const DEV_MAX = 0.25;

/** Gemm α·A·op(B) + β·C. */
function gemm(
  a: string,
  b: string,
  out: string,
  o: { transB?: boolean; c?: string; alpha?: number; beta?: number } = {},
): ProtoNode {
  return {
    opType: 'Gemm',
    input: o.c === undefined ? [a, b] : [a, b, o.c],
    output: [out],
    attribute: [
      intAttr('transB', o.transB === true ? 1 : 0),
      floatAttr('alpha', o.alpha ?? 1),
      floatAttr('beta', o.beta ?? 1),
    ],
  };
}

function sumSquares(x: string, out: string): ProtoNode {
  return {
    opType: 'ReduceSumSquare',
    input: [x],
    output: [out],
    attribute: [intAttr('keepdims', 0)],
  };
}

/** The nodes of one power step from basis `q` to basis `out` (prefix p); its Q·Qᵀ is `${p}qq`. */
function powerStep(
  node: ProtoNode[],
  p: string,
  q: string,
  out: string,
  polar: readonly PolarStep[],
): void {
  node.push(
    { opType: 'MatMul', input: [q, 'c'], output: [`${p}yc`] },
    // Y / max|Y| first: Y·Yᵀ and its squares would overflow float32 for C of about 1e9 (MNIST
    // pixels 0-255: ‖Y·Yᵀ‖²_F about 4e42) and fail the certificate.
    { opType: 'Abs', input: [`${p}yc`], output: [`${p}ya`] },
    {
      opType: 'ReduceMax',
      input: [`${p}ya`],
      output: [`${p}ym`],
      attribute: [intAttr('keepdims', 0)],
    },
    { opType: 'Max', input: [`${p}ym`, 'tiny'], output: [`${p}yd`] },
    { opType: 'Div', input: [`${p}yc`, `${p}yd`], output: [`${p}y`] },
    gemm(`${p}y`, `${p}y`, `${p}g`, { transB: true }),
    ...(q === 'q0' ? [{ opType: 'EyeLike', input: [`${p}g`], output: ['eye'] }] : []),
    sumSquares(`${p}g`, `${p}ss`),
    { opType: 'Sqrt', input: [`${p}ss`], output: [`${p}nrm`] },
    // A zero Y (C = 0) gives a zero Q instead of NaN; the certificate then fails.
    { opType: 'Max', input: [`${p}nrm`, 'tiny'], output: [`${p}den`] },
    { opType: 'Div', input: [`${p}g`, `${p}den`], output: [`${p}a0`] },
    { opType: 'Sqrt', input: [`${p}den`], output: [`${p}r`] },
  );
  let m = 'eye';
  polar.forEach(({ a, b, c }, j) => {
    const aj = `${p}a${j}`;
    const bj = `${p}b${j}`; // c·A² + b·A, so that P·Z = B·Z + a·Z
    node.push(
      gemm(aj, aj, bj, { c: aj, alpha: c, beta: b }),
      gemm(bj, m, `${p}m${j + 1}`, { c: m, beta: a }),
    );
    m = `${p}m${j + 1}`;
    if (j < polar.length - 1)
      node.push(
        gemm(bj, aj, `${p}pa${j}`, { c: aj, beta: a }),
        gemm(bj, `${p}pa${j}`, `${p}a${j + 1}`, { c: `${p}pa${j}`, beta: a }),
      );
  });
  node.push(
    { opType: 'Div', input: [m, `${p}r`], output: [`${p}ms`] },
    gemm(`${p}ms`, `${p}y`, out),
    gemm(out, out, `${p}qq`, { transB: true }),
    { opType: 'Sub', input: [`${p}qq`, 'eye'], output: [`${p}e`] },
    sumSquares(`${p}e`, `${p}dev`),
  );
}

/**
 * @internal The model: inputs c (d x d, symmetric), q0 (l x d); outputs q, s = Q·Qᵀ,
 * h = Q·C·Qᵀ and dev, the largest ‖Q·Qᵀ − I‖²_F over the power steps.
 */
export function subspaceModel(
  steps: number,
  polar: readonly PolarStep[] = DEFAULT_POLAR,
): Uint8Array {
  const info = (name: string, dims: string[]) => valueInfo(name, F, dims);
  const node: ProtoNode[] = [
    {
      opType: 'Constant',
      output: ['tiny'],
      attribute: [
        { name: 'value', type: T.TENSOR, t: { dataType: F, dims: [], floatData: [1e-30] } },
      ],
    },
  ];
  let q = 'q0';
  for (let it = 0; it < steps; it++) {
    const out = it === steps - 1 ? 'q' : `s${it}_q`;
    powerStep(node, `s${it}_`, q, out, polar);
    q = out;
  }
  const last = `s${steps - 1}_`;
  node.push(
    {
      opType: 'Max',
      input: Array.from({ length: steps }, (_, it) => `s${it}_dev`),
      output: ['dev'],
    },
    { opType: 'Identity', input: [`${last}qq`], output: ['s'] },
    { opType: 'MatMul', input: ['q', 'c'], output: ['qc'] },
    gemm('qc', 'q', 'h', { transB: true }),
  );
  return encodeModel(
    'subspace-iteration',
    node,
    [info('c', ['d', 'd']), info('q0', ['l', 'd'])],
    [info('q', ['l', 'd']), info('s', ['l', 'l']), info('h', ['l', 'l']), info('dev', [])],
  );
}

/** @internal One call of the model: the result and its certificate dev (see `subspaceModel`). */
export type OrtSubspaceRun = (
  c: Matrix32,
  q0: Matrix32,
  steps: number,
) => Promise<SubspaceIteration & { dev: number }>;

/** @internal The bare onnxruntime call; one session per step count and polynomials (symbolic l and d). */
export function ortSubspaceRun(
  pool: SessionPool,
  polar: readonly PolarStep[] = DEFAULT_POLAR,
): OrtSubspaceRun {
  return async (c, q0, steps) => {
    const key = `subspace-iteration ${steps} ${JSON.stringify(polar)}`;
    const s = await pool.get(key, () => subspaceModel(steps, polar));
    const l = q0.rows;
    const d = q0.cols;
    const feeds = { c: new RtTensor(c.data, [d, d]), q0: new RtTensor(q0.data, [l, d]) };
    const out = await s.run(feeds);
    return {
      q: matrix(l, d, out.q.data as Float32Array),
      s: symmetrised(out.s.data as Float32Array, l),
      h: symmetrised(out.h.data as Float32Array, l),
      dev: (out.dev.data as Float32Array)[0],
    };
  };
}

/**
 * Every step of the subspace iteration in one onnxruntime call; the JS kernel with `product`
 * when the certificate fails (see the module doc).
 */
export function ortSubspaceIteration(
  pool: SessionPool,
  product: ComputeBackend['product'],
): ComputeBackend['subspaceIteration'] {
  const run = ortSubspaceRun(pool);
  return async (c, q0, steps) => {
    const { q, s, h, dev } = await run(c, q0, steps);
    if (dev <= DEV_MAX) return { q, s, h }; // false for NaN too
    return jsSubspaceIteration(c, q0, steps, product);
  };
}
