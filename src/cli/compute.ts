/**
 * The compute flags of the commands that run the reducers and metrics (`--threads`,
 * `--no-spin`) and the one onnxruntime backend (accel/) a command makes from them: created where
 * the flags are parsed, passed down as a value, disposed when the command ends. Its kernel
 * sessions never spin-wait (they alternate with JS work on the main thread, accel/ort-backend.ts);
 * `--no-spin` also stops the training sessions of the command's autoencoders from spinning.
 */
import { Option, type Command } from 'commander';
import { createOrtBackend, type OrtBackend } from '../accel/ort-backend.js';
import type { SessionFactory } from '../accel/session-pool.js';
import { intArg } from './options.js';

/** The parsed compute flags. */
export interface ComputeFlags {
  /** --threads: onnxruntime intra-op threads and the worker pools' size; default all cores. */
  threads?: number;
  /** false with --no-spin. */
  spin?: boolean;
}

/** What a command's backend is made with besides its flags (tests record the sessions). */
export interface ComputeEnv {
  sessionFactory?: SessionFactory;
}

/** Adds `--threads <n>` and `--no-spin` to a command. */
export function addComputeFlags(cmd: Command): Command {
  return cmd
    .addOption(
      new Option(
        '--threads <n>',
        'CPU threads of onnxruntime and the worker pools (default: all cores)',
      ).argParser(intArg(1)),
    )
    .option(
      '--no-spin',
      "onnxruntime's idle threads sleep instead of spin-waiting (faster when other jobs share the cores)",
    );
}

/**
 * Runs `fn` on the onnxruntime backend of the flags and disposes the backend afterwards.
 * @throws ConfigError when threads is not a positive integer; whatever `fn` throws
 */
export async function withComputeBackend<T>(
  f: ComputeFlags,
  env: ComputeEnv,
  fn: (backend: OrtBackend) => Promise<T>,
): Promise<T> {
  const backend = createOrtBackend({
    ...(f.threads !== undefined ? { threads: f.threads } : {}),
    spin: false,
    ...(env.sessionFactory !== undefined ? { sessionFactory: env.sessionFactory } : {}),
  });
  try {
    return await fn(backend);
  } finally {
    await backend.dispose();
  }
}
