import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataError, ShapeError } from '../errors.js';
import { decodePng, decodePngGray, encodePng, encodePngRgba, toByte } from './png.js';

test('encodePng: floats in [0, 1] map to round(255 v), clipped outside, and decode back exactly', () => {
  const gray = Float32Array.of(0, 0.5, 1, -3, 7, 0.2);
  const png = encodePng(gray, 3, 2);
  const back = decodePngGray(png);
  assert.equal(back.width, 3);
  assert.equal(back.height, 2);
  // round(0.5 * 255) = 128, round(0.2 * 255) = 51 (0.2 as float32 is 0.2000000029...).
  assert.deepEqual([...back.data], [0, 128, 255, 0, 255, 51]);
});

test('encodePng: bytes pass through unchanged; the file is 8-bit grayscale', () => {
  const bytes = Uint8Array.from({ length: 12 }, (_, i) => i * 20);
  const png = encodePng(bytes, 4, 3);
  assert.equal(png[25], 0, 'IHDR colour type 0 (grayscale), PNG spec §11.2.2');
  assert.deepEqual([...decodePngGray(png).data], [...bytes]);
});

test('encodePngRgba / decodePng round trip; decodePngGray composites alpha over white', () => {
  const rgba = Uint8Array.of(255, 0, 0, 255, 0, 0, 0, 0);
  const png = encodePngRgba(rgba, 2, 1);
  assert.deepEqual([...decodePng(png).data], [...rgba]);
  // Red: mean (255+0+0)/3 = 85; fully transparent black reads as white.
  assert.deepEqual([...decodePngGray(png).data], [85, 255]);
});

test('toByte clips and rounds', () => {
  assert.deepEqual([-1, 0, 0.001, 0.999, 1, 2].map(toByte), [0, 0, 0, 255, 255, 255]);
});

test('png helpers: misuse', () => {
  assert.throws(
    () => encodePng(new Float32Array(5), 2, 2),
    (e: unknown) =>
      e instanceof ShapeError && /gray must hold w\*h = 2\*2 = 4 values, got 5/.test(e.message),
  );
  assert.throws(
    () => encodePng(Float32Array.of(0, NaN), 2, 1),
    (e: unknown) => e instanceof DataError && /gray\[1\] \(x 1, y 0\) is NaN/.test(e.message),
  );
  assert.throws(() => encodePng(new Uint8Array(0), 0, 0), /w must be an integer >= 1, got 0/);
  assert.throws(
    () => encodePngRgba(new Uint8Array(3), 1, 1),
    (e: unknown) =>
      e instanceof ShapeError && /rgba must hold 4\*w\*h = 4 bytes, got 3/.test(e.message),
  );
  assert.throws(
    () => decodePng(Uint8Array.of(1, 2, 3)),
    (e: unknown) => e instanceof DataError && /png: cannot decode 3 bytes/.test(e.message),
  );
});
