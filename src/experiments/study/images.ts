/**
 * The study's pictures that need the trained models (the blog post's figures): reconstructions of
 * the same test digits at every latent size, the ReLU/sigmoid comparison at the smallest and
 * largest size, the deep AE's 3-d code of the test set, and decoder-only generation
 * (interpolations and Gaussian draws) for the deep AE and one shallow model, and the conv
 * denoising AEs' noisy / denoised / clean rows (denoise-images.ts). Models are read
 * back from their saved folders, so a reused run draws exactly like a fresh one.
 */
import { join } from 'node:path';
import { imageGrid } from '../../report/image-grid.js';
import { loadModel } from '../../train/persist.js';
import type { AutoencoderModel } from '../../train/model.js';
import { takeRows, type Matrix32 } from '../../util/matrix.js';
import { Rng } from '../../util/rng.js';
import { denoisingImages, type DenoisePicture } from './denoise-images.js';
import { fitGaussian, interpolateCodes, sampleGaussian } from './generate.js';
import { runDir, type StudyData, type TrainResult } from './runs.js';
import type { StudyOutcome } from './outcome.js';

/** Class pairs interpolated, chosen to pass through look-alike shapes. */
const PAIRS: [number, number][] = [
  [3, 8],
  [1, 7],
  [4, 9],
  [0, 6],
  [2, 5],
];
const STEPS = 10;
const DRAWS = 30;

/** A picture: PNG bytes and what it shows. */
export interface Picture {
  file: string;
  png: Uint8Array;
  caption: string;
}

/** Output pixels of a shallow model that are exactly 0 on every test image (dead ReLU units). */
export interface DeadPixels {
  /** Dead output pixels. */
  dead: number;
  /** Dead output pixels where the test images have ink (mean intensity above 1%). */
  deadInk: number;
  /** Share of the test squared error that falls on dead pixels. */
  errorShare: number;
}

/** Everything study-images draws, plus the deep AE's test codes for the charts and the 3-d view. */
export interface StudyImages {
  reconstructions: Picture[];
  comparison: Picture;
  generation: Picture[];
  deepCodes: { points: Float32Array; labels: Int32Array };
  /** Per shallow model, keyed `${latent}/${activation}`. */
  deadPixels: Map<string, DeadPixels>;
  /** Noisy, denoised and clean test digits (denoise-images.ts); undefined without conv models. */
  denoising?: DenoisePicture;
  /** Per conv model, keyed by its filter list: code values 0 on every test image. */
  deadCodeValues: Map<string, number>;
}

/** Counts output pixels stuck at 0 over all rows of `recon` (data units) against the originals `x`. */
export function deadPixels(x: Matrix32, recon: Matrix32): DeadPixels {
  const d = x.cols;
  const alive = new Uint8Array(d);
  const mean = new Float64Array(d);
  const sse = new Float64Array(d);
  for (let i = 0; i < x.rows; i++) {
    for (let j = 0; j < d; j++) {
      const r = recon.data[i * d + j];
      const v = x.data[i * d + j];
      if (r > 0) alive[j] = 1;
      mean[j] += v;
      sse[j] += (v - r) ** 2;
    }
  }
  let dead = 0;
  let deadInk = 0;
  let lost = 0;
  let total = 0;
  for (let j = 0; j < d; j++) {
    total += sse[j];
    if (alive[j]) continue;
    dead++;
    lost += sse[j];
    if (mean[j] / x.rows > 0.01 * 255) deadInk++;
  }
  return { dead, deadInk, errorShare: total > 0 ? lost / total : 0 };
}

/** Rows of the test set: the first image of each digit present, in digit order. */
export function sampleDigits(labels: Int32Array): number[] {
  const first = new Map<number, number>();
  labels.forEach((l, i) => {
    if (!first.has(l)) first.set(l, i);
  });
  return [...first.entries()].sort((a, b) => a[0] - b[0]).map(([, i]) => i);
}

const to01 = (m: Matrix32): Float32Array => m.data.map((v) => v / 255);

function stack(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function open(out: string, r: TrainResult, threads: number): AutoencoderModel {
  return loadModel(join(runDir(out, r.id), 'model'), { threads });
}

/** Draws every model-based picture of the study. */
export async function studyImages(o: StudyOutcome, data: StudyData): Promise<StudyImages> {
  const { out, threads } = o.config;
  const picks = sampleDigits(data.testLabels);
  const originals = takeRows(data.test, picks);
  const digitNames = picks.map((i) => String(data.testLabels[i]));
  const n = picks.length;
  const recon = new Map<string, Float32Array>();
  const dead = new Map<string, DeadPixels>();
  for (const r of o.results) {
    const m = open(out, r, threads);
    try {
      const all = await m.reconstruct(data.test);
      const key = `${r.latent}/${r.activation}`;
      dead.set(key, deadPixels(data.test, all));
      recon.set(key, to01(takeRows(all, picks)));
    } finally {
      await m.dispose();
    }
  }
  const dims = o.config.latentDims;
  const reconstructions = o.config.activations.map((act) => ({
    file: `reconstructions-${act}.png`,
    png: imageGrid(
      stack([
        to01(originals),
        ...dims.map((k) => recon.get(`${k}/${act}`) ?? new Float32Array(n * 784)),
      ]),
      {
        n: n * (dims.length + 1),
        cols: n,
        scale: 2,
        rowLabels: ['original', ...dims.map((k) => `latent ${k}`)],
        colLabels: digitNames,
      },
    ),
    caption: `Test digits (top row) and their reconstructions by the shallow AE with a ${act} decoder, one row per latent size.`,
  }));
  const ends = dims.length > 1 ? [dims[0], dims[dims.length - 1]] : [dims[0]];
  const rows: { label: string; pixels: Float32Array }[] = [
    { label: 'original', pixels: to01(originals) },
  ];
  for (const k of ends) {
    for (const act of o.config.activations) {
      const px = recon.get(`${k}/${act}`);
      if (px) rows.push({ label: `${act}, latent ${k}`, pixels: px });
    }
  }
  const comparison: Picture = {
    file: 'relu-vs-sigmoid.png',
    png: imageGrid(stack(rows.map((r) => r.pixels)), {
      n: n * rows.length,
      cols: n,
      scale: 3,
      rowLabels: rows.map((r) => r.label),
      colLabels: digitNames,
    }),
    caption: `Decoder output activation compared on the same digits at latent ${ends.join(' and ')}.`,
  };

  const deep = open(out, o.deep, threads);
  let deepCodes: { points: Float32Array; labels: Int32Array };
  const generation: Picture[] = [];
  try {
    const codes = await deep.encode(data.test);
    deepCodes = { points: codes.data, labels: data.testLabels };
    generation.push(
      ...(await generate(
        deep,
        data,
        picks,
        o.config.seed,
        'deep',
        `deep AE (${o.deep.latent}-d code)`,
      )),
    );
  } finally {
    await deep.dispose();
  }
  const g = o.config.generation;
  const shallowResult = o.results.find(
    (r) => r.latent === g.latent && r.activation === g.activation,
  );
  if (shallowResult) {
    const m = open(out, shallowResult, threads);
    try {
      generation.push(
        ...(await generate(
          m,
          data,
          picks,
          o.config.seed,
          `latent${g.latent}-${g.activation}`,
          `shallow AE, latent ${g.latent}, ${g.activation} decoder`,
          0,
        )),
      );
    } finally {
      await m.dispose();
    }
  }
  const { picture, deadCodeValues } = await denoisingImages(o, data, picks);
  return {
    reconstructions,
    comparison,
    generation,
    deepCodes,
    deadPixels: dead,
    ...(picture ? { denoising: picture } : {}),
    deadCodeValues,
  };
}

/** Interpolation and Gaussian-sample grids for one model. */
async function generate(
  model: AutoencoderModel,
  data: StudyData,
  picks: number[],
  seed: number,
  tag: string,
  what: string,
  clampMin?: number,
): Promise<Picture[]> {
  const labelOf = new Map(picks.map((i) => [data.testLabels[i], i]));
  const pairs = PAIRS.filter(([a, b]) => labelOf.has(a) && labelOf.has(b));
  const ends = takeRows(
    data.test,
    pairs.flatMap(([a, b]) => [labelOf.get(a) ?? 0, labelOf.get(b) ?? 0]),
  );
  const endCodes = await model.encode(ends);
  const path = interpolateCodes(
    endCodes,
    pairs.map((_, p) => [2 * p, 2 * p + 1]),
    STEPS,
  );
  const decoded = to01(await model.decode(path));
  const endPx = to01(ends);
  const cells: Float32Array[] = [];
  pairs.forEach((_, p) => {
    cells.push(endPx.subarray(2 * p * 784, (2 * p + 1) * 784));
    cells.push(decoded.subarray(p * STEPS * 784, (p + 1) * STEPS * 784));
    cells.push(endPx.subarray((2 * p + 1) * 784, (2 * p + 2) * 784));
  });
  const pictures: Picture[] = [];
  if (pairs.length > 0) {
    pictures.push({
      file: `generation-${tag}-interpolation.png`,
      png: imageGrid(stack(cells), {
        n: pairs.length * (STEPS + 2),
        cols: STEPS + 2,
        scale: 2,
        rowLabels: pairs.map(([a, b]) => `${a} → ${b}`),
        colLabels: [
          'real',
          ...Array.from({ length: STEPS }, (_, s) =>
            (s / (STEPS - 1)).toFixed(2).replace(/^0/, ''),
          ),
          'real',
        ],
      }),
      caption: `${what}: decoded straight lines between the codes of two real test digits (outer columns are the real digits; t = 0 and 1 are their reconstructions).`,
    });
  }
  const trainCodes = await model.encode(data.train);
  const gauss = fitGaussian(trainCodes);
  const draws = sampleGaussian(
    gauss,
    DRAWS,
    new Rng(seed + 7919),
    clampMin !== undefined ? { clampMin } : {},
  );
  const images = to01(await model.decode(draws));
  pictures.push({
    file: `generation-${tag}-samples.png`,
    png: imageGrid(images, { n: DRAWS, cols: 10, scale: 2 }),
    caption: `${what}: decoded codes drawn from a Gaussian fitted to the ${data.train.rows.toLocaleString('en-US')} training codes (mean and full covariance${gauss.ridge > 0 ? `, ridge ${gauss.ridge.toExponential(1)}` : ''}${clampMin !== undefined ? '; negative coordinates clipped to 0 as the ReLU code layer never outputs them' : ''}).`,
  });
  return pictures;
}
