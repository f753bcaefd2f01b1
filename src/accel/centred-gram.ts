/**
 * onnxruntime as the backend's centred Gram (linalg/centred-gram.ts) and grouped scatter
 * (linalg/scatter.ts). The centred Gram: one call takes the data (float32, n x d) and returns
 * its column means μ and C = (X − 1μᵀ)ᵀ(X − 1μᵀ); the centred data, transposed, are cut into
 * BLOCKS row ranges and only the blocks on and above the diagonal are multiplied (Gemm with
 * transB, 10 of 16 products), the lower blocks being their transposes, all concatenated into C
 * inside the call, so no JS loop runs over the d x d matrix. Larger inputs go in row chunks,
 * combined in float64 (Chan, Golub & LeVeque 1979). The grouped scatter uses the same blocks on
 * float32 rows cast to float64, less their gathered group means, multiplied in float64. Written
 * with onnx-proto (onnx/proto-model.ts) because the graph builder has no Slice or Concat and no
 * float64 tensors.
 */
import onnxProto from 'onnx-proto';
import type { ComputeBackend } from '../linalg/backend.js';
import {
  encodeModel,
  int64Constant,
  intAttr,
  intsAttr,
  valueInfo,
  type ProtoNode,
} from '../onnx/proto-model.js';
import { RtTensor } from '../runtime/session.js';
import { matrix } from '../util/matrix.js';
import type { SessionPool } from './session-pool.js';

const { onnx } = onnxProto;
const BLOCKS = 4;
/** Elements of x per grouped-scatter call (float64: 32 MB per intermediate copy; the float32 Gram takes twice as many). */
const CHUNK_ELEMENTS = 2 ** 22;

/** Column ranges [start, end) of the blocks of d columns. */
function cuts(d: number): [number, number][] {
  const b = Math.min(BLOCKS, d);
  const w = Math.ceil(d / b);
  const out: [number, number][] = [];
  for (let s = 0; s < d; s += w) out.push([s, Math.min(d, s + w)]);
  return out;
}

/**
 * Nodes forming `gram` = xcᵀ·xc (d x d) from the tensor named xc: row blocks of xcᵀ, Gemm
 * (transB) on and above the diagonal, the lower blocks as transposes, all concatenated.
 */
function blockGramNodes(d: number): ProtoNode[] {
  const parts = cuts(d);
  // Transposed once, the blocks are contiguous row ranges and the products A·Bᵀ (faster than
  // column slices and Aᵀ·B: bench/README.md).
  const node: ProtoNode[] = [
    int64Constant('axis0', [0]),
    { opType: 'Transpose', input: ['xc'], output: ['xt'], attribute: [intsAttr('perm', [1, 0])] },
  ];
  parts.forEach(([s, e], b) => {
    node.push(int64Constant(`s${b}`, [s]), int64Constant(`e${b}`, [e]));
    node.push({ opType: 'Slice', input: ['xt', `s${b}`, `e${b}`, 'axis0'], output: [`x${b}`] });
  });
  for (let i = 0; i < parts.length; i++) {
    for (let j = i; j < parts.length; j++) {
      node.push({
        opType: 'Gemm',
        input: [`x${i}`, `x${j}`],
        output: [`c${i}_${j}`],
        attribute: [intAttr('transB', 1)],
      });
      if (j > i)
        node.push({
          opType: 'Transpose',
          input: [`c${i}_${j}`],
          output: [`c${j}_${i}`],
          attribute: [intsAttr('perm', [1, 0])],
        });
    }
  }
  // The full C, block rows concatenated, so JS receives it ready (no per-element JS loop).
  parts.forEach((_, i) =>
    node.push({
      opType: 'Concat',
      input: parts.map((__, j) => `c${i}_${j}`),
      output: [`row${i}`],
      attribute: [intAttr('axis', 1)],
    }),
  );
  node.push({
    opType: 'Concat',
    input: parts.map((_, i) => `row${i}`),
    output: ['gram'],
    attribute: [intAttr('axis', 0)],
  });
  return node;
}

function gramModel(d: number): Uint8Array {
  const F = onnx.TensorProto.DataType.FLOAT;
  const node: ProtoNode[] = [
    int64Constant('rows', [0]),
    {
      opType: 'ReduceMean',
      input: ['x', 'rows'],
      output: ['mean'],
      attribute: [intAttr('keepdims', 1)],
    },
    { opType: 'Sub', input: ['x', 'mean'], output: ['xc'] },
    ...blockGramNodes(d),
  ];
  return encodeModel(
    'centred-gram',
    node,
    [valueInfo('x', F, ['n', d])],
    [valueInfo('mean', F, [1, d]), valueInfo('gram', F, [d, d])],
  );
}

/** float32 rows in, each less its group's float64 mean, the scatter accumulated in float64. */
function groupedModel(d: number): Uint8Array {
  const { FLOAT, DOUBLE, INT32 } = onnx.TensorProto.DataType;
  const node: ProtoNode[] = [
    { opType: 'Cast', input: ['x'], output: ['x64'], attribute: [intAttr('to', DOUBLE)] },
    {
      opType: 'Gather',
      input: ['means', 'groups'],
      output: ['mrows'],
      attribute: [intAttr('axis', 0)],
    },
    { opType: 'Sub', input: ['x64', 'mrows'], output: ['xc'] },
    ...blockGramNodes(d),
  ];
  return encodeModel(
    'grouped-scatter',
    node,
    [
      valueInfo('x', FLOAT, ['n', d]),
      valueInfo('groups', INT32, ['n']),
      valueInfo('means', DOUBLE, ['k', d]),
    ],
    [valueInfo('gram', DOUBLE, [d, d])],
  );
}

/** Options of the two kernels. */
export interface ChunkOptions {
  /** Elements of x per call; default 2²³ (centred Gram) and 2²² (grouped scatter). */
  chunkElements?: number;
}

/** μ and the centred Gram of x in one onnxruntime call per row chunk (see the module doc). */
export function ortCentredGram(
  pool: SessionPool,
  opts: ChunkOptions = {},
): ComputeBackend['centredGram'] {
  const chunk = opts.chunkElements ?? 2 * CHUNK_ELEMENTS;
  return async (x) => {
    const d = x.cols;
    const session = await pool.get(`centred-gram ${d}`, () => gramModel(d));
    const rows = Math.max(1, Math.floor(chunk / d));
    if (x.rows <= rows) {
      const out = await session.run({ x: new RtTensor(x.data, [x.rows, d]) });
      return {
        mean: Float64Array.from(out.mean.data as Float32Array),
        gram: matrix(d, d, out.gram.data as Float32Array),
      };
    }
    // Larger inputs in row chunks (the call holds about three float32 copies of its rows), each
    // with its own mean and centred Gram, combined in float64 as Chan, Golub & LeVeque (1979) do
    // for variances: C = Σ C_c + Σ n_c·(μ_c − μ)(μ_c − μ)ᵀ.
    const parts: { n: number; mean: Float32Array; gram: Float32Array }[] = [];
    for (let r0 = 0; r0 < x.rows; r0 += rows) {
      const r1 = Math.min(x.rows, r0 + rows);
      const out = await session.run({
        x: new RtTensor(x.data.subarray(r0 * d, r1 * d), [r1 - r0, d]),
      });
      parts.push({
        n: r1 - r0,
        mean: out.mean.data as Float32Array,
        gram: out.gram.data as Float32Array,
      });
    }
    const mean = new Float64Array(d);
    for (const p of parts) for (let j = 0; j < d; j++) mean[j] += (p.n * p.mean[j]) / x.rows;
    const c = new Float64Array(d * d);
    const delta = new Float64Array(d);
    for (const p of parts) {
      for (let j = 0; j < d; j++) delta[j] = p.mean[j] - mean[j];
      for (let i = 0; i < d; i++) {
        const di = p.n * delta[i];
        for (let j = 0, o = i * d; j < d; j++) c[o + j] += p.gram[o + j] + di * delta[j];
      }
    }
    return { mean, gram: matrix(d, d, Float32Array.from(c)) };
  };
}

/**
 * Σᵢ (xᵢ − μ_g(i))(xᵢ − μ_g(i))ᵀ in float64, one onnxruntime call per row chunk: the float32
 * rows are cast, their group means gathered and subtracted inside the call.
 */
export function ortGroupedScatter(
  pool: SessionPool,
  opts: ChunkOptions = {},
): NonNullable<ComputeBackend['groupedScatter']> {
  const chunk = opts.chunkElements ?? CHUNK_ELEMENTS;
  return async (x, groups, means) => {
    const d = x.cols;
    const session = await pool.get(`grouped-scatter ${d}`, () => groupedModel(d));
    const meansT = new RtTensor(means.data, [means.rows, d]);
    // Row chunks bound the call's float64 intermediates (cast, gathered means, centred,
    // transposed, blocks: about 5 copies of the chunk); the partial scatters add up in float64.
    const rows = Math.max(1, Math.floor(chunk / d));
    let total: Float64Array | undefined;
    for (let r0 = 0; r0 < x.rows; r0 += rows) {
      const r1 = Math.min(x.rows, r0 + rows);
      const out = await session.run({
        x: new RtTensor(x.data.subarray(r0 * d, r1 * d), [r1 - r0, d]),
        groups: new RtTensor(groups.subarray(r0, r1), [r1 - r0]),
        means: meansT,
      });
      const part = out.gram.data as Float64Array;
      if (total === undefined) total = part;
      else for (let i = 0; i < part.length; i++) total[i] += part[i];
    }
    return total ?? new Float64Array(d * d);
  };
}
