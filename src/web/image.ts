/**
 * Draws one sample on a canvas: a square image as grey levels (white ink on black, as MNIST is
 * usually shown), anything else as a profile of its values. Values are mapped linearly from the
 * data set's range and clamped, so a decoder's overshoot does not wrap around.
 */

/** How samples are drawn. */
export interface SampleShape {
  /** [height, width] of an image, or null for a profile. */
  imageShape: [number, number] | null;
  /** Display range of the values. */
  range: [number, number];
}

/** Draws `values` into `canvas`, resizing it to the image's pixel size (CSS scales it up). */
export function drawSample(
  canvas: HTMLCanvasElement,
  values: ArrayLike<number>,
  shape: SampleShape,
): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  canvas.classList.toggle('profile', !shape.imageShape);
  const [lo, hi] = shape.range;
  const scale = 255 / (hi - lo);
  if (shape.imageShape) {
    const [h, w] = shape.imageShape;
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
    }
    const img = ctx.createImageData(w, h);
    const px = img.data;
    for (let i = 0; i < w * h; i++) {
      const g = Math.max(0, Math.min(255, (values[i] - lo) * scale));
      px[4 * i] = g;
      px[4 * i + 1] = g;
      px[4 * i + 2] = g;
      px[4 * i + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
    return;
  }
  drawProfile(canvas, ctx, values, lo, hi);
}

function drawProfile(
  canvas: HTMLCanvasElement,
  ctx: CanvasRenderingContext2D,
  values: ArrayLike<number>,
  lo: number,
  hi: number,
): void {
  const w = 160;
  const h = 96;
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
  }
  ctx.fillStyle = '#111418';
  ctx.fillRect(0, 0, w, h);
  const n = values.length;
  const bar = w / n;
  ctx.fillStyle = '#e8eaed';
  for (let i = 0; i < n; i++) {
    const t = Math.max(0, Math.min(1, (values[i] - lo) / (hi - lo)));
    const y = (1 - t) * (h - 4) + 2;
    ctx.fillRect(i * bar, y, Math.max(1, bar - (bar > 3 ? 1 : 0)), h - y);
  }
}

/** A new canvas for samples with the given CSS size class. */
export function sampleCanvas(className: string, label: string): HTMLCanvasElement {
  const c = document.createElement('canvas');
  c.className = `sample ${className}`;
  c.setAttribute('role', 'img');
  c.setAttribute('aria-label', label);
  return c;
}
