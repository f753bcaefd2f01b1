/**
 * The hover card: the original sample of the point under the cursor, fetched on demand (the
 * latest hover wins, so a fast sweep over many points draws only where the cursor stops).
 */
import { fetchSample } from './api.js';
import { drawSample, sampleCanvas, type SampleShape } from './image.js';

/** A floating card following the cursor. */
export class Tooltip {
  private readonly box: HTMLDivElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly caption: HTMLDivElement;
  private shown = -1;

  constructor(private readonly shape: SampleShape) {
    this.box = document.createElement('div');
    this.box.className = 'tooltip';
    this.box.hidden = true;
    this.canvas = sampleCanvas('small', 'original of the hovered point');
    this.canvas.id = 'hover-original';
    this.caption = document.createElement('div');
    this.box.append(this.canvas, this.caption);
    document.body.append(this.box);
  }

  /** Shows point i's original near client position (x, y). */
  show(i: number, caption: string, x: number, y: number): void {
    const left = x + 16 + 140 > window.innerWidth ? x - 156 : x + 16;
    this.box.style.left = `${left + window.scrollX}px`;
    this.box.style.top = `${y + 12 + window.scrollY}px`;
    this.box.hidden = false;
    if (this.shown === i) return;
    this.shown = i;
    this.caption.textContent = caption;
    fetchSample(i)
      .then((values) => {
        if (this.shown === i) {
          drawSample(this.canvas, values, this.shape);
          this.box.dataset.index = String(i);
        }
      })
      .catch(() => undefined);
  }

  /** Hides the card. */
  hide(): void {
    this.box.hidden = true;
    this.shown = -1;
  }
}
