/**
 * The only door to onnxruntime-node: sessions made from model bytes, feeds checked against the
 * model's inputs before running (so a mistake names the input, not an ORT internal), optional
 * preallocated outputs so the training loop reuses its buffers instead of receiving fresh
 * copies each step, and explicit release. onnxruntime-node's `run` executes synchronously on
 * the calling thread (its binding is wrapped in setImmediate), with ORT's own intra-op pool
 * doing the parallel work; `threads` sizes that pool.
 */
import { availableParallelism } from 'node:os';
import * as ort from 'onnxruntime-node';
import { ConfigError, RuntimeFailure, ShapeError } from '../errors.js';

/** Element data the runtime accepts. */
export type TensorData = Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array;

/** A tensor handle: typed data plus dims, shared with onnxruntime without copying. */
export class RtTensor {
  /** @internal */ readonly ort: ort.Tensor;
  /** The tensor's values: the array given, or its copy when that lives in shared memory. */
  readonly data: TensorData;
  constructor(
    data: TensorData,
    readonly dims: readonly number[],
  ) {
    this.data = data = unshared(data);
    const n = dims.reduce((a, b) => a * b, 1);
    if (data.length !== n) {
      throw new ShapeError(
        `tensor data has ${data.length} values, dims [${dims.join(', ')}] need ${n}`,
      );
    }
    const type =
      data instanceof Float32Array
        ? 'float32'
        : data instanceof Float64Array
          ? 'float64'
          : data instanceof Int32Array
            ? 'int32'
            : data instanceof BigInt64Array
              ? 'int64'
              : 'bool';
    this.ort = new ort.Tensor(type, data, dims);
  }
}

/**
 * The array itself, or a copy in ordinary memory when it views a SharedArrayBuffer (the worker
 * pools' output): onnxruntime-node rejects shared memory with a bare 'Invalid argument'.
 */
export function unshared<T extends TensorData>(data: T): T {
  return data.buffer instanceof SharedArrayBuffer ? (data.slice() as T) : data;
}

/** Session settings. */
export interface SessionOptions {
  /** Intra-op threads; default: every core of this machine. */
  threads?: number;
  /**
   * Let idle intra-op threads spin-wait for work (onnxruntime's default, kept): faster on a quiet
   * machine, slower when other jobs share the cores (bench/README.md); pass false when sharing.
   */
  spin?: boolean;
}

interface InputSpec {
  name: string;
  shape: (number | string)[];
}

/** An onnxruntime inference session over one model. */
export class Session {
  private disposed = false;

  private constructor(
    private readonly inner: ort.InferenceSession,
    readonly inputs: readonly InputSpec[],
    readonly outputNames: readonly string[],
  ) {}

  /** Creates a session from ONNX bytes. @throws ConfigError, RuntimeFailure */
  static async create(bytes: Uint8Array, opts: SessionOptions = {}): Promise<Session> {
    const threads = opts.threads ?? availableParallelism();
    if (!Number.isInteger(threads) || threads < 1) {
      throw new ConfigError(`threads must be a positive integer, got ${String(opts.threads)}`);
    }
    let inner: ort.InferenceSession;
    try {
      inner = await ort.InferenceSession.create(bytes, {
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
        extra: { session: { intra_op: { allow_spinning: opts.spin === false ? '0' : '1' } } },
      });
    } catch (err) {
      throw new RuntimeFailure(`onnxruntime could not load the model: ${(err as Error).message}`, {
        cause: err,
      });
    }
    const inputs = inner.inputMetadata.map((m) => ({
      name: m.name,
      shape: m.isTensor
        ? m.shape.map((d) => (typeof d === 'number' && d >= 0 ? d : String(d)))
        : [],
    }));
    return new Session(inner, inputs, inner.outputNames);
  }

  /**
   * Runs the model. `outputs` may hold preallocated tensors that onnxruntime writes into.
   * @throws ShapeError for a missing, unknown or misshapen feed; RuntimeFailure if ORT fails
   */
  async run(
    feeds: Readonly<Record<string, RtTensor>>,
    outputs?: Readonly<Record<string, RtTensor>>,
  ): Promise<Record<string, RtTensor>> {
    if (this.disposed) throw new ConfigError('session was disposed; create a new one');
    this.checkFeeds(feeds);
    const ortFeeds: Record<string, ort.Tensor> = {};
    for (const [k, v] of Object.entries(feeds)) ortFeeds[k] = v.ort;
    let result: ort.InferenceSession.ReturnType;
    try {
      if (outputs) {
        const fetches: Record<string, ort.Tensor> = {};
        for (const [k, v] of Object.entries(outputs)) fetches[k] = v.ort;
        result = await this.inner.run(ortFeeds, fetches);
      } else {
        result = await this.inner.run(ortFeeds);
      }
    } catch (err) {
      throw new RuntimeFailure(`onnxruntime run failed: ${(err as Error).message}`, { cause: err });
    }
    const out: Record<string, RtTensor> = {};
    for (const [k, v] of Object.entries(result)) {
      const given = outputs?.[k];
      out[k] = given ?? new RtTensor(v.data as TensorData, v.dims);
    }
    return out;
  }

  private checkFeeds(feeds: Readonly<Record<string, RtTensor>>): void {
    for (const spec of this.inputs) {
      const t = feeds[spec.name];
      if (!t) throw new ShapeError(`input '${spec.name}' is missing`);
      const ok =
        t.dims.length === spec.shape.length &&
        spec.shape.every((d, i) => typeof d !== 'number' || d === t.dims[i]);
      if (!ok) {
        throw new ShapeError(
          `input '${spec.name}' has dims [${t.dims.join(', ')}], the model expects [${spec.shape.join(', ')}]`,
        );
      }
    }
    for (const name of Object.keys(feeds)) {
      if (!this.inputs.some((s) => s.name === name)) {
        throw new ShapeError(
          `'${name}' is not an input of this model (inputs: ${this.inputs.map((s) => s.name).join(', ')})`,
        );
      }
    }
  }

  /** Releases the native session; safe to call twice. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.inner.release();
  }
}

/** Runs `fn` with a session and always releases it. */
export async function withSession<T>(
  bytes: Uint8Array,
  opts: SessionOptions,
  fn: (s: Session) => Promise<T>,
): Promise<T> {
  const s = await Session.create(bytes, opts);
  try {
    return await fn(s);
  } finally {
    await s.dispose();
  }
}
