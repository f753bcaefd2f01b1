/**
 * Training progress for `aedr train`. On a terminal: a cli-progress bar per epoch with the
 * running loss and ETA, replaced by the epoch's summary line when the epoch ends. Elsewhere (pipes,
 * CI, tests): only the summary line, one per epoch, in a stable format that scripts can parse:
 *
 *   epoch 3/10  loss 0.01234  train_mse 0.01211  test_mse 0.01190  1.02s
 *
 * With validation data, `val_loss` and `val_mse` follow test_mse (or train_mse); a denoising run
 * (--noise) adds `test_mse_noisy` (corrupted test input, clean target) after test_mse.
 *
 * Losses are printed with 4 significant digits (report/format.ts), seconds are training time
 * without the evaluation of train/test MSE.
 */
import cliProgress from 'cli-progress';
import type { EpochRecord } from '../train/model.js';
import type { TrainProgress } from '../train/trainer.js';
import { formatNumber } from '../report/format.js';
import type { CliIo } from './context.js';

/** Receives the trainer's callbacks and prints them. */
export interface EpochReporter {
  progress(p: TrainProgress): void;
  /** `e` counts epochs of this run (1-based), `epochs` is the run's total. */
  epochEnd(record: EpochRecord, e: number, epochs: number): void;
  /** Removes a bar left open (on error or cancellation). */
  stop(): void;
}

/** The summary line of one epoch (see module doc). */
export function epochLine(r: EpochRecord, e: number, epochs: number): string {
  const noisy =
    r.testMseNoisy !== undefined ? `  test_mse_noisy ${formatNumber(r.testMseNoisy)}` : '';
  const test = r.testMse !== undefined ? `  test_mse ${formatNumber(r.testMse)}${noisy}` : '';
  const val =
    r.valLoss !== undefined && r.valMse !== undefined
      ? `  val_loss ${formatNumber(r.valLoss)}  val_mse ${formatNumber(r.valMse)}`
      : '';
  return (
    `epoch ${e}/${epochs}  loss ${formatNumber(r.trainLoss)}  ` +
    `train_mse ${formatNumber(r.trainMse)}${test}${val}  ${r.seconds.toFixed(2)}s`
  );
}

/** A reporter for `mode`: 'bar' (terminal), 'lines' or 'quiet'. */
export function createReporter(mode: 'bar' | 'lines' | 'quiet', io: CliIo): EpochReporter {
  if (mode === 'quiet') return { progress() {}, epochEnd() {}, stop() {} };
  if (mode === 'lines' || io.errStream === undefined) {
    return {
      progress() {},
      epochEnd: (r, e, epochs) => io.err(epochLine(r, e, epochs) + '\n'),
      stop() {},
    };
  }
  const stream = io.errStream;
  let bar: cliProgress.SingleBar | undefined;
  const stop = (): void => {
    bar?.stop();
    bar = undefined;
  };
  return {
    progress(p) {
      const payload = { epoch: p.epoch, epochs: p.epochs, loss: formatNumber(p.loss) };
      if (bar === undefined) {
        bar = new cliProgress.SingleBar(
          {
            format:
              'epoch {epoch}/{epochs} [{bar}] {percentage}% | loss {loss} | ETA {eta_formatted}',
            stream,
            hideCursor: true,
            clearOnComplete: true,
            barsize: 30,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(p.batches, 0, payload);
      }
      bar.update(p.batch, payload);
    },
    epochEnd(r, e, epochs) {
      stop();
      io.err(epochLine(r, e, epochs) + '\n');
    },
    stop,
  };
}

/** One status line redrawn in place on a terminal, with permanent lines printed above it. */
export interface StatusLine {
  /** Replaces the status (terminals only; cut to the terminal's width). */
  draw(text: string): void;
  /** Prints a permanent line (every mode), clearing the status first. */
  line(text: string): void;
  /** Removes the status. */
  clear(): void;
}

/** A StatusLine on `io.err`: redrawn with carriage return and erase-line on a terminal, silent elsewhere. */
export function statusLine(io: CliIo): StatusLine {
  let shown = false;
  const clear = (): void => {
    if (shown) io.err('\r\x1b[K');
    shown = false;
  };
  return {
    draw(text) {
      if (!io.errIsTty) return;
      // A pseudo-terminal may report 0 columns; then assume a common width.
      const width = process.stderr.columns;
      const cols = (width !== undefined && width >= 20 ? width : 100) - 1;
      io.err(`\r\x1b[K${text.slice(0, cols)}`);
      shown = true;
    },
    line(text) {
      clear();
      io.err(text + '\n');
    },
    clear,
  };
}
