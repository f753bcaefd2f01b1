/**
 * `aedr compare`: the classification comparison of Wang, Yao & Zhao (2016, §4.2): the AE, PCA,
 * LDA, LLE and Isomap reduce MNIST (or a labelled data file) to each of several dimensions and
 * are scored (UMAP and t-SNE on request, `--methods`) by kNN(5) accuracy of the test codes against the raw-pixel ceiling, trustworthiness,
 * and fit / transform seconds. Writes `<out>/index.html`, `results.md`, `results.json` and PNGs.
 * Progress: one line per finished case with an ETA; on a terminal also a live status line.
 */
import { Option, type Command } from 'commander';
import {
  MANIFOLD_METHODS,
  METHOD_TITLES,
  parseMethods,
  resolveCompareSettings,
  type CompareMethod,
  type CompareSettings,
} from '../../experiments/compare/config.js';
import { loadCompareData, type CompareDataSpec } from '../../experiments/compare/data.js';
import { compareFindings } from '../../experiments/compare/findings.js';
import { compareTableRows, writeCompareReport } from '../../experiments/compare/report.js';
import {
  runCompare,
  type CompareEvent,
  type CompareResult,
} from '../../experiments/compare/run.js';
import { parseLatentDims } from '../../experiments/study/config.js';
import { formatNumber } from '../../report/format.js';
import {
  addComputeFlags,
  withComputeBackend,
  type ComputeEnv,
  type ComputeFlags,
} from '../compute.js';
import { UsageError, type CliContext, type CliIo } from '../context.js';
import { groupDigits, secondsText, textTable } from '../describe.js';
import { intArg, labelColumnArg, listArg, numberArg } from '../options.js';
import { columnListArg } from '../data-columns.js';
import type { CompareData } from '../../experiments/compare/data.js';
import { statusLine } from '../progress.js';

/** The parsed flags of `aedr compare`: the data flags are CompareDataSpec's fields. */
export interface CompareFlags extends CompareDataSpec, ComputeFlags {
  methods?: CompareMethod[];
  dims?: number[];
  trainSize?: number;
  testSize?: number;
  manifoldTrainSize?: number;
  manifoldTestSize?: number;
  fitSample?: number;
  epochs?: number;
  nNeighbors?: number;
  out: string;
  quick?: boolean;
  quiet?: boolean;
}

/** Registers `aedr compare`. */
export function register(program: Command, ctx: CliContext): void {
  addComputeFlags(program.command('compare'))
    .summary('kNN accuracy of AE, PCA, LDA, LLE and Isomap codes against dimension (paper §4.2)')
    .description(
      'Reduce MNIST (or a labelled data file) with the AE, PCA, LDA, LLE and Isomap to each of several\n' +
        'dimensions; score each code by kNN(5) accuracy on the test rows (ceiling: kNN on the raw rows),\n' +
        'trustworthiness (k = 5) and fit / transform seconds. PCA, LDA and the AE use full MNIST\n' +
        '(60,000 / 10,000), LLE and Isomap the first 10,000 / 2,000. Writes <out>/index.html,\n' +
        'results.md, results.json and PNGs. Measured on 2 cores: --quick 26 s of CPU (2026-12-02);\n' +
        'the full run, with the AE trained to convergence (up to 200 epochs), took 19.8 minutes, 36\n' +
        'minutes of CPU, 2.4 GB peak RSS (2026-12-02; the AE fits 1-3 minutes each).\n' +
        'UMAP, parametric UMAP (pumap) and t-SNE join with --methods (all, or e.g. ae,pca,umap,tsne); they use the LLE/Isomap\n' +
        'rows. t-SNE has no transform: it is fitted on the training and test rows together (labels\n' +
        'unused) and gives at most 3 dimensions.',
    )
    .option('--data <mnist|path>', 'mnist, or a .csv/.tsv/.npy/.json/IDX file with labels', 'mnist')
    .option('--labels <path>', 'label file of --data (one class per row)')
    .addOption(
      new Option('--label-column <n|name>', 'CSV column of --data holding labels').argParser(
        labelColumnArg,
      ),
    )
    .addOption(
      new Option(
        '--ignore-columns <cols>',
        'CSV columns of --data to skip, such as IDs: names or 0-based indices, comma-separated',
      ).argParser(columnListArg),
    )
    .option('--test-data <path>', 'a separate test file (default: split --data)')
    .option('--test-labels <path>', 'label file of --test-data')
    .addOption(
      new Option(
        '--split <kind>',
        'how --data is split without --test-data (default stratified)',
      ).choices(['stratified', 'random']),
    )
    .addOption(
      new Option(
        '--test-fraction <f>',
        'share of --data held out by the split (default 0.2)',
      ).argParser(numberArg(0, { exclusiveMin: true, max: 0.9 })),
    )
    .addOption(
      new Option(
        '--methods <list>',
        'comma list of ae, pca, lda, lle, isomap, umap, pumap, tsne, or all (default ae,pca,lda,lle,isomap)',
      ).argParser(
        listArg(
          parseMethods,
          'Expected a comma list of ae, pca, lda, lle, isomap, umap, pumap, tsne.',
        ),
      ),
    )
    .addOption(
      new Option(
        '--dims <list>',
        'output dimensions: a list or start:stop:step (default 2,3,5,9,10,20,50)',
      ).argParser(
        listArg(
          parseLatentDims,
          'Expected a list (2,10,50) or start:stop:step of positive integers.',
        ),
      ),
    )
    .addOption(
      new Option('--train-size <n>', 'training rows for PCA, LDA, AE (default 60000)').argParser(
        intArg(10),
      ),
    )
    .addOption(
      new Option('--test-size <n>', 'test rows for PCA, LDA, AE (default 10000)').argParser(
        intArg(1),
      ),
    )
    .addOption(
      new Option(
        '--manifold-train-size <n>',
        'training rows for LLE, Isomap, UMAP, t-SNE (default 10000)',
      ).argParser(intArg(10)),
    )
    .addOption(
      new Option(
        '--manifold-test-size <n>',
        'test rows for LLE, Isomap, UMAP, t-SNE (default 2000)',
      ).argParser(intArg(1)),
    )
    .addOption(
      new Option(
        '--fit-sample <n>',
        'LLE and Isomap fit on a seeded sample of n manifold training rows and transform the rest (default all)',
      ).argParser(intArg(2)),
    )
    .addOption(
      new Option(
        '--epochs <n>',
        "a fixed number of AE epochs (default: until converged, at most 200, as scikit-learn's MLP)",
      ).argParser(intArg(1)),
    )
    .addOption(
      new Option(
        '--n-neighbors <k>',
        'neighbours of LLE and Isomap (default 10; raise it when Isomap reports a disconnected graph)',
      ).argParser(intArg(1)),
    )
    .addOption(
      new Option('--seed <n>', 'seed of the split, PCA and the AEs (default 0)').argParser(
        intArg(0),
      ),
    )
    .option('--out <dir>', 'output folder', 'report/compare')
    .option(
      '--quick',
      'a small version: 2,000 / 500 rows, dims 2 and 10, the AE converging within 30 epochs (under a minute)',
    )
    .option('--quiet', 'print no progress')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  aedr compare                                   # full MNIST run into report/compare\n' +
        '  aedr compare --quick --out /tmp/compare\n' +
        '  aedr compare --methods ae,pca --dims 2,10,50\n' +
        '  aedr compare --quick --methods ae,pca,umap,tsne\n' +
        '  aedr compare --data faces.npy --labels faces-labels.npy --dims 2,5,10,20 --out report/faces',
    )
    .action(async (_opts: unknown, cmd: Command) => {
      await compare(cmd.opts<CompareFlags>(), ctx.io, ctx);
    });
}

/** Runs `aedr compare` with parsed flags. @throws UsageError, DataError, ConfigError */
export async function compare(
  f: CompareFlags,
  io: CliIo,
  env: ComputeEnv = {},
): Promise<CompareResult> {
  const mnist = /^mnist(:train)?$/i.test(f.data);
  if (
    mnist &&
    (f.labels !== undefined || f.labelColumn !== undefined || f.ignoreColumns !== undefined)
  )
    throw new UsageError(
      '--data mnist has its own labels and columns; --labels, --label-column and --ignore-columns do not apply',
    );
  if (mnist && f.testData !== undefined)
    throw new UsageError('--data mnist has its own test set; --test-data does not apply');
  if (f.testLabels !== undefined && f.testData === undefined)
    throw new UsageError('--test-labels belongs to --test-data; give --test-data <path> too');
  if (f.testData !== undefined && (f.split !== undefined || f.testFraction !== undefined))
    throw new UsageError(
      '--split and --test-fraction split --data; with --test-data nothing is split',
    );
  const s = resolveCompareSettings({
    quick: f.quick === true,
    ...(f.methods ? { methods: f.methods } : {}),
    ...(f.dims ? { dims: f.dims } : {}),
    ...(f.trainSize !== undefined ? { trainSize: f.trainSize } : {}),
    ...(f.testSize !== undefined ? { testSize: f.testSize } : {}),
    ...(f.manifoldTrainSize !== undefined ? { manifoldTrainSize: f.manifoldTrainSize } : {}),
    ...(f.manifoldTestSize !== undefined ? { manifoldTestSize: f.manifoldTestSize } : {}),
    ...(f.fitSample !== undefined ? { fitSample: f.fitSample } : {}),
    ...(f.epochs !== undefined ? { ae: { epochs: f.epochs } } : {}),
    ...(f.seed !== undefined ? { seed: f.seed } : {}),
    ...(f.nNeighbors !== undefined ? { nNeighbors: f.nNeighbors } : {}),
  });
  const data = loadCompareData(
    {
      data: f.data,
      ...(f.labels !== undefined ? { labels: f.labels } : {}),
      ...(f.labelColumn !== undefined ? { labelColumn: f.labelColumn } : {}),
      ...(f.ignoreColumns !== undefined ? { ignoreColumns: f.ignoreColumns } : {}),
      ...(f.testData !== undefined ? { testData: f.testData } : {}),
      ...(f.testLabels !== undefined ? { testLabels: f.testLabels } : {}),
      ...(f.split !== undefined ? { split: f.split } : {}),
      ...(f.testFraction !== undefined ? { testFraction: f.testFraction } : {}),
      seed: s.seed,
    },
    s,
  );
  const progress = f.quiet ? undefined : progressPrinter(io, s, data);
  const r = await withComputeBackend(f, env, (backend) =>
    runCompare(data, s, progress, { backend, ...(f.spin === false ? { spin: false } : {}) }),
  );
  progress?.({ kind: 'end' });
  const files = await writeCompareReport(f.out, r);
  if (!f.quiet) io.out(summaryText(r, f.out, files.length));
  return r;
}

type Printed = CompareEvent | { kind: 'end' };

/** Prints progress: a line per finished case; on a terminal a live status line as well. */
function progressPrinter(io: CliIo, s: CompareSettings, data: CompareData): (e: Printed) => void {
  const live = io.errIsTty;
  const started = performance.now();
  let lastDraw = 0;
  const status = statusLine(io);
  const { clear, draw } = status;
  const eta = (sec: number): string => `ETA ${secondsText(sec)}`;
  const label = (m: CompareMethod, d: number): string => `${METHOD_TITLES[m]} d=${d}`;
  let first = true;
  return (e) => {
    if (first) {
      first = false;
      io.err(headerLine(s, data) + '\n');
    }
    switch (e.kind) {
      case 'ceiling':
        clear();
        io.err(
          `ceiling: kNN(${s.k}) on the raw rows ${formatNumber(e.ceiling.accuracy)} ` +
            `(${groupDigits(e.ceiling.trainRows)} train, ${groupDigits(e.ceiling.testRows)} test, ${secondsText(e.ceiling.seconds)})\n`,
        );
        break;
      case 'start':
        if (e.index === 1) io.err(`${eta(e.etaSeconds)} (updated as cases finish)\n`);
        if (live)
          draw(
            `[${e.index}/${e.total}] ${label(e.method, e.dim)}: fitting ${groupDigits(e.trainRows)} rows  ${eta(e.etaSeconds)}`,
          );
        break;
      case 'epoch': {
        const now = performance.now();
        if (!live || now - lastDraw < 250) break;
        lastDraw = now;
        draw(
          `${label(e.method, e.dim)}: epoch ${e.epoch}/${e.epochs} ${Math.round(e.fraction * 100)}% loss ${formatNumber(e.loss)}  ${eta(e.etaSeconds)}`,
        );
        break;
      }
      case 'done': {
        clear();
        const r = e.row;
        const what =
          r.error !== undefined
            ? `failed: ${flagNames(r.error)}`
            : `acc ${formatNumber(r.knnAccuracy ?? NaN)}  trust ${r.trust ? r.trust.value.toFixed(4) : '-'}  ` +
              `fit ${secondsText(r.fitSeconds ?? 0)}  transform ${secondsText(r.transformSeconds ?? 0)}`;
        io.err(
          `[${String(e.index).padStart(String(e.total).length)}/${e.total}] ${label(r.method, r.dim)}  ${what}  | ` +
            `elapsed ${secondsText((performance.now() - started) / 1000)}, ${eta(e.etaSeconds)}\n`,
        );
        break;
      }
      case 'end':
        clear();
        break;
    }
  };
}

/** The first progress line: methods, dimensions and the rows each method really gets. */
export function headerLine(s: CompareSettings, data: CompareData): string {
  const tr = data.train.x.rows;
  const te = data.test.x.rows;
  const mtr = Math.min(s.manifoldTrainSize, tr);
  const mte = Math.min(s.manifoldTestSize, te);
  const manifold = s.methods.filter((m) => MANIFOLD_METHODS.includes(m));
  const fewer =
    manifold.length > 0 && (mtr !== tr || mte !== te)
      ? ` (${manifold.map((m) => METHOD_TITLES[m]).join(', ')} ${groupDigits(mtr)} / ${groupDigits(mte)})`
      : '';
  return (
    `compare: ${s.methods.map((m) => METHOD_TITLES[m]).join(', ')} at d = ${s.dims.join(', ')} on ${data.name}; ` +
    `${groupDigits(tr)} train / ${groupDigits(te)} test rows${fewer}`
  );
}

/** An error of a reducer as the CLI user can act on it: API option names become flags. */
export function flagNames(message: string): string {
  return message.replace(/\bnNeighbors\b/g, '--n-neighbors');
}

function summaryText(r: CompareResult, out: string, nFiles: number): string {
  const table = textTable(
    ['method', 'd', 'train', 'acc', 'gap_pts', 'trust', 'fit_s', 'transform_s', 'note'],
    compareTableRows(r).map((x) => [
      x.method,
      String(x.dim),
      String(x.train),
      x.accuracy === null ? '' : x.accuracy.toFixed(4),
      x.gap,
      x.trust === null ? '' : x.trust.toFixed(4),
      x.fit === null ? '' : x.fit.toFixed(2),
      x.transform === null ? '' : x.transform.toFixed(2),
      flagNames(x.note),
    ]),
  );
  return [
    table,
    '',
    ...compareFindings(r).map((x) => `- ${flagNames(x)}`),
    '',
    `wrote ${nFiles} files to ${out}/ (index.html, results.md, results.json, PNGs) in ${secondsText(r.seconds)}`,
    '',
  ].join('\n');
}
