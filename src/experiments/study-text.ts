/**
 * The words and table columns the HTML page and results.md share: the sweep table's columns
 * and the one-line findings, each stating our number beside the study's.
 */
import type { Column } from '../report/format.js';
import { formatNumber } from '../report/format.js';
import type { StudyOutcome, SweepRow } from './study.js';

const pct = (v: unknown): string =>
  typeof v === 'number' ? `${v >= 0 ? '+' : ''}${(100 * v).toFixed(1)}%` : '';
const num = (v: unknown): string => (typeof v === 'number' ? formatNumber(v) : '');

/** The sweep table's columns, shared by the HTML and Markdown tables. */
export const SWEEP_COLUMNS: Column<SweepRow>[] = [
  { key: 'latent', title: 'Latent' },
  { key: 'activation', title: 'Decoder' },
  { key: 'trainLoss', title: 'Train loss (Keras)', format: num },
  { key: 'trainMse', title: 'Train MSE', format: num },
  { key: 'testMse', title: 'Test MSE', format: num },
  {
    key: 'testMsePerImage',
    title: 'Test SSE / image',
    format: (v) => (typeof v === 'number' ? v.toFixed(2) : ''),
  },
  { key: 'studyTrainLoss', title: 'Study train loss', format: num, align: 'right' },
  { key: 'studyTestLoss', title: 'Study test loss', format: num, align: 'right' },
  { key: 'vsStudy', title: 'Test vs study', format: pct, align: 'right' },
  { key: 'pcaTestMse', title: 'PCA test MSE', format: num, align: 'right' },
  { key: 'seconds', title: 'Seconds', format: (v) => (typeof v === 'number' ? v.toFixed(1) : '') },
];

/** One-line findings, shared by the HTML summary and results.md. */
export function findings(o: StudyOutcome): string[] {
  const out: string[] = [];
  const relu = o.rows.filter((r) => r.activation === 'relu');
  const sig = o.rows.filter((r) => r.activation === 'sigmoid');
  const rec = o.saturation.recommended;
  if (rec !== null)
    out.push(
      `Recommended latent dimension: **${rec}** (the study: about 50). Rule: ${o.saturation.rule}.`,
    );
  const withRef = relu.filter((r) => r.vsStudy !== undefined);
  if (withRef.length > 0) {
    const within = withRef.filter((r) => (r.vsStudy ?? 0) <= 0.1).length;
    const worst = withRef.reduce((a, b) => ((b.vsStudy ?? 0) > (a.vsStudy ?? 0) ? b : a));
    out.push(
      `ReLU decoder vs the study's Keras numbers: ${within} of ${withRef.length} latent sizes within +10% of the study's test loss or lower (largest gap ${pct(worst.vsStudy)} at latent ${worst.latent}).`,
    );
  }
  if (relu.length > 0 && sig.length > 0) {
    const pairs = sig
      .map((s) => [s, relu.find((r) => r.latent === s.latent)] as const)
      .filter((p): p is readonly [SweepRow, SweepRow] => p[1] !== undefined);
    const lower = pairs.filter(([s, r]) => s.testMse < r.testMse).length;
    const ratio = pairs.map(([s, r]) => s.testMse / r.testMse);
    out.push(
      `Sigmoid decoder lower than ReLU at ${lower} of ${pairs.length} latent sizes (test MSE ratio ${formatNumber(Math.min(...ratio), 2)}-${formatNumber(Math.max(...ratio), 2)}).`,
    );
  }
  const best = o.rows.reduce((a, b) => (b.testMse < a.testMse ? b : a), o.rows[0]);
  const pcaAt = o.pca.testMse[o.pca.dims.indexOf(best.latent)];
  if (pcaAt !== undefined)
    out.push(
      `Best AE (latent ${best.latent}, ${best.activation}) test MSE ${formatNumber(best.testMse)} vs PCA with ${best.latent} components ${formatNumber(pcaAt)}.`,
    );
  out.push(
    `Deep AE ${o.deep.label.replace(/^deep /, '')} (3-d code): test MSE ${formatNumber(o.deep.testMse)}.`,
  );
  return out;
}
