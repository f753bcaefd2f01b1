/**
 * The `aedr` program: builds the commander program from the command registry and runs it,
 * turning every outcome into an exit code instead of calling process.exit, so tests can run it
 * in-process. Exit codes: 0 success, 1 an error (data, model, runtime), 2 a usage error (unknown
 * command or flag, bad or conflicting flag values), 130 training cancelled by Ctrl-C. Errors are
 * one line, `aedr: error: <message>`; `--debug` adds the stack. An error that is not an
 * AedrError is a bug in aedr and says so.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { AedrError } from '../errors.js';
import { TrainingCancelledError } from '../errors.js';
import { COMMANDS } from './commands/index.js';
import type { ComputeEnv } from './compute.js';
import { EXIT_CANCELLED, UsageError, type CliContext, type CliIo } from './context.js';

/** aedr's version from package.json (src/cli and dist/cli both sit two levels below it). */
export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version?: unknown;
  };
  return String(pkg.version ?? '0.0.0');
}

/** The program with every registered command; output goes to `ctx.io`. */
export function createProgram(ctx: CliContext): Command {
  const program = new Command('aedr');
  program
    .description(
      'Dimensionality reduction with autoencoders: train, encode, decode and inspect models; reproduce the MNIST study; compare with PCA, LDA, LLE and Isomap; explore a latent space in the browser.',
    )
    .version(version(), '-V, --version', 'print the version')
    .option('--debug', 'print the stack trace of an error')
    .helpOption('-h, --help', 'print help')
    .helpCommand('help [command]', 'print help for a command')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.io.out(s),
      writeErr: (s) => ctx.io.err(s),
      outputError: (s, write) => write(`aedr: ${s}`),
    })
    .addHelpText(
      'after',
      '\nRun `aedr <command> --help` for the flags of a command.\n' +
        'Exit codes: 0 ok, 1 error, 2 usage error, 130 cancelled (Ctrl-C).',
    );
  for (const register of COMMANDS) register(program, ctx);
  // Descriptions are written as source-width lines; rejoin single newlines so commander's own
  // wrapping to the terminal width does not leave ragged half lines (blank lines stay paragraphs).
  for (const cmd of program.commands) {
    cmd.description(cmd.description().replace(/([^\n])\n(?=[^\n])/g, '$1 '));
  }
  return program;
}

/**
 * Runs aedr with `argv` (the arguments after the program name); resolves to the exit code.
 * `env.sessionFactory` makes the sessions of the commands' compute backends (default
 * `Session.create`).
 */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  env: ComputeEnv = {},
): Promise<number> {
  const debug = argv.includes('--debug');
  const program = createProgram({ io, ...env });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (err) {
    return reportError(err, io, debug);
  }
}

/** Prints `err` as one line (plus the stack under --debug) and returns the exit code. */
export function reportError(err: unknown, io: CliIo, debug: boolean): number {
  if (err instanceof CommanderError) {
    // commander has printed the message (or the help) already; help and version exit with 0.
    return err.exitCode === 0 ? 0 : 2;
  }
  const stack = (): void => {
    if (debug && err instanceof Error && err.stack) io.err(err.stack + '\n');
    if (debug && err instanceof Error && err.cause instanceof Error && err.cause.stack)
      io.err('caused by: ' + err.cause.stack + '\n');
  };
  if (err instanceof TrainingCancelledError) {
    io.err(`aedr: ${err.message}\n`);
    stack();
    return EXIT_CANCELLED;
  }
  if (err instanceof AedrError) {
    io.err(`aedr: error: ${err.message}\n`);
    stack();
    return err instanceof UsageError ? 2 : 1;
  }
  if (isSystemError(err)) {
    // A file-system failure (disk full, permission denied): the user can act on it.
    io.err(`aedr: error: ${err.message}\n`);
    stack();
    return 1;
  }
  const msg = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  io.err(
    `aedr: internal error: ${firstLine(msg)} (this is a bug in aedr${debug ? '' : '; rerun with --debug for the stack'})\n`,
  );
  stack();
  return 1;
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return i < 0 ? s : s.slice(0, i);
}

function isSystemError(err: unknown): err is NodeJS.ErrnoException {
  return (
    err instanceof Error &&
    typeof (err as NodeJS.ErrnoException).code === 'string' &&
    typeof (err as NodeJS.ErrnoException).syscall === 'string'
  );
}
