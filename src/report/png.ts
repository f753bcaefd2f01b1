/**
 * PNG encoding and decoding of grayscale and RGBA pixels with pngjs 7
 * (https://github.com/pngjs/pngjs; PNG format: https://www.w3.org/TR/png/). Grayscale input is
 * either bytes (0..255) or floats in [0, 1], clipped, as autoencoder outputs are.
 */
import { PNG } from 'pngjs';
import { DataError, ShapeError } from '../errors.js';
import { checkInt } from '../util/check.js';

/** Decoded pixels: `data` holds `width*height*channels` bytes, row-major. */
export interface Pixels {
  width: number;
  height: number;
  data: Uint8Array;
}

/** The byte value of a [0, 1] intensity, clipped (NaN is rejected by callers before this). */
export function toByte(v: number): number {
  return v <= 0 ? 0 : v >= 1 ? 255 : Math.round(v * 255);
}

/**
 * Encodes a w x h grayscale image (bytes 0..255, or floats in [0, 1], clipped) as an 8-bit gray PNG.
 * @throws ShapeError when the length is not w*h; DataError on a NaN value
 */
export function encodePng(
  gray: Float32Array | Float64Array | Uint8Array,
  w: number,
  h: number,
): Uint8Array {
  checkInt('w', w, 1);
  checkInt('h', h, 1);
  if (gray.length !== w * h) {
    throw new ShapeError(`gray must hold w*h = ${w}*${h} = ${w * h} values, got ${gray.length}`);
  }
  let bytes: Uint8Array;
  if (gray instanceof Uint8Array) {
    bytes = gray;
  } else {
    bytes = new Uint8Array(gray.length);
    for (let i = 0; i < gray.length; i++) {
      if (Number.isNaN(gray[i])) {
        throw new DataError(
          `gray[${i}] (x ${i % w}, y ${Math.floor(i / w)}) is NaN; expected a value in [0, 1]`,
        );
      }
      bytes[i] = toByte(gray[i]);
    }
  }
  const png = new PNG({
    width: w,
    height: h,
    colorType: 0,
    inputColorType: 0,
    inputHasAlpha: false,
  });
  png.data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return new Uint8Array(
    PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false }),
  );
}

/**
 * Encodes w x h RGBA bytes (4 per pixel) as a PNG.
 * @throws ShapeError when the length is not 4*w*h
 */
export function encodePngRgba(rgba: Uint8Array, w: number, h: number): Uint8Array {
  checkInt('w', w, 1);
  checkInt('h', h, 1);
  if (rgba.length !== 4 * w * h) {
    throw new ShapeError(`rgba must hold 4*w*h = ${4 * w * h} bytes, got ${rgba.length}`);
  }
  const png = new PNG({ width: w, height: h });
  png.data = Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength);
  return new Uint8Array(PNG.sync.write(png));
}

/**
 * Decodes any PNG to RGBA bytes (4 per pixel).
 * @throws DataError when the bytes are not a valid PNG
 */
export function decodePng(bytes: Uint8Array): Pixels {
  let png: PNG;
  try {
    png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (err) {
    throw new DataError(
      `png: cannot decode ${bytes.length} bytes: ${String(err)}`,
      {},
      { cause: err },
    );
  }
  return { width: png.width, height: png.height, data: new Uint8Array(png.data) };
}

/**
 * Decodes a PNG to one gray byte per pixel: the mean of R, G and B, composited over white by alpha.
 * @throws DataError when the bytes are not a valid PNG
 */
export function decodePngGray(bytes: Uint8Array): Pixels {
  const { width, height, data } = decodePng(bytes);
  const gray = new Uint8Array(width * height);
  for (let i = 0; i < gray.length; i++) {
    const a = data[4 * i + 3] / 255;
    const mean = (data[4 * i] + data[4 * i + 1] + data[4 * i + 2]) / 3;
    gray[i] = Math.round(mean * a + 255 * (1 - a));
  }
  return { width, height, data: gray };
}
