/**
 * The one closeness check of the test suite, with numpy's rule |a - e| <= atol + rtol * |e|.
 * On failure it reports the first failing index and both values.
 */
import assert from 'node:assert/strict';

/** Asserts `actual` is close to `expected` elementwise. */
export function assertClose(
  actual: ArrayLike<number> | number,
  expected: ArrayLike<number> | number,
  { rtol = 1e-7, atol = 0, what = 'value' }: { rtol?: number; atol?: number; what?: string } = {},
): void {
  const a = typeof actual === 'number' ? [actual] : actual;
  const e = typeof expected === 'number' ? [expected] : expected;
  assert.equal(a.length, e.length, `${what}: length ${a.length} != expected ${e.length}`);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < a.length; i++) {
    const tol = atol + rtol * Math.abs(e[i]);
    const err = Math.abs(a[i] - e[i]);
    const excess = Number.isNaN(err) ? Infinity : err - tol;
    if (excess > worstExcess || (Number.isNaN(err) && worst < 0)) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst >= 0) {
    assert.fail(
      `${what}[${worst}]: got ${a[worst]}, expected ${e[worst]} (|diff| ${Math.abs(a[worst] - e[worst])}, atol ${atol}, rtol ${rtol})`,
    );
  }
}
