/**
 * Writes the study's output folder: `index.html` (self-contained, sections in the order of
 * the blog post), `results.json` (every number), `results.md` (the tables) and one PNG per figure.
 * Texts state what was measured here next to what the study reported, without rounding away
 * a disagreement.
 */
import { writeReport } from '../../report/html.js';
import { formatNumber } from '../../report/format.js';
import { markdownTable } from '../../report/markdown.js';
import { STUDY_REFERENCE } from './config.js';
import { studyFigures } from './figures.js';
import { studyImages } from './images.js';
import { withDeadCodes } from './denoise-images.js';
import { buildHtml } from './html.js';
import { loadStudyData } from './runs.js';
import { CONV_COLUMNS, findings, SWEEP_COLUMNS } from './text.js';
import type { StudyOutcome } from './outcome.js';

function resultsMarkdown(o: StudyOutcome): string {
  const lines = [
    '# MNIST latent-dimension study: results',
    '',
    ...findings(o).map((f) => `- ${f}`),
    '',
    '## Sweep',
    '',
    'MSE per pixel of images scaled to [0, 1]; "Test SSE / image" is 784 x the test MSE. Study numbers: the Keras table of the blog post "Auto-Encoder (AE) 기반 차원 축소" (ReLU decoder).',
    '',
    markdownTable(SWEEP_COLUMNS, o.rows),
    '## Saturation',
    '',
    `Rule: ${o.saturation.rule}; the recommendation is the largest answer over the decoders. The running minimum is the best test MSE reached with at most that many units (a larger model can copy a smaller one, so a rise is a training accident such as dead ReLU units).`,
    '',
    markdownTable(
      [
        { key: 'curve', title: 'Curve' },
        {
          key: 'flattening',
          title: `Flattening, running minimum (fraction ${o.config.saturationFraction})`,
        },
        { key: 'raw', title: 'Flattening, raw curve' },
        { key: 'knee', title: 'Kneedle knee (S = 1)' },
      ],
      [
        ...Object.keys(o.saturation.perActivation).map((a) => ({
          curve: `AE, ${a} decoder (ours)`,
          flattening: String(o.saturation.perActivation[a].x ?? 'none'),
          raw: String(o.saturation.raw[a].x ?? 'none'),
          knee: String(o.saturation.kneedle[a].x ?? 'none'),
        })),
        {
          curve: 'AE, relu decoder (study)',
          flattening: String(o.saturation.study.x ?? 'none'),
          raw: '',
          knee: '',
        },
      ],
    ),
    `Recommended latent dimension: **${o.saturation.recommended ?? 'none'}**.`,
    '',
    '## Deep AE',
    '',
    `${o.deep.label}: train loss ${formatNumber(o.deep.trainLoss)}, train MSE ${formatNumber(o.deep.trainMse)}, test MSE ${formatNumber(o.deep.testMse)}, ${o.deep.trainSeconds.toFixed(1)} s.`,
    '',
    ...(o.conv.length > 0
      ? [
          '## Convolutional denoising AE',
          '',
          `The TensorFlow tutorial's model ("Intro to Autoencoders"): 3x3 stride-2 convolutions, ReLU, transposed back, sigmoid output; Adam ${o.config.conv.learningRate}, batch ${o.config.conv.batchSize}, ${o.config.conv.epochs} epochs, input corrupted by ${o.config.conv.noise} (clipped to [0, 1]), clean target. MSE per pixel against the clean test images.`,
          '',
          markdownTable(CONV_COLUMNS, o.conv),
        ]
      : []),
    '## Run',
    '',
    `${o.config.trainSize} training / ${o.config.testSize} test images, ${o.config.epochs} epochs, batch ${o.config.batchSize}, Adam ${o.config.learningRate}, seed ${o.config.seed}.`,
    `Machine: ${o.machine.cpu}, ${o.machine.cores} cores, Node ${o.machine.node}, ${o.machine.os}; ${o.machine.workers} worker(s) over ${o.machine.threads} thread(s).`,
    `Total wall time: ${o.totalSeconds.toFixed(1)} s (${o.reused} run(s) reused from an earlier invocation).`,
    '',
  ];
  return lines.join('\n');
}

/** Everything in results.json. */
function resultsJson(o: StudyOutcome): string {
  return (
    JSON.stringify(
      {
        config: o.config,
        machine: o.machine,
        totalSeconds: o.totalSeconds,
        trainingSeconds: o.trainingSeconds,
        reusedRuns: o.reused,
        sweep: o.rows,
        saturation: o.saturation,
        reference: STUDY_REFERENCE,
        pca: o.pca,
        deep: o.deep,
        conv: o.conv,
        runs: o.results,
      },
      null,
      1,
    ) + '\n'
  );
}

/**
 * Draws everything and writes the report folder `dir` (index.html, results.md, results.json,
 * PNG figures). `startedAt` (performance.now() when the study began) dates the total time;
 * `o.totalSeconds` is updated to it. Returns the paths written.
 */
export async function writeStudyReport(
  dir: string,
  o: StudyOutcome,
  startedAt = performance.now() - o.trainingSeconds * 1000,
): Promise<string[]> {
  const elapsed = (): number => (performance.now() - startedAt) / 1000;
  const data = loadStudyData(o.config.trainSize, o.config.testSize);
  const images = await studyImages(o, data);
  for (const row of o.rows) {
    const d = images.deadPixels.get(`${row.latent}/${row.activation}`);
    if (d)
      Object.assign(row, {
        deadPixels: d.dead,
        deadInkPixels: d.deadInk,
        deadErrorShare: d.errorShare,
      });
  }
  withDeadCodes(o.conv, images.deadCodeValues);
  const figures = await studyFigures(o, images.deepCodes);
  const files: Record<string, string | Uint8Array> = {};
  for (const f of Object.values(figures)) files[f.file] = f.chart.png;
  for (const p of [
    ...images.reconstructions,
    images.comparison,
    ...images.generation,
    ...(images.denoising ? [images.denoising] : []),
  ])
    files[p.file] = p.png;
  // The reported total covers everything up to writing the files.
  const done: StudyOutcome = { ...o, totalSeconds: elapsed() };
  files['index.html'] = buildHtml(done, figures, images);
  files['results.md'] = resultsMarkdown(done);
  files['results.json'] = resultsJson(done);
  o.totalSeconds = done.totalSeconds;
  return writeReport(dir, files);
}
