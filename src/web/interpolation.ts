/**
 * The interpolation strip: the codes of two picked points joined by a straight line in latent
 * space, `z(t) = (1 - t)·zA + t·zB` at evenly spaced t, all decoded in one batch and shown
 * between the two original samples.
 */
import type { Decoder } from './decoder.js';
import { drawSample, sampleCanvas, type SampleShape } from './image.js';

/** Decoded steps from A to B, ends included. */
export const STEPS = 10;

/** One picked end of the strip. */
export interface Endpoint {
  index: number;
  /** Its label's name, or '' without labels. */
  label: string;
  code: Float32Array;
  original: Float32Array;
}

/** The strip panel. */
export class InterpolationStrip {
  readonly element: HTMLDivElement;
  private readonly strip: HTMLDivElement;
  private readonly hint: HTMLParagraphElement;
  private seq = 0;

  constructor(
    private readonly decoder: Decoder,
    private readonly shape: SampleShape,
    private readonly onError: (err: unknown) => void,
  ) {
    this.element = document.createElement('div');
    this.element.className = 'interpolation';
    this.hint = document.createElement('p');
    this.hint.className = 'hint';
    this.hint.textContent =
      'Click two points in the scatter: the strip decodes the straight line between their codes.';
    this.strip = document.createElement('div');
    this.strip.className = 'strip';
    this.strip.id = 'interpolation-strip';
    this.element.append(this.hint, this.strip);
  }

  /** Decodes and shows the strip from `a` to `b`. */
  async show(a: Endpoint, b: Endpoint): Promise<void> {
    const seq = ++this.seq;
    const d = a.code.length;
    const codes = new Float32Array(STEPS * d);
    for (let s = 0; s < STEPS; s++) {
      const t = s / (STEPS - 1);
      for (let j = 0; j < d; j++) codes[s * d + j] = (1 - t) * a.code[j] + t * b.code[j];
    }
    let out: Float32Array;
    try {
      out = await this.decoder.decode(codes, STEPS);
    } catch (err) {
      this.onError(err);
      return;
    }
    if (seq !== this.seq) return;
    const w = out.length / STEPS;
    const cells: HTMLElement[] = [cell(a.original, `A · ${pointName(a)}`, 'original', this.shape)];
    for (let s = 0; s < STEPS; s++) {
      cells.push(
        cell(
          out.subarray(s * w, (s + 1) * w),
          `t = ${(s / (STEPS - 1)).toFixed(2)}`,
          'step',
          this.shape,
        ),
      );
    }
    cells.push(cell(b.original, `B · ${pointName(b)}`, 'original', this.shape));
    this.strip.replaceChildren(...cells);
    this.strip.dataset.steps = String(STEPS);
    this.hint.textContent = `From point ${pointName(a)} to ${pointName(b)}; the outer images are the originals.`;
  }
}

/** `#12 (7)`, or `#12` without labels. */
function pointName(e: Endpoint): string {
  return e.label ? `#${e.index} (${e.label})` : `#${e.index}`;
}

function cell(
  values: ArrayLike<number>,
  caption: string,
  kind: string,
  shape: SampleShape,
): HTMLElement {
  const f = document.createElement('figure');
  f.className = `strip-cell ${kind}`;
  const c = sampleCanvas('small', caption);
  drawSample(c, values, shape);
  const cap = document.createElement('figcaption');
  cap.textContent = caption;
  f.append(c, cap);
  return f;
}
