// The check for a reader's DataError: its class, message and the row/field it points at.
import assert from 'node:assert/strict';
import { DataError } from '../../src/errors.js';

/** Asserts that fn throws a DataError at `row`/`field` whose message matches `re`. */
export function assertDataError(fn: () => unknown, re: RegExp, row?: number, field?: number): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof DataError, `expected DataError, got ${String(e)}`);
    assert.match(e.message, re);
    assert.equal(e.row, row);
    assert.equal(e.field, field);
    return true;
  });
}
