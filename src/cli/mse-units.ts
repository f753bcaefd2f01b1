/**
 * Reconstruction MSE in both units a user meets: the trainer's losses and MSEs are in the scaled
 * units the network sees (after the model's input scaling), while the data's own units are what a
 * user can judge (0.0091 scaled is 0.99 in data units for a column spanning ±5). `aedr train`
 * measures both once after training on the weights the folder keeps (the model's encoder and
 * decoder work in data units) and keeps them in model.json as `training.finalMse`, where
 * `aedr info` shows them.
 */
import { applyScaling, type Scaling } from '../data/scaling.js';
import { reconstructionMse } from '../metrics/reconstruction.js';
import { formatNumber } from '../report/format.js';
import type { AutoencoderModel, TrainingConfig } from '../train/model.js';
import type { Matrix32 } from '../util/matrix.js';

/** Mean squared reconstruction error per entry, in scaled and in data units. */
export interface MsePair {
  scaled: number;
  data: number;
}

/** The final model's MSE on the training rows (and test rows). */
export interface FinalMse {
  train: MsePair;
  test?: MsePair;
}

/** The MSE of `model` on `train` (and `test`), each in scaled and in data units. */
export async function measureFinalMse(
  model: AutoencoderModel,
  train: Matrix32,
  test?: Matrix32,
): Promise<FinalMse> {
  const pair = async (x: Matrix32): Promise<MsePair> => {
    const r = await model.reconstruct(x);
    return {
      scaled: reconstructionMse(applyScaling(model.scaling, x), applyScaling(model.scaling, r)).mse,
      data: reconstructionMse(x, r).mse,
    };
  };
  return { train: await pair(train), ...(test ? { test: await pair(test) } : {}) };
}

/** Stores `mse` in `model.training` (written to model.json by the next save). */
export function recordFinalMse(model: AutoencoderModel, mse: FinalMse): void {
  if (model.training === undefined) return;
  const training: TrainingConfig & { finalMse: FinalMse } = { ...model.training, finalMse: mse };
  model.training = training;
}

const isPair = (v: unknown): v is MsePair =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as MsePair).scaled === 'number' &&
  typeof (v as MsePair).data === 'number';

/** The final MSEs model.json records, if well-formed. */
export function rememberedFinalMse(training: TrainingConfig | undefined): FinalMse | undefined {
  const raw: unknown = (training as { finalMse?: unknown } | undefined)?.finalMse;
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  if (!isPair(r.train)) return undefined;
  return { train: r.train, ...(isPair(r.test) ? { test: r.test } : {}) };
}

/** What "scaled" means for a scaling kind, for one line of text. */
export function scaledUnitsText(s: Scaling | Scaling['kind']): string {
  const kind = typeof s === 'string' ? s : s.kind;
  switch (kind) {
    case 'none':
      return 'data units, unscaled';
    case 'divide255':
      return 'scaled units: data / 255';
    case 'minmax':
      return 'scaled units: each column min-max scaled to [0, 1]';
    case 'standardize':
      return 'scaled units: each column standardized to mean 0, sd 1';
  }
}

/** `0.0091 scaled (0.99 in data units)`, or one number when the scaling is none. */
export function mseText(m: MsePair, kind: Scaling['kind']): string {
  if (kind === 'none') return `${formatNumber(m.data)} (data units)`;
  return `${formatNumber(m.scaled)} scaled (${formatNumber(m.data)} in data units)`;
}
