/**
 * Training checkpoints: everything `fit` needs to continue a run exactly where it was after an
 * epoch, so that a resumed run ends with the same bits as one that was never interrupted.
 *
 *   checkpoint.json  format, settings, epoch and step counters, RNG state, schedule and
 *                    early-stopping counters, history, fingerprints of the data, and the sha256
 *                    and layout of checkpoint.bin
 *   checkpoint.bin   float32 little-endian: every parameter, every optimiser slot (per parameter,
 *                    in slot order), then the best epoch's parameters when early stopping is on
 *
 * The two files are written inside the model folder by `saveModel`, whose atomic folder swap
 * keeps them consistent with each other and with the model: a kill at any moment leaves the
 * previous epoch's folder or the new one, never a mix.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModelFormatError } from '../errors.js';
import type { LossName } from '../nn/loss.js';
import type { OptimizerConfig } from '../optim/optimizer.js';
import type { Matrix32 } from '../util/matrix.js';
import type { RngState } from '../util/rng.js';
import type { EarlyStopping, EarlyStoppingState } from './early-stopping.js';
import type { EpochRecord, StopReason, TrainingConfig } from './model.js';
import type { LrSchedule, ScheduleState } from './schedule.js';

/** checkpoint.json's `format`. */
export const CHECKPOINT_FORMAT = 'aedr-checkpoint';
/** checkpoint.json's current `formatVersion`. */
export const CHECKPOINT_FORMAT_VERSION = 1;
/** File names inside the model folder. */
export const CHECKPOINT_JSON = 'checkpoint.json';
export const CHECKPOINT_BIN = 'checkpoint.bin';

/** Identifies a data matrix: shape and the sha256 of its float32 bytes. */
export interface Fingerprint {
  rows: number;
  cols: number;
  sha256: string;
}

/** The settings a resumed run keeps. */
export interface RunSettings {
  /** Epoch limit of the run (counted from the run's start). */
  epochs: number;
  batchSize: number;
  loss: LossName;
  optimizer: OptimizerConfig;
  seed: number;
  threads?: number;
  stepsPerCall: number;
  validation?: { kind: 'split'; fraction: number } | { kind: 'data' };
  earlyStopping?: EarlyStopping;
  lrSchedule: LrSchedule;
  /** Input corruption of a denoising run, as nn/noise.ts formats it (e.g. 'gaussian:0.2'). */
  noise?: string;
  /** A VAE's KL weight β. */
  beta?: number;
  /** Sparsity penalties (nn/sparsity.ts). */
  activityL1?: number;
  sparsity?: number;
  sparsityWeight?: number;
}

/** checkpoint.json's content. */
export interface CheckpointState {
  format: typeof CHECKPOINT_FORMAT;
  formatVersion: number;
  settings: RunSettings;
  /** Epochs of this run finished. */
  epochsDone: number;
  /** Optimiser steps taken in this run (Adam's t). */
  step: number;
  /** model.history's length when the run started. */
  startEpoch: number;
  rng: RngState;
  schedule: ScheduleState;
  early?: EarlyStoppingState;
  /** Set once the run has ended. */
  stopReason?: StopReason;
  history: EpochRecord[];
  training: TrainingConfig;
  data: Fingerprint;
  validation?: Fingerprint;
  bin: { sha256: string; params: number; slots: number; best: boolean };
}

/** The arrays of a checkpoint. */
export interface CheckpointArrays {
  params: Float32Array[];
  /** Per parameter, one array per optimiser slot. */
  slots: Float32Array[][];
  best?: Float32Array[];
}

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** The fingerprint of `m`. */
export function fingerprint(m: Matrix32): Fingerprint {
  const bytes = new Uint8Array(m.data.buffer, m.data.byteOffset, m.data.byteLength);
  return { rows: m.rows, cols: m.cols, sha256: sha256(bytes) };
}

/** checkpoint.json text and checkpoint.bin bytes; `state.bin` is filled in here. */
export function encodeCheckpoint(
  state: Omit<CheckpointState, 'bin'>,
  arrays: CheckpointArrays,
): { json: string; bin: Uint8Array } {
  const all = [...arrays.params, ...arrays.slots.flat(), ...(arrays.best ?? [])];
  const n = all.reduce((a, p) => a + p.length, 0);
  const f = new Float32Array(n);
  let off = 0;
  for (const p of all) {
    f.set(p, off);
    off += p.length;
  }
  const bin = new Uint8Array(f.buffer);
  const full: CheckpointState = {
    ...state,
    bin: {
      sha256: sha256(bin),
      params: arrays.params.length,
      slots: arrays.slots[0]?.length ?? 0,
      best: arrays.best !== undefined,
    },
  };
  return { json: JSON.stringify(full) + '\n', bin };
}

/** The checkpoint files of model folder `dir` and the `more` files named, as bytes, for saving them again (those absent are left out). */
export function checkpointFiles(dir: string, more: string[] = []): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  for (const name of [CHECKPOINT_JSON, CHECKPOINT_BIN, ...more]) {
    const p = join(dir, name);
    if (existsSync(p)) out[name] = readFileSync(p);
  }
  return out;
}

/** Whether `dir` holds a checkpoint. */
export function hasCheckpoint(dir: string): boolean {
  return existsSync(join(dir, CHECKPOINT_JSON));
}

/**
 * Reads the checkpoint in model folder `dir`; `sizes` are the parameter lengths, in order.
 * @throws ModelFormatError when files are missing, corrupt or of another layout
 */
export function readCheckpoint(
  dir: string,
  sizes: number[],
): { state: CheckpointState; arrays: CheckpointArrays } {
  const jsonPath = join(dir, CHECKPOINT_JSON);
  const binPath = join(dir, CHECKPOINT_BIN);
  if (!existsSync(jsonPath))
    throw new ModelFormatError(
      `${CHECKPOINT_JSON} is missing: ${dir} holds no training checkpoint (was it saved by a run with a checkpoint folder?)`,
      { file: jsonPath },
    );
  let state: CheckpointState;
  try {
    state = JSON.parse(readFileSync(jsonPath, 'utf8')) as CheckpointState;
  } catch (err) {
    throw new ModelFormatError(
      `not valid JSON (${(err as Error).message})`,
      { file: jsonPath },
      { cause: err },
    );
  }
  if (state.format !== CHECKPOINT_FORMAT || state.formatVersion !== CHECKPOINT_FORMAT_VERSION)
    throw new ModelFormatError(
      `expected format "${CHECKPOINT_FORMAT}" version ${CHECKPOINT_FORMAT_VERSION}, got ${JSON.stringify(state.format)} version ${JSON.stringify(state.formatVersion)}`,
      { file: jsonPath, field: 'format' },
    );
  if (!existsSync(binPath))
    throw new ModelFormatError(`${CHECKPOINT_BIN} is missing`, { file: binPath });
  const raw = readFileSync(binPath);
  if (sha256(raw) !== state.bin.sha256)
    throw new ModelFormatError(
      `sha256 does not match ${CHECKPOINT_JSON}'s bin.sha256: the file is corrupt or was replaced`,
      { file: binPath },
    );
  const copy = new Uint8Array(raw.length);
  copy.set(raw);
  const f = new Float32Array(copy.buffer);
  const total = sizes.reduce((a, b) => a + b, 0);
  const expected = total * (1 + state.bin.slots + (state.bin.best ? 1 : 0));
  if (state.bin.params !== sizes.length || f.length !== expected)
    throw new ModelFormatError(
      `holds ${f.length} values for ${state.bin.params} parameters, expected ${expected} for this architecture's ${sizes.length}`,
      { file: binPath },
    );
  let off = 0;
  const take = (): Float32Array[] =>
    sizes.map((n) => {
      const a = f.slice(off, off + n);
      off += n;
      return a;
    });
  const params = take();
  const slots: Float32Array[][] = sizes.map(() => []);
  for (let i = 0; i < sizes.length; i++) {
    for (let k = 0; k < state.bin.slots; k++) {
      slots[i].push(f.slice(off, off + sizes[i]));
      off += sizes[i];
    }
  }
  const best = state.bin.best ? take() : undefined;
  return { state, arrays: { params, slots, ...(best ? { best } : {}) } };
}
