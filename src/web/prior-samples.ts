/**
 * Samples from a VAE's prior in the page: `n` codes z ~ N(0, I) drawn with aedr's seeded
 * generator (util/rng.ts: PCG32, Box-Muller normals, row by row) and decoded by the page's
 * decoder. The draws are those of train/vae.ts `sampleFromPrior` and `aedr sample` for the same
 * seed, so a sample seen here can be reproduced from the command line. Each click draws with the
 * seed in the box, then advances it; clicking a sample loads its code into the sliders.
 */
import { Rng } from '../util/rng.js';
import type { Decoder } from './decoder.js';
import { drawSample, sampleCanvas, type SampleShape } from './image.js';

/** Samples drawn per click. */
export const PRIOR_SAMPLES = 16;

/** The "sample" button, its seed and the grid of decoded samples. */
export class PriorSamples {
  readonly element: HTMLDivElement;
  private readonly grid: HTMLDivElement;
  private readonly seed: HTMLInputElement;
  private seq = 0;

  constructor(
    private readonly latentDim: number,
    private readonly decoder: Decoder,
    private readonly shape: SampleShape,
    private readonly onPick: (code: Float32Array) => void,
    private readonly onError: (err: unknown) => void,
  ) {
    this.element = document.createElement('div');
    this.element.className = 'prior-samples';
    const bar = document.createElement('div');
    bar.className = 'controls';
    const button = document.createElement('button');
    button.type = 'button';
    button.id = 'sample-button';
    button.textContent = 'sample';
    const label = document.createElement('label');
    label.append('seed ');
    this.seed = document.createElement('input');
    this.seed.type = 'number';
    this.seed.id = 'sample-seed';
    this.seed.min = '0';
    this.seed.step = '1';
    this.seed.value = '0';
    label.append(this.seed);
    const hint = document.createElement('span');
    hint.className = 'hint';
    hint.textContent = ` ${PRIOR_SAMPLES} codes z ~ N(0, I) through the decoder (aedr sample --seed gives the same); click one to load its code`;
    bar.append(button, ' ', label, hint);
    this.grid = document.createElement('div');
    this.grid.className = 'strip';
    this.grid.id = 'prior-samples';
    this.element.append(bar, this.grid);
    button.addEventListener('click', () => void this.draw());
  }

  /** Draws and shows the samples of the seed in the box, then advances the seed. */
  async draw(): Promise<void> {
    const seq = ++this.seq;
    const seed = Math.max(0, Math.trunc(Number(this.seed.value) || 0));
    const d = this.latentDim;
    const rng = new Rng(seed);
    const codes = new Float32Array(PRIOR_SAMPLES * d);
    for (let i = 0; i < codes.length; i++) codes[i] = rng.normal();
    let out: Float32Array;
    try {
      out = await this.decoder.decode(codes, PRIOR_SAMPLES);
    } catch (err) {
      this.onError(err);
      return;
    }
    if (seq !== this.seq) return;
    const w = out.length / PRIOR_SAMPLES;
    const cells: HTMLElement[] = [];
    for (let k = 0; k < PRIOR_SAMPLES; k++) {
      const f = document.createElement('figure');
      f.className = 'strip-cell sample-cell';
      const c = sampleCanvas('small', `sample ${k + 1} of seed ${seed}`);
      drawSample(c, out.subarray(k * w, (k + 1) * w), this.shape);
      const code = codes.slice(k * d, (k + 1) * d);
      c.addEventListener('click', () => this.onPick(code));
      const cap = document.createElement('figcaption');
      cap.textContent = `#${k + 1}`;
      f.append(c, cap);
      cells.push(f);
    }
    this.grid.replaceChildren(...cells);
    this.grid.dataset.seed = String(seed);
    this.grid.dataset.count = String(PRIOR_SAMPLES);
    this.seed.value = String(seed + 1);
  }
}
