/**
 * `aedr curves`: the curve experiment of Wang, Yao & Zhao (2016, Figs. 6-7): PCA, LDA, LLE,
 * Isomap and the AE reduce points on a 2-d line and a log curve to 1-d over several seeds, and
 * the swiss roll and S-curve to 2-d; writes `<out>/index.html`, `results.md`, `results.json` and
 * the PNG charts. With `--data points.csv --t t.csv` the file's points replace the generators.
 */
import { Option, type Command } from 'commander';
import { DataError } from '../../errors.js';
import type { ColumnRef } from '../../data/csv-columns.js';
import { loadDataset } from '../../data/load.js';
import { columnListArg } from '../data-columns.js';
import {
  METHOD_TITLES,
  parseCurveMethods,
  type MethodName,
} from '../../experiments/curves/methods.js';
import {
  runCurvesExperiment,
  type CurvesOptions,
  type CurvesResult,
} from '../../experiments/curves/run.js';
import { writeCurvesReport, curvesFindings } from '../../experiments/curves/report.js';
import {
  addComputeFlags,
  withComputeBackend,
  type ComputeEnv,
  type ComputeFlags,
} from '../compute.js';
import { UsageError, type CliContext, type CliIo } from '../context.js';
import { secondsText, textTable } from '../describe.js';
import { intArg, listArg, numberArg } from '../options.js';

/** The parsed flags of `aedr curves`. */
export interface CurvesFlags extends ComputeFlags {
  seeds?: number;
  n?: number;
  noise?: number;
  surfaceN?: number;
  surfaceSeeds?: number;
  methods?: MethodName[];
  paperLike: boolean;
  data?: string;
  ignoreColumns?: ColumnRef[];
  t?: string;
  out: string;
  quick?: boolean;
  quiet?: boolean;
}

/** Registers `aedr curves`. */
export function register(program: Command, ctx: CliContext): void {
  addComputeFlags(program.command('curves'))
    .summary('stability of PCA, LDA, LLE, Isomap and the AE on 2-d curves (paper Figs. 6-7)')
    .description(
      'Reduce points on a line and on the log curve (t, ln t) to 1-d with PCA, LDA, LLE, Isomap and\n' +
        'an autoencoder, once per seed (a new sample of the points, and a new AE init), and measure\n' +
        '|Spearman| of each code against t and the agreement between runs; then map the swiss roll\n' +
        'and S-curve to 2-d (trustworthiness). Writes <out>/index.html, results.md, results.json and PNGs.',
    )
    .addOption(
      new Option('--seeds <n>', 'runs per method and curve (default 10)').argParser(
        intArg(1, 1000),
      ),
    )
    .addOption(new Option('--n <points>', 'points per curve (default 500)').argParser(intArg(20)))
    .addOption(
      new Option('--noise <sd>', 'Gaussian noise sd on every coordinate (default 0)').argParser(
        numberArg(0),
      ),
    )
    .addOption(
      new Option(
        '--methods <list>',
        "comma list of pca, lda, lle, isomap, ae, umap, pumap, tsne, or all (default: the paper's five)",
      ).argParser(
        listArg(
          parseCurveMethods,
          'Expected a comma list of pca, lda, lle, isomap, ae, umap, pumap, tsne (or all, paper).',
        ),
      ),
    )
    .addOption(
      new Option('--surface-n <points>', 'points per surface (default 1000)').argParser(intArg(50)),
    )
    .addOption(
      new Option('--surface-seeds <n>', 'runs per method and surface (default 3)').argParser(
        intArg(1, 1000),
      ),
    )
    .option(
      '--no-paper-like',
      'skip the paper-like variant (LLE with 5 neighbours, shallow sigmoid AE)',
    )
    .option(
      '--data <path>',
      'a curve from a file (.csv/.tsv/.npy/.json/IDX, one point per row) instead of the generators',
    )
    .addOption(
      new Option(
        '--ignore-columns <cols>',
        'CSV columns of --data to skip, such as IDs: names or 0-based indices, comma-separated',
      ).argParser(columnListArg),
    )
    .option('--t <path>', 'with --data: the curve parameter of each row (a one-column file)')
    .option('--out <dir>', 'output folder', 'report/curves')
    .option('--quick', 'a small version: 3 seeds, 200 points, one 300-point surface run')
    .option('--quiet', 'print no progress')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  aedr curves                                  # 10 seeds into report/curves\n' +
        '  aedr curves --quick --out /tmp/curves\n' +
        '  aedr curves --noise 0.05 --seeds 20\n' +
        '  aedr curves --quick --methods all            # UMAP and t-SNE too\n' +
        '  aedr curves --data points.csv --t t.csv --out report/my-curve',
    )
    .action(async (_opts: unknown, cmd: Command) => {
      await curves(cmd.opts<CurvesFlags>(), ctx.io, ctx);
    });
}

/** Runs `aedr curves` with parsed flags. @throws UsageError, DataError, ConfigError */
export async function curves(
  f: CurvesFlags,
  io: CliIo,
  env: ComputeEnv = {},
): Promise<CurvesResult> {
  if (f.t !== undefined && f.data === undefined)
    throw new UsageError('--t gives the parameter of --data; give --data <path> too');
  if (f.data !== undefined && f.t === undefined)
    throw new UsageError(
      `--data ${f.data} needs --t <path>: the curve parameter of each row, one value per line`,
    );
  const quick = f.quick === true;
  const opts: CurvesOptions = {
    seeds: f.seeds ?? (quick ? 3 : 10),
    n: f.n ?? (quick ? 200 : 500),
    noise: f.noise ?? 0,
    surfaceN: f.surfaceN ?? (quick ? 300 : 1000),
    surfaceSeeds: f.surfaceSeeds ?? (quick ? 1 : 3),
    paperLike: f.paperLike,
    ...(f.methods ? { methods: f.methods } : {}),
    ...(f.quiet ? {} : { onProgress: (line: string) => io.err(line + '\n') }),
  };
  if (f.data !== undefined && f.t !== undefined) {
    const d = loadDataset(f.data, f.ignoreColumns ? { ignoreColumns: f.ignoreColumns } : {});
    opts.data = { name: f.data, x: d.x, t: readParameter(f.t, d.x.rows) };
  }
  const r = await withComputeBackend(f, env, (backend) =>
    runCurvesExperiment({
      ...opts,
      compute: { backend, ...(f.spin === false ? { spin: false } : {}) },
    }),
  );
  const files = await writeCurvesReport(f.out, r);
  if (!f.quiet) io.out(summaryText(r, f.out, files.length));
  return r;
}

/** Reads a one-column file of curve parameters, one per data row. @throws DataError */
export function readParameter(path: string, rows: number): Float64Array {
  const p = loadDataset(path);
  if (p.x.cols !== 1) {
    throw new DataError(`expected one value per row (1 column), got ${p.x.cols} columns`, {
      file: path,
    });
  }
  if (p.x.rows !== rows) {
    throw new DataError(
      `has ${p.x.rows} values but the data has ${rows} rows; expected one t per data row`,
      { file: path },
    );
  }
  return Float64Array.from(p.x.data);
}

// Truncated, not rounded: 0.98996 must not print as 0.9900 next to a 0.99 threshold.
function fixed4(v: number): string {
  return Number.isFinite(v) ? (Math.floor(v * 1e4) / 1e4).toFixed(4) : String(v);
}

function summaryText(r: CurvesResult, out: string, nFiles: number): string {
  const table = textTable(
    ['settings', 'curve', 'method', 'mean_|rho|', 'min_|rho|', 'agree_min', 'failed', 'stable'],
    r.curves.map((c) => [
      c.variant,
      c.curve,
      METHOD_TITLES[c.method],
      fixed4(c.absSpearman.mean),
      fixed4(c.absSpearman.min),
      fixed4(c.agreement.min),
      String(c.failed),
      c.stable ? 'yes' : 'no',
    ]),
  );
  return [
    table,
    '',
    ...curvesFindings(r).map((x) => `- ${x}`),
    '',
    `wrote ${nFiles} files to ${out}/ (index.html, results.md, results.json, PNGs) in ${secondsText(r.seconds)}`,
    '',
  ].join('\n');
}
