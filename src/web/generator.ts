/**
 * Decoder-only generation by hand: one slider per latent coordinate (the first 16 of wider
 * codes; the rest keep the value of the code last loaded), decoded live as they move. Moves
 * arriving while a decode runs are coalesced into one decode of the latest code, so the image
 * never lags behind a fast drag. Each finished decode fires a `decoded` event on the image
 * canvas with the time from the first unserved move to the drawn image.
 */
import type { ExplorerMeta } from '../cli/serve/protocol.js';
import type { Decoder } from './decoder.js';
import { drawSample, sampleCanvas, type SampleShape } from './image.js';

/** Most sliders shown. */
export const MAX_SLIDERS = 16;

/** Detail of the `decoded` event. */
export interface DecodedDetail {
  /** Milliseconds from the (first coalesced) slider move to the drawn image. */
  ms: number;
  /** Decodes finished so far. */
  count: number;
}

/** The slider panel and its decoded image. */
export class Generator {
  readonly element: HTMLDivElement;
  readonly image: HTMLCanvasElement;
  private readonly sliders: HTMLInputElement[] = [];
  private readonly readouts: HTMLOutputElement[] = [];
  private readonly timing: HTMLSpanElement;
  private readonly code: Float32Array;
  private busy = false;
  private pendingSince = -1;
  private count = 0;

  constructor(
    meta: ExplorerMeta,
    private readonly decoder: Decoder,
    private readonly shape: SampleShape,
    private readonly onCode: (code: Float32Array) => void,
    private readonly onError: (err: unknown) => void,
  ) {
    const d = meta.model.latentDim;
    this.code = Float32Array.from(meta.codes.mean);
    this.element = document.createElement('div');
    this.element.className = 'generator';
    this.image = sampleCanvas('large', 'image decoded from the slider code');
    this.image.id = 'generated';
    this.timing = document.createElement('span');
    this.timing.className = 'timing';
    const figure = document.createElement('figure');
    const cap = document.createElement('figcaption');
    cap.append('decoded from the code · ', this.timing);
    figure.append(this.image, cap);
    const list = document.createElement('div');
    list.className = 'sliders';
    const shown = Math.min(d, MAX_SLIDERS);
    for (let j = 0; j < shown; j++) {
      const lo = meta.codes.min[j];
      const hi = meta.codes.max[j];
      const pad = Math.max(1e-6, (hi - lo) * 0.1);
      const row = document.createElement('label');
      row.className = 'slider-row';
      const name = document.createElement('span');
      name.className = 'slider-name';
      name.textContent = `z${j + 1}`;
      const s = document.createElement('input');
      s.type = 'range';
      s.min = String(lo - pad);
      s.max = String(hi + pad);
      s.step = String((hi - lo + 2 * pad) / 1000);
      s.value = String(this.code[j]);
      s.dataset.dim = String(j);
      s.setAttribute('aria-label', `latent coordinate z${j + 1}`);
      const out = document.createElement('output');
      s.addEventListener('input', () => {
        this.code[j] = Number(s.value);
        out.textContent = fmt(this.code[j]);
        this.request();
      });
      row.append(name, s, out);
      list.append(row);
      this.sliders.push(s);
      this.readouts.push(out);
    }
    const note = document.createElement('p');
    note.className = 'hint';
    note.textContent =
      d > MAX_SLIDERS
        ? `Sliders for the first ${MAX_SLIDERS} of ${d} coordinates; the others keep the loaded code's values.`
        : 'Move a slider to decode a new image; ◆ marks the code in the scatter.';
    this.element.append(figure, list, note);
  }

  /** The code the sliders describe (a copy). */
  current(): Float32Array {
    return this.code.slice();
  }

  /** Loads `code` into the sliders and decodes it. */
  setCode(code: ArrayLike<number>): void {
    this.code.set(code);
    this.sliders.forEach((s, j) => {
      s.value = String(this.code[j]);
      this.readouts[j].textContent = fmt(this.code[j]);
    });
    this.request();
  }

  private request(): void {
    if (this.pendingSince < 0) this.pendingSince = performance.now();
    this.onCode(this.code);
    if (!this.busy) void this.run();
  }

  private async run(): Promise<void> {
    this.busy = true;
    try {
      while (this.pendingSince >= 0) {
        const since = this.pendingSince;
        this.pendingSince = -1;
        const out = await this.decoder.decode(this.code.slice(), 1);
        drawSample(this.image, out, this.shape);
        const ms = performance.now() - since;
        this.count++;
        this.timing.textContent = `${this.decoder.kind === 'browser' ? 'in the browser' : 'on the server'}, ${ms.toFixed(1)} ms`;
        this.image.dataset.decodeCount = String(this.count);
        this.image.dispatchEvent(
          new CustomEvent<DecodedDetail>('decoded', { detail: { ms, count: this.count } }),
        );
      }
    } catch (err) {
      this.onError(err);
    } finally {
      this.busy = false;
    }
  }
}

function fmt(v: number): string {
  return (v >= 0 ? '\u2007' : '') + v.toFixed(2);
}
