/**
 * The study's pictures of the convolutional denoising autoencoders (the TensorFlow tutorial
 * "Intro to Autoencoders", its "noisy / denoised" figure): the same test digits corrupted as the
 * test MSE's noisy input, each model's reconstruction of them, and the clean digits; plus each
 * model's code values that are 0 for every test image (a collapsed model, which outputs one
 * image whatever the input, has them all). The noisy input is the trainer's own corruption of
 * the test rows (trainer.ts: `stepRng(seed, -1)` over the whole scaled test set, clipped to the
 * scaled training data's range), so the picture shows exactly what `testMseNoisy` measured.
 */
import { join } from 'node:path';
import { corrupt, dataRange, parseNoise } from '../../nn/noise.js';
import { imageGrid } from '../../report/image-grid.js';
import { checkCodes } from '../../train/code-check.js';
import { loadModel } from '../../train/persist.js';
import { stepRng } from '../../train/run-steps.js';
import { matrix, takeRows, type Matrix32 } from '../../util/matrix.js';
import type { ConvRow, StudyOutcome } from './outcome.js';
import { runDir, type StudyData } from './runs.js';

/** A picture: PNG bytes and what it shows. */
export interface DenoisePicture {
  file: string;
  png: Uint8Array;
  caption: string;
}

/** What `denoisingImages` draws and counts. */
export interface DenoiseImages {
  /** Undefined when the study trained no conv model. */
  picture?: DenoisePicture;
  /** Per conv model (keyed by its filter list): code values 0 on every test image. */
  deadCodeValues: Map<string, number>;
}

/**
 * The test rows (data units, 0..255) corrupted with `noise` exactly as fit() corrupts its test
 * data for `testMseNoisy` with this `seed`.
 */
export function noisyTestRows(data: StudyData, noise: string, seed: number): Matrix32 {
  const specs = parseNoise(noise, 'conv noise');
  const scaled = data.test.data.map((v) => v / 255);
  const range = dataRange(data.train.data);
  const noisy = corrupt(scaled, specs, stepRng(seed, -1), {
    min: range.min / 255,
    max: range.max / 255,
  });
  return matrix(
    data.test.rows,
    data.test.cols,
    noisy.map((v) => v * 255),
  );
}

/** Draws the denoising grid of the study's conv models on the test rows `picks`. */
export async function denoisingImages(
  o: StudyOutcome,
  data: StudyData,
  picks: number[],
): Promise<DenoiseImages> {
  const deadCodeValues = new Map<string, number>();
  const convs = o.conv;
  if (convs.length === 0) return { deadCodeValues };
  const noisy = takeRows(noisyTestRows(data, o.config.conv.noise, o.config.seed), picks);
  const to01 = (m: Matrix32): Float32Array => m.data.map((v) => v / 255);
  const rows: { label: string; pixels: Float32Array }[] = [
    { label: 'noisy input', pixels: to01(noisy) },
  ];
  for (const r of convs) {
    const model = loadModel(join(runDir(o.config.out, r.id), 'model'), {
      threads: o.config.threads,
    });
    try {
      rows.push({
        label: `denoised, conv ${r.filters}`,
        pixels: to01(await model.reconstruct(noisy)),
      });
      deadCodeValues.set(r.filters, checkCodes(await model.encode(data.test)).dead.length);
    } finally {
      await model.dispose();
    }
  }
  rows.push({ label: 'clean', pixels: to01(takeRows(data.test, picks)) });
  const n = picks.length;
  const pixels = new Float32Array(rows.length * n * 784);
  rows.forEach((r, i) => pixels.set(r.pixels, i * n * 784));
  return {
    picture: {
      file: 'denoising.png',
      png: imageGrid(pixels, {
        n: rows.length * n,
        cols: n,
        scale: 2,
        rowLabels: rows.map((r) => r.label),
        colLabels: picks.map((i) => String(data.testLabels[i])),
      }),
      caption: `Test digits with ${o.config.conv.noise} noise (clipped to [0, 1]; the noisy input of the test MSE), their reconstructions by the convolutional denoising AE${convs.length > 1 ? 's' : ''}, and the clean digits.`,
    },
    deadCodeValues,
  };
}

/** Copies the dead-code counts onto the conv rows. */
export function withDeadCodes(rows: ConvRow[], dead: Map<string, number>): void {
  for (const row of rows) {
    const d = dead.get(row.filters);
    if (d !== undefined) row.deadCodeValues = d;
  }
}
