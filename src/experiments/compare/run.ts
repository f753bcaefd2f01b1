/**
 * The classification comparison of Wang, Yao & Zhao, "Auto-encoder based dimensionality
 * reduction", Neurocomputing 184 (2016) 232-242, §4.2, as a library call: every method reduces
 * the training rows to d dimensions (fitTransform) and maps the test rows (transform); a kNN(k)
 * classifier trained on the training codes is scored on the test codes, and the test codes'
 * trustworthiness (k neighbours, against the test rows) says how well local neighbourhoods
 * survive. The ceiling is the same classifier on the raw rows, once per training-set size used.
 * t-SNE has no transform (it places the points it was fitted on, and no others), so it fits the
 * training and test rows together and its codes are split back into the two: the test rows'
 * positions are fitted with the training rows present (transductively, as t-SNE is used), but
 * no label reaches the fit, and the classifier still labels test codes from training codes only.
 * A method that fails on a case (e.g. a disconnected neighbour graph) gets an error row and the
 * run goes on; a dimension a method cannot give is a skipped row with the reason.
 */
import { AedrError } from '../../errors.js';
import type { ComputeBackend } from '../../linalg/backend.js';
import { jsBackend } from '../../linalg/js-backend.js';
import { Autoencoder } from '../../reducers/autoencoder.js';
import { knnAccuracy } from '../../metrics/knn-accuracy.js';
import type { MetricResult } from '../../metrics/result.js';
import { trustworthiness } from '../../metrics/trustworthiness.js';
import { matrix, sliceRows, type Matrix32 } from '../../util/matrix.js';
import {
  COMPARE_METHODS,
  MANIFOLD_METHODS,
  type CompareMethod,
  type CompareSettings,
} from './config.js';
import { firstRows, type CompareData } from './data.js';
import { EtaModel } from './eta.js';
import { makeCompareReducer, priorSeconds, skipReason } from './methods.js';

/** One method at one dimension. Numbers are null on skipped and failed rows. */
export interface CompareRow {
  method: CompareMethod;
  dim: number;
  trainRows: number;
  testRows: number;
  /** kNN(k) accuracy of the test codes. */
  knnAccuracy: number | null;
  /** The raw-row kNN accuracy on the same rows. */
  ceiling: number | null;
  /** Trustworthiness of the test codes (exact, or estimated on a sample: see `exact`). */
  trust: MetricResult | null;
  /** fitTransform of the training rows. */
  fitSeconds: number | null;
  /** transform of the test rows (null for t-SNE, whose fit placed them). */
  transformSeconds: number | null;
  /** t-SNE: the fit embedded the training and test rows together (it has no transform). */
  jointFit?: true;
  /** kNN accuracy and trustworthiness. */
  metricSeconds: number | null;
  /** The AE: epochs trained, why it stopped, and the epoch whose weights it kept. */
  training?: { epochsRun: number; stopReason: string; bestEpoch?: number };
  skipped?: string;
  error?: string;
}

/** kNN accuracy on the raw rows: the ceiling a reduction is measured against. */
export interface Ceiling {
  trainRows: number;
  testRows: number;
  accuracy: number;
  seconds: number;
}

/** Progress of a run, for the CLI. */
export type CompareEvent =
  | { kind: 'ceiling'; ceiling: Ceiling }
  | {
      kind: 'start';
      index: number;
      total: number;
      method: CompareMethod;
      dim: number;
      trainRows: number;
      etaSeconds: number;
    }
  | {
      kind: 'epoch';
      method: CompareMethod;
      dim: number;
      epoch: number;
      epochs: number;
      fraction: number;
      loss: number;
      etaSeconds: number;
    }
  | { kind: 'done'; index: number; total: number; row: CompareRow; etaSeconds: number };

/** Everything the report shows. */
export interface CompareResult {
  settings: CompareSettings;
  data: {
    name: string;
    features: number;
    classes: number;
    split: string;
    aeScaling: string;
    inputScaling: string;
  };
  ceilings: Ceiling[];
  /** One per method x dim, in COMPARE_METHODS then dim order. */
  rows: CompareRow[];
  /** The prior estimate of the run's seconds and the measured total. */
  estimatedSeconds: number;
  seconds: number;
}

/**
 * Where the comparison computes: the backend of the reducers and metrics (default `jsBackend`;
 * its threads also cap the AE's), and `spin: false` for the AE's training sessions.
 */
export interface CompareCompute {
  backend?: ComputeBackend;
  spin?: boolean;
}

/** PCA and LDA first: cheap results early, and they calibrate the ETA for the rest. */
const RUN_ORDER: readonly CompareMethod[] = [
  'pca',
  'lda',
  'ae',
  'lle',
  'isomap',
  'umap',
  'pumap',
  'tsne',
];

/**
 * Runs every method at every dimension of `s` on `data`.
 * @throws ConfigError on a data set too small for k; errors other than AedrError from a reducer
 * @example
 * const r = await runCompare(loadCompareData({ data: 'mnist' }, s), s); // r.rows[0] -> { method: 'ae', dim: 2, knnAccuracy: 0.7..., ... }
 */
export async function runCompare(
  data: CompareData,
  s: CompareSettings,
  onEvent: (e: CompareEvent) => void = () => undefined,
  compute: CompareCompute = {},
): Promise<CompareResult> {
  const started = performance.now();
  const backend = compute.backend ?? jsBackend;
  const full = { train: data.train, test: data.test, xTrain: data.xTrain, xTest: data.xTest };
  const small = {
    train: firstRows(data.train, s.manifoldTrainSize),
    test: firstRows(data.test, s.manifoldTestSize),
    xTrain: sliceRows(data.xTrain, 0, s.manifoldTrainSize),
    xTest: sliceRows(data.xTest, 0, s.manifoldTestSize),
  };
  const part = (m: CompareMethod): typeof full => (MANIFOLD_METHODS.includes(m) ? small : full);
  const features = data.xTrain.cols;

  const cases = RUN_ORDER.filter((m) => s.methods.includes(m)).flatMap((method) =>
    s.dims.map((dim) => ({ method, dim })),
  );
  const runnable = cases.filter(
    (c) =>
      skipReason(c.method, c.dim, {
        features,
        classes: data.classes,
        trainRows: part(c.method).train.x.rows,
      }) === undefined,
  );
  const eta = new EtaModel(
    runnable.map((c) => {
      const p = part(c.method);
      const rows = { train: p.train.x.rows, test: p.test.x.rows, features };
      return { method: c.method, prior: priorSeconds(c.method, c.dim, rows, s) };
    }),
  );

  const ceilings: Ceiling[] = [];
  const parts = new Map(
    s.methods.map((m) => [`${part(m).train.x.rows}/${part(m).test.x.rows}`, part(m)]),
  );
  for (const p of parts.values()) {
    const t = performance.now();
    const acc = await knnAccuracy(p.xTrain, p.train.labels, p.xTest, p.test.labels, s.k, {
      backend,
    });
    const c = {
      trainRows: p.train.x.rows,
      testRows: p.test.x.rows,
      accuracy: acc.value,
      seconds: seconds(t),
    };
    ceilings.push(c);
    onEvent({ kind: 'ceiling', ceiling: c });
  }
  const ceilingOf = (p: Part): number | null =>
    ceilings.find((c) => c.trainRows === p.train.x.rows && c.testRows === p.test.x.rows)
      ?.accuracy ?? null;

  const rows: CompareRow[] = [];
  let index = 0;
  for (const { method, dim } of cases) {
    const p = part(method);
    const base: CompareRow = {
      method,
      dim,
      trainRows: p.train.x.rows,
      testRows: p.test.x.rows,
      knnAccuracy: null,
      ceiling: ceilingOf(p),
      trust: null,
      fitSeconds: null,
      transformSeconds: null,
      metricSeconds: null,
    };
    const skipped = skipReason(method, dim, {
      features,
      classes: data.classes,
      trainRows: p.train.x.rows,
    });
    if (skipped !== undefined) {
      rows.push({ ...base, skipped });
      continue;
    }
    index += 1;
    onEvent({
      kind: 'start',
      index,
      total: runnable.length,
      method,
      dim,
      trainRows: base.trainRows,
      etaSeconds: eta.remaining(),
    });
    const caseStart = performance.now();
    const reducer = makeCompareReducer(method, dim, s, data.aeScaling, compute, (tp) => {
      const fraction = (tp.epoch - 1 + tp.batch / tp.batches) / tp.epochs;
      onEvent({
        kind: 'epoch',
        method,
        dim,
        epoch: tp.epoch,
        epochs: tp.epochs,
        fraction,
        loss: tp.loss,
        etaSeconds: eta.remaining({ elapsed: seconds(caseStart), fraction }),
      });
    });
    let row: CompareRow;
    try {
      row = { ...base, ...(await runCase(reducer, method, p, s.k, backend)) };
    } catch (err) {
      if (!(err instanceof AedrError)) throw err;
      row = { ...base, error: err.message };
    } finally {
      await reducer.dispose?.();
    }
    rows.push(row);
    eta.finish(seconds(caseStart));
    onEvent({ kind: 'done', index, total: runnable.length, row, etaSeconds: eta.remaining() });
  }

  const order = (r: CompareRow): number => COMPARE_METHODS.indexOf(r.method) * 1e6 + r.dim;
  rows.sort((a, b) => order(a) - order(b));
  return {
    settings: s,
    data: {
      name: data.name,
      features,
      classes: data.classes,
      split: data.splitText,
      aeScaling: data.aeScaling,
      inputScaling: data.isMnist ? 'pixels / 255' : 'values as read',
    },
    ceilings,
    rows,
    estimatedSeconds: eta.priorTotal,
    seconds: seconds(started),
  };
}

type Part = {
  train: { labels: Int32Array; x: Matrix32 };
  test: { labels: Int32Array; x: Matrix32 };
  xTrain: Matrix32;
  xTest: Matrix32;
};

async function runCase(
  reducer: ReturnType<typeof makeCompareReducer>,
  method: CompareMethod,
  p: Part,
  k: number,
  backend: ComputeBackend,
): Promise<
  Pick<
    CompareRow,
    | 'knnAccuracy'
    | 'trust'
    | 'fitSeconds'
    | 'transformSeconds'
    | 'metricSeconds'
    | 'training'
    | 'jointFit'
  >
> {
  // The AE reads the rows as stored and applies its own scaling; the others get the view.
  const ae = method === 'ae';
  let t = performance.now();
  let zTrain: Matrix32;
  let zTest: Matrix32;
  let transformSeconds: number | null = null;
  let fitSeconds: number;
  if (method === 'tsne') {
    const nTrain = p.xTrain.rows;
    const z = await reducer.fitTransform(stackRows(p.xTrain, p.xTest));
    fitSeconds = seconds(t);
    zTrain = sliceRows(z, 0, nTrain);
    zTest = sliceRows(z, nTrain, z.rows);
  } else {
    zTrain = await reducer.fitTransform(ae ? p.train.x : p.xTrain, p.train.labels);
    fitSeconds = seconds(t);
    t = performance.now();
    zTest = await reducer.transform(ae ? p.test.x : p.xTest);
    transformSeconds = seconds(t);
  }
  t = performance.now();
  const acc = await knnAccuracy(zTrain, p.train.labels, zTest, p.test.labels, k, { backend });
  // Trustworthiness needs k < n/2 test rows; a smaller test set gets none rather than an error.
  const trust = k < p.xTest.rows / 2 ? await trustworthiness(p.xTest, zTest, k, { backend }) : null;
  return {
    knnAccuracy: acc.value,
    trust,
    fitSeconds,
    transformSeconds,
    metricSeconds: seconds(t),
    ...(method === 'tsne' ? { jointFit: true as const } : {}),
    ...(reducer instanceof Autoencoder
      ? {
          training: {
            epochsRun: reducer.epochsRun,
            stopReason: reducer.stopReason ?? 'completed',
            ...(reducer.bestEpoch !== undefined ? { bestEpoch: reducer.bestEpoch } : {}),
          },
        }
      : {}),
  };
}

/** The rows of a, then those of b (same columns). */
function stackRows(a: Matrix32, b: Matrix32): Matrix32 {
  const data = new Float32Array((a.rows + b.rows) * a.cols);
  data.set(a.data.subarray(0, a.rows * a.cols));
  data.set(b.data.subarray(0, b.rows * b.cols), a.rows * a.cols);
  return matrix(a.rows + b.rows, a.cols, data);
}

function seconds(since: number): number {
  return (performance.now() - since) / 1000;
}
