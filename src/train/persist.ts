/**
 * Saving and loading a model directory:
 *
 *   encoder.onnx  input `input` [batch, inputDim] (data units) -> `code` [batch, latentDim]
 *                 (a VAE's, with `variational` in the architecture: μ, and `logvar` too)
 *   decoder.onnx  input `code` [batch, latentDim] -> `output` [batch, inputDim] (data units)
 *   model.json    format, formatVersion, architecture (a dense spec, or a layer spec as in
 *                 `--spec` files), latentDim, scaling, training, seed,
 *                 history[] ({epoch, trainLoss, trainMse, testMse?, seconds, evalSeconds,
 *                 valLoss?, valMse?, lr?}), files{} (name, sha256, input/output names);
 *                 training.bestEpoch and training.stopReason say which epoch's weights the
 *                 folder holds and why the run ended; anomaly ({metric, rule, threshold}),
 *                 the anomaly threshold fitted on the training rows, when asked for
 *   checkpoint.*  written by a run with a checkpoint folder (checkpoint.ts), for resuming
 *
 * The weights live in the ONNX files as initializers named after the parameters, so nothing is
 * stored twice. A save writes a complete sibling folder, then swaps it in with renames, so a
 * crash (even kill -9) leaves either the old complete model or the new one under the name.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ModelFormatError } from '../errors.js';
import { removeStaleTemps, tempPathFor, writeFileSynced } from '../util/atomic.js';
import { parseScaling } from '../data/scaling.js';
import { parseActivation } from '../nn/activation.js';
import {
  isLayerSpec,
  paramInfos,
  validateSpec,
  type AutoencoderSpec,
  type LayerSpec,
  type NetSpec,
} from '../nn/autoencoder-spec.js';
import { parseModelSpec, type LayerDef } from '../nn/layer-spec.js';
import { decodeModel } from '../onnx/emit.js';
import { parseAnomalyRecord } from './anomaly.js';
import type { CodeCheck } from './code-check.js';
import { DECODER_IO, ENCODER_IO } from './inference-graph.js';
import {
  AutoencoderModel,
  type AnomalyRecord,
  type EpochRecord,
  type TrainingConfig,
} from './model.js';

/** model.json's `format` value. */
export const MODEL_FORMAT = 'aedr-autoencoder';
/** model.json's current `formatVersion`. */
export const MODEL_FORMAT_VERSION = 1;

interface FileEntry {
  path: string;
  sha256: string;
  input: string;
  output: string;
}

/** The parsed model.json. */
export interface Manifest {
  format: typeof MODEL_FORMAT;
  formatVersion: number;
  /**
   * A dense spec ({inputDim, encoder, decoder}) or a layer spec as written in `--spec` files
   * ({inputShape, encoder: LayerDef[], decoder: LayerDef[]}, every default filled in), which
   * loading checks again with parseModelSpec.
   */
  architecture: AutoencoderSpec | SavedLayerSpec;
  latentDim: number;
  scaling: AutoencoderModel['scaling'];
  seed: number;
  training?: TrainingConfig;
  history: EpochRecord[];
  /** Dead and constant code units on the training rows (train/code-check.ts), when checked. */
  codeCheck?: CodeCheck;
  /** The anomaly threshold fitted on the training rows (train/anomaly.ts), when asked for. */
  anomaly?: AnomalyRecord;
  files: { encoder: FileEntry; decoder: FileEntry };
  savedAt: string;
}

/** A layer spec in model.json: the `--spec` form of a checked ModelSpec. */
export interface SavedLayerSpec {
  inputShape: number[];
  encoder: LayerDef[];
  decoder: LayerDef[];
}

/** model.json's `architecture` for `spec`. */
function savedArchitecture(spec: NetSpec): AutoencoderSpec | SavedLayerSpec {
  if (!isLayerSpec(spec)) return spec;
  return {
    inputShape: spec.inputShape,
    encoder: spec.encoder.map((l) => l.layer),
    decoder: spec.decoder.map((l) => l.layer),
  };
}

/** The model spec of model.json's `architecture` (a layer spec checked again). @throws ConfigError, ShapeError */
export function restoredSpec(arch: AutoencoderSpec | SavedLayerSpec): NetSpec {
  return 'inputShape' in arch ? parseModelSpec(arch, 'model.json architecture') : arch;
}

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** A model's three files in memory. */
export interface ModelFiles {
  manifest: Manifest;
  encoder: Uint8Array;
  decoder: Uint8Array;
}

/** The files a model folder holds, built in memory. */
export function serializeModel(model: AutoencoderModel): ModelFiles {
  const encoder = model.encoderOnnx();
  const decoder = model.decoderOnnx();
  const manifest: Manifest = {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    architecture: savedArchitecture(model.spec),
    latentDim: model.latentDim,
    scaling: model.scaling,
    seed: model.seed,
    ...(model.training ? { training: model.training } : {}),
    history: model.history,
    ...(model.codeCheck ? { codeCheck: model.codeCheck } : {}),
    ...(model.anomaly ? { anomaly: model.anomaly } : {}),
    files: {
      encoder: { path: 'encoder.onnx', sha256: sha256(encoder), ...ENCODER_IO },
      decoder: { path: 'decoder.onnx', sha256: sha256(decoder), ...DECODER_IO },
    },
    savedAt: new Date().toISOString(),
  };
  return { manifest, encoder, decoder };
}

/**
 * Writes `model` to folder `dir` atomically (see module doc), with `extra` files (name -> content)
 * inside the same swap. Returns the manifest written.
 */
export function saveModel(
  model: AutoencoderModel,
  dir: string,
  extra: Record<string, string | Uint8Array> = {},
): Manifest {
  const target = resolve(dir);
  mkdirSync(dirname(target), { recursive: true });
  removeStaleTemps(target);
  const tmp = tempPathFor(target);
  mkdirSync(tmp);
  try {
    const files = serializeModel(model);
    writeFileSynced(join(tmp, 'encoder.onnx'), files.encoder);
    writeFileSynced(join(tmp, 'decoder.onnx'), files.decoder);
    writeFileSynced(join(tmp, 'model.json'), JSON.stringify(files.manifest, null, 2) + '\n');
    for (const [name, content] of Object.entries(extra)) writeFileSynced(join(tmp, name), content);
    swapIn(tmp, target);
    return files.manifest;
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}

/** Renames `tmp` to `target`, moving an existing target aside first and deleting it after. */
function swapIn(tmp: string, target: string): void {
  if (!existsSync(target)) {
    renameSync(tmp, target);
    return;
  }
  const old = `${tmp}-old`;
  renameSync(target, old);
  renameSync(tmp, target);
  rmSync(old, { recursive: true, force: true });
}

/**
 * Completes a save that a kill interrupted between swapIn's two renames (the folder moved aside,
 * the new one not yet under the name): the new folder, complete by then, takes the name. Returns
 * whether it did. A folder that exists is left alone.
 */
export function recoverInterruptedSave(dir: string): boolean {
  const target = resolve(dir);
  if (existsSync(target)) return false;
  const parent = dirname(target);
  const base = basename(target);
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return false;
  }
  for (const name of names) {
    const m = /^(\.aedr-tmp-(\d+)-\d+-)(.*)-old$/.exec(name);
    if (m === null || m[3] !== base || pidAlive(Number(m[2]))) continue;
    const fresh = join(parent, `${m[1]}${base}`);
    if (!existsSync(fresh)) continue;
    renameSync(fresh, target);
    rmSync(join(parent, name), { recursive: true, force: true });
    return true;
  }
  return false;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function fail(file: string, field: string, msg: string): never {
  throw new ModelFormatError(msg, { file, field });
}

function expectObject(v: unknown, file: string, field: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    fail(file, field, `expected an object, got ${JSON.stringify(v)}`);
  return v as Record<string, unknown>;
}

function expectInt(v: unknown, file: string, field: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
    fail(file, field, `expected a positive integer, got ${JSON.stringify(v)}`);
  return v;
}

function parseLayers(v: unknown, file: string, field: string): LayerSpec[] {
  if (!Array.isArray(v) || v.length === 0)
    fail(file, field, `expected a non-empty array of layers, got ${JSON.stringify(v)}`);
  return v.map((l, i) => {
    const o = expectObject(l, file, `${field}[${i}]`);
    let activation;
    try {
      activation = parseActivation(o.activation);
    } catch (err) {
      fail(file, `${field}[${i}].activation`, (err as Error).message);
    }
    return { units: expectInt(o.units, file, `${field}[${i}].units`), activation };
  });
}

function parseFile(v: unknown, file: string, field: string): FileEntry {
  const o = expectObject(v, file, field);
  for (const k of ['path', 'sha256', 'input', 'output']) {
    if (typeof o[k] !== 'string')
      fail(file, `${field}.${k}`, `expected a string, got ${JSON.stringify(o[k])}`);
  }
  return o as unknown as FileEntry;
}

/** Parses and validates model.json's content. @throws ModelFormatError naming the field */
export function parseManifest(json: unknown, file: string): Manifest {
  const o = expectObject(json, file, 'model.json');
  if (o.format !== MODEL_FORMAT)
    fail(file, 'format', `expected "${MODEL_FORMAT}", got ${JSON.stringify(o.format)}`);
  if (o.formatVersion !== MODEL_FORMAT_VERSION) {
    fail(
      file,
      'formatVersion',
      `expected ${MODEL_FORMAT_VERSION}, got ${JSON.stringify(o.formatVersion)} (saved by another aedr version?)`,
    );
  }
  const a = expectObject(o.architecture, file, 'architecture');
  let spec: AutoencoderSpec | SavedLayerSpec;
  let codeValues: number;
  if ('inputShape' in a) {
    try {
      const checked = parseModelSpec(a, 'architecture');
      spec = savedArchitecture(checked) as SavedLayerSpec;
      codeValues = checked.codeShape.reduce((x, y) => x * y, 1);
    } catch (err) {
      fail(file, 'architecture', (err as Error).message);
    }
  } else {
    const dense: AutoencoderSpec = {
      inputDim: expectInt(a.inputDim, file, 'architecture.inputDim'),
      encoder: parseLayers(a.encoder, file, 'architecture.encoder'),
      decoder: parseLayers(a.decoder, file, 'architecture.decoder'),
      ...(a.variational === true ? { variational: true } : {}),
    };
    try {
      validateSpec(dense);
    } catch (err) {
      fail(file, 'architecture', (err as Error).message);
    }
    spec = dense;
    codeValues = dense.encoder[dense.encoder.length - 1].units;
  }
  if (!Array.isArray(o.history))
    fail(file, 'history', `expected an array, got ${JSON.stringify(o.history)}`);
  const f = expectObject(o.files, file, 'files');
  const anomaly = parseAnomalyRecord(o, file);
  const seed =
    typeof o.seed === 'number'
      ? o.seed
      : fail(file, 'seed', `expected a number, got ${JSON.stringify(o.seed)}`);
  return {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    architecture: spec,
    latentDim: codeValues,
    scaling: parseScaling(o.scaling, file),
    seed,
    ...(o.training ? { training: o.training as TrainingConfig } : {}),
    history: o.history as EpochRecord[],
    ...(o.codeCheck ? { codeCheck: o.codeCheck as CodeCheck } : {}),
    ...(anomaly ? { anomaly } : {}),
    files: {
      encoder: parseFile(f.encoder, file, 'files.encoder'),
      decoder: parseFile(f.decoder, file, 'files.decoder'),
    },
    savedAt: String(o.savedAt ?? ''),
  };
}

function readOrFail(path: string, what: string): Buffer {
  if (!existsSync(path))
    throw new ModelFormatError(`${what} is missing; is this an aedr model folder?`, { file: path });
  return readFileSync(path);
}

/** Initializer values by name from ONNX bytes. */
function initializers(bytes: Uint8Array, file: string): Map<string, Float32Array> {
  let model;
  try {
    model = decodeModel(bytes);
  } catch (err) {
    throw new ModelFormatError(
      `not a valid ONNX model (${(err as Error).message})`,
      { file },
      { cause: err },
    );
  }
  const out = new Map<string, Float32Array>();
  for (const t of model.graph?.initializer ?? []) {
    if (!t.name || !t.rawData) continue;
    const raw = t.rawData;
    const copy = new Uint8Array(raw.length);
    copy.set(raw);
    out.set(t.name, new Float32Array(copy.buffer));
  }
  return out;
}

/** Loads a model folder, checking the manifest, file hashes and weight shapes. @throws ModelFormatError */
export function loadModel(
  dir: string,
  opts: { threads?: number; spin?: boolean } = {},
): AutoencoderModel {
  const jsonPath = join(dir, 'model.json');
  const text = readOrFail(jsonPath, 'model.json').toString('utf8');
  const read = (entry: FileEntry, which: string): Uint8Array =>
    readOrFail(join(dir, entry.path), `${which} file ${entry.path}`);
  return modelFromFiles(text, jsonPath, dir, read, opts);
}

/** Restores a model from model.json text and its ONNX files given in memory. @throws ModelFormatError */
export function deserializeModel(
  files: { modelJson: string; encoder: Uint8Array; decoder: Uint8Array },
  label: string,
  opts: { threads?: number; spin?: boolean } = {},
): AutoencoderModel {
  return modelFromFiles(
    files.modelJson,
    `${label}/model.json`,
    label,
    (_e, which) => (which === 'encoder' ? files.encoder : files.decoder),
    opts,
  );
}

function modelFromFiles(
  text: string,
  jsonPath: string,
  dir: string,
  read: (entry: FileEntry, which: 'encoder' | 'decoder') => Uint8Array,
  opts: { threads?: number; spin?: boolean },
): AutoencoderModel {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ModelFormatError(
      `not valid JSON (${(err as Error).message})`,
      { file: jsonPath },
      { cause: err },
    );
  }
  const m = parseManifest(json, jsonPath);
  const weights = new Map<string, Float32Array>();
  for (const which of ['encoder', 'decoder'] as const) {
    const entry = m.files[which];
    const path = join(dir, entry.path);
    const bytes = read(entry, which);
    if (sha256(bytes) !== entry.sha256) {
      throw new ModelFormatError(
        `sha256 does not match model.json's files.${which}.sha256: the file is corrupt or was replaced`,
        { file: path },
      );
    }
    for (const [k, v] of initializers(bytes, path)) weights.set(k, v);
  }
  const spec = restoredSpec(m.architecture);
  const params = paramInfos(spec).map((p) => {
    const w = weights.get(p.name);
    const n = p.shape.reduce((a, b) => a * b, 1);
    if (!w || w.length !== n) {
      throw new ModelFormatError(
        `weight '${p.name}' is missing or has ${w?.length ?? 0} values, expected ${n}`,
        { file: dir },
      );
    }
    return w;
  });
  const model = new AutoencoderModel(spec, params, m.scaling, m.seed, {
    threads: opts.threads,
    ...(opts.spin === false ? { spin: false } : {}),
  });
  model.history = m.history;
  model.training = m.training;
  model.codeCheck = m.codeCheck;
  model.anomaly = m.anomaly;
  return model;
}
