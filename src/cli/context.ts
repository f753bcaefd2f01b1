/**
 * What every `aedr` command gets: where to print (so tests can capture output in-process), whether
 * stderr is a terminal (progress bars) and the `UsageError` for flag values the parser cannot
 * reject itself. Commands never call process.exit (but cancel.ts on a second Ctrl-C); run.ts
 * turns errors into exit codes.
 */
import type { Command } from 'commander';
import { ConfigError } from '../errors.js';
import type { ComputeEnv } from './compute.js';

/** The streams a command writes to. `out` gets results, `err` progress, notes and errors. */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Whether stderr is an interactive terminal (then training draws a progress bar). */
  errIsTty: boolean;
  /** The stream the progress bar draws on (cli-progress needs a real stream); stderr by default. */
  errStream?: NodeJS.WritableStream;
}

/** Passed to each command's `register`; `sessionFactory` makes the compute backends' sessions (tests record them). */
export interface CliContext extends ComputeEnv {
  io: CliIo;
}

/** Adds one command to the program (see commands/index.ts). */
export type Register = (program: Command, ctx: CliContext) => void;

/** Exit code of a cancelled training (128 + SIGINT, as shells report it). */
export const EXIT_CANCELLED = 130;

/** A flag value or flag combination the user must change; exits with code 2 like parser errors. */
export class UsageError extends ConfigError {}

/** The CliIo of the real process. */
export function processIo(): CliIo {
  // A reader that closes early (`aedr --help | head`) is not an error: stop quietly.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(0);
      throw err;
    });
  }
  return {
    out: (t) => void process.stdout.write(t),
    err: (t) => void process.stderr.write(t),
    errIsTty: process.stderr.isTTY === true,
    errStream: process.stderr,
  };
}
