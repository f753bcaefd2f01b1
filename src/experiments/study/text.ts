/**
 * The words and table columns the HTML page and results.md share: the sweep table (one row per
 * trained model), the comparison with the study and PCA (one row per latent size), the conv
 * denoising AEs' table, and the one-line findings, each stating our number beside the study's.
 */
import type { Column } from '../../report/format.js';
import { formatNumber } from '../../report/format.js';
import type { ConvRow, StudyOutcome, SweepRow } from './outcome.js';

const pct = (v: unknown): string =>
  typeof v === 'number' ? `${v >= 0 ? '+' : ''}${(100 * v).toFixed(1)}%` : '';
const num = (v: unknown): string => (typeof v === 'number' ? formatNumber(v) : '');
const fixed = (digits: number) => (v: unknown) => (typeof v === 'number' ? v.toFixed(digits) : '');

/** One row per trained model: what was measured here (the HTML table). */
export const RUN_COLUMNS: Column<SweepRow>[] = [
  { key: 'latent', title: 'Latent' },
  { key: 'activation', title: 'Decoder' },
  { key: 'trainLoss', title: 'Train loss (Keras)', format: num },
  { key: 'trainMse', title: 'Train MSE', format: num },
  { key: 'testMse', title: 'Test MSE', format: num },
  { key: 'trainMsePerImage', title: 'Train SSE / image', format: fixed(2) },
  { key: 'testMsePerImage', title: 'Test SSE / image', format: fixed(2) },
  { key: 'deadPixels', title: 'Dead output pixels', align: 'right' },
  { key: 'deadInkPixels', title: 'Dead pixels on ink', align: 'right' },
  { key: 'seconds', title: 'Seconds', format: fixed(1) },
];

/** Every column of the sweep (results.md). */
export const SWEEP_COLUMNS: Column<SweepRow>[] = [
  ...RUN_COLUMNS.slice(0, -1),
  { key: 'studyTrainLoss', title: 'Study train loss', format: num, align: 'right' },
  { key: 'studyTestLoss', title: 'Study test loss', format: num, align: 'right' },
  { key: 'vsStudy', title: 'Test vs study', format: pct, align: 'right' },
  { key: 'pcaTestMse', title: 'PCA test MSE', format: num, align: 'right' },
  RUN_COLUMNS[RUN_COLUMNS.length - 1],
];

/** One row per convolutional denoising AE. */
export const CONV_COLUMNS: Column<ConvRow>[] = [
  { key: 'filters', title: 'Filters' },
  {
    key: 'codeShape',
    title: 'Code (H x W x C)',
    format: (v) => (Array.isArray(v) ? v.join(' x ') : ''),
  },
  { key: 'latent', title: 'Code values', align: 'right' },
  { key: 'params', title: 'Parameters', align: 'right' },
  { key: 'noise', title: 'Training noise' },
  { key: 'trainLoss', title: 'Train loss (noisy input)', format: num },
  { key: 'testMseNoisy', title: 'Test MSE, noisy input', format: num },
  { key: 'testMse', title: 'Test MSE, clean input', format: num },
  { key: 'pcaTestMse', title: 'PCA test MSE, as many components', format: num, align: 'right' },
  { key: 'deadCodeValues', title: 'Dead code values', align: 'right' },
  { key: 'seconds', title: 'Seconds', format: fixed(1) },
];

/** One row per latent size: ours beside the study's numbers and PCA. */
export interface ComparisonRow {
  latent: number;
  reluTest?: number;
  studyTest?: number;
  vsStudy?: number;
  reluTrainLoss?: number;
  studyTrainLoss?: number;
  sigmoidTest?: number;
  pcaTest?: number;
}

/** The comparison table's columns. */
export const COMPARISON_COLUMNS: Column<ComparisonRow>[] = [
  { key: 'latent', title: 'Latent' },
  { key: 'reluTest', title: 'ReLU test MSE (ours)', format: num, align: 'right' },
  { key: 'studyTest', title: 'ReLU test loss (study)', format: num, align: 'right' },
  { key: 'vsStudy', title: 'Ours vs study', format: pct, align: 'right' },
  { key: 'reluTrainLoss', title: 'ReLU train loss (ours)', format: num, align: 'right' },
  { key: 'studyTrainLoss', title: 'ReLU train loss (study)', format: num, align: 'right' },
  { key: 'sigmoidTest', title: 'Sigmoid test MSE (ours)', format: num, align: 'right' },
  { key: 'pcaTest', title: 'PCA test MSE', format: num, align: 'right' },
];

/** The comparison rows, one per swept latent size. */
export function comparisonRows(o: StudyOutcome): ComparisonRow[] {
  return o.config.latentDims.map((latent) => {
    const relu = o.rows.find((r) => r.latent === latent && r.activation === 'relu');
    const sig = o.rows.find((r) => r.latent === latent && r.activation === 'sigmoid');
    const p = o.pca.dims.indexOf(latent);
    return {
      latent,
      reluTest: relu?.testMse,
      studyTest: relu?.studyTestLoss,
      vsStudy: relu?.vsStudy,
      reluTrainLoss: relu?.trainLoss,
      studyTrainLoss: relu?.studyTrainLoss,
      sigmoidTest: sig?.testMse,
      pcaTest: p >= 0 ? o.pca.testMse[p] : undefined,
    };
  });
}

const range = (v: number[], f: (x: number) => string): string =>
  Math.min(...v) === Math.max(...v)
    ? f(Math.min(...v))
    : `${f(Math.min(...v))}-${f(Math.max(...v))}`;

/** One-line findings (Markdown-ish), shared by the HTML summary and results.md. */
export function findings(o: StudyOutcome): string[] {
  const out: string[] = [];
  const relu = o.rows.filter((r) => r.activation === 'relu');
  const sig = o.rows.filter((r) => r.activation === 'sigmoid');
  const rec = o.saturation.recommended;
  if (rec !== null)
    out.push(
      `Recommended latent dimension: **${rec}** (the study: about 50), where the test-error curve flattens; see [saturation](#saturation).`,
    );
  const withRef = relu.filter((r) => r.vsStudy !== undefined);
  if (withRef.length > 0) {
    const within = withRef.filter((r) => (r.vsStudy ?? 0) <= 0.1).length;
    const worst = withRef.reduce((a, b) => ((b.vsStudy ?? 0) > (a.vsStudy ?? 0) ? b : a));
    out.push(
      `ReLU decoder against the study's Keras numbers: within +10% or lower at ${within} of ${withRef.length} latent sizes (${within === withRef.length && (worst.vsStudy ?? 0) <= 0 ? 'lower at every size; closest' : 'largest gap'} ${pct(worst.vsStudy)} at latent ${worst.latent}).`,
    );
  }
  if (relu.length > 0 && sig.length > 0) {
    const pairs = sig
      .map((s) => [s, relu.find((r) => r.latent === s.latent)] as const)
      .filter((p): p is readonly [SweepRow, SweepRow] => p[1] !== undefined);
    const lower = pairs.filter(([s, r]) => s.testMse < r.testMse).length;
    const ratio = pairs.map(([s, r]) => s.testMse / r.testMse);
    out.push(
      `Sigmoid decoder lower than ReLU at ${lower} of ${pairs.length} latent sizes (test MSE ${range(ratio, (x) => formatNumber(x, 2))} × ReLU's).`,
    );
  }
  const dead = relu.filter((r) => r.deadPixels !== undefined && r.deadPixels > 0);
  if (dead.length > 0) {
    out.push(
      `Why ReLU falls behind: its decoder leaves ${range(
        dead.map((r) => r.deadPixels ?? 0),
        String,
      )} of 784 output pixels at exactly 0 for every test image, ${range(
        dead.map((r) => r.deadInkPixels ?? 0),
        String,
      )} of them where digits have ink; those carry ${range(
        dead.map((r) => 100 * (r.deadErrorShare ?? 0)),
        (x) => x.toFixed(0),
      )}% of its test error.`,
    );
  }
  out.push(
    o.config.outputBias === 'mean'
      ? "Output bias: every model's starts at the mean training image. Keras starts it at 0; then training pushes many ReLU output pixels below 0 for every image, where they get no gradient and stay dead (see the dead-pixel columns); `--output-bias zero` reproduces Keras."
      : 'Output bias: zero, as Keras; expect dead ReLU output pixels (`--output-bias mean` starts at the mean training image instead).',
  );
  const best = o.rows.reduce((a, b) => (b.testMse < a.testMse ? b : a), o.rows[0]);
  const pcaAt = o.pca.testMse[o.pca.dims.indexOf(best.latent)];
  if (pcaAt !== undefined)
    out.push(
      `Best AE (latent ${best.latent}, ${best.activation}): test MSE ${formatNumber(best.testMse)}; PCA with ${best.latent} components: ${formatNumber(pcaAt)}.`,
    );
  out.push(
    `Deep AE ${o.deep.label.replace(/^deep /, '')} with a 3-number code: test MSE ${formatNumber(o.deep.testMse)}.`,
  );
  for (const c of o.conv) {
    out.push(
      `Convolutional denoising AE (${c.filters} filters, code ${c.codeShape.join('x')} = ${c.latent} values, trained on ${c.noise} noise): test MSE ${formatNumber(c.testMseNoisy)} with noisy input, ${formatNumber(c.testMse)} with clean input${c.pcaTestMse !== undefined ? ` (PCA with ${c.latent} components, clean input: ${formatNumber(c.pcaTestMse)})` : ''}${c.deadCodeValues !== undefined ? `; ${c.deadCodeValues} of ${c.latent} code values dead` : ''}; see [denoising](#denoising).`,
    );
  }
  return out;
}
