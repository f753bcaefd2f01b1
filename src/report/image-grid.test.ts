import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, DataError, ShapeError } from '../errors.js';
import { imageGrid } from './image-grid.js';
import { decodePng, decodePngGray } from './png.js';

/** n images of h x w where image k has every pixel equal to values[k]. */
function flatImages(values: number[], h: number, w: number): Float32Array {
  const out = new Float32Array(values.length * h * w);
  values.forEach((v, k) => out.fill(v, k * h * w, (k + 1) * h * w));
  return out;
}

test('imageGrid: size is padding + cols*(w*scale + padding) by padding + rows*(h*scale + padding)', () => {
  // 7 images in 3 columns -> 3 rows; 4x5 images (h=4, w=5) at scale 3, padding 2.
  const png = imageGrid(new Float32Array(7 * 20), {
    n: 7,
    h: 4,
    w: 5,
    cols: 3,
    scale: 3,
    padding: 2,
  });
  const { width, height } = decodePng(png);
  assert.equal(width, 2 + 3 * (5 * 3 + 2));
  assert.equal(height, 2 + 3 * (4 * 3 + 2));
});

test('imageGrid: exact pixels per cell, background in the gaps and empty cells', () => {
  // Image 5 (grid row 1, column 2 of 3 columns) is all ones: white; the others are black.
  const values = [0, 0, 0, 0, 0, 1];
  const h = 4, w = 4, scale = 2, pad = 3; // prettier-ignore
  const png = imageGrid(flatImages(values, h, w), {
    n: 6,
    h,
    w,
    cols: 3,
    scale,
    padding: pad,
    background: '#808080',
  });
  const g = decodePngGray(png);
  const cell = (r: number, c: number, dy: number, dx: number) =>
    g.data[(pad + r * (h * scale + pad) + dy) * g.width + pad + c * (w * scale + pad) + dx];
  for (const [dy, dx] of [
    [0, 0],
    [7, 7],
    [3, 5],
  ]) {
    assert.equal(cell(1, 2, dy, dx), 255, `white cell (1,2) at ${dy},${dx}`);
    assert.equal(cell(1, 1, dy, dx), 0, `black cell (1,1) at ${dy},${dx}`);
  }
  assert.equal(g.data[0], 128, 'corner is the #808080 background');
  assert.equal(cell(1, 2, -1, 0), 128, 'gap above cell (1,2)');
});

test('imageGrid: nearest-neighbour upscaling repeats each source pixel scale x scale times', () => {
  // One 1x2 image [0.2, 0.8] at scale 3, no padding: columns 0-2 are 51, columns 3-5 are 204.
  const g = decodePngGray(
    imageGrid(Float64Array.of(0.2, 0.8), { n: 1, h: 1, w: 2, cols: 1, scale: 3, padding: 0 }),
  );
  assert.equal(g.width, 6);
  assert.equal(g.height, 3);
  assert.deepEqual([...g.data.subarray(0, 6)], [51, 51, 51, 204, 204, 204]);
  assert.deepEqual([...g.data.subarray(12, 18)], [51, 51, 51, 204, 204, 204]);
});

test('imageGrid: labels add a left and top margin and leave the image pixels exact', () => {
  const values = [1, 0, 0, 1];
  const plain = decodePngGray(imageGrid(flatImages(values, 28, 28), { n: 4, cols: 2 }));
  const labelled = decodePngGray(
    imageGrid(flatImages(values, 28, 28), {
      n: 4,
      cols: 2,
      rowLabels: ['original', 'decoded'],
      colLabels: ['a', 'b'],
    }),
  );
  const left = labelled.width - plain.width;
  const top = labelled.height - plain.height;
  assert.ok(left > 30 && left < 120, `left margin ${left}`);
  assert.ok(top > 10 && top < 40, `top margin ${top}`);
  let diff = 0;
  for (let y = 0; y < plain.height; y++) {
    for (let x = 0; x < plain.width; x++) {
      if (labelled.data[(y + top) * labelled.width + x + left] !== plain.data[y * plain.width + x])
        diff++;
    }
  }
  assert.equal(diff, 0, 'grid pixels unchanged under the labels');
  // The label text is drawn: the left margin holds dark pixels.
  let dark = 0;
  for (let y = 0; y < labelled.height; y++)
    for (let x = 0; x < left; x++) if (labelled.data[y * labelled.width + x] < 128) dark++;
  assert.ok(dark > 20, `row label pixels: ${dark}`);
});

test('imageGrid: misuse', () => {
  const isErr = (cls: new (...a: never[]) => Error, re: RegExp) => (e: unknown) =>
    e instanceof cls && re.test(e.message);
  assert.throws(
    () => imageGrid(new Float32Array(10), { n: 2, h: 2, w: 2, cols: 2 }),
    isErr(ShapeError, /images must hold n\*h\*w = 2\*2\*2 = 8 values, got 10/),
  );
  assert.throws(
    () => imageGrid(new Float32Array(4), { n: 1, h: 2, w: 2, cols: 0 }),
    isErr(ConfigError, /cols must be an integer >= 1, got 0/),
  );
  assert.throws(
    () => imageGrid(new Float32Array(8), { n: 2, h: 2, w: 2, cols: 1, rowLabels: ['one'] }),
    isErr(ConfigError, /rowLabels must hold 2 strings \(one per grid row\), got 1 labels/),
  );
  assert.throws(
    () => imageGrid(new Float32Array(8), { n: 2, h: 2, w: 2, cols: 2, colLabels: ['a', 'b', 'c'] }),
    isErr(ConfigError, /colLabels must hold 2 strings \(one per grid column\), got 3 labels/),
  );
  assert.throws(
    () => imageGrid(new Float32Array(4), { n: 1, h: 2, w: 2, cols: 1, background: 'white' }),
    isErr(ConfigError, /background must be '#rgb' or '#rrggbb', got "white"/),
  );
  assert.throws(
    () => imageGrid(Float32Array.of(0, 0, 0, 0, 0, NaN, 0, 0), { n: 2, h: 2, w: 2, cols: 2 }),
    isErr(DataError, /image 1, pixel 1 \(x 1, y 0\) is NaN/),
  );
});
