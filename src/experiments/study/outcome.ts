/**
 * What a study found, as plain data: the sweep rows, the deep AE, the convolutional denoising
 * AEs, the PCA baseline, the saturation answer and the machine. `runStudy` (run.ts) produces it, `writeStudyReport`
 * (report.ts) draws it; both sides import only this file, never each other.
 */
import type { SaturationResult } from '../../metrics/saturation.js';
import type { EpochRecord } from '../../train/model.js';
import type { TrainProgress } from '../../train/trainer.js';
import type { RunSpec, StudyConfig } from './config.js';
import type { PcaResult, RunResult, TrainResult } from './runs.js';

/** Progress of a study, for a CLI to print. `eta` is seconds of training left (undefined until measurable). */
export type StudyEvent =
  | { type: 'plan'; total: number; reused: number; workers: number; threads: number }
  | { type: 'run-start'; run: RunSpec; position: number; total: number; eta?: number }
  | { type: 'progress'; run: RunSpec; progress: TrainProgress; eta?: number }
  | { type: 'epoch'; run: RunSpec; record: EpochRecord; epochs: number; eta?: number }
  | { type: 'run-done'; run: RunSpec; result: RunResult; done: number; total: number; eta?: number }
  | { type: 'phase'; message: string };

/** One row of the sweep table: a latent size and decoder activation with its numbers. */
export interface SweepRow {
  latent: number;
  activation: string;
  trainLoss: number;
  trainMse: number;
  testMse: number;
  /** trainMse and testMse x 784: squared error summed over an image's pixels. */
  trainMsePerImage: number;
  testMsePerImage: number;
  /** The study's reported losses (ReLU decoder only). */
  studyTrainLoss?: number;
  studyTestLoss?: number;
  /** (testMse - studyTestLoss) / studyTestLoss. */
  vsStudy?: number;
  pcaTestMse?: number;
  /** Output pixels stuck at 0 on every test image, those among them where digits have ink, and their share of the test error. */
  deadPixels?: number;
  deadInkPixels?: number;
  deadErrorShare?: number;
  seconds: number;
  reused: boolean;
}

/** One convolutional denoising AE with its numbers (MSE per pixel of images scaled to [0, 1]). */
export interface ConvRow {
  /** The run's id (its folder under `<out>/runs/`). */
  id: string;
  label: string;
  /** convShorthand's filter list, e.g. '16,8'. */
  filters: string;
  /** The code's [H, W, C] and its size in values. */
  codeShape: number[];
  latent: number;
  /** Every layer's output shape [H, W, C], the input's first. */
  layerShapes: number[][];
  params: number;
  /** Input corruption during training. */
  noise: string;
  trainLoss: number;
  trainMse: number;
  /** Test MSE with clean input, and with a fixed corruption of the test images as input. */
  testMse: number;
  testMseNoisy: number;
  /** PCA with as many components as the code has values. */
  pcaTestMse?: number;
  /** Code values that are 0 for every test image (a collapsed model has them all). */
  deadCodeValues?: number;
  seconds: number;
  reused: boolean;
}

/** The saturation rule's answer per decoder activation and the recommendation. */
export interface SaturationSummary {
  rule: string;
  /** The rule on each decoder's running-minimum curve (what the recommendation uses). */
  perActivation: Record<string, SaturationResult>;
  /** The same rule on the raw curve, for comparison. */
  raw: Record<string, SaturationResult>;
  kneedle: Record<string, SaturationResult>;
  /** Applied to the study's own ReLU numbers. */
  study: SaturationResult;
  /** The largest per-activation answer: the smallest size at which every decoder has saturated. */
  recommended: number | null;
}

/** The machine and timing of a study. */
export interface StudyMachine {
  cpu: string;
  cores: number;
  node: string;
  os: string;
  threads: number;
  workers: number;
}

/** Everything a study found; what the report is drawn from. */
export interface StudyOutcome {
  config: StudyConfig;
  rows: SweepRow[];
  deep: TrainResult;
  pca: PcaResult;
  results: TrainResult[];
  /** The convolutional denoising AEs, in the order of `config.conv.filters`. */
  conv: ConvRow[];
  saturation: SaturationSummary;
  machine: StudyMachine;
  reused: number;
  /** Wall seconds of training (or reuse). */
  trainingSeconds: number;
  /** Wall seconds of the whole study, report included (set by writeStudyReport). */
  totalSeconds: number;
}
