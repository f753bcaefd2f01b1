/**
 * The model folder of `aedr train`: its default name, and the check that saving there cannot
 * delete anything that is not an aedr model (saveModel replaces the folder as a whole).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { formatOf } from '../data/load.js';
import { UsageError } from './context.js';

/** `mnist-50`, `points-128-2`: the data's base name and the layer sizes. */
export function defaultName(data: string, layers: readonly number[]): string {
  const base =
    /^mnist/i.test(data) && formatOf(data) === undefined
      ? 'mnist'
      : basename(data)
          .replace(/\.gz$/i, '')
          .replace(/\.[^.]*$/, '');
  const safe = base.replace(/[^A-Za-z0-9._-]+/g, '_') || 'data';
  return `${safe}-${layers.join('-')}`;
}

/**
 * Checks that `out` is absent, an empty folder or an aedr model folder: saving replaces the
 * folder as a whole, which must never delete unrelated files. Returns whether it exists.
 * @throws UsageError
 */
export function checkOutDir(out: string): boolean {
  if (!existsSync(out)) return false;
  if (!statSync(out).isDirectory())
    throw new UsageError(`--out ${out} is a file; expected a folder for the model`);
  const entries = readdirSync(out);
  if (entries.length > 0 && !entries.includes('model.json')) {
    throw new UsageError(
      `--out ${out} exists and is not an aedr model folder (no model.json); saving would replace its contents, so choose a new folder or empty it`,
    );
  }
  return true;
}
