/**
 * The `--model DIR` argument of encode, decode and info: a missing folder gets its own message
 * before loadModel checks the manifest, hashes and weights.
 */
import { existsSync, statSync } from 'node:fs';
import { ModelFormatError } from '../errors.js';
import type { AutoencoderModel } from '../train/model.js';
import { loadModel } from '../train/persist.js';

/** Loads the model folder `dir`; its sessions use `threads` and sleep when idle with spin false. @throws ModelFormatError */
export function openModel(dir: string, threads?: number, spin?: boolean): AutoencoderModel {
  if (!existsSync(dir)) {
    throw new ModelFormatError(
      'model folder not found; expected a folder written by `aedr train`',
      {
        file: dir,
      },
    );
  }
  if (!statSync(dir).isDirectory()) {
    throw new ModelFormatError(
      'is a file; --model expects the folder holding model.json, encoder.onnx and decoder.onnx',
      { file: dir },
    );
  }
  return loadModel(dir, {
    ...(threads === undefined ? {} : { threads }),
    ...(spin === false ? { spin: false } : {}),
  });
}
