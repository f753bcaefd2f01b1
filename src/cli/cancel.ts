/**
 * Ctrl-C for every long-running command, one behaviour: the first SIGINT prints what happens
 * next and aborts the returned signal (the command stops at its next safe point and keeps what
 * is finished); a second SIGINT exits at once with code 130. This is the one place where a
 * command ends the process itself.
 */
import { EXIT_CANCELLED, type CliIo } from './context.js';

/** An installed Ctrl-C handler. */
export interface Cancellation {
  /** Aborted by the first Ctrl-C. */
  signal: AbortSignal;
  /** Removes the handler (call it in `finally`). */
  release(): void;
}

/**
 * Installs the handler. `message` is printed on the first Ctrl-C (e.g. "stopping after the
 * running batches"); `beforeMessage` runs first (e.g. to take down a progress bar).
 */
export function cancelOnSigint(
  io: CliIo,
  message: string,
  beforeMessage?: () => void,
): Cancellation {
  const controller = new AbortController();
  const onSigint = (): void => {
    if (controller.signal.aborted) process.exit(EXIT_CANCELLED);
    beforeMessage?.();
    io.err(`aedr: ${message} (Ctrl-C again to quit at once)\n`);
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  return { signal: controller.signal, release: () => void process.off('SIGINT', onSigint) };
}
