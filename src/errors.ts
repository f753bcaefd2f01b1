/**
 * The error classes of aedr. Every error a user can cause is an `AedrError` subclass whose
 * message names the argument or file, the value received, what was expected, and the fix.
 * Library code throws these; only `cli/` prints them.
 */

/** Base class of every error aedr raises on purpose. */
export class AedrError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Where in a file a data problem sits; every field is optional because not every format has rows. */
export interface DataLocation {
  file?: string;
  row?: number;
  field?: number | string;
}

/** Bad input data: names the file, row and field when known, what was expected and what was found. */
export class DataError extends AedrError {
  readonly file?: string;
  readonly row?: number;
  readonly field?: number | string;
  constructor(message: string, where: DataLocation = {}, options?: { cause?: unknown }) {
    super(formatLocation(where) + message, options);
    this.file = where.file;
    this.row = where.row;
    this.field = where.field;
  }
}

function formatLocation(where: DataLocation): string {
  const pos: string[] = [];
  if (where.row !== undefined) pos.push(`row ${where.row}`);
  if (where.field !== undefined) pos.push(`field ${where.field}`);
  const parts =
    where.file !== undefined
      ? [where.file, ...(pos.length ? [pos.join(', ')] : [])]
      : pos.length
        ? [pos.join(', ')]
        : [];
  return parts.length > 0 ? parts.join(': ') + ': ' : '';
}

/** A tensor or matrix whose shape does not fit the operation. */
export class ShapeError extends AedrError {}

/** An option or argument outside what is accepted. */
export class ConfigError extends AedrError {}

/** A symbolic graph that cannot be built or differentiated. */
export class GraphError extends AedrError {}

/** onnxruntime failed; the original error is kept as `cause`. */
export class RuntimeFailure extends AedrError {}

/** Training produced a non-finite loss; the model keeps the last good weights. */
export class TrainingDivergedError extends AedrError {
  readonly epoch: number;
  readonly batch: number;
  constructor(message: string, epoch: number, batch: number) {
    super(message);
    this.epoch = epoch;
    this.batch = batch;
  }
}

/** Training was cancelled through its AbortSignal; the model holds the weights reached. */
export class TrainingCancelledError extends AedrError {
  constructor(readonly epoch: number) {
    super(`training was cancelled during epoch ${epoch}`);
  }
}

/** A saved model directory that is missing files or holds invalid ones. */
export class ModelFormatError extends DataError {}

/** A method used before `fit` (or on a model that was never trained). */
export class NotFittedError extends AedrError {}

/** A numerical procedure that did not converge or met a singular problem. */
export class NumericalError extends AedrError {}
