/**
 * The command registry: one import and one array entry per command, alphabetical. A new command
 * is a file `commands/<name>.ts` exporting `register(program, ctx)` (see ../context.ts).
 */
import type { Register } from '../context.js';
import { register as anomaly } from './anomaly.js';
import { register as compare } from './compare.js';
import { register as curves } from './curves.js';
import { register as decode } from './decode.js';
import { register as encode } from './encode.js';
import { register as info } from './info.js';
import { register as intrinsicDim } from './intrinsic-dim.js';
import { register as pumap } from './pumap.js';
import { register as sample } from './sample.js';
import { register as score } from './score.js';
import { register as serve } from './serve.js';
import { register as study } from './study.js';
import { register as train } from './train.js';

/** Every command, in the order `aedr --help` lists them. */
// prettier-ignore
export const COMMANDS: readonly Register[] = [
  anomaly,
  compare,
  curves,
  decode,
  encode,
  info,
  intrinsicDim,
  pumap,
  sample,
  score,
  serve,
  study,
  train,
];
