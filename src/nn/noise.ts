/**
 * Input corruption for denoising autoencoders: each training batch's input is corrupted, its
 * target stays clean. The kinds follow Vincent et al., "Stacked Denoising Autoencoders" (JMLR
 * 11, 2010, section 4.2) and the TensorFlow "Intro to Autoencoders" tutorial:
 * - `gaussian:σ`: x + N(0, σ²), clipped to the data range (the tutorial's 0.2 on [0, 1]);
 * - `masking:p`: each value set to the range's minimum with probability p;
 * - `salt-pepper:p`: each value set to the minimum or the maximum (one chance each) with
 *   probability p.
 * Kinds can be chained with commas (`masking:0.3,gaussian:0.1`), applied in order. The draws come
 * from one xoshiro128** stream seeded by four words of the given Rng (util/xoshiro.ts; normals
 * by the ziggurat, util/ziggurat.ts), in element order. Guarantees: a batch is reproducible from
 * the Rng's state (its seed and the step), every value the noise writes lies in
 * [min, max] (given data inside the range, so does the output), and the input is never written.
 */
import { ConfigError } from '../errors.js';
import type { Rng } from '../util/rng.js';
import { Xoshiro128 } from '../util/xoshiro.js';
import { zigguratNormal } from '../util/ziggurat.js';

/** One corruption step. */
export type NoiseSpec =
  | { kind: 'gaussian'; std: number }
  | { kind: 'masking'; rate: number }
  | { kind: 'salt-pepper'; rate: number };

/** The data range the output is clipped to (MNIST pixels: [0, 1]). */
export interface DataRange {
  min: number;
  max: number;
}

const KINDS = ['gaussian', 'masking', 'salt-pepper'] as const;
const USAGE = 'gaussian:0.2, masking:0.3 or salt-pepper:0.1 (commas chain several)';

/**
 * Parses a `--noise` value such as `gaussian:0.2`; `none` or an empty string gives no steps.
 * @throws ConfigError naming the bad part, the value and the accepted forms
 * @example
 * parseNoise('masking:0.3,gaussian:0.1');
 * // [{ kind: 'masking', rate: 0.3 }, { kind: 'gaussian', std: 0.1 }]
 */
export function parseNoise(text: string, name = 'noise'): NoiseSpec[] {
  const t = text.trim();
  if (t === '' || t === 'none') return [];
  return t.split(',').map((part) => {
    const m = /^\s*([a-z-]+)\s*:\s*(\S+)\s*$/.exec(part);
    if (!m) {
      throw new ConfigError(`${name}: expected kind:amount, got '${part.trim()}'; use ${USAGE}`);
    }
    const [, kind, amountText] = m;
    const amount = Number(amountText);
    if (!(KINDS as readonly string[]).includes(kind)) {
      throw new ConfigError(
        `${name}: unknown noise kind '${kind}' in '${part.trim()}'; expected one of ${KINDS.join(', ')}`,
      );
    }
    if (kind === 'gaussian') {
      if (!Number.isFinite(amount) || amount < 0) {
        throw new ConfigError(
          `${name}: gaussian needs a standard deviation >= 0, got '${amountText}' (e.g. gaussian:0.2)`,
        );
      }
      return { kind, std: amount };
    }
    if (!Number.isFinite(amount) || amount < 0 || amount > 1) {
      throw new ConfigError(
        `${name}: ${kind} needs a probability in [0, 1], got '${amountText}' (e.g. ${kind}:0.1)`,
      );
    }
    return { kind: kind as 'masking' | 'salt-pepper', rate: amount };
  });
}

/** The canonical text of `specs` (parseNoise's inverse). */
export function formatNoise(specs: readonly NoiseSpec[]): string {
  if (specs.length === 0) return 'none';
  return specs.map((s) => `${s.kind}:${s.kind === 'gaussian' ? s.std : s.rate}`).join(',');
}

/** The smallest and largest finite value of `data`. @throws ConfigError when it has none */
export function dataRange(data: ArrayLike<number>): DataRange {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!(min <= max)) throw new ConfigError('dataRange: the data holds no finite values');
  return { min, max };
}

/**
 * A corrupted copy of `x` (written into `out` when given, which may not be `x`).
 * @throws ConfigError when the range is empty or `out` has the wrong length
 */
export function corrupt(
  x: Float32Array,
  specs: readonly NoiseSpec[],
  rng: Rng,
  range: DataRange,
  out: Float32Array = new Float32Array(x.length),
): Float32Array {
  const { min, max } = range;
  if (!(Number.isFinite(min) && Number.isFinite(max) && min <= max)) {
    throw new ConfigError(`corrupt: range must be finite with min <= max, got [${min}, ${max}]`);
  }
  if (out.length !== x.length || out === x) {
    throw new ConfigError(
      `corrupt: out must be a separate array of ${x.length} values, got ${out === x ? 'the input itself' : `${out.length} values`}`,
    );
  }
  out.set(x);
  const g = Xoshiro128.fromRng(rng);
  for (const s of specs) {
    if (s.kind === 'gaussian') {
      if (s.std === 0) continue;
      const std = s.std;
      for (let i = 0; i < out.length; i++) {
        const v = out[i] + std * zigguratNormal(g);
        out[i] = v < min ? min : v > max ? max : v;
      }
    } else if (s.kind === 'masking') {
      for (let i = 0; i < out.length; i++) if (g.random() < s.rate) out[i] = min;
    } else {
      for (let i = 0; i < out.length; i++) {
        if (g.random() < s.rate) out[i] = g.random() < 0.5 ? min : max;
      }
    }
  }
  return out;
}
