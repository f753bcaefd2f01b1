/**
 * aedr's public API. Importing it installs nothing: the heavy linear-algebra kernels (kNN,
 * distances, covariance, PCA's products) run on the compute backend each reducer or metric is
 * given as its `backend` option, the pure-JS `jsBackend` by default, or onnxruntime's from
 * `createOrtBackend({ threads, spin })`, which holds sessions until its `dispose()`.
 *
 * @example
 * import { loadMnist, stackSpec, AutoencoderModel, fit, saveModel } from 'aedr';
 * const train = loadMnist('train');
 * const model = AutoencoderModel.create(stackSpec(784, [50], { outputActivation: 'sigmoid' }), { scaling: { kind: 'divide255' } });
 * await fit(model, train.x, { epochs: 10, batchSize: 32 });
 * saveModel(model, 'runs/mnist-50'); // encoder.onnx, decoder.onnx, model.json
 */
// Errors
export * from './errors.js';

// Utilities and data
export { Rng } from './util/rng.js';
export { matrix, matrixFromRows, type Matrix, type Matrix32 } from './util/matrix.js';
export { labelTexts, type Dataset } from './data/dataset.js';
export { loadDataset, readLabels, type LoadOptions } from './data/load.js';
export { loadMnist } from './data/mnist.js';
export { readCsv, writeCsv } from './data/csv.js';
export { readNpy, writeNpy, npyToMatrix } from './data/npy.js';
export { readIdx, writeIdx } from './data/idx.js';
export { readJsonMatrix } from './data/json.js';
export {
  fitScaling,
  applyScaling,
  invertScaling,
  type Scaling,
  type ScalingKind,
} from './data/scaling.js';
export { trainTestSplit } from './data/split.js';
export * as synthetic from './data/synthetic.js';
// Streams: data sets of any size read as row blocks (openSource picks the reader by extension;
// Parquet and Arrow readers load apache-arrow / parquet-wasm), their one-pass statistics, the
// seeded epoch order of streamed training, and writers that append rows.
export {
  openSource,
  loadSourceDataset,
  type OpenSourceOptions,
  type SourceFormat,
} from './data/stream/open.js';
export {
  readAllRows,
  isRandomAccess,
  type RandomAccessSource,
  type RowBlock,
  type RowSource,
} from './data/stream/source.js';
export { NpySource } from './data/stream/npy-source.js';
export { NpyShardSource } from './data/stream/shards.js';
export { CsvSource, type CsvSourceOptions } from './data/stream/csv-source.js';
export { ParquetSource, type ParquetSourceOptions } from './data/stream/parquet-source.js';
export { ArrowSource, type ArrowSourceOptions } from './data/stream/arrow-source.js';
export { RowRangesSource, holdOutBlocks, type RowRange } from './data/stream/row-ranges.js';
export { spillToNpy } from './data/stream/spill.js';
export { fitScalingStream } from './data/stream/stream-stats.js';
export { summarizeColumns, type ColumnSummary } from './data/stream/column-summary.js';
export {
  epochBatches,
  epochRowOrder,
  type EpochBatch,
  type EpochOptions,
} from './data/stream/epoch.js';
export {
  NpyStreamWriter,
  CsvStreamWriter,
  type CsvStreamOptions,
  type StreamWriter,
} from './data/stream/writers.js';
export { ParquetStreamWriter, type ParquetWriterOptions } from './data/stream/parquet-writer.js';

// Metrics
export { trustworthiness, continuity } from './metrics/trustworthiness.js';
export { knnAccuracy } from './metrics/knn-accuracy.js';
export { knnPreservation } from './metrics/knn-preservation.js';
export { reconstructionMse, explainedVariance } from './metrics/reconstruction.js';
export {
  rocAuc,
  prAuc,
  rocCurve,
  thresholdMetrics,
  type RocCurve,
  type ThresholdMetrics,
} from './metrics/roc.js';
export { parseThresholdRule, computeThreshold, type ThresholdRule } from './metrics/threshold.js';
export { mleIntrinsicDim, twoNN } from './metrics/intrinsic-dim.js';
export type { MetricResult } from './metrics/result.js';
export { knn, type Neighbors } from './linalg/knn.js';

// Compute backends (the `backend` option of reducers and metrics)
export type { BackendOption, ComputeBackend } from './linalg/backend.js';
export { jsBackend, createJsBackend, type JsBackendOptions } from './linalg/js-backend.js';
export { createOrtBackend, type OrtBackend, type OrtBackendOptions } from './accel/ort-backend.js';
export type { SessionFactory } from './accel/session-pool.js';

// Graph building and ONNX (for custom models)
export { Graph } from './graph/graph.js';
export { gradients } from './graph/autodiff.js';
export { makeModel, OPSET, IR_VERSION } from './onnx/emit.js';
export { Session, RtTensor, type SessionOptions } from './runtime/session.js';

// Autoencoders
export { ACTIVATIONS, type Activation } from './nn/activation.js';
export { LOSSES, type LossName } from './nn/loss.js';
export {
  stackSpec,
  validateSpec,
  latentDim,
  isVariational,
  type AutoencoderSpec,
  type LayerSpec,
  type StackOptions,
  type NetSpec,
} from './nn/autoencoder-spec.js';
export {
  parseModelSpec,
  parseInputShape,
  convShorthand,
  describeLayers,
  type ModelSpec,
  type LayerDef,
} from './nn/layer-spec.js';
export { parseNoise, corrupt, type NoiseSpec } from './nn/noise.js';
export { adam, type AdamOptions } from './optim/adam.js';
export { sgd, type SgdOptions } from './optim/sgd.js';
export type { Optimizer, OptimizerConfig } from './optim/optimizer.js';
export {
  AutoencoderModel,
  type EpochRecord,
  type StopReason,
  type TrainingConfig,
} from './train/model.js';
export {
  fit,
  type CallbackContext,
  type FitCallbacks,
  type FitOptions,
  type TrainProgress,
} from './train/trainer.js';
export {
  fitStream,
  isStreamCheckpoint,
  type FitStreamOptions,
  type StreamProgress,
} from './train/fit-stream.js';
export type { LrSchedule, LrScheduleOptions, Monitor } from './train/schedule.js';
export type { EarlyStopping, EarlyStoppingOptions } from './train/early-stopping.js';
export { saveModel, loadModel, parseManifest, type Manifest } from './train/persist.js';
export {
  scoreAnomalies,
  fitAnomalyThreshold,
  type AnomalyMetric,
  type AnomalyRecord,
  type ScoreOptions,
} from './train/anomaly.js';
export { ENCODER_IO, DECODER_IO, LOGVAR_OUTPUT } from './train/inference-graph.js';
export { sampleFromPrior, type SampleOptions, type Samples } from './train/vae.js';
export type { SparsityOptions } from './nn/sparsity.js';

// Reducers: one fit / transform / inverseTransform / toJSON interface
export type { Reducer, ReducerJSON } from './reducers/reducer.js';
export { loadReducer } from './reducers/loader.js';
export { PCA, type PCAOptions } from './reducers/pca.js';
export { LDA, type LDAOptions } from './reducers/lda.js';
export { LLE, type LLEOptions } from './reducers/lle.js';
export { Isomap, type IsomapOptions } from './reducers/isomap.js';
// Reducers on streams: seeded row samples (LLE/Isomap fitSample) and block-wise transform.
export { sampleRows, sampleSource } from './reducers/stream-sample.js';
export {
  transformStream,
  type Transformer,
  type TransformStreamOptions,
} from './reducers/stream-transform.js';
export { UMAP, type UMAPOptions } from './reducers/umap.js';
export { ParametricUMAP, type ParametricUMAPOptions } from './reducers/pumap.js';
export { TSNE, type TSNEOptions } from './reducers/tsne.js';
export { Autoencoder, type AutoencoderOptions } from './reducers/autoencoder.js';

// Report toolkit
export { renderChart, type RenderedChart } from './report/chart.js';
export { lineChart, scatterChart, barChart, concatCharts } from './report/chart-specs.js';
export { imageGrid, encodePng } from './report/image-grid.js';
export { HtmlReport, writeReport } from './report/html.js';
export { markdownTable } from './report/markdown.js';

// Experiments behind the CLI commands
export { runStudy } from './experiments/study/run.js';
export { runCompare } from './experiments/compare/run.js';
export { runCurvesExperiment } from './experiments/curves/run.js';
export { runIntrinsicDimExperiment } from './experiments/intrinsic-dim/run.js';
